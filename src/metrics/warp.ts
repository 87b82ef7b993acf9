/**
 * Perspective warps on float64 planes, following OpenCV's `warpPerspective` with
 * `WARP_INVERSE_MAP`: the destination pixel (x, y) reads the source at H·(x, y, 1) (the matrix maps
 * destination to source coordinates). RealBlur's scoring and the ECC alignment both warp this way,
 * so the conventions below are OpenCV's documented ones:
 * - interpolating modes round the source coordinate to 1/32 pixel (OpenCV's INTER_BITS = 5
 *   fixed-point grid) before taking weights;
 * - bicubic is Keys' kernel with a = −0.75 (OpenCV's choice, not the a = −0.5 of Catmull-Rom);
 * - nearest rounds the coordinate to the nearest integer (half to even);
 * - `reflect` mirrors with the edge pixel repeated (fedcba|abcdef), `constant` reads 0.
 */
import { boundaryIndex } from '../blur-synth/boundaries.js';
import { roundHalfEven } from '../core/round.js';

/** Row-major 3×3 matrix mapping destination (x, y, 1) to source coordinates. */
export type Homography = Float64Array;

export type WarpInterpolation = 'nearest' | 'linear' | 'cubic';
export type WarpBorder = 'constant' | 'reflect';

/** A float64 image: HWC, `channels` interleaved values per pixel. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float64Array;
}

const SUBPIXEL = 32;

export function identityHomography(): Homography {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

/** Mirror an out-of-range index back inside [0, n) (BORDER_REFLECT: edge pixel repeated). */
const reflectIndex = (i: number, n: number): number => boundaryIndex(i, n, 'reflect');

/** Keys cubic convolution weights (a = −0.75) for the four taps at offsets −1, 0, 1, 2 of fraction t. */
export function cubicWeights(t: number, out: Float64Array): void {
  const a = -0.75;
  const far = (d: number): number => ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; // 1 ≤ |d| < 2
  const near = (d: number): number => ((a + 2) * d - (a + 3)) * d * d + 1; // |d| ≤ 1
  out[0] = far(t + 1);
  out[1] = near(t);
  out[2] = near(1 - t);
  out[3] = 1 - out[0] - out[1] - out[2];
}

/**
 * Source coordinate of destination pixel (x, y). Interpolating modes return it on the 1/32 grid
 * as [integer part, fraction index 0..31]; nearest returns the rounded integer pixel.
 */
function mapPoint(h: Homography, x: number, y: number, nearest: boolean, out: Int32Array): void {
  const w = h[6] * x + h[7] * y + h[8];
  const scale = w !== 0 ? (nearest ? 1 : SUBPIXEL) / w : 0;
  const fx = clampInt((h[0] * x + h[1] * y + h[2]) * scale);
  const fy = clampInt((h[3] * x + h[4] * y + h[5]) * scale);
  const X = roundHalfEven(fx);
  const Y = roundHalfEven(fy);
  if (nearest) {
    out[0] = X;
    out[1] = Y;
  } else {
    out[0] = Math.floor(X / SUBPIXEL);
    out[1] = Math.floor(Y / SUBPIXEL);
    out[2] = X - out[0] * SUBPIXEL;
    out[3] = Y - out[1] * SUBPIXEL;
  }
}

function clampInt(v: number): number {
  return v > 2147483647 ? 2147483647 : v < -2147483648 ? -2147483648 : v;
}

/** Warp `src` onto a `width`×`height` grid with the inverse map `h`. */
export function warpPerspective(src: FloatImage, h: Homography, interpolation: WarpInterpolation, border: WarpBorder, width = src.width, height = src.height): FloatImage {
  const { width: sw, height: sh, channels: c, data } = src;
  const out = new Float64Array(width * height * c);
  const p = new Int32Array(4);
  const taps = interpolation === 'cubic' ? 4 : 2;
  const lo = interpolation === 'cubic' ? -1 : 0;
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const xs = new Int32Array(4);
  const ys = new Int32Array(4);
  const inside = new Uint8Array(8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * c;
      mapPoint(h, x, y, interpolation === 'nearest', p);
      if (interpolation === 'nearest') {
        let sx = p[0];
        let sy = p[1];
        if (sx < 0 || sx >= sw || sy < 0 || sy >= sh) {
          if (border === 'constant') continue;
          sx = reflectIndex(sx, sw);
          sy = reflectIndex(sy, sh);
        }
        const s = (sy * sw + sx) * c;
        for (let k = 0; k < c; k++) out[o + k] = data[s + k];
        continue;
      }
      const fx = p[2] / SUBPIXEL;
      const fy = p[3] / SUBPIXEL;
      if (interpolation === 'cubic') {
        cubicWeights(fx, wx);
        cubicWeights(fy, wy);
      } else {
        wx[0] = 1 - fx;
        wx[1] = fx;
        wy[0] = 1 - fy;
        wy[1] = fy;
      }
      // tap positions; with a constant border an outside tap contributes 0
      for (let t = 0; t < taps; t++) {
        const ix = p[0] + lo + t;
        const iy = p[1] + lo + t;
        inside[t] = ix >= 0 && ix < sw ? 1 : 0;
        inside[4 + t] = iy >= 0 && iy < sh ? 1 : 0;
        xs[t] = inside[t] ? ix : border === 'reflect' ? reflectIndex(ix, sw) : 0;
        ys[t] = inside[4 + t] ? iy : border === 'reflect' ? reflectIndex(iy, sh) : 0;
        if (border === 'reflect') inside[t] = inside[4 + t] = 1;
      }
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let j = 0; j < taps; j++) {
          if (!inside[4 + j]) continue;
          const row = ys[j] * sw;
          let r = 0;
          for (let i = 0; i < taps; i++) if (inside[i]) r += wx[i] * data[(row + xs[i]) * c + k];
          acc += wy[j] * r;
        }
        out[o + k] = acc;
      }
    }
  }
  return { width, height, channels: c, data: out };
}
