/**
 * `bench demo`: a metrics walk-through on the shipped sample photographs. Each photo is degraded
 * twice (a 5×5 box blur, and a JPEG round trip at quality 30) and scored under several named
 * conventions, so the differences between conventions are visible on real images.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { UserError, describeError } from '../core/errors.js';
import { IMAGE_EXTENSIONS } from '../core/files.js';
import { displayNumber, textTable } from '../core/format.js';
import { type Image, createImage, decodeImage, encodeImage, readImage } from '../core/image.js';
import { Progress } from '../core/progress.js';
import { packageRoot } from '../core/paths.js';
import { MetricAccumulator } from '../metrics/accumulator.js';
import { psnr } from '../metrics/psnr.js';
import { ssimParallel } from '../metrics/ssim-parallel.js';


const COLUMNS = [
  { label: 'PSNR rgb', run: (a: Image, b: Image) => psnr(a, b) },
  { label: 'PSNR y', run: (a: Image, b: Image) => psnr(a, b, { color: 'y' }) },
  { label: 'SSIM basicsr', run: (a: Image, b: Image) => ssimParallel(a, b, { mode: 'basicsr' }) },
  { label: 'SSIM skimage', run: (a: Image, b: Image) => ssimParallel(a, b, { mode: 'skimage' }) },
  { label: 'SSIM matlab3d', run: (a: Image, b: Image) => ssimParallel(a, b, { mode: 'matlab3d' }) },
  { label: 'SSIM wang', run: (a: Image, b: Image) => ssimParallel(a, b, { mode: 'wang-downsample' }) },
] as const;

const DEGRADATIONS = [
  { name: 'box blur 5×5', apply: async (img: Image) => boxBlur(img, 2) },
  { name: 'JPEG q30', apply: async (img: Image) => decodeImage(await encodeImage(img, '.jpg', { quality: 30 })) },
] as const;

export async function runDemo(args: { dir?: string }): Promise<number> {
  const dir = args.dir ?? join(packageRoot(), 'datasets', 'sample');
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort();
  } catch {
    throw new UserError(`cannot list image folder ${dir}`);
  }
  if (files.length === 0) throw new UserError(`no images in ${dir}`);
  const progress = new Progress({ label: 'demo', total: files.length * DEGRADATIONS.length });
  const acc = DEGRADATIONS.map(() => COLUMNS.map((c) => new MetricAccumulator(c.label)));
  const failures: string[] = [];
  for (const file of files) {
    try {
      const sharp = await readImage(join(dir, file));
      for (const [d, degradation] of DEGRADATIONS.entries()) {
        const degraded = await degradation.apply(sharp);
        for (const [c, column] of COLUMNS.entries()) acc[d][c].add(file, await column.run(sharp, degraded));
        progress.tick(`${file} ${degradation.name}`);
      }
    } catch (err) {
      failures.push(`${file}: ${describeError(err)}`);
      progress.tick(`${file} failed`, DEGRADATIONS.length);
    }
  }
  progress.finish();
  const rows = DEGRADATIONS.map((d, i) => [d.name, ...acc[i].map((a, c) => displayNumber(a.mean(), c < 2 ? 2 : 4))]);
  process.stdout.write(`\nMean over ${acc[0][0].count} images in ${dir} (per-image values averaged):\n\n`);
  process.stdout.write(`${textTable(['degradation', ...COLUMNS.map((c) => c.label)], rows)}\n`);
  for (const f of failures) process.stderr.write(`bench: skipped ${f}\n`);
  return failures.length > 0 ? 3 : 0;
}

/** Separable box blur of radius r with edge replication (a simple, exactly reproducible degradation). */
function boxBlur(img: Image, r: number): Image<Uint8Array> {
  const { width: w, height: h, channels: c } = img;
  const src = img.data;
  const tmp = new Float64Array(src.length);
  const out = new Uint8Array(src.length);
  const n = 2 * r + 1;
  const clamp = (v: number, hi: number): number => (v < 0 ? 0 : v > hi ? hi : v);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += src[(y * w + clamp(x + k, w - 1)) * c + ch];
        tmp[(y * w + x) * c + ch] = acc / n;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += tmp[(clamp(y + k, h - 1) * w + x) * c + ch];
        out[(y * w + x) * c + ch] = Math.round(acc / n);
      }
    }
  }
  return createImage(w, h, c, out);
}
