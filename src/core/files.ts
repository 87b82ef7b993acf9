import type { Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
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
    const info = await statIfExists(current);
    if (info) {
      if (!info.isDirectory()) throw notAFolder(current);
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (err) {
      // made meanwhile by someone else is fine, if it is a folder (a dangling symlink is not)
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!(await statIfExists(level))?.isDirectory()) throw notAFolder(level);
    }
  }
}

/** `stat`, or null when nothing is there (or a parent is a file); other failures (EACCES, ELOOP …) are thrown. */
async function statIfExists(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

function notAFolder(path: string): Error {
  return Object.assign(new Error(`${path} exists and is not a folder`), { code: 'ENOTDIR' });
}

/** `makeDirectory` for a folder the user named: failure is a one-line UserError. */
export async function makeOutputFolder(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    throw new UserError(`cannot create output folder ${dir}: ${describeError(err)}`);
  }
}

/** Fails before any work when an output folder cannot be made or written (a probe file is written and removed). */
export async function checkWritable(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    const probe = join(dir, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    throw new UserError(`cannot write to output folder ${dir}: ${describeError(err)}`);
  }
}

/**
 * Files written under temporary names and renamed together at `commit`: a save of several files
 * (a training checkpoint: weights, optimiser moments, critic, state) then changes them all in one
 * short run of renames, instead of leaving new weights beside an old state when killed midway.
 */
export class StagedWrites {
  private pending: [temporary: string, final: string][] = [];

  async write(path: string, data: string | Uint8Array): Promise<void> {
    await writeFile(`${path}.tmp`, data);
    this.pending.push([`${path}.tmp`, path]);
  }

  /** Rename every staged file into place, in the order written (write the commit marker last). */
  async commit(): Promise<void> {
    for (const [temporary, final] of this.pending) await rename(temporary, final);
    this.pending = [];
  }
}

/** Write `path` whole or not at all: through `staged` when given, else on its own (write, rename). */
export async function writeWhole(path: string, data: string | Uint8Array, staged?: StagedWrites): Promise<void> {
  const own = staged ?? new StagedWrites();
  await own.write(path, data);
  if (!staged) await own.commit();
}
