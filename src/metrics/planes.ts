/**
 * Turns an image pair into the float64 planes a metric is computed on, following the conventions
 * in metrics/README.md: quantise float outputs, crop `crop` pixels from every edge (before colour
 * conversion), then keep RGB channels or convert to a luma plane.
 */
import { UserError } from '../core/errors.js';
import { type Image, type PixelData, describeSize, floatToUint16, peakValue, sameSize, toUint8 } from '../core/image.js';

export type ColorSpace = 'rgb' | 'y' | 'yfull';
export const COLOR_SPACES: readonly ColorSpace[] = ['rgb', 'y', 'yfull'];

/** How float (restored) images are scored: rounded to uint8 like BasicSR `tensor2img` (default), or as floats. */
export type ScoreQuantization = 'round' | 'truncate' | 'none';
export const SCORE_QUANTIZATIONS: readonly ScoreQuantization[] = ['round', 'truncate', 'none'];

export interface PlaneOptions {
  color: ColorSpace;
  crop: number;
  quantize: ScoreQuantization;
}

/**
 * Lazy float64 view of an image under the conventions: `count` planes (RGB: 3, grey or luma: 1),
 * read one row at a time, so no metric has to allocate whole float64 copies.
 */
export interface PlaneSource {
  width: number;
  height: number;
  count: number;
  /** Data range L: 255, 65535 or 1 for native channels; 255 for luma planes. */
  peak: number;
  read(plane: number, y: number, out: Float64Array): void;
}

/**
 * Bring both images to one scale: float outputs are quantised to the other image's integer depth
 * (uint8 as BasicSR `tensor2img`; 16-bit when the other image is 16-bit, so an unchanged 16-bit
 * image still scores ∞), unless `none`; if the data types still differ, both are read on the
 * [0,1] scale (`unit`), in float64 so nothing is lost. A float image holding NaN cannot be scored.
 */
export function harmonize(reference: Image, test: Image, quantize: ScoreQuantization): { images: [Image, Image]; unit: boolean } {
  if (!sameSize(reference, test)) {
    throw new UserError(`image sizes differ: reference ${describeSize(reference)}, test ${describeSize(test)}`);
  }
  const q = (img: Image, other: Image, role: string): Image => {
    if (!(img.data instanceof Float32Array)) return img;
    if (hasNaN(img.data)) throw new UserError(`the ${role} image holds NaN values`);
    if (quantize === 'none') return clampUnit(img as Image<Float32Array>);
    return other.data instanceof Uint16Array ? floatToUint16(img as Image<Float32Array>, quantize) : toUint8(img, quantize);
  };
  const a = q(reference, test, 'reference');
  const b = q(test, reference, 'test');
  return { images: [a, b], unit: a.data.constructor !== b.data.constructor };
}

function hasNaN(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return true;
  return false;
}

/** Float outputs scored unrounded are still clamped to [0,1] (as MIMO-UNet/HINet evaluate). */
function clampUnit(img: Image<Float32Array>): Image<Float32Array> {
  const data = img.data.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));
  return { ...img, data };
}

/** `unit`: read native channels on the [0,1] scale (peak 1) whatever the data type. */
export function planeSource(img: Image, opts: Pick<PlaneOptions, 'color' | 'crop'>, unit = false): PlaneSource {
  const { crop } = opts;
  if (!Number.isInteger(crop) || crop < 0) throw new UserError(`--crop must be a non-negative integer, got ${crop}`);
  const width = img.width - 2 * crop;
  const height = img.height - 2 * crop;
  if (width <= 0 || height <= 0) throw new UserError(`crop ${crop} leaves nothing of a ${img.width}×${img.height} image`);
  const src: PixelData = img.data;
  const c = img.channels;
  const peak = peakValue(src);
  const start = (y: number): number => ((y + crop) * img.width + crop) * c;
  if (opts.color === 'rgb' || c === 1) {
    // Luma is defined on 0–255 values; grey images are their own luma.
    const luma = opts.color !== 'rgb';
    const scale = luma ? 255 / peak : unit ? 1 / peak : 1;
    return {
      width,
      height,
      count: luma ? 1 : c,
      peak: luma ? 255 : unit ? 1 : peak,
      read: (plane, y, out) => {
        for (let x = 0, i = start(y) + plane; x < width; x++, i += c) out[x] = src[i] * scale;
      },
    };
  }
  const to255 = 255 / peak;
  const studio = opts.color === 'y';
  return {
    width,
    height,
    count: 1,
    peak: 255,
    read: (_plane, y, out) => {
      for (let x = 0, i = start(y); x < width; x++, i += 3) {
        const r = src[i] * to255;
        const g = src[i + 1] * to255;
        const b = src[i + 2] * to255;
        // BT.601 studio range (MATLAB rgb2ycbcr, BasicSR) or full range (pyiqa); never rounded.
        out[x] = studio ? (65.481 * r + 128.553 * g + 24.966 * b) / 255 + 16 : 0.299 * r + 0.587 * g + 0.114 * b;
      }
    },
  };
}

/** Both images under one set of conventions (the entry point for every metric). */
export function sourcePair(reference: Image, test: Image, opts: PlaneOptions): [PlaneSource, PlaneSource] {
  const { images, unit } = harmonize(reference, test, opts.quantize);
  return [planeSource(images[0], opts, unit), planeSource(images[1], opts, unit)];
}

/** A whole plane as one Float64Array (for the small, exotic paths that need random access). */
export function materialize(source: PlaneSource, plane: number): Float64Array {
  const out = new Float64Array(source.width * source.height);
  for (let y = 0; y < source.height; y++) source.read(plane, y, out.subarray(y * source.width, (y + 1) * source.width));
  return out;
}
