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

import { type Boundary, boundaryIndex } from './boundaries.js';

export { BOUNDARIES, type Boundary, boundaryIndex } from './boundaries.js';

export type ConvolutionMethod = 'auto' | 'direct' | 'fft';

/** Plane padded by (top, bottom, left, right) with the boundary mode. */
export function padPlane(src: Float64Array, w: number, h: number, top: number, bottom: number, left: number, right: number, mode: Boundary): { data: Float64Array; width: number; height: number } {
  const pw = w + left + right;
  const ph = h + top + bottom;
  const out = new Float64Array(pw * ph);
  padInto(out, pw, src, w, h, top, bottom, left, right, mode);
  return { data: out, width: pw, height: ph };
}

/** Write the padded plane into `out` (row stride `stride`, top-left corner); other cells are untouched. */
export function padInto(out: Float64Array, stride: number, src: Float64Array, w: number, h: number, top: number, bottom: number, left: number, right: number, mode: Boundary): void {
  const pw = w + left + right;
  const ph = h + top + bottom;
  const cols = new Int32Array(pw);
  for (let x = 0; x < pw; x++) cols[x] = boundaryIndex(x - left, w, mode);
  for (let y = 0; y < ph; y++) {
    const sy = boundaryIndex(y - top, h, mode);
    if (sy < 0) continue;
    const srow = sy * w;
    const row = y * stride;
    out.set(src.subarray(srow, srow + w), row + left);
    for (let x = 0; x < left; x++) if (cols[x] >= 0) out[row + x] = src[srow + cols[x]];
    for (let x = left + w; x < pw; x++) if (cols[x] >= 0) out[row + x] = src[srow + cols[x]];
  }
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

/** Two transforms of one size (and the kernel spectrum's storage), reused across calls. */
interface FftPlan {
  a: Fft2d;
  b: Fft2d;
  kre: Float64Array;
  kim: Float64Array;
}

const plans = new Map<string, FftPlan>();

function planFor(fw: number, fh: number): FftPlan {
  const key = `${fw}x${fh}`;
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= 2) plans.clear(); // a plan holds ~4 grids of float64; keep memory bounded
    plan = { a: new Fft2d(fw, fh), b: new Fft2d(fw, fh), kre: new Float64Array(fw * fh), kim: new Float64Array(fw * fh) };
    plans.set(key, plan);
  }
  return plan;
}

function extract(source: Float64Array, fw: number, k: Kernel, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const from = (y + k.height - 1) * fw + (k.width - 1);
    out.set(source.subarray(from, from + w), y * w);
  }
  return out;
}

/**
 * FFT convolution of several planes sharing one kernel, with as few transforms as possible:
 * planes ride two per complex transform (real and imaginary parts), and the kernel shares a
 * transform with the odd plane out — for RGB, 2 forward + 2 inverse transforms in all. The two
 * real signals packed as z = x + i·y are separated by X[u] = (Z[u] + conj Z[−u])/2 and
 * Y[u] = (Z[u] − conj Z[−u])/(2i).
 */
export function convolveFft(planes: Float64Array[], w: number, h: number, k: Kernel, mode: Boundary): Float64Array[] {
  const fw = nextFastSize(w + k.width - 1);
  const fh = nextFastSize(h + k.height - 1);
  const plan = planFor(fw, fh);
  const p = padFor(k);
  const place = (target: Float64Array, plane: Float64Array): void => padInto(target, fw, plane, w, h, p.top, p.bottom, p.left, p.right, mode);
  const out: Float64Array[] = new Array(planes.length);
  const odd = planes.length % 2 === 1 ? planes.length - 1 : -1;

  // Transform B: the odd plane (if any) + i·kernel; unpack the kernel spectrum, filter the odd plane.
  const wb = plan.b.workspace();
  wb.re.fill(0);
  wb.im.fill(0);
  if (odd >= 0) place(wb.re, planes[odd]);
  for (let i = 0; i < k.height; i++) wb.im.set(k.data.subarray(i * k.width, (i + 1) * k.width), i * fw);
  plan.b.forward(wb.re, wb.im);
  const { kre, kim } = plan;
  const zr = wb.re;
  const zi = wb.im;
  for (let uy = 0; uy < fh; uy++) {
    const row = uy * fw;
    const mirrorRow = ((fh - uy) % fh) * fw;
    for (let ux = 0; ux < fw; ux++) {
      const i = row + ux;
      const j = mirrorRow + ((fw - ux) % fw);
      if (j < i) continue; // each (u, −u) pair once
      const pr = zr[i], pi = zi[i], qr = zr[j], qi = zi[j];
      const xr = 0.5 * (pr + qr), xi = 0.5 * (pi - qi); // plane spectrum at u
      const kr = 0.5 * (pi + qi), ki = 0.5 * (qr - pr); // kernel spectrum at u
      kre[i] = kr;
      kim[i] = ki;
      kre[j] = kr;
      kim[j] = -ki;
      const yr = xr * kr - xi * ki;
      const yi = xr * ki + xi * kr;
      zr[i] = yr;
      zi[i] = yi;
      zr[j] = yr;
      zi[j] = -yi;
    }
  }
  if (odd >= 0) {
    plan.b.inverse(wb.re, wb.im);
    out[odd] = extract(wb.re, fw, k, w, h);
  }

  // Transform A: the remaining planes two at a time.
  const wa = plan.a.workspace();
  for (let c = 0; c + 1 < planes.length && c !== odd; c += 2) {
    wa.re.fill(0);
    wa.im.fill(0);
    place(wa.re, planes[c]);
    place(wa.im, planes[c + 1]);
    plan.a.forward(wa.re, wa.im);
    for (let i = 0; i < wa.re.length; i++) {
      const r = wa.re[i] * kre[i] - wa.im[i] * kim[i];
      wa.im[i] = wa.re[i] * kim[i] + wa.im[i] * kre[i];
      wa.re[i] = r;
    }
    plan.a.inverse(wa.re, wa.im);
    out[c] = extract(wa.re, fw, k, w, h);
    out[c + 1] = extract(wa.im, fw, k, w, h);
  }
  return out;
}

/**
 * Cost-model constants (ns), fitted with `npm run bench:synth` on the 2-core reference machine:
 * direct ≈ 3.8 ns per non-zero tap per pixel per plane; FFT ≈ 1.25 ns per point·log2(points) per
 * transform (forward or inverse, including padding and copies). On a 1280×720 RGB frame the
 * crossover is around 10 non-zero taps (FFT ≈ 100 ms per frame, 1.7× faster than scipy fftconvolve).
 */
const DIRECT_NS_PER_TAP_PIXEL = 3.8;
const FFT_NS_PER_POINT_LOG = 1.25;

export function countTaps(k: Kernel): number {
  let n = 0;
  for (let i = 0; i < k.data.length; i++) if (k.data[i] !== 0) n++;
  return n;
}

/** Which method the cost model picks for `planes` planes of w×h. */
export function chooseMethod(w: number, h: number, k: Kernel, planes: number): 'direct' | 'fft' {
  const direct = DIRECT_NS_PER_TAP_PIXEL * countTaps(k) * w * h * planes;
  const n = nextFastSize(w + k.width - 1) * nextFastSize(h + k.height - 1);
  const transforms = 2 * Math.ceil((planes + 1) / 2); // planes and kernel packed two per transform, forward + inverse
  const fft = FFT_NS_PER_POINT_LOG * n * Math.log2(n) * transforms;
  return direct <= fft ? 'direct' : 'fft';
}

export function convolvePlanes(planes: Float64Array[], w: number, h: number, k: Kernel, mode: Boundary = 'reflect', method: ConvolutionMethod = 'auto'): Float64Array[] {
  const chosen = method === 'auto' ? chooseMethod(w, h, k, planes.length) : method;
  if (chosen === 'fft') return convolveFft(planes, w, h, k, mode);
  return planes.map((p) => convolveDirect(p, w, h, k, mode));
}
