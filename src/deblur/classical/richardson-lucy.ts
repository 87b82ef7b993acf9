/**
 * Non-blind Richardson–Lucy deconvolution with the true kernel:
 *   u ← u · (k̃ ∗ (b / (k ∗ u))),  k̃ the flipped kernel,
 * with MATLAB `deconvlucy`'s damping (DAMPAR, in 8-bit units): where the estimate already
 * explains the data to within the damping level, the update ratio is pulled toward 1, which
 * suppresses noise amplification. damping = 0 is plain RL. Borders: see frequency.ts.
 */
import { imageToPlanes, planesToImage } from '../../blur-synth/blur.js';
import type { Kernel } from '../../blur-synth/kernel.js';
import { UserError } from '../../core/errors.js';
import type { Image } from '../../core/image.js';
import { checkKeys, numberOption } from '../options.js';
import type { DeblurMethod, MethodFactory } from '../types.js';
import { crop, extend, filterPlanes, kernelSpectrum, paddedDomain } from './frequency.js';

export const DEFAULT_RL_ITERATIONS = 30;
const EPS = 1e-6;

export function richardsonLucy(blurred: Image, kernel: Kernel, iterations: number, damping: number): Image<Float32Array> {
  const dom = paddedDomain(blurred.width, blurred.height, kernel);
  const keep = Math.max(kernel.width, kernel.height);
  const observed = imageToPlanes(blurred).map((p) => extend(p, dom, keep));
  for (const p of observed) for (let i = 0; i < p.length; i++) p[i] = Math.max(p[i], 0);
  const k = kernelSpectrum(kernel, dom.fft);
  const conjIm = k.im.map((v) => -v);
  const damp2 = ((damping / 255) * (damping / 255)) / 2; // MATLAB's DAMPAR22, on the [0,1] scale
  const N = 10; // MATLAB's order of the damping polynomial
  let estimate = observed.map((p) => Float64Array.from(p, (v) => Math.max(v, EPS)));
  for (let it = 0; it < iterations; it++) {
    const reblurred = filterPlanes(estimate, dom.fft, k.re, k.im);
    const ratios = reblurred.map((rb, c) => {
      const f = observed[c];
      const ratio = new Float64Array(rb.length);
      for (let i = 0; i < rb.length; i++) {
        const e = Math.max(rb[i], EPS);
        let r = f[i] / e;
        if (damp2 > 0) {
          const fi = Math.max(f[i], EPS);
          let g = (fi * Math.log(fi / e) + e - fi) / damp2;
          g = Math.min(g, 1);
          const G = g ** (N - 1) * (N - (N - 1) * g);
          r = 1 + G * (r - 1);
        }
        ratio[i] = r;
      }
      return ratio;
    });
    const corrections = filterPlanes(ratios, dom.fft, k.re, conjIm);
    estimate = estimate.map((u, c) => {
      const corr = corrections[c];
      for (let i = 0; i < u.length; i++) u[i] = Math.max(u[i] * corr[i], 0);
      return u;
    });
  }
  const restored = estimate.map((p) => crop(p, dom));
  return planesToImage(restored, blurred.width, blurred.height, 'float32') as Image<Float32Array>;
}

export const richardsonLucyFactory: MethodFactory = (options) => {
  checkKeys('richardson-lucy', options, ['iterations', 'damping']);
  const iterations = numberOption(options, 'iterations', DEFAULT_RL_ITERATIONS, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  const damping = numberOption(options, 'damping', 0, (v) => v >= 0, 'damping (8-bit units) must be ≥ 0');
  const method: DeblurMethod = {
    name: 'richardson-lucy',
    identity: { method: 'richardson-lucy', iterations, damping, border: 'reflect+cosine-taper', version: 1 },
    runtime: { backend: 'js (float64 FFT)', threads: 1 },
    needsKernel: true,
    restore: async (blurred, ctx) => {
      if (!ctx.kernel) throw new UserError(`richardson-lucy needs the blur kernel, which pair ${ctx.id} does not provide`);
      return richardsonLucy(blurred, ctx.kernel, iterations, damping);
    },
  };
  return method;
};
