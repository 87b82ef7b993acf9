import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The installed package's root (where package.json and datasets/ live), wherever the code runs from. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'datasets'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot locate the deblurbench package root');
    dir = up;
  }
  cached = dir;
  return dir;
}
