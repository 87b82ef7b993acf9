/**
 * 2-D convolution of float64 planes with a kernel: direct (skipping zero taps, so sparse motion
 * kernels are cheap) or FFT (two real planes packed into one complex transform). Both pad the
 * image by the kernel with a named boundary mode and return an image of the input size; they
 * agree to ~1e-12. `convolvePlanes` picks the cheaper one with a cost model fitted on this
 * machine class (`npm run bench:synth` prints the measurements behind it).
 *
 * out(y, x) = Σ k(i, j) · I(y + oy − i, x + ox − j), origin (oy, ox) = (⌊h/2⌋, ⌊w/2⌋), as
 * scipy.ndimage.convolve.
 */
import { Fft2d, nextFastSize } from './fft.js';
import { type Kernel, kernelOrigin } from './kernel.js';

import { type Boundary } from './boundaries.js';

export { BOUNDARIES, type Boundary } from './boundaries.js';

export type ConvolutionMethod = 'auto' | 'direct' | 'fft';

/** Index into [0, n) for a coordinate outside it; -1 means "zero". */
export function boundaryIndex(i: number, n: number, mode: Boundary): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'zero':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * n;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - 1 - m;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - m;
    }
  }
}

/** Plane padded by (top, bottom, left, right) with the boundary mode. */
export function padPlane(src: Float64Array, w: number, h: number, top: number, bottom: number, left: number, right: number, mode: Boundary): { data: Float64Array; width: number; height: number } {
  const pw = w + left + right;
  const ph = h + top + bottom;
  const out = new Float64Array(pw * ph);
  const cols = new Int32Array(pw);
  for (let x = 0; x < pw; x++) cols[x] = boundaryIndex(x - left, w, mode);
  for (let y = 0; y < ph; y++) {
    const sy = boundaryIndex(y - top, h, mode);
    if (sy < 0) continue;
    const srow = sy * w;
    const row = y * pw;
    out.set(src.subarray(srow, srow + w), row + left);
    for (let x = 0; x < left; x++) if (cols[x] >= 0) out[row + x] = src[srow + cols[x]];
    for (let x = left + w; x < pw; x++) if (cols[x] >= 0) out[row + x] = src[srow + cols[x]];
  }
  return { data: out, width: pw, height: ph };
}

function padFor(k: Kernel): { top: number; bottom: number; left: number; right: number } {
  const o = kernelOrigin(k);
  return { top: k.height - 1 - o.y, bottom: o.y, left: k.width - 1 - o.x, right: o.x };
}

/** Direct convolution, visiting only non-zero taps; row-outer so the output row stays in L1. */
export function convolveDirect(src: Float64Array, w: number, h: number, k: Kernel, mode: Boundary): Float64Array {
  const p = padFor(k);
  const padded = padPlane(src, w, h, p.top, p.bottom, p.left, p.right, mode);
  const pw = padded.width;
  const pd = padded.data;
  // non-zero taps as (weight, offset into the padded plane relative to the output pixel)
  const weights: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < k.height; i++) {
    for (let j = 0; j < k.width; j++) {
      const v = k.data[i * k.width + j];
      if (v === 0) continue;
      weights.push(v);
      offsets.push((k.height - 1 - i) * pw + (k.width - 1 - j)); // tap (i, j) reads padded(y + kh−1−i, x + kw−1−j)
    }
  }
  const tw = Float64Array.from(weights);
  const to = Int32Array.from(offsets);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const orow = y * w;
    const prow = y * pw;
    for (let t = 0; t < tw.length; t++) {
      const v = tw[t];
      const base = prow + to[t];
      for (let x = 0; x < w; x++) out[orow + x] += v * pd[base + x];
    }
  }
  return out;
}

interface FftPlan {
  fft: Fft2d;
  kre: Float64Array;
  kim: Float64Array;
}

function kernelSpectrum(k: Kernel, fw: number, fh: number): FftPlan {
  const fft = new Fft2d(fw, fh);
  const kre = new Float64Array(fw * fh);
  const kim = new Float64Array(fw * fh);
  for (let i = 0; i < k.height; i++) for (let j = 0; j < k.width; j++) kre[i * fw + j] = k.data[i * k.width + j];
  fft.forward(kre, kim);
  return { fft, kre, kim };
}

/** FFT convolution of up to two planes at once (packed as real and imaginary parts). */
function convolveFftPair(a: Float64Array, b: Float64Array | null, w: number, h: number, k: Kernel, mode: Boundary, plan: FftPlan, fw: number): [Float64Array, Float64Array | null] {
  const p = padFor(k);
  const pa = padPlane(a, w, h, p.top, p.bottom, p.left, p.right, mode);
  const pb = b ? padPlane(b, w, h, p.top, p.bottom, p.left, p.right, mode) : null;
  const fh = plan.fft.height;
  const re = new Float64Array(fw * fh);
  const im = new Float64Array(fw * fh);
  for (let y = 0; y < pa.height; y++) {
    re.set(pa.data.subarray(y * pa.width, (y + 1) * pa.width), y * fw);
    if (pb) im.set(pb.data.subarray(y * pb.width, (y + 1) * pb.width), y * fw);
  }
  plan.fft.forward(re, im);
  const { kre, kim } = plan;
  for (let i = 0; i < re.length; i++) {
    const r = re[i] * kre[i] - im[i] * kim[i];
    im[i] = re[i] * kim[i] + im[i] * kre[i];
    re[i] = r;
  }
  plan.fft.inverse(re, im);
  const outA = new Float64Array(w * h);
  const outB = pb ? new Float64Array(w * h) : null;
  for (let y = 0; y < h; y++) {
    const from = (y + k.height - 1) * fw + (k.width - 1);
    outA.set(re.subarray(from, from + w), y * w);
    if (outB) outB.set(im.subarray(from, from + w), y * w);
  }
  return [outA, outB];
}

/** FFT convolution of several planes sharing one kernel. */
export function convolveFft(planes: Float64Array[], w: number, h: number, k: Kernel, mode: Boundary): Float64Array[] {
  const fw = nextFastSize(w + k.width - 1);
  const fh = nextFastSize(h + k.height - 1);
  const plan = kernelSpectrum(k, fw, fh);
  const out: Float64Array[] = [];
  for (let c = 0; c < planes.length; c += 2) {
    const [x, y] = convolveFftPair(planes[c], planes[c + 1] ?? null, w, h, k, mode, plan, fw);
    out.push(x);
    if (y) out.push(y);
  }
  return out;
}

/** Cost-model constants (ns per unit), fitted with `npm run bench:synth` on the 2-core machine. */
const DIRECT_NS_PER_TAP_PIXEL = 0.75;
const FFT_NS_PER_POINT_LOG = 3.2;

export function countTaps(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.data.length; i++) if (k.data[i] !== 0) n++;
  return n;
}

/** Which method the cost model picks for `planes` planes of w×h. */
export function chooseMethod(w: number, h: number, k: Kernel, planes: number): 'direct' | 'fft' {
  const direct = DIRECT_NS_PER_TAP_PIXEL * countTaps(k) * w * h * planes;
  const n = nextFastSize(w + k.width - 1) * nextFastSize(h + k.height - 1);
  const fft = FFT_NS_PER_POINT_LOG * n * Math.log2(n) * (1 + Math.ceil(planes / 2) * 2);
  return direct <= fft ? 'direct' : 'fft';
}

export function convolvePlanes(planes: Float64Array[], w: number, h: number, k: Kernel, mode: Boundary = 'reflect', method: ConvolutionMethod = 'auto'): Float64Array[] {
  const chosen = method === 'auto' ? chooseMethod(w, h, k, planes.length) : method;
  if (chosen === 'fft') return convolveFft(planes, w, h, k, mode);
  return planes.map((p) => convolveDirect(p, w, h, k, mode));
}
