/**
 * Where training crops come from: fixed blurred/sharp pairs (a GoPro-style tree), or sharp
 * photographs blurred on the fly with a fresh kernel for every crop. A pre-synthesised set holds a
 * few kernels per photograph; drawing one per crop shows the network as many kernels as it sees
 * crops. Both draw from the run's RNG, so a resumed run replays the same crops.
 */
import { blurImage } from '../../blur-synth/blur.js';
import { boundaryIndex } from '../../blur-synth/convolve.js';
import type { Kernel } from '../../blur-synth/kernel.js';
import { join } from 'node:path';
import type { LoadedSuite } from '../../bench/suites/types.js';
import { UserError, describeError } from '../../core/errors.js';
import { listImages } from '../../core/files.js';
import { type Image, createImage, readImage, toRgb, toUint8 } from '../../core/image.js';
import type { Rng } from '../../core/rng.js';

/** An RGB 8-bit pair of equal size. */
export interface TrainingPair {
  sharp: Image<Uint8Array>;
  blurred: Image<Uint8Array>;
}

/** A suite's pairs as RGB 8-bit images, all in memory (training reads them at random). */
export async function loadTrainingPairs(suite: LoadedSuite): Promise<TrainingPair[]> {
  const out: TrainingPair[] = [];
  for (const p of suite.pairs) {
    const d = await p.load();
    out.push({ sharp: toRgb(toUint8(d.sharp)), blurred: toRgb(toUint8(d.blurred)) });
  }
  return out;
}

/** The images of a folder (not its subfolders) as RGB 8-bit. */
export async function loadSharpImages(dir: string): Promise<Image<Uint8Array>[]> {
  const names = await listImages(dir, 'sharp training images');
  if (names.length === 0) throw new UserError(`no images in ${dir} (blurring on the fly needs a folder of sharp images)`);
  const out: Image<Uint8Array>[] = [];
  for (const name of names) {
    try {
      out.push(toRgb(toUint8(await readImage(join(dir, name)))));
    } catch (e) {
      throw new UserError(`cannot read ${join(dir, name)}: ${describeError(e)}`);
    }
  }
  return out;
}

/** Draws one blurred/sharp crop pair of crop × crop pixels (RGB, 8-bit). */
export type CropSampler = (rng: Rng, crop: number) => TrainingPair;

/** Top-left corner of a random crop window; images smaller than the crop give 0 (edges replicate). */
function cropOrigin(rng: Rng, w: number, h: number, crop: number): { x0: number; y0: number } {
  const x0 = rng.int(Math.max(1, w - crop + 1));
  const y0 = rng.int(Math.max(1, h - crop + 1));
  return { x0, y0 };
}

/**
 * The window [x0, x0 + width) × [y0, y0 + height) of an RGB image; coordinates outside it map back
 * inside with `outside` (replicate, as crops of small images always did; reflect, as blurring does).
 */
function window(img: Image<Uint8Array>, x0: number, y0: number, width: number, height: number, outside: 'replicate' | 'reflect'): Image<Uint8Array> {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = boundaryIndex(y0 + y, img.height, outside);
    for (let x = 0; x < width; x++) {
      const src = (sy * img.width + boundaryIndex(x0 + x, img.width, outside)) * 3;
      const dst = (y * width + x) * 3;
      out[dst] = img.data[src];
      out[dst + 1] = img.data[src + 1];
      out[dst + 2] = img.data[src + 2];
    }
  }
  return createImage(width, height, 3, out);
}

/** The same random window of a random pair. */
export function pairedCrops(pairs: TrainingPair[]): CropSampler {
  if (pairs.length === 0) throw new RangeError('no training pairs');
  return (rng, crop) => {
    const pair = pairs[rng.int(pairs.length)];
    const { x0, y0 } = cropOrigin(rng, pair.sharp.width, pair.sharp.height, crop);
    return { sharp: window(pair.sharp, x0, y0, crop, crop, 'replicate'), blurred: window(pair.blurred, x0, y0, crop, crop, 'replicate') };
  };
}

/**
 * A random window of a random sharp image, blurred with a kernel drawn for it. The window is
 * blurred with a margin as wide as the kernel (filled by reflection at the image border, as
 * `bench synth` pads), so the crop equals the same crop of the whole image blurred with that kernel.
 */
export function blurredCrops(images: Image<Uint8Array>[], drawKernel: (rng: Rng) => Kernel): CropSampler {
  if (images.length === 0) throw new RangeError('no sharp training images');
  return (rng, crop) => {
    const img = images[rng.int(images.length)];
    const { x0, y0 } = cropOrigin(rng, img.width, img.height, crop);
    const kernel = drawKernel(rng);
    const m = Math.max(kernel.width, kernel.height);
    const padded = window(img, x0 - m, y0 - m, crop + 2 * m, crop + 2 * m, 'reflect');
    const blurred = blurImage(padded, kernel, rng);
    return { sharp: window(img, x0, y0, crop, crop, 'replicate'), blurred: window(blurred, m, m, crop, crop, 'replicate') };
  };
}

/**
 * `batch` crops, each flipped horizontally with probability ½, as NHWC float32 in [−1, 1]
 * (the generator's range).
 */
export function sampleBatch(sampler: CropSampler, rng: Rng, batch: number, crop: number): { blurred: Float32Array; sharp: Float32Array } {
  const blurred = new Float32Array(batch * crop * crop * 3);
  const sharp = new Float32Array(batch * crop * crop * 3);
  for (let n = 0; n < batch; n++) {
    const pair = sampler(rng, crop);
    const flip = rng.uniform() < 0.5;
    for (let y = 0; y < crop; y++) {
      for (let x = 0; x < crop; x++) {
        const src = (y * crop + (flip ? crop - 1 - x : x)) * 3;
        const dst = ((n * crop + y) * crop + x) * 3;
        for (let c = 0; c < 3; c++) {
          blurred[dst + c] = pair.blurred.data[src + c] / 127.5 - 1;
          sharp[dst + c] = pair.sharp.data[src + c] / 127.5 - 1;
        }
      }
    }
  }
  return { blurred, sharp };
}
