/** `bench train --data DIR …`: train (or resume training) a DeblurGAN generator. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { checkWritable } from '../core/files.js';
import { loadCheckpoint, readArchitecture, saveCheckpoint } from '../deblur/deblurgan/checkpoint.js';
import { tileSizeProblem } from '../deblur/tiling.js';
import { type ContentLoss, OFFLINE_CONTENT_LOSS } from '../deblur/deblurgan/losses.js';
import type { TrainOptions } from '../deblur/deblurgan/train.js';
import type { CropSampler } from '../deblur/deblurgan/training-crops.js';
import { loadVgg19 } from '../deblur/deblurgan/vgg19.js';
import { type GeneratorConfig, generatorSpec } from '../deblur/deblurgan/architecture.js';
import type { Weights } from '../deblur/deblurgan/weights.js';

/** The command line: file paths and names where the trainer takes loaded data; the rest as TrainOptions. */
export interface TrainArgs extends Omit<TrainOptions, 'train' | 'val' | 'architecture' | 'content' | 'vgg' | 'adversarial' | 'trainingData' | 'init' | 'inference'> {
  init?: string;
  data: string;
  val?: string;
  export?: string;
  variant: 'official' | 'keras';
  ngf: number;
  blocks: number;
  content: string;
  vgg?: string;
  adversarial: string;
  /** Blur model to draw a fresh kernel per crop from; --data is then a folder of sharp images. */
  blurOnTheFly?: string;
  /** Inference tile side (0: whole images; undefined: as the resumed run) and overlap (default 30 % of the tile). */
  tile?: number;
  tileOverlap?: number;
}

/** `auto`: the paper's VGG19 loss when weights are given, else the measured offline fallback. */
function resolveContentLoss(requested: string, vggPath: string | undefined): ContentLoss {
  if (requested === 'auto') return vggPath ? 'vgg' : OFFLINE_CONTENT_LOSS;
  if (requested === 'vgg' && !vggPath) {
    throw new UserError('--content vgg needs --vgg FILE: ImageNet VGG19 weights as Keras HDF5 (vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5) or a tfjs model directory (none can be downloaded here)');
  }
  if (!['vgg', 'l1', 'mse'].includes(requested)) throw new UserError(`--content must be auto, vgg, l1 or mse, got ${requested}`);
  if (vggPath && requested !== 'vgg') throw new UserError(`--vgg is only used with --content vgg (or auto), not ${requested}`);
  return requested as ContentLoss;
}

/** A checkpoint to fine-tune from; its architecture must be the one requested. */
async function loadInit(dir: string, want: GeneratorConfig): Promise<{ weights: Weights; source: string }> {
  const ckpt = await loadCheckpoint(dir);
  const a = ckpt.architecture;
  if (a.variant !== want.variant || a.ngf !== want.ngf || a.blocks !== want.blocks) {
    throw new UserError(`--init ${dir}: its generator is ${a.variant}, ngf ${a.ngf}, ${a.blocks} residual block${a.blocks === 1 ? '' : 's'}; pass --variant ${a.variant} --ngf ${a.ngf} --blocks ${a.blocks}`);
  }
  const steps = ckpt.card.steps === undefined ? '' : `, ${ckpt.card.steps} steps`;
  return { weights: ckpt.weights, source: `${dir} (${ckpt.card.name ?? 'checkpoint'}${steps})` };
}

/** A resumed run must be given the generator it was started with (the flags have defaults, so say which). */
async function checkResumedArchitecture(out: string, want: GeneratorConfig): Promise<void> {
  const dir = join(out, 'generator');
  if (!existsSync(join(dir, 'model.json'))) return;
  const a = await readArchitecture(dir);
  if (a.variant !== want.variant || a.ngf !== want.ngf || a.blocks !== want.blocks) {
    throw new UserError(`--out ${out} holds a run whose generator is ${a.variant}, ngf ${a.ngf}, ${a.blocks} residual block${a.blocks === 1 ? '' : 's'}: pass --variant ${a.variant} --ngf ${a.ngf} --blocks ${a.blocks} to resume it, or another --out for a new run`);
  }
}

export async function runTrain(args: TrainArgs): Promise<number> {
  const content = resolveContentLoss(args.content, args.vgg);
  const vgg = content === 'vgg' ? await loadVgg19(args.vgg as string) : null;
  if (!['none', 'wgan-gp'].includes(args.adversarial)) throw new UserError(`--adversarial must be none or wgan-gp, got ${args.adversarial}`);
  if (args.ema !== undefined && !(args.ema >= 0 && args.ema < 1)) throw new UserError(`--ema must be in [0, 1) (0 = no weight average), got ${args.ema}`);
  for (const [flag, v] of [['--ngf', args.ngf], ['--blocks', args.blocks], ['--steps', args.steps], ['--batch', args.batch], ['--crop', args.crop]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new UserError(`${flag} must be a positive integer, got ${v}`);
  }
  if (args.crop % 4 !== 0) throw new UserError(`--crop must be a multiple of 4, got ${args.crop}`);
  // the Keras port's BatchNorm would need batch statistics and momentum-updated moving averages in
  // training; the loop trains instance-norm generators (the official one) only
  if (args.variant !== 'official') throw new UserError(`bench train trains the official variant only (--variant ${args.variant} is for running the Keras port's released weights)`);
  const architecture = { variant: args.variant, ngf: args.ngf, blocks: args.blocks };
  // undefined: as the resumed run; 0: whole images
  const inference = args.tile === undefined ? undefined : args.tile === 0 ? null : { tile: args.tile, overlap: args.tileOverlap ?? Math.round(0.3 * args.tile) };
  const tilingError = inference ? tileSizeProblem(inference, generatorSpec(architecture).multiple) : null;
  if (tilingError) throw new UserError(`--tile/--tile-overlap: ${tilingError}`);
  if (args.tileOverlap !== undefined && !inference) throw new UserError('--tile-overlap needs --tile N');
  if (args.export) await checkWritable(args.export);
  const resuming = existsSync(join(args.out, 'train-state.json'));
  if (resuming) await checkResumedArchitecture(args.out, architecture);
  // --init seeds new runs only; a resume ignores it (even if the folder has moved since)
  const init = args.init && !resuming ? await loadInit(args.init, architecture) : null;
  const { loadGoproSuite } = await import('../bench/suites/gopro.js');
  const crops = await import('../deblur/deblurgan/training-crops.js');
  const suiteArgs = { subset: 'blur' as const, split: 'train' as const, seed: args.seed, blurModel: 'trajectory', noise: 0 };
  let source: CropSampler;
  let trainingData: string;
  if (args.blurOnTheFly) {
    const { blurModels } = await import('../blur-synth/models.js');
    const model = await blurModels.load(args.blurOnTheFly);
    const images = await crops.loadSharpImages(args.data);
    source = crops.blurredCrops(images, (rng) => model(rng, {}).kernel);
    trainingData = `${args.data} (${images.length} sharp images, each crop blurred on the fly with a new ${args.blurOnTheFly} kernel)`;
    if (!args.quiet) process.stderr.write(`training on ${images.length} sharp images, blurred on the fly (${args.blurOnTheFly})\n`);
  } else {
    const suite = await loadGoproSuite({ ...suiteArgs, data: args.data });
    source = crops.pairedCrops(await crops.loadTrainingPairs(suite));
    trainingData = `${args.data} (${suite.pairs.length} pairs, fileListHash ${suite.identity.fileListHash.slice(0, 16)})`;
    if (!args.quiet) process.stderr.write(`training on ${suite.pairs.length} pairs\n`);
  }
  // held-out pairs: GOPRO_Large's test split when given the dataset root, never its train split
  const val = args.val ? await crops.loadTrainingPairs(await loadGoproSuite({ ...suiteArgs, split: 'test', data: args.val })) : [];
  if (!args.quiet && val.length) process.stderr.write(`validating on ${val.length} pairs\n`);
  const { train } = await import('../deblur/deblurgan/train.js');
  const result = await train({
    train: source,
    val,
    out: args.out,
    architecture,
    init,
    content,
    vgg,
    adversarial: args.adversarial as 'none' | 'wgan-gp',
    contentWeight: args.contentWeight,
    criticSteps: args.criticSteps,
    steps: args.steps,
    constantFraction: args.constantFraction,
    lr: args.lr,
    ema: args.ema,
    batch: args.batch,
    crop: args.crop,
    inference,
    seed: args.seed,
    maxMinutes: args.maxMinutes,
    checkpointEvery: args.checkpointEvery,
    validateEvery: args.validateEvery,
    logEvery: args.logEvery,
    trainingData,
    quiet: args.quiet,
  });
  const v = result.validation;
  process.stdout.write(`stopped at step ${result.steps}/${args.steps}${v ? `; validation PSNR ${v.psnr.toFixed(2)} dB (blurred ${v.psnrBlurred.toFixed(2)} dB, ${v.gain >= 0 ? '+' : ''}${v.gain.toFixed(2)} dB), SSIM ${v.ssim.toFixed(4)}` : ''}\n`);
  process.stdout.write(`checkpoint: ${result.checkpoint} (run again with the same --out to resume)\n`);
  if (args.export) {
    const ckpt = await loadCheckpoint(result.checkpoint);
    await saveCheckpoint(args.export, ckpt.architecture, ckpt.weights, ckpt.card);
    process.stdout.write(`exported ${args.export} (model.json, weights.bin, model.onnx)\n`);
  }
  return 0;
}
