/**
 * SSIM split over worker threads by bands of output rows. Each band runs the very same loop as the
 * single-threaded plan, so the result equals `ssim()` up to the order of adding band sums.
 * Small images, a single core, or running from TypeScript sources (no compiled worker) fall back
 * to the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Image, PixelData } from '../core/image.js';
import { requestedThreads } from '../core/threads.js';
import type { PlaneOptions } from './planes.js';
import { DEFAULT_PLANE_OPTIONS } from './psnr.js';
import { DEFAULT_SSIM_MODE, type SsimOptions, runPlan, ssimModes } from './ssim.js';

/** Below this many pixels thread start-up and hand-over cost more than they save. */
const MIN_PIXELS_FOR_THREADS = 256 * 256;

export interface BandRequest {
  id: number;
  mode: string;
  opts: PlaneOptions;
  reference: Image;
  test: Image;
  start: number;
  end: number;
}

export interface BandReply {
  id: number;
  sum?: number;
  error?: string;
}

/** SSIM worker count: DEBLURBENCH_THREADS as given (not capped, so the worker path can be forced), else every core. */
export function threadCount(): number {
  return requestedThreads() ?? Math.max(1, availableParallelism());
}

const workerUrl = new URL('./ssim-worker.js', import.meta.url);
let pool: Worker[] | null = null;
let nextId = 1;

function workers(n: number): Worker[] {
  pool ??= [];
  while (pool.length < n) {
    const worker = new Worker(fileURLToPath(workerUrl));
    worker.unref();
    pool.push(worker);
  }
  return pool.slice(0, n);
}

function runBand(worker: Worker, request: Omit<BandRequest, 'id'>): Promise<number> {
  const id = nextId++;
  return new Promise<number>((resolve, reject) => {
    const onMessage = (reply: BandReply): void => {
      if (reply.id !== id) return;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.unref();
      if (reply.error !== undefined || reply.sum === undefined) reject(new Error(reply.error ?? 'SSIM worker returned nothing'));
      else resolve(reply.sum);
    };
    const onError = (err: Error): void => {
      worker.off('message', onMessage);
      pool = pool?.filter((w) => w !== worker) ?? null;
      reject(err);
    };
    worker.ref(); // keep the process alive while a band is pending
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ ...request, id });
  });
}

/** Copy pixel data into shared memory so workers read it without a copy per band. */
function shared(img: Image): Image {
  if (img.data.buffer instanceof SharedArrayBuffer) return img;
  const Ctor = img.data.constructor as { new (buffer: SharedArrayBuffer): PixelData };
  const data = new Ctor(new SharedArrayBuffer(img.data.byteLength));
  data.set(img.data);
  return { ...img, data };
}

/** SSIM using all cores for large images; same value as `ssim()`. */
export async function ssimParallel(reference: Image, test: Image, opts: Partial<SsimOptions> = {}): Promise<number> {
  const { mode = DEFAULT_SSIM_MODE, ...rest } = opts;
  const planeOpts: PlaneOptions = { ...DEFAULT_PLANE_OPTIONS, ...rest };
  const impl = await ssimModes.load(mode);
  const threads = threadCount();
  if (!impl.plan || threads < 2 || reference.width * reference.height < MIN_PIXELS_FOR_THREADS || !existsSync(workerUrl)) {
    return await impl.compute(reference, test, planeOpts);
  }
  const plan = impl.plan(reference, test, planeOpts);
  const bands = Math.min(threads, Math.max(1, Math.floor(plan.rows / 16)));
  if (bands < 2) return runPlan(plan);
  const edges = Array.from({ length: bands + 1 }, (_, i) => Math.round((i * plan.rows) / bands));
  const ref = shared(reference);
  const tst = shared(test);
  const pending = workers(bands - 1).map((worker, i) =>
    runBand(worker, { mode, opts: planeOpts, reference: ref, test: tst, start: edges[i + 1], end: edges[i + 2] }),
  );
  const own = plan.sum(edges[0], edges[1]);
  const others = await Promise.all(pending);
  return others.reduce((acc, s) => acc + s, own) / plan.count;
}
