/**
 * `bench synth`: blurred twins of a folder of sharp images, written as a GoPro-style tree
 *   OUT/<stem>/sharp/NNNNNN.png, OUT/<stem>/blur/NNNNNN.png,
 *   OUT/<stem>/kernel/NNNNNN.{png,json}, OUT/manifest.json
 * Every draw comes from the seed (per image, per index), so the same seed gives byte-identical files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DEFAULT_BLUR, blurImage } from '../blur-synth/blur.js';
import type { Boundary } from '../blur-synth/convolve.js';
import { kernelToJson, writeKernelPng } from '../blur-synth/kernel-io.js';
import { kernelStats } from '../blur-synth/kernel.js';
import { blurModels, modelBoundary, usesExposure } from '../blur-synth/models.js';
import { noiseProblem } from '../blur-synth/noise.js';
import { exposureProblem } from '../blur-synth/trajectory.js';
import { UserError, describeError } from '../core/errors.js';
import { IMAGE_EXTENSIONS, listImages, makeOutputFolder } from '../core/files.js';
import { sha256File } from '../core/hash.js';
import { readImage, toUint8, writeImage } from '../core/image.js';
import { Progress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { imagesByStem } from '../bench/suites/common.js';

export interface SynthArgs {
  input: string;
  out: string;
  model: string;
  severity?: number;
  perImage: number;
  seed: number;
  noise: number;
  poisson: number;
  linearLight: boolean;
  /** Absent: the model's own border (replicate for corruption, else reflect). */
  boundary?: Boundary;
  exposure: number;
  quiet: boolean;
}

export async function runSynth(args: SynthArgs): Promise<number> {
  const model = await blurModels.load(args.model);
  if (!Number.isInteger(args.perImage) || args.perImage < 1) throw new UserError(`--per-image must be a positive integer, got ${args.perImage}`);
  if (args.severity !== undefined && !(Number.isInteger(args.severity) && args.severity >= 1 && args.severity <= 5)) {
    throw new UserError(`--severity must be 1..5, got ${args.severity}`);
  }
  const problem = noiseProblem('--noise', args.noise) ?? noiseProblem('--poisson', args.poisson) ?? exposureProblem('--exposure', args.exposure);
  if (problem) throw new UserError(problem);
  const files = await listImages(args.input, 'input');
  if (files.length === 0) throw new UserError(`no images (${[...IMAGE_EXTENSIONS].join(', ')}) in ${args.input}`);
  imagesByStem(args.input, files); // two images with one name (a.png, a.jpg) are an error naming both
  const stems = files.map((f) => basename(f, extname(f)));
  await makeOutputFolder(args.out);

  const boundary = args.boundary ?? modelBoundary(args.model);
  const blurOpts = { ...DEFAULT_BLUR, boundary, linearLight: args.linearLight, gaussianSigma: args.noise, poissonPeak: args.poisson };
  const progress = new Progress({ label: 'synth', total: files.length * args.perImage, quiet: args.quiet });
  const items: unknown[] = [];
  const failures: { file: string; error: string }[] = [];
  for (const [n, file] of files.entries()) {
    const stem = stems[n];
    try {
      const src = join(args.input, file);
      const sharp = toUint8(await readImage(src));
      const sourceSha256 = await sha256File(src);
      const dir = join(args.out, stem);
      for (const sub of ['sharp', 'blur', 'kernel']) await mkdir(join(dir, sub), { recursive: true });
      const imageRng = new Rng(`${args.seed}:${stem}`);
      for (let k = 0; k < args.perImage; k++) {
        const name = String(k).padStart(6, '0');
        const itemRng = imageRng.fork(name);
        const drawn = model(itemRng.fork('kernel'), { severity: args.severity, exposure: args.exposure });
        const blurred = blurImage(sharp, drawn.kernel, itemRng.fork('noise'), blurOpts);
        await writeImage(join(dir, 'sharp', `${name}.png`), sharp);
        await writeImage(join(dir, 'blur', `${name}.png`), blurred);
        await writeFile(join(dir, 'kernel', `${name}.json`), `${JSON.stringify(kernelToJson(drawn.kernel))}\n`);
        await writeKernelPng(join(dir, 'kernel', `${name}.png`), drawn.kernel);
        items.push({ id: `${stem}/${name}`, source: file, sourceSha256, kernel: { width: drawn.kernel.width, height: drawn.kernel.height, ...kernelStats(drawn.kernel) }, params: drawn.params });
        progress.tick(`${stem}/${name}`);
      }
    } catch (err) {
      failures.push({ file, error: describeError(err) });
      progress.tick(`${file} failed`, args.perImage);
    }
  }
  progress.finish();
  const manifest = {
    tool: 'deblurbench synth',
    layout: '<stem>/{sharp,blur,kernel}/NNNNNN.png; kernel/NNNNNN.json holds the exact kernel (row-major, sums to 1)',
    input: args.input,
    model: args.model,
    seed: args.seed,
    perImage: args.perImage,
    severity: args.severity ?? null,
    ...(usesExposure(args.model) ? { exposure: args.exposure } : {}),
    blur: { ...blurOpts, convolution: 'true convolution, kernel centred on its centroid, output rounded to 8 bits' },
    items,
    failures,
  };
  await writeFile(join(args.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const f of failures) process.stderr.write(`bench: skipped ${f.file}: ${f.error}\n`);
  if (!args.quiet) process.stderr.write(`wrote ${items.length} pairs to ${args.out}${failures.length ? `, ${failures.length} image(s) failed` : ''}\n`);
  return failures.length > 0 ? 3 : 0;
}
