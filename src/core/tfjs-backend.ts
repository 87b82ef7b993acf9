/**
 * The one place that picks the TensorFlow.js backend: `tensorflow` when @tensorflow/tfjs-node(-gpu)
 * is importable (machines with internet can install it), else `wasm` (SIMD; multithreaded through
 * ./wasm-threads.ts unless DEBLURBENCH_THREADS=1), else `cpu`. Every caller reports `describeBackend()` next to its timings.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { registerFastSlice, registerSharedIdentity, registerSpatialReductions } from './wasm-kernels.js';
import { prepareThreadedWasm } from './wasm-threads.js';
import { threadsFromEnv } from './threads.js';

export type Tf = typeof import('@tensorflow/tfjs');

let ready: Promise<Tf> | null = null;
let threads = 1;

async function tryImport(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

async function init(): Promise<Tf> {
  // read first: a bad value is the user's error, not a reason to fall back to another backend
  const wanted = threadsFromEnv();
  // tfjs-node registers the native backend on import and re-exports tfjs.
  for (const native of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (await tryImport(native)) {
      const tf = (await import('@tensorflow/tfjs')) as Tf;
      await tf.setBackend('tensorflow');
      await tf.ready();
      return tf;
    }
  }
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${join(dist, '/')}`);
    threads = Math.min(wanted, 8); // the threaded build pre-creates exactly 8 pool workers
    wasm.setThreadsCount(threads);
    // one thread: the plain SIMD build (no worker pool at all)
    const patches = threads > 1 ? prepareThreadedWasm(tf.env()) : null;
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        threads = wasm.getThreadsCount();
        registerSpatialReductions(tf);
        registerFastSlice(tf);
        registerSharedIdentity(tf);
        return tf;
      }
    } finally {
      patches?.restore();
    }
  } catch {
    // fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  threads = 1;
  return tf;
}

/** TensorFlow.js with the best available backend, initialised once per process. */
export function loadTf(): Promise<Tf> {
  ready ??= init();
  return ready;
}

export async function describeBackend(): Promise<{ backend: string; threads: number }> {
  const tf = await loadTf();
  const name = tf.getBackend();
  return { backend: `tfjs-${name}`, threads: name === 'wasm' ? threads : name === 'cpu' ? 1 : availableParallelism() };
}

/** IOHandler for a tfjs graph/layers model stored as model.json + weight shards on disk (no network). */
export async function fileModelHandler(modelJsonPath: string): Promise<import('@tensorflow/tfjs').io.IOHandler> {
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as {
    modelTopology: object;
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    signature?: object;
    userDefinedMetadata?: Record<string, object>;
    weightsManifest: { paths: string[]; weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
  };
  const dir = dirname(modelJsonPath);
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) for (const p of group.paths) shards.push(await readFile(join(dir, p)));
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return {
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  };
}
