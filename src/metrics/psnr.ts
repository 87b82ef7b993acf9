import type { Image, PixelData } from '../core/image.js';
import { type PlaneOptions, harmonize, sourcePair } from './planes.js';

export const DEFAULT_PLANE_OPTIONS: PlaneOptions = { color: 'rgb', crop: 0, quantize: 'round' };

/** PSNR in dB with MSE pooled over all pixels and channels; +Infinity for identical inputs. */
export function psnr(reference: Image, test: Image, opts: Partial<PlaneOptions> = {}): number {
  const o = { ...DEFAULT_PLANE_OPTIONS, ...opts };
  const { images, unit } = harmonize(reference, test, o.quantize);
  // Fast path: native channels of one data type need no float planes at all.
  if (o.color === 'rgb' && !unit) {
    const [a, b] = images;
    const [sum, count] = squaredError(a.data, b.data, a.width, a.height, a.channels, o.crop);
    if (count > 0) return fromMse(sum / count, a.data instanceof Uint8Array ? 255 : a.data instanceof Uint16Array ? 65535 : 1);
  }
  const [a, b] = sourcePair(reference, test, o);
  const ra = new Float64Array(a.width);
  const rb = new Float64Array(a.width);
  let sum = 0;
  for (let p = 0; p < a.count; p++) {
    for (let y = 0; y < a.height; y++) {
      a.read(p, y, ra);
      b.read(p, y, rb);
      for (let x = 0; x < ra.length; x++) {
        const d = ra[x] - rb[x];
        sum += d * d;
      }
    }
  }
  return fromMse(sum / (a.count * a.width * a.height), a.peak);
}

function fromMse(mse: number, peak: number): number {
  if (mse === 0) return Infinity;
  return 10 * Math.log10((peak * peak) / mse);
}

function squaredError(a: PixelData, b: PixelData, w: number, h: number, c: number, crop: number): [number, number] {
  const rowLen = (w - 2 * crop) * c;
  const rows = h - 2 * crop;
  if (rowLen <= 0 || rows <= 0) return [0, 0];
  let sum = 0;
  for (let y = 0; y < rows; y++) {
    const start = ((y + crop) * w + crop) * c;
    let rowSum = 0; // integer-exact for 8/16-bit rows
    for (let i = start, end = start + rowLen; i < end; i++) {
      const d = a[i] - b[i];
      rowSum += d * d;
    }
    sum += rowSum;
  }
  return [sum, rowLen * rows];
}
