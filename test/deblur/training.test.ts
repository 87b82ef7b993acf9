import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadGoproSuite } from '../../src/bench/suites/gopro.js';
import { Rng } from '../../src/core/rng.js';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { criticSpec } from '../../src/deblur/deblurgan/architecture.js';
import { loadCheckpoint } from '../../src/deblur/deblurgan/checkpoint.js';
import { criticLoss, gradientPenalty } from '../../src/deblur/deblurgan/losses.js';
import { forward } from '../../src/deblur/deblurgan/network.js';
import { type TrainOptions, train } from '../../src/deblur/deblurgan/train.js';
import { type TrainingPair, loadTrainingPairs, pairedCrops } from '../../src/deblur/deblurgan/training-crops.js';
import { registerWasmTrainingKernels } from '../../src/deblur/deblurgan/wasm-kernels.js';
import { VGG19_CONV3_3_LAYERS, type Vgg19Weights } from '../../src/deblur/deblurgan/vgg19.js';
import { WeightAverage, averagingDecay } from '../../src/deblur/deblurgan/weight-average.js';
import { initWeights } from '../../src/deblur/deblurgan/weights.js';
import { createMethod } from '../../src/deblur/index.js';
import { psnr } from '../../src/metrics/psnr.js';
import { runCli } from '../helpers/cli.js';

const synthTree = (() => {
  const photos = mkdtempSync(join(tmpdir(), 'train-photos-'));
  for (const f of ['chelsea-cat.png', 'horses.png', 'cow.png']) copyFileSync(join('datasets/sample', f), join(photos, f));
  const dir = mkdtempSync(join(tmpdir(), 'train-data-'));
  const r = runCli(['synth', '--input', photos, '--out', dir, '--seed', '5', '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
  return dir;
})();

const treePairs = async (): Promise<TrainingPair[]> =>
  loadTrainingPairs(await loadGoproSuite({ data: synthTree, subset: 'blur', split: 'train', seed: 0, blurModel: 'trajectory', noise: 0 }));

async function options(out: string, extra: Partial<TrainOptions> = {}): Promise<TrainOptions> {
  return {
    train: pairedCrops(await treePairs()), val: [], out, architecture: { variant: 'official', ngf: 4, blocks: 1 }, content: 'l1', vgg: null, adversarial: 'none', contentWeight: 100,
    criticSteps: 2, steps: 10, constantFraction: 1, lr: 1e-3, ema: 0, init: null, batch: 2, crop: 32, seed: 9, maxMinutes: 10, checkpointEvery: 5, validateEvery: 1000, logEvery: 1,
    trainingData: 'test', quiet: true, ...extra,
  };
}

const logLines = (out: string) => readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; generatorLoss?: number; wasserstein?: number | null });

describe('DeblurGAN training', () => {
  it('the gradient penalty matches finite differences on a tiny critic', async () => {
    const tf = await loadTf();
    const previous = tf.getBackend();
    await tf.setBackend('cpu'); // float32 finite differences need the exact reference kernels
    try {
      const spec = criticSpec({ ndf: 2, layers: 1 });
      const w0 = initWeights(spec, new Rng(1));
      for (const [, t] of w0) for (let i = 0; i < t.data.length; i++) t.data[i] = (new Rng(i).uniform() - 0.5) * 0.6;
      const real = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as Tensor4D;
      const fake = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4) as Tensor4D;
      const alpha = tf.tensor1d([0.3, 0.7]);
      const gp = (weights: Map<string, Tensor>) => gradientPenalty(tf, (x) => forward(tf, spec, weights, x, { training: true }), real, fake, alpha);
      const vars = new Map([...w0].map(([n, t]) => [n, tf.variable(tf.tensor(t.data, t.shape))]));
      const { grads } = tf.variableGrads(() => gp(vars as unknown as Map<string, Tensor>), [...vars.values()]);
      for (const name of ['d_conv0/kernel', 'd_conv1/kernel']) {
        const g = await grads[(vars.get(name) as { name: string }).name].data();
        const base = (w0.get(name) as { data: Float32Array }).data;
        for (const idx of [0, 3, 7]) {
          const at = (delta: number) => new Map([...w0].map(([n, t]) => [n, tf.tensor(n === name ? base.map((v, i) => (i === idx ? v + delta : v)) : t.data, t.shape)]));
          const fd = ((await gp(at(1e-3)).data())[0] - (await gp(at(-1e-3)).data())[0]) / 2e-3;
          expect(Math.abs(fd - g[idx])).toBeLessThan(5e-3 * Math.max(1, Math.abs(fd)));
        }
      }
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('a short run lowers the generator loss; the WGAN-GP loop runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'train-'));
    await train(await options(out, { steps: 30 }));
    const losses = logLines(out).filter((l) => l.generatorLoss !== undefined).map((l) => l.generatorLoss as number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)));
    // the full WGAN-GP loop runs and logs a finite Wasserstein estimate every step
    const gan = mkdtempSync(join(tmpdir(), 'train-gan-'));
    await train(await options(gan, { adversarial: 'wgan-gp', steps: 3, criticSteps: 2, crop: 16 }));
    const w = logLines(gan).map((l) => l.wasserstein).filter((v): v is number => typeof v === 'number');
    expect(w.length).toBe(3);
    expect(w.every(Number.isFinite)).toBe(true);
  });

  it('trains with the VGG19 conv3_3 content loss and records the weights on the card', async () => {
    const rng = new Rng(21);
    const vgg: Vgg19Weights = {
      source: 'test', identity: 'abcdef0123456789',
      convs: VGG19_CONV3_3_LAYERS.map((l) => {
        const n = 9 * l.inChannels * l.outChannels;
        const scale = Math.sqrt(2 / (9 * l.inChannels));
        return { name: l.name, kernelShape: [3, 3, l.inChannels, l.outChannels] as [number, number, number, number], kernel: Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale), bias: new Float32Array(l.outChannels), poolAfter: l.poolAfter };
      }),
    };
    const out = mkdtempSync(join(tmpdir(), 'train-vgg-'));
    await train(await options(out, { content: 'vgg', vgg, steps: 24, crop: 32 }));
    const losses = logLines(out).filter((l) => l.generatorLoss !== undefined).map((l) => l.generatorLoss as number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)));
    const card = JSON.parse(readFileSync(join(out, 'generator', 'model.json'), 'utf8')) as { card: { contentLoss: string } };
    expect(card.card.contentLoss).toMatch(/^VGG19 conv3_3 .*sha256 abcdef0123456789/);
  });

  it('bench train reads held-out pairs from a --val folder named test, and refuses one as --data', () => {
    const test = join(mkdtempSync(join(tmpdir(), 'train-split-')), 'test');
    symlinkSync(synthTree, test);
    const small = ['--steps', '1', '--ngf', '4', '--blocks', '1', '--crop', '32', '--content', 'l1', '--adversarial', 'none', '--quiet'];
    const ok = runCli(['train', '--data', synthTree, '--val', test, '--out', mkdtempSync(join(tmpdir(), 'train-val-')), ...small]);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = runCli(['train', '--data', test, '--out', mkdtempSync(join(tmpdir(), 'train-val-')), ...small]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/test holds the test split, but the train split was asked/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bench train: a resume whose optimiser state cannot be read says so and goes on with fresh moments', () => {
    const out = mkdtempSync(join(tmpdir(), 'train-adam-'));
    const small = ['train', '--data', synthTree, '--out', out, '--ngf', '4', '--blocks', '1', '--crop', '32', '--content', 'l1', '--adversarial', 'none', '--quiet'];
    expect(runCli([...small, '--steps', '1']).code).toBe(0);
    const adam = join(out, 'generator', 'adam.bin');
    writeFileSync(adam, readFileSync(adam).subarray(0, 100)); // cut short, as by a kill while saving
    const resumed = runCli([...small, '--steps', '2']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/warning: the generator's optimiser state in .* could not be read; resuming with fresh Adam moments/);
    expect(JSON.parse(readFileSync(join(out, 'train-state.json'), 'utf8')).step).toBe(2);
  });

  it('bench train: content-loss choices give one-line errors', () => {
    const base = ['train', '--data', synthTree, '--out', mkdtempSync(join(tmpdir(), 'train-cli-')), '--steps', '1', '--quiet'];
    for (const [extra, pattern] of [
      [['--content', 'vgg'], /--content vgg needs --vgg FILE/],
      [['--vgg', '/nonexistent/vgg19.h5'], /vgg19\.h5/],
      [['--content', 'l1', '--vgg', '/nonexistent/vgg19.h5'], /--vgg is only used with --content vgg/],
      [['--content', 'ssim'], /--content must be auto, vgg, l1 or mse/],
      [['--variant', 'keras'], /bench train trains the official variant only/],
    ] as const) {
      const r = runCli([...base, ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('critic steps on a fixed batch raise the Wasserstein estimate D(real) − D(fake)', async () => {
    const tf = await loadTf();
    registerWasmTrainingKernels(tf); // weight gradients on wasm need the replacement kernel
    const spec = criticSpec({ ndf: 4, layers: 2 });
    const vars = new Map([...initWeights(spec, new Rng(4))].map(([n, t]) => [n, tf.variable(tf.tensor(t.data, t.shape))]));
    const critic = (x: Tensor4D) => forward(tf, spec, vars as unknown as Map<string, Tensor>, x, { training: true });
    const real = tf.randomUniform([2, 24, 24, 3], -1, 1, 'float32', 1) as Tensor4D;
    const fake = tf.mul(real, 0.2) as Tensor4D; // a washed-out "restoration"
    const alpha = tf.tensor1d([0.25, 0.75]);
    const opt = tf.train.adam(1e-2, 0.5, 0.999);
    const estimates: number[] = [];
    for (let i = 0; i < 30; i++) {
      opt.minimize(() => {
        const r = criticLoss(tf, critic, real, fake, alpha);
        estimates.push(r.wasserstein.dataSync()[0]);
        return r.loss;
      }, false, [...vars.values()]);
    }
    expect(estimates[estimates.length - 1]).toBeGreaterThan(estimates[0]);
    expect(estimates[estimates.length - 1]).toBeGreaterThan(0);
  });

  it('resume continues from the saved step with identical RNG state and weights', async () => {
    const straight = mkdtempSync(join(tmpdir(), 'train-straight-'));
    await train(await options(straight, { steps: 10 }));
    const resumed = mkdtempSync(join(tmpdir(), 'train-resumed-'));
    await train(await options(resumed, { steps: 10, maxMinutes: 0 })); // stops at once with a checkpoint at step 0
    const firstState = JSON.parse(readFileSync(join(resumed, 'train-state.json'), 'utf8'));
    expect(firstState.step).toBe(0);
    await train(await options(resumed, { steps: 6 }));
    expect(JSON.parse(readFileSync(join(resumed, 'train-state.json'), 'utf8')).step).toBe(6);
    await train(await options(resumed, { steps: 10 }));
    const a = JSON.parse(readFileSync(join(straight, 'train-state.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(resumed, 'train-state.json'), 'utf8'));
    expect(b.step).toBe(10);
    expect(b.rng).toEqual(a.rng);
    const [wa, wb] = await Promise.all([loadCheckpoint(join(straight, 'generator')), loadCheckpoint(join(resumed, 'generator'))]);
    let maxDiff = 0;
    for (const [name, t] of wa.weights) {
      const other = (wb.weights.get(name) as { data: Float32Array }).data;
      for (let i = 0; i < t.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(t.data[i] - other[i]));
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('the weight average follows d · average + (1 − d) · weights, with a smaller d at first', async () => {
    expect(averagingDecay(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(averagingDecay(0.999, 8)).toBeCloseTo(0.5, 12);
    expect(averagingDecay(0.5, 1000)).toBe(0.5);
    const tf = await loadTf();
    const w = tf.variable(tf.tensor1d([1, 2]));
    const avg = new WeightAverage(tf, 0.5, new Map([['w', w]]), null);
    tf.tidy(() => w.assign(tf.tensor1d([3, 6])));
    avg.update(); // d = 0.1
    const first = Array.from(await (avg.variables.get('w') as Tensor).data());
    expect(first[0]).toBeCloseTo(0.1 * 1 + 0.9 * 3, 5);
    expect(first[1]).toBeCloseTo(0.1 * 2 + 0.9 * 6, 5);
    tf.tidy(() => w.assign(tf.tensor1d([0, 0])));
    avg.update(); // d = 2/11
    const a = Array.from(await (avg.variables.get('w') as Tensor).data());
    expect(a[0]).toBeCloseTo((2 / 11) * 2.8, 5);
    expect(a[1]).toBeCloseTo((2 / 11) * 5.6, 5);
    expect(avg.updates).toBe(2);
    // resuming from a saved average continues its update count
    const resumed = new WeightAverage(tf, 0.5, new Map([['w', w]]), { weights: new Map([['w', { shape: [2], data: Float32Array.from(a) }]]), updates: 2 });
    expect(resumed.updates).toBe(2);
    expect(Array.from(await (resumed.variables.get('w') as Tensor).data())).toEqual(a);
    expect(() => new WeightAverage(tf, 1, new Map([['w', w]]), null)).toThrow(/\[0, 1\)/);
    avg.dispose();
    resumed.dispose();
    w.dispose();
  });

  it('a run with --ema resumes its average exactly, validates it and exports it', async () => {
    const run = mkdtempSync(join(tmpdir(), 'train-ema-'));
    const first = await options(run, { steps: 5, ema: 0.8, validateEvery: 5 });
    await train({ ...first, val: await treePairs() });
    // validated once at step 5: the end of the sitting does not repeat it
    expect(logLines(run).filter((l) => 'validation' in l).map((l) => l.step)).toEqual([5]);
    const before = await loadCheckpoint(join(run, 'generator-ema'));
    await train(await options(run, { steps: 6, ema: 0.8 })); // one more step after the resume
    const [after, raw] = await Promise.all([loadCheckpoint(join(run, 'generator-ema')), loadCheckpoint(join(run, 'generator'))]);
    const d = averagingDecay(0.8, 5); // the sixth update continues the saved average
    let maxDiff = 0;
    let fromRaw = 0;
    for (const [name, t] of after.weights) {
      const prev = (before.weights.get(name) as { data: Float32Array }).data;
      const rawW = (raw.weights.get(name) as { data: Float32Array }).data;
      for (let i = 0; i < t.data.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(t.data[i] - (d * prev[i] + (1 - d) * rawW[i])));
        fromRaw = Math.max(fromRaw, Math.abs(t.data[i] - rawW[i]));
      }
    }
    expect(maxDiff).toBeLessThan(1e-6);
    expect(fromRaw).toBeGreaterThan(1e-4); // the average is not the raw weights
    expect(JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8')).emaUpdates).toBe(6);
    expect(after.card.recipe?.weightAverage).toBe('exponential moving average, decay 0.8, 6 updates');
    expect(raw.card.notes).toMatch(/generator-ema/);
    // the CLI validates and exports the average
    const exported = mkdtempSync(join(tmpdir(), 'train-ema-export-'));
    const r = runCli(['train', '--data', synthTree, '--val', synthTree, '--out', run, '--ngf', '4', '--blocks', '1', '--content', 'l1', '--adversarial', 'none',
      '--steps', '6', '--ema', '0.8', '--crop', '32', '--batch', '2', '--seed', '9', '--quiet', '--export', exported]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/checkpoint: .*generator-ema/);
    const e = await loadCheckpoint(exported);
    expect(e.card.validation?.pairs).toBeGreaterThan(0);
    for (const [name, t] of after.weights) expect(Array.from((e.weights.get(name) as { data: Float32Array }).data)).toEqual(Array.from(t.data));
    const bad = runCli(['train', '--data', synthTree, '--out', run, '--ema', '1', '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^.*--ema must be in \[0, 1\)/);
  });

  it('--tile: validation restores as the deblurgan method does with the tiling the card records', async () => {
    const run = mkdtempSync(join(tmpdir(), 'train-tile-'));
    const pairs = (await treePairs()).slice(0, 1);
    await train({ ...(await options(run, { steps: 2, inference: { tile: 64, overlap: 16 } })), val: pairs });
    const ckpt = await loadCheckpoint(join(run, 'generator'));
    expect(ckpt.card.inference).toEqual({ tile: 64, overlap: 16 });
    const method = await createMethod(`deblurgan:model=${join(run, 'generator')},engine=tfjs`);
    let sum = 0;
    for (const pair of pairs) sum += psnr(pair.sharp, await method.restore(pair.blurred, { id: 'x' }));
    expect(ckpt.card.validation?.psnr).toBeCloseTo(sum / pairs.length, 6);
    // a resume without the option keeps the run's tiling and its figures
    await train({ ...(await options(run, { steps: 3 })), val: pairs });
    const resumed = await loadCheckpoint(join(run, 'generator'));
    expect(resumed.card.inference).toEqual({ tile: 64, overlap: 16 });
    expect(resumed.card.validation?.psnr).toBeGreaterThan(0);
    for (const [args, message] of [
      [['--tile', '30'], /--tile\/--tile-overlap: tile 30 must be an integer ≥ 64/],
      [['--tile', '96', '--tile-overlap', '48'], /overlap 48 must be an integer below tile\/2/],
      [['--tile-overlap', '16'], /--tile-overlap needs --tile N/],
      [['--export', '/proc/deblurbench-forbidden/export'], /cannot write to output folder \/proc\/deblurbench-forbidden\/export/],
    ] as const) {
      const bad = runCli(['train', '--data', synthTree, '--out', mkdtempSync(join(tmpdir(), 'train-bad-')), ...args, '--quiet']);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toMatch(message);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--init starts a new run from a checkpoint (kept on the card across resumes); a different architecture is a one-line error', async () => {
    const first = mkdtempSync(join(tmpdir(), 'train-init-src-'));
    await train(await options(first, { steps: 3 }));
    const source = await loadCheckpoint(join(first, 'generator'));
    const tuned = mkdtempSync(join(tmpdir(), 'train-init-'));
    await train(await options(tuned, { steps: 3, maxMinutes: 0, init: { weights: source.weights, source: 'first-run' } }));
    const start = await loadCheckpoint(join(tuned, 'generator'));
    for (const [name, t] of source.weights) expect(Array.from((start.weights.get(name) as { data: Float32Array }).data)).toEqual(Array.from(t.data));
    await train(await options(tuned, { steps: 3 })); // the resume needs no --init and keeps the record
    const resumed = await loadCheckpoint(join(tuned, 'generator'));
    expect(resumed.card.recipe?.initialisedFrom).toBe('first-run');
    expect(resumed.card.steps).toBe(3);
    const base = ['train', '--data', synthTree, '--out', mkdtempSync(join(tmpdir(), 'train-init-cli-')), '--steps', '1', '--quiet', '--init', join(first, 'generator')];
    const wrong = runCli([...base, '--ngf', '8']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toMatch(/^.*--init .*: its generator is official, ngf 4, 1 residual block; pass --variant official --ngf 4 --blocks 1$/);
    const ok = runCli([...base, '--ngf', '4', '--blocks', '1', '--crop', '32', '--content', 'l1', '--adversarial', 'none']);
    expect(ok.code, ok.stderr).toBe(0);
    // a new run with a missing --init folder is a one-line error; a resume ignores --init
    const missing = runCli(['train', '--data', synthTree, '--out', mkdtempSync(join(tmpdir(), 'train-init-missing-')), '--steps', '1', '--quiet', '--init', '/nonexistent/checkpoint']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const resumedAnyway = runCli([...base.slice(0, -1), '/nonexistent/checkpoint', '--ngf', '4', '--blocks', '1', '--crop', '32', '--content', 'l1', '--adversarial', 'none']);
    expect(resumedAnyway.code, resumedAnyway.stderr).toBe(0);
    // resuming with another generator shape is a one-line error naming the flags, not a tfjs crash
    const otherShape = runCli([...base.slice(0, -2), '--ngf', '8', '--blocks', '1', '--crop', '32', '--content', 'l1', '--adversarial', 'none']);
    expect(otherShape.code).toBe(2);
    expect(otherShape.stderr.trim()).toMatch(/^.*--out .* holds a run whose generator is official, ngf 4, 1 residual block: pass --variant official --ngf 4 --blocks 1 to resume it, or another --out for a new run$/);
  });

  it('--ema: a resume without the flag keeps averaging; switched off and on again, the average restarts from the current weights', async () => {
    const run = mkdtempSync(join(tmpdir(), 'train-ema-switch-'));
    await train(await options(run, { steps: 3, ema: 0.8 }));
    await train(await options(run, { steps: 4, ema: undefined })); // as saved: still averaging
    expect(JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8')).emaUpdates).toBe(4);
    await train(await options(run, { steps: 5, ema: 0 })); // off: generator-ema/ is now stale
    const state = JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8'));
    expect(state.emaUpdates).toBeUndefined();
    const raw5 = await loadCheckpoint(join(run, 'generator'));
    await train(await options(run, { steps: 6, ema: 0.8 })); // on again: one update from the step-5 weights
    const [avg6, raw6] = await Promise.all([loadCheckpoint(join(run, 'generator-ema')), loadCheckpoint(join(run, 'generator'))]);
    expect(avg6.card.recipe?.weightAverage).toBe('exponential moving average, decay 0.8, 1 update');
    const d = averagingDecay(0.8, 0);
    let maxDiff = 0;
    for (const [name, t] of avg6.weights) {
      const start = (raw5.weights.get(name) as { data: Float32Array }).data;
      const now = (raw6.weights.get(name) as { data: Float32Array }).data;
      for (let i = 0; i < t.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(t.data[i] - (d * start[i] + (1 - d) * now[i])));
    }
    expect(maxDiff).toBeLessThan(1e-6);
  });
});
