/**
 * Applies a kernel to an image like a camera would: B = k ∗ I + N per channel, optionally in
 * linear light (invert gamma 2.2, blur, re-apply — how GoPro's `blur_gamma` frames were made),
 * then quantised to 8 bits (round half up). With linear light the noise is added before
 * re-encoding, so Poisson PEAK counts photons, not code values.
 */
import { type Image, createImage, peakValue } from '../core/image.js';
import type { Rng } from '../core/rng.js';
import { type Boundary, type ConvolutionMethod, convolvePlanes } from './convolve.js';
import type { Kernel } from './kernel.js';
import { type NoiseOptions, addNoise } from './noise.js';

export interface BlurOptions extends NoiseOptions {
  boundary: Boundary;
  linearLight: boolean;
  gamma: number;
  method: ConvolutionMethod;
}

export const DEFAULT_BLUR: BlurOptions = { boundary: 'reflect', linearLight: false, gamma: 2.2, method: 'auto', gaussianSigma: 0, poissonPeak: 0 };

/** Channels as [0,1] float64 planes. */
export function imageToPlanes(img: Image): Float64Array[] {
  const n = img.width * img.height;
  const scale = 1 / peakValue(img.data);
  return Array.from({ length: img.channels }, (_, c) => {
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = img.data[i * img.channels + c] * scale;
    return p;
  });
}

/** [0,1] planes back to an interleaved image: float32 (unclamped) or 8-bit (clamped, rounded). */
export function planesToImage(planes: Float64Array[], w: number, h: number, as: 'uint8' | 'float32'): Image {
  const c = planes.length as 1 | 3;
  const n = w * h;
  if (as === 'float32') {
    const out = new Float32Array(n * c);
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < n; i++) out[i * c + ch] = planes[ch][i];
    return createImage(w, h, c, out);
  }
  const out = new Uint8Array(n * c);
  for (let ch = 0; ch < c; ch++) {
    const p = planes[ch];
    for (let i = 0; i < n; i++) {
      const v = p[i];
      out[i * c + ch] = v <= 0 ? 0 : v >= 1 ? 255 : Math.floor(v * 255 + 0.5);
    }
  }
  return createImage(w, h, c, out);
}

export function blurImage(img: Image, kernel: Kernel, rng: Rng, options: Partial<BlurOptions> = {}): Image<Uint8Array> {
  const opts = { ...DEFAULT_BLUR, ...options };
  let planes = imageToPlanes(img);
  if (opts.linearLight) for (const p of planes) for (let i = 0; i < p.length; i++) p[i] = p[i] ** opts.gamma;
  planes = convolvePlanes(planes, img.width, img.height, kernel, opts.boundary, opts.method);
  // `!== 0` so a negative or NaN setting reaches addNoise's check instead of meaning "no noise".
  if (opts.gaussianSigma !== 0 || opts.poissonPeak !== 0) addNoise(planes, rng, opts);
  if (opts.linearLight) {
    const inv = 1 / opts.gamma;
    for (const p of planes) for (let i = 0; i < p.length; i++) p[i] = Math.max(0, p[i]) ** inv;
  }
  return planesToImage(planes, img.width, img.height, 'uint8') as Image<Uint8Array>;
}
