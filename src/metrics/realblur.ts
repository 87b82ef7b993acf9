/**
 * RealBlur's official scoring (Rim et al., ECCV 2020). Its GT and blurred frames come from two
 * cameras behind a beam splitter, so a restored image is first aligned to the GT before scoring:
 *
 * 1. intensity scaling: z ← a·z with a = Σ(gt·z)/Σ(z·z) over all pixels and channels;
 * 2. ECC homography (OpenCV findTransformECC, MOTION_HOMOGRAPHY, 100 iterations, no early stop,
 *    5×5 pre-smoothing) from the grey GT to the grey scaled output (RGB→grey 0.299/0.587/0.114);
 * 3. the scaled output warped onto the GT grid (bicubic, reflected borders) and an all-ones image
 *    warped with nearest neighbour and 0 outside = the valid mask; output and GT times the mask;
 * 4. PSNR = 10·log10(1 / (Σ(gt − out)² / Σ mask)), data range 1, sums over every channel;
 * 5. SSIM: scikit-image's Gaussian SSIM map (11×11, σ 1.5, population covariance, data range 1)
 *    per channel, times the mask, a 5-pixel border dropped, Σmap/Σmask per channel, then the mean.
 *
 * All of it is float64 on [0, 1] images.
 */
import { UserError } from '../core/errors.js';
import { type Image, peakValue } from '../core/image.js';
import { type EccOptions, findHomographyEcc } from './ecc.js';
import { type ScoreQuantization, harmonize } from './planes.js';
import { gaussianKernel } from './ssim-kernel.js';
import { type FloatImage, type Homography, warpPerspective } from './warp.js';

export const ALIGNMENTS = ['none', 'realblur'] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

/** SSIM mode name recorded in results scored under the RealBlur protocol. */
export const REALBLUR_SSIM = 'realblur';

export function parseAlignment(text: string): Alignment {
  if (!(ALIGNMENTS as readonly string[]).includes(text)) throw new UserError(`--align must be one of ${ALIGNMENTS.join(', ')}, got "${text}"`);
  return text as Alignment;
}

/**
 * SSIM modes to run under an alignment. RealBlur's protocol fixes its own SSIM, colour space (RGB)
 * and border (its 5-pixel SSIM crop), so other --ssim / --color / --crop values are refused.
 */
export function ssimModesFor(align: Alignment, opts: { ssim?: string; color: string; crop: number }, defaultMode: string): string[] {
  if (align === 'none') return (opts.ssim ?? defaultMode).split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.ssim !== undefined && opts.ssim !== REALBLUR_SSIM) throw new UserError(`--align realblur fixes SSIM to RealBlur's mask-weighted Gaussian SSIM: drop --ssim ${opts.ssim}`);
  if (opts.color !== 'rgb') throw new UserError(`--align realblur scores RGB images: drop --color ${opts.color}`);
  if (opts.crop !== 0) throw new UserError(`--align realblur crops its SSIM map by 5 itself: drop --crop ${opts.crop}`);
  return [REALBLUR_SSIM];
}

/** The SSIM window radius, which is also the border RealBlur drops from the masked SSIM map. */
const SSIM_RADIUS = 5;

export interface RealBlurScores {
  psnr: number;
  ssim: number;
  /** Intensity scale applied to the restored image. */
  scale: number;
  /** Homography from GT pixel coordinates to restored-image coordinates ([2][2] = 1). */
  warp: Homography;
  /** Final ECC correlation coefficient. */
  rho: number;
}

/** An image as float64 on [0, 1] (integer data divided by its peak; floats as they are). */
export function unitFloat(img: Image): FloatImage {
  const peak = img.data instanceof Float32Array ? 1 : peakValue(img.data);
  const data = new Float64Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i] / peak;
  return { width: img.width, height: img.height, channels: img.channels, data };
}

/** Least-squares gain a minimising ‖gt − a·z‖² (1 when z is all zeros). */
export function intensityScale(gt: Float64Array, z: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < z.length; i++) {
    num += gt[i] * z[i];
    den += z[i] * z[i];
  }
  return den > 0 ? num / den : 1;
}

/** Grey plane with OpenCV's RGB2GRAY weights; a one-channel image is its own grey. */
export function toGray(img: FloatImage): Float64Array {
  const n = img.width * img.height;
  if (img.channels === 1) return img.data.slice(0, n);
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < n; i++, j += img.channels) out[i] = 0.299 * img.data[j] + 0.587 * img.data[j + 1] + 0.114 * img.data[j + 2];
  return out;
}

/** Masked PSNR (data range 1): the squared error is averaged over the valid samples only. */
export function maskedPsnr(gt: FloatImage, out: FloatImage, mask: FloatImage): number {
  let sse = 0;
  let valid = 0;
  for (let i = 0; i < gt.data.length; i++) {
    const m = mask.data[i];
    const d = gt.data[i] * m - out.data[i] * m;
    sse += d * d;
    valid += m;
  }
  if (valid === 0) throw new UserError('RealBlur scoring: the aligned image does not overlap the reference');
  return sse === 0 ? Infinity : 10 * Math.log10(valid / sse);
}

/**
 * Mask-weighted SSIM. The inputs are already multiplied by the mask. Dropping the 5-pixel border
 * of the map leaves exactly the pixels whose 11×11 window lies inside the image, so the map is
 * computed on that valid region only (no padding convention involved).
 */
export function maskedSsim(gt: FloatImage, out: FloatImage, mask: FloatImage): number {
  const { width: w, height: h, channels: c } = gt;
  const r = SSIM_RADIUS;
  if (w <= 2 * r || h <= 2 * r) throw new UserError(`RealBlur SSIM needs images larger than ${2 * r}×${2 * r}, got ${w}×${h}`);
  const k = gaussianKernel(r, 1.5);
  const vw = w - 2 * r;
  const vh = h - 2 * r;
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  let total = 0;
  const plane = (src: FloatImage, ch: number): Float64Array => {
    const p = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) p[i] = src.data[i * c + ch];
    return p;
  };
  for (let ch = 0; ch < c; ch++) {
    const a = plane(gt, ch);
    const b = plane(out, ch);
    const aa = a.map((v) => v * v);
    const bb = b.map((v) => v * v);
    const ab = a.map((v, i) => v * b[i]);
    const [ma, mb, maa, mbb, mab] = [a, b, aa, bb, ab].map((p) => validFilter(p, w, h, k));
    let sum = 0;
    let msum = 0;
    for (let y = 0; y < vh; y++) {
      for (let x = 0; x < vw; x++) {
        const i = y * vw + x;
        const m = mask.data[((y + r) * w + x + r) * c + ch];
        msum += m;
        if (m === 0) continue;
        const ux = ma[i];
        const uy = mb[i];
        const vx = maa[i] - ux * ux;
        const vy = mbb[i] - uy * uy;
        const vxy = mab[i] - ux * uy;
        sum += (m * ((2 * ux * uy + c1) * (2 * vxy + c2))) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      }
    }
    if (msum === 0) throw new UserError('RealBlur scoring: no valid pixel left after the 5-pixel SSIM border');
    total += sum / msum;
  }
  return total / c;
}

/** Separable filter keeping only output pixels whose window is inside the plane. */
function validFilter(src: Float64Array, w: number, h: number, k: Float64Array): Float64Array {
  const n = k.length;
  const vw = w - n + 1;
  const vh = h - n + 1;
  const tmp = new Float64Array(vw * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < vw; x++) {
      let acc = 0;
      for (let t = 0, s = y * w + x; t < n; t++, s++) acc += k[t] * src[s];
      tmp[y * vw + x] = acc;
    }
  }
  const out = new Float64Array(vw * vh);
  for (let y = 0; y < vh; y++) {
    for (let x = 0; x < vw; x++) {
      let acc = 0;
      for (let t = 0, s = y * vw + x; t < n; t++, s += vw) acc += k[t] * tmp[s];
      out[y * vw + x] = acc;
    }
  }
  return out;
}

/**
 * RealBlur protocol scores of `restored` against `gt`. Float outputs are first quantised as for
 * every other metric (`quantize`; RealBlur scores the saved 8-bit PNGs).
 */
export function realblurScores(gt: Image, restored: Image, quantize: ScoreQuantization = 'round', ecc: Partial<EccOptions> = {}): RealBlurScores {
  const { images } = harmonize(gt, restored, quantize);
  const x = unitFloat(images[0]);
  const z = unitFloat(images[1]);
  const scale = intensityScale(x.data, z.data);
  const zs: FloatImage = { ...z, data: z.data.map((v) => v * scale) };
  const { warp, rho } = findHomographyEcc(toGray(x), toGray(zs), x.width, x.height, ecc);
  const aligned = warpPerspective(zs, warp, 'cubic', 'reflect');
  const ones: FloatImage = { ...x, data: new Float64Array(x.data.length).fill(1) };
  const mask = warpPerspective(ones, warp, 'nearest', 'constant');
  const masked = (img: FloatImage): FloatImage => ({ ...img, data: img.data.map((v, i) => v * mask.data[i]) });
  const out = masked(aligned);
  const ref = masked(x);
  return { psnr: maskedPsnr(ref, out, mask), ssim: maskedSsim(ref, out, mask), scale, warp, rho };
}
