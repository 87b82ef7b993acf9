import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from './errors.js';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp']);

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** Image file names in `dir`, sorted; a missing folder is a UserError naming `what`. */
export async function listImages(dir: string, what: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UserError(`${what} folder ${dir} does not exist or cannot be read`);
  }
  return names.filter(isImageFile).sort();
}
