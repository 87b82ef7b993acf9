/**
 * DeblurGAN training (`bench train`): random crops and flips of sharp/blurred pairs from a
 * GoPro-style tree, Adam (β 0.5, 0.999), constant then linear learning-rate decay, content loss
 * plus (optionally) the WGAN-GP adversarial term with 5 critic steps per generator step on the
 * same batch. Resumable: weights, Adam state, step and RNG state are saved every
 * `checkpointEvery` steps and when `maxMinutes` runs out, so a killed run loses at most one
 * interval. Logs one JSON line per logged step; validates PSNR/SSIM on held-out pairs. With
 * `ema` > 0 it also keeps a moving average of the generator's weights (`generator-ema/`), and that
 * average is what is validated and exported.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Optimizer, Scalar, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs';
import { StagedWrites, makeOutputFolder } from '../../core/files.js';
import { Progress } from '../../core/progress.js';
import { Rng, type RngState } from '../../core/rng.js';
import { type Tf, describeBackend, loadTf } from '../../core/tfjs-backend.js';
import { psnr } from '../../metrics/psnr.js';
import { ssim } from '../../metrics/ssim.js';
import { type GeneratorConfig, type NetworkSpec, countParameters, criticSpec, generatorSpec } from './architecture.js';
import { type ModelCard, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { loadAdamState, saveAdamState } from './adam-state.js';
import { createAdam } from './fused-adam.js';
import { type ContentLoss, contentLoss, criticLoss, describeContentLoss } from './losses.js';
import { type Vgg19, type Vgg19Weights, createVgg19 } from './vgg19.js';
import { forward, generatorRunner } from './network.js';
import { type TileSize, restoreTiled, tilingFor } from '../tiling.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { type CropSampler, type TrainingPair, sampleBatch } from './training-crops.js';
import { WeightAverage } from './weight-average.js';
import { type Weights, initWeights } from './weights.js';

export interface TrainOptions {
  /** Where training crops come from (fixed pairs, or sharp images blurred on the fly). */
  train: CropSampler;
  /** Held-out pairs for validation; empty: none. */
  val: TrainingPair[];
  out: string;
  architecture: GeneratorConfig;
  content: ContentLoss;
  /** VGG19 weights for `content: 'vgg'`. */
  vgg: Vgg19Weights | null;
  /** 'wgan-gp' adds the adversarial term (weight 1, content weight `contentWeight`); 'none' trains on content only. */
  adversarial: 'wgan-gp' | 'none';
  contentWeight: number;
  criticSteps: number;
  steps: number;
  /** Fraction of `steps` at constant learning rate before the linear decay to 0. */
  constantFraction: number;
  lr: number;
  /** Generator weights to start a new run from (fine-tuning) instead of a random initialisation. */
  init: { weights: Weights; source: string } | null;
  /**
   * Decay of the generator's weight average (e.g. 0.999); 0 trains without one; undefined: as the
   * run was saved (0 for a new run).
   */
  ema?: number;
  batch: number;
  crop: number;
  /**
   * Tiling used for validation and recorded on the card as the inference default; null: whole
   * images; undefined: as the resumed run (whole images for a new run).
   */
  inference?: TileSize | null;
  seed: number;
  maxMinutes: number;
  checkpointEvery: number;
  validateEvery: number;
  logEvery: number;
  trainingData: string;
  quiet: boolean;
}

interface TrainState {
  step: number;
  rng: RngState;
  wallSeconds: number;
  options: Record<string, string | number | boolean>;
  lastValidation: Record<string, number> | null;
  /** Updates folded into the weight average (absent in runs without one). */
  emaUpdates?: number;
  /** The checkpoint a fine-tuning run started from. */
  initialisedFrom?: string;
}

function toVariables(tf: Tf, weights: Weights): Map<string, Variable> {
  // unnamed: tfjs variable names are process-global, and one process may train several times;
  // tidy frees the tensors the variables are made from (the variables survive it)
  const vars = new Map<string, Variable>();
  tf.tidy(() => {
    for (const [name, w] of weights) vars.set(name, tf.variable(tf.tensor(w.data, w.shape), true));
  });
  return vars;
}

async function fromVariables(vars: Map<string, Variable>): Promise<Weights> {
  const out: Weights = new Map();
  for (const [name, v] of vars) out.set(name, { shape: v.shape, data: new Float32Array(await v.data()) });
  return out;
}

/** Mean PSNR/SSIM of the current generator on held-out pairs, restored as the deblurgan method would. */
async function validate(tf: Tf, arch: GeneratorConfig, vars: Map<string, Variable>, pairs: TrainingPair[], inference: TileSize | null): Promise<Record<string, number>> {
  const spec = generatorSpec(arch);
  const run = generatorRunner(tf, spec, vars as unknown as Map<string, Tensor>);
  const tiling = tilingFor(spec.multiple, inference);
  let p = 0, s = 0, pb = 0;
  for (const pair of pairs) {
    const restored = await restoreTiled(pair.blurred, tiling, run);
    p += psnr(pair.sharp, restored);
    s += await ssim(pair.sharp, restored);
    pb += psnr(pair.sharp, pair.blurred);
  }
  const n = pairs.length;
  return { psnr: p / n, ssim: s / n, psnrBlurred: pb / n, gain: (p - pb) / n, pairs: n };
}

/** The critic is only needed to resume training: a plain JSON file of named tensors. */
async function saveCritic(dir: string, weights: Weights, staged: StagedWrites): Promise<void> {
  await mkdir(dir, { recursive: true });
  await staged.write(join(dir, 'weights.json'), JSON.stringify([...weights].map(([name, w]) => ({ name, shape: w.shape, data: Array.from(w.data) }))));
}

async function loadCritic(dir: string): Promise<Weights | null> {
  try {
    const entries = JSON.parse(await readFile(join(dir, 'weights.json'), 'utf8')) as { name: string; shape: number[]; data: number[] }[];
    return new Map(entries.map((e) => [e.name, { shape: e.shape, data: Float32Array.from(e.data) }]));
  } catch {
    return null;
  }
}

export interface StepParts {
  gSpec: NetworkSpec;
  dSpec: NetworkSpec;
  gVars: Map<string, Variable>;
  dVars: Map<string, Variable>;
  gOpt: Optimizer;
  dOpt: Optimizer;
  rng: Rng;
  adversarial: 'wgan-gp' | 'none';
  content: ContentLoss;
  vgg?: Vgg19;
  contentWeight: number;
  criticSteps: number;
}

/**
 * One training step on a batch: `criticSteps` critic updates on the same batch (WGAN-GP), then
 * one generator update. Draws the dropout seed and the interpolation weights from `rng`.
 */
export function trainingStep(tf: Tf, p: StepParts): (batch: { blurred: Tensor4D; sharp: Tensor4D }) => Promise<{ generatorLoss: number; wasserstein: number }> {
  const useGan = p.adversarial === 'wgan-gp';
  let dropoutSeed = 0; // drawn from the run's RNG once per step, so resumes replay the same masks
  const critic = (x: Tensor4D): Tensor => forward(tf, p.dSpec, p.dVars as unknown as Map<string, Tensor>, x, { training: true });
  const gen = (x: Tensor4D): Tensor4D => forward(tf, p.gSpec, p.gVars as unknown as Map<string, Tensor>, x, { training: true, seed: dropoutSeed });
  return async ({ blurred, sharp }) => {
    dropoutSeed = p.rng.int(2 ** 31 - 1);
    let wasserstein = NaN;
    if (useGan) {
      const fake = tf.tidy(() => gen(blurred));
      for (let k = 0; k < p.criticSteps; k++) {
        const alpha = tf.tensor1d(Array.from({ length: blurred.shape[0] }, () => p.rng.uniform()));
        p.dOpt.minimize(() => {
          const r = criticLoss(tf, critic, sharp, fake, alpha);
          wasserstein = r.wasserstein.dataSync()[0];
          return r.loss;
        }, false, [...p.dVars.values()]);
        alpha.dispose();
      }
      fake.dispose();
    }
    const gLoss = p.gOpt.minimize(() => {
      const restored = gen(blurred);
      const content = contentLoss(tf, p.content, restored, sharp, p.vgg);
      if (!useGan) return content;
      return tf.add(tf.neg(tf.mean(critic(restored))), tf.mul(p.contentWeight, content)) as Scalar;
    }, true, [...p.gVars.values()]) as Scalar;
    const generatorLoss = (await gLoss.data())[0];
    gLoss.dispose();
    return { generatorLoss, wasserstein };
  };
}

/** `checkpoint`: the folder holding the weights to export (the average when there is one). */
export async function train(opts: TrainOptions): Promise<{ steps: number; validation: Record<string, number> | null; checkpoint: string }> {
  const tf = await loadTf();
  const kernels = tf.getBackend() === 'wasm' ? registerWasmTrainingKernels(tf) : null;
  const runtime = await describeBackend();
  const runtimeName = `${runtime.backend} ×${runtime.threads}${kernels ? `, ${kernels}` : ''}`;
  if (!opts.quiet) process.stderr.write(`runtime: ${runtimeName}\n`);
  await makeOutputFolder(opts.out);
  const gDir = join(opts.out, 'generator');
  const emaDir = join(opts.out, 'generator-ema');
  const cDir = join(opts.out, 'critic');
  const statePath = join(opts.out, 'train-state.json');
  const logPath = join(opts.out, 'log.jsonl');

  let state: TrainState | null = null;
  try {
    state = JSON.parse(await readFile(statePath, 'utf8')) as TrainState;
  } catch {
    state = null;
  }
  const rng = state ? Rng.fromState(state.rng) : new Rng(opts.seed);
  // a new run forks the initialisation stream even with --init, so the data order is the same
  const initRng = state ? null : rng.fork('generator-init');
  const gWeights = initRng ? (opts.init?.weights ?? initWeights(generatorSpec(opts.architecture), initRng)) : (await loadCheckpoint(gDir)).weights;
  if (state && opts.init && !opts.quiet) process.stderr.write(`resuming ${opts.out} at step ${state.step}: --init applies to new runs only\n`);
  const gVars = toVariables(tf, gWeights);
  const gSpec = generatorSpec(opts.architecture);
  const dSpec = criticSpec();
  const useGan = opts.adversarial === 'wgan-gp';
  const dVars = useGan ? toVariables(tf, (state ? await loadCritic(cDir) : null) ?? initWeights(dSpec, rng.fork('critic-init'))) : new Map<string, Variable>();
  const hadAverage = state?.emaUpdates !== undefined;
  const ema = opts.ema ?? (hadAverage ? Number(state?.options.ema) : 0);
  // only an average this run recorded is resumed (a folder left from an earlier sitting is stale)
  const savedAverage = hadAverage && ema > 0 ? { weights: (await loadCheckpoint(emaDir)).weights, updates: state?.emaUpdates ?? 0 } : null;
  const average = ema > 0 ? new WeightAverage(tf, ema, gVars, savedAverage) : null;
  /** The generator that is validated and exported. */
  const evaluated = average ? average.variables : gVars;
  const gOpt = createAdam(tf, opts.lr, 0.5, 0.999);
  const dOpt = createAdam(tf, opts.lr, 0.5, 0.999);
  if (state) {
    // a checkpoint cut short while saving can leave moments that do not fit: say so, do not hide it
    const resumeAdam = async (dir: string, opt: typeof gOpt, vars: Map<string, Variable>, what: string): Promise<void> => {
      if (!(await loadAdamState(tf, dir, opt, vars))) process.stderr.write(`warning: the ${what}'s optimiser state in ${dir} could not be read; resuming with fresh Adam moments\n`);
    };
    await resumeAdam(gDir, gOpt, gVars, 'generator');
    if (useGan) await resumeAdam(cDir, dOpt, dVars, 'critic');
  }
  const valPairs = opts.val;
  const startStep = state?.step ?? 0;
  let wallSeconds = state?.wallSeconds ?? 0;
  const savedTile = Number(state?.options.tile ?? 0);
  const savedInference = savedTile > 0 ? { tile: savedTile, overlap: Number(state?.options.tileOverlap) } : null;
  const inference = opts.inference === undefined ? savedInference : opts.inference;
  const sameTiling = inference?.tile === savedInference?.tile && inference?.overlap === savedInference?.overlap;
  // figures of other weights (raw vs averaged) or of another tiling do not carry over
  let lastValidation = state && hadAverage === ema > 0 && sameTiling ? state.lastValidation : null;
  if (state && hadAverage !== ema > 0 && !opts.quiet) process.stderr.write(`weight average switched ${ema > 0 ? 'on' : 'off'} at step ${state.step}\n`);
  const started = Date.now();
  if (opts.content === 'vgg' && !opts.vgg) throw new Error('content loss vgg needs VGG19 weights');
  const vgg = opts.content === 'vgg' && opts.vgg ? createVgg19(tf, opts.vgg) : undefined;
  const runStep = trainingStep(tf, { gSpec, dSpec, gVars, dVars, gOpt, dOpt, rng, adversarial: opts.adversarial, content: opts.content, vgg, contentWeight: opts.contentWeight, criticSteps: opts.criticSteps });
  const progress = new Progress({ label: 'train', total: opts.steps - startStep, quiet: opts.quiet });

  // recorded by the first sitting and kept by every resume
  const initialisedFrom = state ? state.initialisedFrom : opts.init?.source;
  /** With a weight average, only the averaged checkpoint carries the validation figures. */
  const card = (averaged: boolean): ModelCard => ({
    name: 'deblurgan',
    contentLoss: `${describeContentLoss(opts.content, vgg)}${useGan ? ` ×${opts.contentWeight}, plus WGAN-GP adversarial term` : ' (no adversarial term)'}`,
    trainingData: opts.trainingData,
    recipe: {
      variant: opts.architecture.variant, ngf: opts.architecture.ngf, blocks: opts.architecture.blocks, parameters: countParameters(gSpec),
      crop: opts.crop, batch: opts.batch, lr: opts.lr, betas: '0.5,0.999', schedule: `constant ${opts.constantFraction} then linear decay to 0 over ${opts.steps} steps`,
      criticSteps: useGan ? opts.criticSteps : 0, backend: runtimeName,
      ...(initialisedFrom ? { initialisedFrom } : {}),
      ...(average && averaged ? { weightAverage: `exponential moving average, decay ${ema}, ${average.updates} update${average.updates === 1 ? '' : 's'}` } : {}),
    },
    seed: opts.seed,
    steps: step,
    wallTimeSeconds: Math.round(wallSeconds),
    validation: (averaged || !average ? lastValidation : null) ?? undefined,
    ...(inference ? { inference } : {}),
    ...(average && !averaged ? { notes: 'raw weights of a run with weight averaging: generator-ema/ holds the validated average' } : {}),
  });
  const save = async (): Promise<void> => {
    wallSeconds = (state?.wallSeconds ?? 0) + (Date.now() - started) / 1000;
    // every file is staged, then all are renamed with the state last: a kill leaves the previous
    // checkpoint or this one, not new weights beside an old step and RNG state
    const staged = new StagedWrites();
    await saveCheckpoint(gDir, opts.architecture, await fromVariables(gVars), card(false), { onnx: false, staged });
    await saveAdamState(gDir, gOpt, gVars, staged);
    if (average) await saveCheckpoint(emaDir, opts.architecture, await fromVariables(average.variables), card(true), { onnx: false, staged });
    if (useGan) {
      await saveCritic(cDir, await fromVariables(dVars), staged);
      await saveAdamState(cDir, dOpt, dVars, staged);
    }
    const next: TrainState = { step, rng: rng.state(), wallSeconds, options: { ...opts.architecture, content: opts.content, adversarial: opts.adversarial, steps: opts.steps, ema, ...(inference ? { tile: inference.tile, tileOverlap: inference.overlap } : {}) }, lastValidation, ...(average ? { emaUpdates: average.updates } : {}), ...(initialisedFrom ? { initialisedFrom } : {}) };
    await staged.write(statePath, JSON.stringify(next, null, 2));
    await staged.commit();
  };

  let step = startStep;
  let validatedAt = -1; // the final validation is skipped when the last step was just validated
  const deadline = started + opts.maxMinutes * 60_000;
  while (step < opts.steps && Date.now() < deadline) {
    const lr = opts.lr * (step < opts.constantFraction * opts.steps ? 1 : Math.max(0, (opts.steps - step) / (opts.steps * (1 - opts.constantFraction))));
    // tfjs keeps the rate protected; Adam reads it on every step, so setting it is the schedule
    (gOpt as unknown as { learningRate: number }).learningRate = lr;
    (dOpt as unknown as { learningRate: number }).learningRate = lr;
    const crops = sampleBatch(opts.train, rng, opts.batch, opts.crop);
    const shape: [number, number, number, number] = [opts.batch, opts.crop, opts.crop, 3];
    const blurred = tf.tensor4d(crops.blurred, shape);
    const sharp = tf.tensor4d(crops.sharp, shape);
    const { generatorLoss: loss, wasserstein } = await runStep({ blurred, sharp });
    tf.dispose([blurred, sharp]);
    average?.update();
    step++;
    if (step % opts.logEvery === 0 || step === opts.steps) {
      await appendFile(logPath, `${JSON.stringify({ step, lr, generatorLoss: loss, wasserstein: useGan ? wasserstein : null, seconds: Math.round((state?.wallSeconds ?? 0) + (Date.now() - started) / 1000) })}\n`);
    }
    if (valPairs.length && step % opts.validateEvery === 0) {
      validatedAt = step;
      lastValidation = await validate(tf, opts.architecture, evaluated, valPairs, inference);
      await appendFile(logPath, `${JSON.stringify({ step, validation: lastValidation })}\n`);
    }
    if (step % opts.checkpointEvery === 0) await save();
    progress.tick(`step ${step} loss ${loss.toFixed(4)}${useGan ? ` W ${wasserstein.toFixed(3)}` : ''}${lastValidation ? ` val ${lastValidation.psnr.toFixed(2)} dB` : ''}`);
  }
  progress.finish();
  if (valPairs.length && validatedAt !== step) {
    lastValidation = await validate(tf, opts.architecture, evaluated, valPairs, inference);
    await appendFile(logPath, `${JSON.stringify({ step, validation: lastValidation })}\n`);
  }
  await save();
  tf.dispose([...gVars.values(), ...dVars.values()]);
  average?.dispose();
  vgg?.dispose();
  gOpt.dispose();
  dOpt.dispose();
  return { steps: step, validation: lastValidation, checkpoint: average ? emaDir : gDir };
}
