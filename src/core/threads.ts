/**
 * The worker-thread count the compute backends (tfjs-wasm, onnxruntime) use: DEBLURBENCH_THREADS
 * when set, else every logical core; never more than there are cores (more only adds contention).
 */
import { availableParallelism } from 'node:os';
import { UserError } from './errors.js';

export function threadsFromEnv(): number {
  const cores = Math.max(1, availableParallelism());
  return Math.min(requestedThreads() ?? cores, cores);
}

/** DEBLURBENCH_THREADS as given (null when unset); anything but a positive integer is a UserError. */
export function requestedThreads(): number | null {
  const raw = process.env.DEBLURBENCH_THREADS;
  if (raw === undefined || raw === '') return null;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 1)) throw new UserError(`DEBLURBENCH_THREADS=${raw} is invalid: use a positive integer`);
  return n;
}
