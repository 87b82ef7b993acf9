/**
 * On-disk cache of restored images, keyed by method identity + pair input hash, so a re-run or a
 * resumed run restores nothing twice. Entries hold the float output (exact) and the restore time
 * measured when it was made. Writes go to a temporary name and are renamed into place, so a
 * killed run never leaves a half-written entry.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from '../core/files.js';
import { sha256 } from '../core/hash.js';
import { type Image, createImage } from '../core/image.js';

export interface CachedRestore {
  image: Image<Float32Array>;
  restoreMs: number;
}

export function methodKey(identity: Record<string, string | number | boolean>): string {
  const canonical = JSON.stringify(Object.keys(identity).sort().map((k) => [k, identity[k]]));
  return sha256(canonical).slice(0, 24);
}

export class RestoreCache {
  constructor(readonly dir: string) {}

  private path(methodHash: string, inputHash: string): string {
    return join(this.dir, 'restored', methodHash, `${inputHash.slice(0, 40)}.f32`);
  }

  async get(methodHash: string, inputHash: string): Promise<CachedRestore | null> {
    let buf: Buffer;
    try {
      buf = await readFile(this.path(methodHash, inputHash));
    } catch {
      return null;
    }
    try {
      const headerLen = buf.readUInt32LE(0);
      const header = JSON.parse(buf.subarray(4, 4 + headerLen).toString('utf8')) as { width: number; height: number; channels: 1 | 3; restoreMs: number };
      const start = 4 + headerLen;
      const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.byteLength));
      return { image: createImage(header.width, header.height, header.channels, data), restoreMs: header.restoreMs };
    } catch {
      return null; // unreadable entry: recompute
    }
  }

  async put(methodHash: string, inputHash: string, entry: CachedRestore): Promise<void> {
    const path = this.path(methodHash, inputHash);
    await makeDirectory(join(this.dir, 'restored', methodHash));
    const { image } = entry;
    // header padded to a multiple of 4 bytes so the float data stays aligned
    let header = JSON.stringify({ width: image.width, height: image.height, channels: image.channels, restoreMs: entry.restoreMs });
    header += ' '.repeat((4 - ((4 + Buffer.byteLength(header)) % 4)) % 4);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(Buffer.byteLength(header));
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.concat([len, Buffer.from(header), Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)]));
    await rename(tmp, path);
  }
}

/** Detector outputs cached as JSON by detector identity + image key. */
export class DetectionCache {
  constructor(readonly dir: string) {}

  private path(detectorHash: string, key: string): string {
    return join(this.dir, 'detections', detectorHash, `${key.slice(0, 48)}.json`);
  }

  async get<T>(detectorHash: string, key: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.path(detectorHash, key), 'utf8')) as T;
    } catch {
      return null;
    }
  }

  async put(detectorHash: string, key: string, value: unknown): Promise<void> {
    const path = this.path(detectorHash, key);
    await makeDirectory(join(this.dir, 'detections', detectorHash));
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, path);
  }
}
