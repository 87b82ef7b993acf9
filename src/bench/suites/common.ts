import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { readKernelJson } from '../../blur-synth/kernel-io.js';
import { UserError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { decodeImage } from '../../core/image.js';
import type { PairData, SuitePair } from './types.js';

export async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Image file names of `dir` by stem (the pair id), as full paths. Two files with one stem
 * (a.png, a.jpg) are an error naming both: which one is meant is not ours to guess.
 */
export function imagesByStem(dir: string, names: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of [...names].sort()) {
    const stem = basename(f, extname(f));
    const earlier = map.get(stem);
    if (earlier) throw new UserError(`${earlier} and ${join(dir, f)} share the name ${stem}; keep one of them`);
    map.set(stem, join(dir, f));
  }
  return map;
}

/** Hash over pair ids and their file names and sizes (cheap, order-independent of the file system). */
export async function fileListHash(entries: { id: string; files: string[] }[]): Promise<string> {
  const parts: string[] = [];
  for (const e of [...entries].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const sizes = await Promise.all(e.files.map(async (f) => (await stat(f)).size));
    parts.push(`${e.id}\t${e.files.map((f, i) => `${f.split('/').slice(-2).join('/')}:${sizes[i]}`).join('\t')}`);
  }
  return sha256(parts.join('\n'));
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new UserError(`cannot read ${what} ${path}`);
  }
}

async function decode(bytes: Buffer, path: string) {
  try {
    return await decodeImage(bytes);
  } catch (err) {
    throw new UserError(`cannot read image ${path}: ${(err as Error).message}`);
  }
}

/** A pair of image files on disk (and the kernel when a synth tree provides one). */
export function filePair(id: string, sharpPath: string, blurredPath: string, kernelPath?: string): SuitePair {
  return {
    id,
    load: async (): Promise<PairData> => {
      const [sb, bb] = await Promise.all([readBytes(sharpPath, 'sharp image'), readBytes(blurredPath, 'blurred image')]);
      const [sharp, blurred] = await Promise.all([decode(sb, sharpPath), decode(bb, blurredPath)]);
      if (sharp.width !== blurred.width || sharp.height !== blurred.height) {
        throw new UserError(`pair ${id}: sharp is ${sharp.width}×${sharp.height}, blurred is ${blurred.width}×${blurred.height}`);
      }
      const kernel = kernelPath ? await readKernelJson(kernelPath) : undefined;
      const kernelHash = kernel ? sha256(new Uint8Array(kernel.data.buffer)) : '';
      return { sharp, blurred, kernel, inputHash: sha256(`${sha256(sb)}:${sha256(bb)}:${kernelHash}`) };
    },
  };
}
