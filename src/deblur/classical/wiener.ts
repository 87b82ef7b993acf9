/**
 * Non-blind Wiener deconvolution with the true kernel ("oracle"): X = conj(K)·B / (|K|² + NSR),
 * NSR a constant noise-to-signal power ratio. Borders: see frequency.ts (reflect + cosine taper).
 */
import { imageToPlanes, planesToImage } from '../../blur-synth/blur.js';
import type { Kernel } from '../../blur-synth/kernel.js';
import { UserError } from '../../core/errors.js';
import type { Image } from '../../core/image.js';
import { checkKeys, numberOption } from '../options.js';
import type { DeblurMethod, MethodFactory } from '../types.js';
import { crop, extend, filterPlanes, kernelSpectrum, paddedDomain } from './frequency.js';

/** Chosen on the sample suite (trajectory blur, no noise, 8-bit output): see the README. */
export const DEFAULT_WIENER_NSR = 0.002;

export function wienerDeconvolve(blurred: Image, kernel: Kernel, nsr: number): Image<Float32Array> {
  const planes = imageToPlanes(blurred);
  const dom = paddedDomain(blurred.width, blurred.height, kernel);
  const keep = Math.max(kernel.width, kernel.height);
  const k = kernelSpectrum(kernel, dom.fft);
  const hre = new Float64Array(k.re.length);
  const him = new Float64Array(k.re.length);
  for (let i = 0; i < hre.length; i++) {
    const p = k.re[i] * k.re[i] + k.im[i] * k.im[i] + nsr;
    hre[i] = k.re[i] / p;
    him[i] = -k.im[i] / p;
  }
  const restored = filterPlanes(planes.map((p) => extend(p, dom, keep)), dom.fft, hre, him).map((p) => crop(p, dom));
  return planesToImage(restored, blurred.width, blurred.height, 'float32') as Image<Float32Array>;
}

export const wienerFactory: MethodFactory = (options) => {
  checkKeys('wiener', options, ['nsr']);
  const nsr = numberOption(options, 'nsr', DEFAULT_WIENER_NSR, (v) => v > 0, 'NSR must be > 0');
  const method: DeblurMethod = {
    name: 'wiener',
    identity: { method: 'wiener', nsr, border: 'reflect+cosine-taper', version: 1 },
    runtime: { backend: 'js (float64 FFT)', threads: 1 },
    needsKernel: true,
    restore: async (blurred, ctx) => {
      if (!ctx.kernel) throw new UserError(`wiener needs the blur kernel, which pair ${ctx.id} does not provide`);
      return wienerDeconvolve(blurred, ctx.kernel, nsr);
    },
  };
  return method;
};
