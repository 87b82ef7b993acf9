/**
 * SSIM under every published convention (see src/metrics/README.md). Each mode is a named registry
 * entry; the Gaussian/uniform ones share the float64 loops in ssim-kernel.ts, with K1 = 0.01,
 * K2 = 0.03 and an explicit data range L.
 *
 * A mode builds a *plan*: the number of output rows and a function summing the SSIM map over a
 * band of them. Bands are independent, so large images are split across worker threads
 * (ssim-parallel.ts) with bit-for-bit the same per-band arithmetic.
 */
import { UserError } from '../core/errors.js';
import type { Image } from '../core/image.js';
import { Registry } from '../core/registry.js';
import { type PlaneOptions, type PlaneSource, materialize, sourcePair } from './planes.js';
import { DEFAULT_PLANE_OPTIONS } from './psnr.js';
import { type RowInput, type SsimConstants, gaussianKernel, planeInput, ssimSum, uniformKernel, validCount, validRows } from './ssim-kernel.js';

export interface SsimPlan {
  rows: number;
  /** Sum of the SSIM map over output rows [start, end), all channels. */
  sum(start: number, end: number): number;
  /** Number of map values the mean is taken over. */
  count: number;
}

export type SsimPlanner = (reference: Image, test: Image, opts: PlaneOptions) => SsimPlan;

export interface SsimModeImpl {
  /** Row-band plan (parallelisable); absent for modes computed elsewhere (ssimjs). */
  plan?: SsimPlanner;
  compute(reference: Image, test: Image, opts: PlaneOptions): number | Promise<number>;
}

export const SSIM_MODES = ['skimage', 'gaussian', 'basicsr', 'matlab3d', 'wang-downsample', 'ssimjs'] as const;
export type SsimMode = (typeof SSIM_MODES)[number];
export const DEFAULT_SSIM_MODE: SsimMode = 'basicsr';

const K1 = 0.01;
const K2 = 0.03;
const GAUSS_11 = gaussianKernel(5, 1.5);
const UNIFORM_7 = uniformKernel(7);

function constants(peak: number, covNorm = 1): SsimConstants {
  return { c1: (K1 * peak) ** 2, c2: (K2 * peak) ** 2, covNorm };
}

function checkWindow(width: number, height: number, window: number, mode: string, after = 'cropping'): void {
  if (width < window || height < window) {
    throw new UserError(`SSIM mode ${mode} needs at least ${window}×${window} pixels after ${after}, got ${width}×${height}`);
  }
}

/** Row input for channel `c` of a source pair: a, b and their products. */
function channelInput(a: PlaneSource, b: PlaneSource, c: number): RowInput {
  return {
    width: a.width,
    height: a.height,
    fill: (y, ra, rb, rs, rp) => {
      a.read(c, y, ra);
      b.read(c, y, rb);
      for (let x = 0; x < ra.length; x++) {
        rs[x] = ra[x] * ra[x] + rb[x] * rb[x];
        rp[x] = ra[x] * rb[x];
      }
    },
  };
}

/** Per-channel valid-region SSIM, mean over channels (every channel has the same map size). */
function perChannelPlan(kernel: Float64Array, covNorm: number, mode: string): SsimPlanner {
  return (reference, test, opts) => {
    const [a, b] = sourcePair(reference, test, opts);
    checkWindow(a.width, a.height, kernel.length, mode);
    const inputs = Array.from({ length: a.count }, (_, c) => channelInput(a, b, c));
    const consts = constants(a.peak, covNorm);
    return {
      rows: validRows(inputs[0], kernel),
      count: a.count * validCount(inputs[0], kernel),
      sum: (start, end) => inputs.reduce((acc, input) => acc + ssimSum(input, kernel, consts, start, end), 0),
    };
  };
}

/** scikit-image defaults: 7×7 uniform window, sample covariance (NP/(NP−1)), map cropped by 3. */
export const planSkimage = perChannelPlan(UNIFORM_7, 49 / 48, 'skimage');

/**
 * 11×11 Gaussian σ 1.5, population covariance, valid region. This is both scikit-image's
 * `gaussian_weights=True, use_sample_covariance=False` (reflect-filtered map cropped by 5 — only
 * valid pixels survive the crop) and BasicSR's OpenCV `[5:-5, 5:-5]` form: the same number.
 */
export const planGaussianValid = perChannelPlan(GAUSS_11, 1, 'gaussian/basicsr');

/**
 * MATLAB `ssim(A, ref)` on RGB arrays: one 11×11×11 Gaussian over (H, W, channel) with replicate
 * padding and the mean of the full map. The channel axis is filtered first as a mixing matrix
 * (replicate-padded 1-D Gaussian), then each mixed plane spatially with replicate padding.
 * Grey or luma input is the 2-D case of the same definition.
 */
export const planMatlab3d: SsimPlanner = (reference, test, opts) => {
  const [a, b] = sourcePair(reference, test, opts);
  const { width: w, height: h, count: n } = a;
  const r = 5;
  const mix = channelMixing(n, GAUSS_11);
  const src = Array.from({ length: n }, () => [new Float64Array(w), new Float64Array(w)]);
  const inputFor = (c: number): RowInput => ({
    width: w + 2 * r,
    height: h + 2 * r,
    fill: (y, ra, rb, rs, rp) => {
      const sy = Math.min(h - 1, Math.max(0, y - r));
      ra.fill(0);
      rb.fill(0);
      rs.fill(0);
      rp.fill(0);
      for (let ch = 0; ch < n; ch++) {
        const m = mix[c * n + ch];
        if (m === 0) continue;
        const [xa, xb] = src[ch];
        a.read(ch, sy, xa);
        b.read(ch, sy, xb);
        for (let x = 0; x < w; x++) {
          const va = xa[x];
          const vb = xb[x];
          ra[x + r] += m * va;
          rb[x + r] += m * vb;
          rs[x + r] += m * (va * va + vb * vb);
          rp[x + r] += m * (va * vb);
        }
      }
      for (const row of [ra, rb, rs, rp]) {
        row.fill(row[r], 0, r);
        row.fill(row[r + w - 1], r + w);
      }
    },
  });
  const inputs = Array.from({ length: n }, (_, c) => inputFor(c));
  const consts = constants(a.peak);
  return {
    rows: h,
    count: n * w * h,
    sum: (start, end) => inputs.reduce((acc, input) => acc + ssimSum(input, GAUSS_11, consts, start, end), 0),
  };
};

/** mix[c·n + src]: weight of channel `src` in filtered channel `c` (1-D kernel, replicate padding). */
export function channelMixing(n: number, kernel: Float64Array): Float64Array {
  const r = kernel.length >> 1;
  const mix = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let k = -r; k <= r; k++) mix[c * n + Math.min(n - 1, Math.max(0, c + k))] += kernel[k + r];
  }
  return mix;
}

/**
 * Wang's reference `ssim.m`: one grey plane (RGB → 0.299R + 0.587G + 0.114B on the 0–255 scale,
 * unrounded, unless a luma plane was asked for), downsampled by f = max(1, round(min(H,W)/256))
 * with an f×f box filter (MATLAB imfilter 'symmetric', 'same') keeping every f-th pixel, then
 * 11×11 Gaussian σ 1.5, valid region.
 */
export const planWangDownsample: SsimPlanner = (reference, test, opts) => {
  const color = opts.color === 'rgb' && reference.channels === 3 ? 'yfull' : opts.color;
  const [a, b] = sourcePair(reference, test, { ...opts, color });
  const f = Math.max(1, Math.round(Math.min(a.width, a.height) / 256));
  const da = boxDownsample(materialize(a, 0), a.width, a.height, f);
  const db = boxDownsample(materialize(b, 0), a.width, a.height, f);
  checkWindow(da.width, da.height, 11, 'wang-downsample', 'downsampling');
  const input = planeInput(da.plane, db.plane, da.width, da.height);
  const consts = constants(a.peak);
  return {
    rows: validRows(input, GAUSS_11),
    count: validCount(input, GAUSS_11),
    sum: (start, end) => ssimSum(input, GAUSS_11, consts, start, end),
  };
};

export function boxDownsample(src: Float64Array, w: number, h: number, f: number): { plane: Float64Array; width: number; height: number } {
  if (f === 1) return { plane: src, width: w, height: h };
  // MATLAB puts the centre of an even kernel at index floor((f+1)/2) (1-based): offsets lo..lo+f−1.
  const lo = -(Math.floor((f + 1) / 2) - 1);
  const mirror = (i: number, n: number): number => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
  const ow = Math.ceil(w / f);
  const oh = Math.ceil(h / f);
  const out = new Float64Array(ow * oh);
  const norm = 1 / (f * f);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let acc = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = mirror(oy * f + lo + dy, h) * w;
        for (let dx = 0; dx < f; dx++) acc += src[row + mirror(ox * f + lo + dx, w)];
      }
      out[oy * ow + ox] = acc * norm;
    }
  }
  return { plane: out, width: ow, height: oh };
}

/** Run a plan on this thread. */
export function runPlan(plan: SsimPlan): number {
  return plan.sum(0, plan.rows) / plan.count;
}

/** The ssim.js package with its own defaults (grey, downsampled to ~256 px, 'weber' variant). */
export async function ssimJs(reference: Image, test: Image, opts: PlaneOptions): Promise<number> {
  if (opts.color !== 'rgb') throw new UserError('SSIM mode ssimjs converts to grey itself: use --color rgb');
  const [a, b] = sourcePair(reference, test, { ...opts, quantize: opts.quantize === 'none' ? 'round' : opts.quantize });
  if (a.peak !== 255) throw new UserError('SSIM mode ssimjs works on 8-bit images only');
  const mod = (await import('ssim.js')) as unknown as { ssim: typeof import('ssim.js').ssim };
  return mod.ssim(toRgba(a), toRgba(b)).mssim;
}

function toRgba(source: PlaneSource): { data: Uint8ClampedArray; width: number; height: number } {
  const { width, height } = source;
  const data = new Uint8ClampedArray(4 * width * height).fill(255);
  const row = new Float64Array(width);
  for (let c = 0; c < 3; c++) {
    const plane = Math.min(c, source.count - 1);
    for (let y = 0; y < height; y++) {
      source.read(plane, y, row);
      for (let x = 0, i = 4 * y * width + c; x < width; x++, i += 4) data[i] = row[x];
    }
  }
  return { data, width, height };
}

const planned = (plan: SsimPlanner): SsimModeImpl => ({ plan, compute: (r, t, o) => runPlan(plan(r, t, o)) });

export const ssimModes = new Registry<SsimModeImpl>('SSIM mode')
  .register('skimage', 'scikit-image defaults: 7×7 uniform, sample covariance, per channel', () => planned(planSkimage))
  .register('gaussian', 'scikit-image Gaussian σ 1.5 (Wang et al.), population covariance, per channel', () => planned(planGaussianValid))
  .register('basicsr', 'BasicSR/MMagic: OpenCV 11×11 Gaussian σ 1.5, valid region, per channel', () => planned(planGaussianValid))
  .register('matlab3d', 'MATLAB ssim on RGB: 11×11×11 Gaussian, replicate padding, full map', () => planned(planMatlab3d))
  .register('wang-downsample', "Wang's ssim.m: grey, box-downsampled by round(min(H,W)/256)", () => planned(planWangDownsample))
  .register('ssimjs', 'the ssim.js package with its defaults (grey, downsampled, weber)', () => ({ compute: ssimJs }));

export interface SsimOptions extends PlaneOptions {
  mode: string;
}

/** SSIM on this thread. For large images prefer `ssimParallel` (same value, split over cores). */
export async function ssim(reference: Image, test: Image, opts: Partial<SsimOptions> = {}): Promise<number> {
  const { mode = DEFAULT_SSIM_MODE, ...rest } = opts;
  const impl = await ssimModes.load(mode);
  return await impl.compute(reference, test, { ...DEFAULT_PLANE_OPTIONS, ...rest });
}
