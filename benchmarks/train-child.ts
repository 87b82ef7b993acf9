/**
 * One bench:train measurement in its own process: a full DeblurGAN training step on tfjs (5 critic
 * steps with gradient penalty on the same batch + 1 generator step, L1 content ×100 plus the
 * adversarial term, batch 1, 128×128 crops), official generator with the given ngf and 9 blocks,
 * the paper's critic (ndf 64, 3 layers). Prints one JSON line.
 *
 *   node dist/benchmarks/train-child.js <ngf>      (DEBLURBENCH_NATIVE=0: without the native conv kernels)
 */
import type { Tensor4D } from '@tensorflow/tfjs';
import { Rng } from '../src/core/rng.js';
import { describeBackend, loadTf } from '../src/core/tfjs-backend.js';
import { countParameters, criticSpec, generatorSpec } from '../src/deblur/deblurgan/architecture.js';
import { createAdam } from '../src/deblur/deblurgan/fused-adam.js';
import { trainingStep } from '../src/deblur/deblurgan/train.js';
import { registerWasmTrainingKernels } from '../src/deblur/deblurgan/wasm-kernels.js';
import { initWeights } from '../src/deblur/deblurgan/weights.js';
import { measureRuns, median } from './python.js';

export const CROP = 128;
export const RUNS = 7; // as train_torch.py: steps vary by ±30 % within one process here

async function main(): Promise<void> {
  const ngf = Number(process.argv[2]);
  const tf = await loadTf();
  const kernels = tf.getBackend() === 'wasm' ? registerWasmTrainingKernels(tf) : `${tf.getBackend()} backend kernels`;
  const rng = new Rng(1234);
  const gSpec = generatorSpec({ variant: 'official', ngf, blocks: 9 });
  const dSpec = criticSpec();
  const vars = (spec: typeof gSpec, name: string) => new Map([...initWeights(spec, rng.fork(name))].map(([n, w]) => [n, tf.variable(tf.tensor(w.data, w.shape), true)]));
  const step = trainingStep(tf, {
    gSpec, dSpec, gVars: vars(gSpec, 'g'), dVars: vars(dSpec, 'd'),
    gOpt: createAdam(tf, 1e-4, 0.5, 0.999), dOpt: createAdam(tf, 1e-4, 0.5, 0.999),
    rng, adversarial: 'wgan-gp', content: 'l1', contentWeight: 100, criticSteps: 5,
  });
  const blurred = tf.randomUniform([1, CROP, CROP, 3], -1, 1, 'float32', 1) as Tensor4D;
  const sharp = tf.randomUniform([1, CROP, CROP, 3], -1, 1, 'float32', 2) as Tensor4D;
  const times = await measureRuns(() => step({ blurred, sharp }), 1, RUNS);
  const { backend, threads } = await describeBackend();
  process.stdout.write(`${JSON.stringify({ runtime: 'tfjs', ngf, parameters: countParameters(gSpec), medianMs: median(times), runs: times.length, backend, threads, kernels })}\n`);
}

await main();
