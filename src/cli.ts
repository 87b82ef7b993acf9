#!/usr/bin/env node
/**
 * The `bench` command line: parse with yargs, then lazily import the command module so each
 * command loads only what it needs. User errors print one line and exit non-zero; never a stack.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError, describeError, isUserError } from './core/errors.js';
import { BOUNDARIES } from './blur-synth/boundaries.js';
import { COLOR_SPACES, SCORE_QUANTIZATIONS } from './metrics/planes.js';
import { ALIGNMENTS } from './metrics/realblur.js';
import { DEFAULT_SSIM_MODE, SSIM_MODES } from './metrics/ssim.js';

type Handler = () => Promise<number>;

/** Arguments that are lists by design; every other repeated option keeps its last value. */
const LIST_ARGUMENTS = new Set(['_', '$0', 'dirs']);

function lastValueWins(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (Array.isArray(value) && !LIST_ARGUMENTS.has(key)) argv[key] = value[value.length - 1];
  }
}

function conventionOptions<T>(y: Argv<T>) {
  return y
    .option('ssim', { type: 'string', describe: `SSIM convention (${SSIM_MODES.join(', ')}; default ${DEFAULT_SSIM_MODE}; fixed by --align realblur)` })
    .option('color', { choices: COLOR_SPACES, default: 'rgb' as const, describe: 'rgb, y (BT.601 studio) or yfull (full-range luma)' })
    .option('crop', { type: 'number', default: 0, describe: 'pixels cut from every edge before colour conversion' })
    .option('quantize', { choices: SCORE_QUANTIZATIONS, default: 'round' as const, describe: 'how float outputs are scored' })
    .option('align', { choices: ALIGNMENTS, default: 'none' as const, describe: "realblur: RealBlur's official scoring (ECC homography + intensity scaling to the GT, masked PSNR, mask-weighted SSIM)" });
}

async function main(argv: string[]): Promise<number> {
  let handler: Handler | null = null;
  await yargs(argv)
    .scriptName('bench')
    // An option given twice takes its last value (a shell alias plus an explicit flag), never an
    // array. Done here, not with yargs' duplicate-arguments-array setting, which would also cut a
    // variadic positional (`merge <dirs..>`) down to its last entry.
    .middleware(lastValueWins, true)
    .usage('$0 <command> [options]')
    .command(
      'metrics <reference> <test>',
      'PSNR and SSIM of one image pair under named conventions',
      (y) => conventionOptions(y.positional('reference', { type: 'string', demandOption: true }).positional('test', { type: 'string', demandOption: true })).option('json', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/metrics.js')).runMetrics({ ...a, reference: a.reference, test: a.test, ssim: a.ssim });
      },
    )
    .command(
      'demo',
      'metrics demo on the shipped sample photographs (each degraded by blur and by JPEG)',
      (y) => y.option('dir', { type: 'string', describe: 'folder of sharp images (default: the shipped sample photographs)' }),
      (a) => {
        handler = async () => (await import('./commands/demo.js')).runDemo({ dir: a.dir });
      },
    )
    .command(
      'synth',
      'blur a folder of sharp images into a GoPro-style tree (sharp, blur, kernel, manifest)',
      (y) =>
        y
          .option('input', { type: 'string', demandOption: true, describe: 'folder of sharp images' })
          .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
          .option('model', { type: 'string', default: 'trajectory', describe: 'trajectory | linear | gaussian | corruption' })
          .option('severity', { type: 'number', describe: 'corruption severity 1..5 (default 3)' })
          .option('per-image', { type: 'number', default: 1, describe: 'blurred versions per sharp image' })
          .option('seed', { type: 'number', default: 0 })
          .option('noise', { type: 'number', default: 0, describe: 'Gaussian noise σ in 8-bit units' })
          .option('poisson', { type: 'number', default: 0, describe: 'shot noise: photons at full white (0 = none)' })
          .option('linear-light', { type: 'boolean', default: false, describe: 'blur in linear light (gamma 2.2 inverted, then re-applied)' })
          .option('boundary', { choices: BOUNDARIES, describe: 'image boundary for the convolution (default reflect; replicate for corruption, as imagecorruptions)' })
          .option('exposure', { type: 'number', default: 1, describe: 'trajectory exposure fraction (0, 1]' })
          .option('quiet', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/synth.js')).runSynth({ ...a, perImage: a['per-image'], linearLight: a['linear-light'] });
      },
    )
    .command(
      'run',
      'run the benchmark: restore every pair with every method, score, report',
      (y) =>
        conventionOptions(y)
          .option('suite', { type: 'string', default: 'sample', describe: 'sample | gopro | folder | synth' })
          .option('data', { type: 'string', describe: 'dataset root (gopro: GOPRO_Large or its --split folder; synth: sharp images; folder: base of --list paths)' })
          .option('subset', { choices: ['blur', 'blur_gamma'] as const, default: 'blur' as const, describe: 'GoPro subset (published tables use blur)' })
          .option('split', { choices: ['test', 'train'] as const, default: 'test' as const })
          .option('list', { type: 'string', describe: 'folder suite: list file, one "<gt> <blurred>" pair per line' })
          .option('sharp-dir', { type: 'string', describe: 'folder suite: sharp images' })
          .option('blurred-dir', { type: 'string', describe: 'folder suite: blurred images (paired by name)' })
          .option('blur-model', { type: 'string', default: 'trajectory', describe: 'sample/synth suites: blur model' })
          .option('noise', { type: 'number', default: 0, describe: 'sample/synth suites: Gaussian noise σ (8-bit units)' })
          .option('methods', { type: 'string', describe: 'comma-separated method specs, e.g. blurred,wiener:nsr=0.002 (default: all)' })
          .option('metrics', { type: 'string', default: 'psnr,ssim' })
          .option('detector', { type: 'string', default: 'centernet', describe: 'centernet | coco-ssd | yolo | none' })
          .option('detector-model', { type: 'string', describe: 'weights for coco-ssd (model dir) or yolo (ONNX file)' })
          .option('gt-threshold', { type: 'number', default: 0.3, describe: 'pseudo ground truth: sharp-image boxes with at least this score' })
          .option('score-threshold', { type: 'number', default: 0.3, describe: 'score threshold for precision/recall/F1 at IoU 0.5' })
          .option('limit', { type: 'number', describe: 'first N pairs (by id)' })
          .option('seed', { type: 'number', default: 0 })
          .option('out', { type: 'string', default: 'reports/latest' })
          .option('cache', { type: 'string', describe: 'restored-image cache (default OUT/cache)' })
          .option('shard', { type: 'string', describe: 'k/n: run the k-th of n deterministic slices' })
          .option('gallery', { type: 'number', default: 12, describe: 'pairs shown with images in report.html' })
          .option('format', { type: 'string', default: 'json,csv,md,tex,html' })
          .option('quiet', { type: 'boolean', default: false }),
      (a) => {
        handler = async () =>
          (await import('./commands/run.js')).runRun({
            ...a,
            sharpDir: a['sharp-dir'],
            blurredDir: a['blurred-dir'],
            blurModel: a['blur-model'],
            detectorModel: a['detector-model'],
            gtThreshold: a['gt-threshold'],
            scoreThreshold: a['score-threshold'],
            ssim: a.ssim,
          });
      },
    )
    .command(
      'report <results>',
      're-render reports from a results.json alone',
      (y) =>
        y
          .positional('results', { type: 'string', demandOption: true })
          .option('format', { type: 'string', default: 'json,csv,md,tex,html' })
          .option('out', { type: 'string', describe: 'output folder (default: beside the results file)' }),
      (a) => {
        handler = async () => (await import('./commands/report.js')).runReport({ results: a.results, format: a.format.split(','), out: a.out });
      },
    )
    .command(
      'merge <dirs..>',
      'combine --shard k/n outputs into the results of one unsharded run',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, demandOption: true })
          .option('out', { type: 'string', demandOption: true })
          .option('format', { type: 'string', default: 'json,csv,md,tex,html' }),
      (a) => {
        handler = async () => (await import('./commands/merge.js')).runMerge({ dirs: a.dirs, out: a.out, format: a.format.split(',') });
      },
    )
    .command(
      'check <baseline> <candidate>',
      'regression gate: exit 0 ok, 1 regressed beyond tolerance, 2 not comparable',
      (y) =>
        y
          .positional('baseline', { type: 'string', demandOption: true })
          .positional('candidate', { type: 'string', demandOption: true })
          .option('tol', { type: 'string', describe: 'metric=tolerance pairs (default psnr=0.05,ssim=0.001,ap50=0.01)' }),
      (a) => {
        handler = async () => (await import('./commands/check.js')).runCheck(a);
      },
    )
    .command(
      'deblur <input> <output>',
      'restore an image (or a folder of images) with a method, a DeblurGAN checkpoint or an ONNX model',
      (y) =>
        y
          .positional('input', { type: 'string', demandOption: true })
          .positional('output', { type: 'string', demandOption: true })
          .option('model', { type: 'string', default: 'deblurgan', describe: 'method spec, checkpoint folder or .onnx file' })
          .option('quantization', { choices: ['round', 'truncate'] as const, default: 'round' as const, describe: 'float → 8-bit (the official code truncates)' })
          .option('quiet', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/deblur.js')).runDeblur(a);
      },
    )
    .command(
      'train',
      'train (or resume) a DeblurGAN generator on a GoPro-style tree (bench synth output or GOPRO_Large/train)',
      (y) =>
        y
          .option('data', { type: 'string', demandOption: true, describe: 'training pairs: <seq>/{blur,sharp}/… tree; with --blur-on-the-fly, a folder of sharp images' })
          .option('blur-on-the-fly', { type: 'string', describe: 'blur each training crop with a new kernel from this blur model (trajectory | linear | gaussian | corruption) instead of reading blurred images' })
          .option('val', { type: 'string', describe: 'held-out pairs for validation PSNR/SSIM' })
          .option('out', { type: 'string', default: 'runs/train', describe: 'run folder (checkpoints, log.jsonl, state); reuse it to resume' })
          .option('export', { type: 'string', describe: 'at the end, write a checkpoint with its ONNX export here (e.g. models/deblurgan)' })
          .option('init', { type: 'string', describe: 'start a new run from this checkpoint\'s generator weights (fine-tuning; same --variant/--ngf/--blocks)' })
          .option('variant', { choices: ['official', 'keras'] as const, default: 'official' as const })
          .option('ngf', { type: 'number', default: 64 })
          .option('blocks', { type: 'number', default: 9 })
          .option('content', { type: 'string', default: 'auto', describe: 'content loss: vgg (the paper\'s, needs --vgg) | l1 | mse; auto = vgg with --vgg, else mse (the measured offline fallback)' })
          .option('vgg', { type: 'string', describe: 'ImageNet VGG19 weights: Keras .h5 (…vgg19…notop.h5) or a tfjs model dir/model.json' })
          .option('adversarial', { type: 'string', default: 'wgan-gp', describe: 'wgan-gp | none' })
          .option('content-weight', { type: 'number', default: 100 })
          .option('critic-steps', { type: 'number', default: 5 })
          .option('steps', { type: 'number', default: 100000 })
          .option('constant-fraction', { type: 'number', default: 0.5, describe: 'share of steps at constant learning rate before linear decay' })
          .option('lr', { type: 'number', default: 1e-4 })
          .option('ema', { type: 'number', describe: 'validate and export an exponential moving average of the generator\'s weights with this decay (e.g. 0.999); 0 = the raw weights; default: as the resumed run, else 0' })
          .option('batch', { type: 'number', default: 1 })
          .option('crop', { type: 'number', default: 256 })
          .option('tile', { type: 'number', describe: 'validate on overlapping tiles of this side and record them on the card as the inference default (about the crop size suits instance norm); 0 = the default tiling (whole images up to 1280×720); default: as the resumed run, else 0' })
          .option('tile-overlap', { type: 'number', describe: 'overlap of those tiles in pixels (default 30 % of the tile)' })
          .option('seed', { type: 'number', default: 0 })
          .option('max-minutes', { type: 'number', default: Infinity, describe: 'stop cleanly with a checkpoint after this long' })
          .option('checkpoint-every', { type: 'number', default: 200 })
          .option('validate-every', { type: 'number', default: 500 })
          .option('log-every', { type: 'number', default: 10 })
          .option('quiet', { type: 'boolean', default: false }),
      (a) => {
        handler = async () =>
          (await import('./commands/train.js')).runTrain({
            ...a,
            contentWeight: a['content-weight'],
            criticSteps: a['critic-steps'],
            constantFraction: a['constant-fraction'],
            maxMinutes: a['max-minutes'],
            checkpointEvery: a['checkpoint-every'],
            validateEvery: a['validate-every'],
            logEvery: a['log-every'],
            tileOverlap: a['tile-overlap'],
            blurOnTheFly: a['blur-on-the-fly'],
          });
      },
    )
    .command(
      'convert-keras <file>',
      'import Keras HDF5 DeblurGAN generator weights into a checkpoint folder with an ONNX export',
      (y) => y.positional('file', { type: 'string', demandOption: true }).option('out', { type: 'string', demandOption: true }),
      (a) => {
        handler = async () => (await import('./commands/convert.js')).runConvertKeras(a);
      },
    )
    .command(
      'detect <image>',
      "a detector's boxes on one image",
      (y) =>
        y
          .positional('image', { type: 'string', demandOption: true })
          .option('detector', { type: 'string', default: 'centernet', describe: 'centernet | coco-ssd | yolo' })
          .option('detector-model', { type: 'string', describe: 'weights for coco-ssd (model dir) or yolo (ONNX file)' })
          .option('min-score', { type: 'number', default: 0.3 })
          .option('json', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/detect.js')).runDetect({ ...a, detectorModel: a['detector-model'], minScore: a['min-score'] });
      },
    )
    .command(
      'map',
      'COCO box evaluation of a detection file against ground truth (the 12 pycocotools numbers)',
      (y) =>
        y
          .option('gt', { type: 'string', demandOption: true, describe: 'COCO-format ground truth JSON' })
          .option('dt', { type: 'string', demandOption: true, describe: 'COCO-format detections JSON' })
          .option('json', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/map.js')).runMap(a);
      },
    )
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .parseAsync();
  if (!handler) return 0; // --help
  return await (handler as Handler)();
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isUserError(err)) {
      process.stderr.write(`bench: error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`bench: internal error: ${describeError(err)}\n`);
      if (process.env.DEBLURBENCH_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
      else process.stderr.write('bench: set DEBLURBENCH_DEBUG=1 to see the stack trace\n');
      process.exitCode = 1;
    }
  },
);
