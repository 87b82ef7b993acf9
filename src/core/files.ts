import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { UserError, describeError } from './errors.js';

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

/**
 * Creates `dir` and its missing parents one level at a time. Node's recursive mkdir never
 * returns for some paths on pseudo file systems (e.g. /proc/x/y as root); creating level by
 * level fails there at once with the error of the first level that cannot be made.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const info = await stat(current).catch(() => null);
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing.reverse()) {
    await mkdir(level).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}

/** `makeDirectory` for a folder the user named: failure is a one-line UserError. */
export async function makeOutputFolder(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    throw new UserError(`cannot create output folder ${dir}: ${describeError(err)}`);
  }
}
