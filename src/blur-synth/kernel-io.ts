/** Kernel files written beside each blurred image: exact JSON, and a PNG scaled for viewing. */
import { readFile } from 'node:fs/promises';
import { UserError, describeError } from '../core/errors.js';
import { createImage, writeImage } from '../core/image.js';
import type { Kernel } from './kernel.js';

export interface KernelJson {
  width: number;
  height: number;
  /** Row-major taps, summing to 1. */
  data: number[];
}

export function kernelToJson(k: Kernel): KernelJson {
  return { width: k.width, height: k.height, data: Array.from(k.data) };
}

export async function readKernelJson(path: string): Promise<Kernel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read kernel ${path}: ${describeError(err)}`);
  }
  const k = parsed as Partial<KernelJson>;
  if (!Number.isInteger(k.width) || !Number.isInteger(k.height) || !Array.isArray(k.data) || k.data.length !== (k.width ?? 0) * (k.height ?? 0)) {
    throw new UserError(`kernel ${path} is not {"width","height","data":[width·height numbers]}`);
  }
  const width = k.width as number;
  const data = k.data as unknown[];
  // A bad kernel would otherwise reach Wiener / Richardson–Lucy and restore garbage silently.
  let sum = 0;
  for (const [i, v] of data.entries()) {
    const at = `at row ${Math.floor(i / width)}, column ${i % width}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`kernel ${path} has a non-finite tap (${typeof v === 'number' ? v : JSON.stringify(v)} ${at})`);
    if (v < 0) throw new UserError(`kernel ${path} has a negative tap (${v} ${at})`);
    sum += v;
  }
  if (!(Math.abs(sum - 1) <= 1e-3)) throw new UserError(`kernel ${path} sums to ${sum.toFixed(3)}, not 1`);
  return { width, height: k.height as number, data: Float64Array.from(data as number[]) };
}

/** Grey PNG with the largest tap at 255. */
export async function writeKernelPng(path: string, k: Kernel): Promise<void> {
  let max = 0;
  for (const v of k.data) max = Math.max(max, v);
  const px = new Uint8Array(k.data.length);
  for (let i = 0; i < px.length; i++) px[i] = Math.round((k.data[i] / max) * 255);
  await writeImage(path, createImage(k.width, k.height, 1, px));
}
