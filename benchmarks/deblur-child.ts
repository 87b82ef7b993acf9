/**
 * One bench:deblur measurement in its own process, so peak RSS belongs to one runtime at one size:
 *   node dist/benchmarks/deblur-child.js <onnxruntime|tfjs> <256|720p>
 * Prints one JSON line {runtime, size, medianMs, runs, peakRssMb, backend, threads}.
 * The network is the official-size DeblurGAN generator with random init weights from a fixed seed.
 */
import type { Tensor4D } from '@tensorflow/tfjs';
import { describeBackend, loadTf } from '../src/core/tfjs-backend.js';
import { Rng } from '../src/core/rng.js';
import { DEFAULT_GENERATOR, countParameters, generatorSpec } from '../src/deblur/deblurgan/architecture.js';
import { forward, toTensors } from '../src/deblur/deblurgan/network.js';
import { exportOnnx } from '../src/deblur/deblurgan/onnx-export.js';
import { initWeights } from '../src/deblur/deblurgan/weights.js';
import { loadOnnxModel } from '../src/deblur/onnx/model-runner.js';
import { measureRuns, median } from './python.js';

export const SIZES = { '256': [256, 256], '720p': [1280, 720] } as const;
export type SizeName = keyof typeof SIZES;
export type RuntimeName = 'onnxruntime' | 'tfjs';
export const EXPECTED_PARAMS = 11_378_179;
const SEED = 1234;

export interface ChildResult {
  runtime: string;
  size: string;
  medianMs: number;
  runs: number;
  peakRssMb: number;
  backend: string;
  threads: number;
}

function randomInput(n: number, rng: Rng): Float32Array {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform() * 2 - 1;
  return data;
}

async function runOnnx(w: number, h: number, big: boolean): Promise<Omit<ChildResult, 'runtime' | 'size' | 'peakRssMb'>> {
  const spec = generatorSpec(DEFAULT_GENERATOR);
  const bytes = exportOnnx(spec, initWeights(spec, new Rng(SEED)));
  const model = await loadOnnxModel(bytes);
  const ort = await import('onnxruntime-node');
  const input = new ort.Tensor('float32', randomInput(3 * w * h, new Rng(SEED + 1)), [1, 3, h, w]);
  const times = await measureRuns(
    async () => {
      const out = await model.session.run({ [model.inputName]: input });
      for (const t of Object.values(out)) t.dispose?.();
    },
    1,
    big ? 2 : 3,
  );
  return { medianMs: median(times), runs: times.length, backend: 'onnxruntime-node cpu', threads: model.threads };
}

async function runTfjs(w: number, h: number, big: boolean): Promise<Omit<ChildResult, 'runtime' | 'size' | 'peakRssMb'>> {
  const tf = await loadTf();
  const { backend, threads } = await describeBackend();
  const spec = generatorSpec(DEFAULT_GENERATOR);
  const weights = toTensors(tf, initWeights(spec, new Rng(SEED)));
  const x = tf.tensor4d(randomInput(3 * w * h, new Rng(SEED + 1)), [1, h, w, 3]) as Tensor4D;
  const times = await measureRuns(
    async () => {
      const y = forward(tf, spec, weights, x);
      await y.data();
      y.dispose();
    },
    1,
    big ? 1 : 3,
  );
  return { medianMs: median(times), runs: times.length, backend, threads };
}

async function main(): Promise<void> {
  const [runtime, size] = process.argv.slice(2) as [RuntimeName, SizeName];
  if (!(size in SIZES) || (runtime !== 'onnxruntime' && runtime !== 'tfjs')) {
    throw new Error('usage: deblur-child.js <onnxruntime|tfjs> <256|720p>');
  }
  const params = countParameters(generatorSpec(DEFAULT_GENERATOR));
  if (params !== EXPECTED_PARAMS) throw new Error(`generator has ${params} parameters, expected ${EXPECTED_PARAMS}`);
  const [w, h] = SIZES[size];
  const big = size === '720p';
  const r = runtime === 'onnxruntime' ? await runOnnx(w, h, big) : await runTfjs(w, h, big);
  const result: ChildResult = { runtime, size, ...r, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// Run only when executed directly (deblur.ts imports the shared constants and types).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
