/**
 * Runs an image-to-image network on an image of any size: reflect-pads to the network's size
 * multiple and crops back, and, when asked, processes overlapping tiles blended with linear ramps
 * so seams do not show. Tiling also keeps a network that normalises per image (instance norm)
 * near the image size it was trained on: its statistics over a whole photograph differ from
 * those over a training crop. Engines (onnxruntime, tfjs) plug in a `PlaneRunner`.
 */
import { type Image, createImage, peakValue, toRgb } from '../core/image.js';

/** One forward pass on planar RGB in [0, 1] (3 × h × w); returns planar [0, 1] RGB of the same size. */
export type PlaneRunner = (planes: Float32Array, width: number, height: number) => Promise<Float32Array>;

export interface Tiling {
  /** H and W are padded to a multiple of this. */
  multiple: number;
  /** Tile side in pixels when tiling (a multiple of `multiple`). */
  tile: number;
  /** Overlap between tiles in pixels. */
  overlap: number;
  /** Tile when width·height exceeds this (0 = never tile, 1 = whenever a side exceeds `tile`). */
  tileAbovePixels: number;
}

/** A tile side and overlap, as a model card records them. */
export interface TileSize {
  tile: number;
  overlap: number;
}

/** Why `t` is not a usable tile size for a network padded to `multiple`, or null when it is. */
export function tileSizeProblem(t: TileSize, multiple: number): string | null {
  if (!Number.isInteger(t.tile) || t.tile < 64 || t.tile % multiple !== 0) return `tile ${t.tile} must be an integer ≥ 64 and a multiple of ${multiple}`;
  if (!Number.isInteger(t.overlap) || t.overlap < 0 || t.overlap >= t.tile / 2) return `overlap ${t.overlap} must be an integer below tile/2`;
  return null;
}

/** Without a tiling of their own, models run whole images up to 1280×720 and 512-px tiles above (memory). */
export const DEFAULT_TILING: Omit<Tiling, 'multiple'> = { tile: 512, overlap: 32, tileAbovePixels: 1280 * 720 };

/** Tiles of `size` whenever the image exceeds one; the default tiling when `size` is null. */
export function tilingFor(multiple: number, size: TileSize | null): Tiling {
  return size ? { multiple, tile: size.tile, overlap: size.overlap, tileAbovePixels: 1 } : { multiple, ...DEFAULT_TILING };
}

/** Planar [0,1] RGB of a region, reflect-extended to (pw, ph). */
function cropPlanes(img: Image, x0: number, y0: number, w: number, h: number, pw: number, ph: number): Float32Array {
  const scale = 1 / peakValue(img.data);
  const out = new Float32Array(3 * pw * ph);
  const reflect = (i: number, n: number): number => {
    if (n === 1) return 0;
    const period = 2 * n - 2;
    const m = ((i % period) + period) % period;
    return m < n ? m : period - m;
  };
  for (let y = 0; y < ph; y++) {
    const sy = y0 + reflect(y, h);
    for (let x = 0; x < pw; x++) {
      const sx = x0 + reflect(x, w);
      const src = (sy * img.width + sx) * 3;
      for (let c = 0; c < 3; c++) out[c * pw * ph + y * pw + x] = img.data[src + c] * scale;
    }
  }
  return out;
}

/** Tile origins along a side of n pixels: a regular step, the last tile flush with the edge. */
function tileStarts(n: number, tile: number, overlap: number): number[] {
  if (n <= tile) return [0];
  const starts: number[] = [];
  for (let p = 0; p + tile < n; p += tile - overlap) starts.push(p);
  starts.push(n - tile);
  return starts;
}

/** Linear ramp over `overlap` pixels at edges shared with a neighbouring tile; never 0. */
function ramp(i: number, n: number, before: boolean, after: boolean, overlap: number): number {
  let w = 1;
  if (before && i < overlap) w = Math.min(w, (i + 0.5) / overlap);
  if (after && i >= n - overlap) w = Math.min(w, (n - i - 0.5) / overlap);
  return w;
}

/**
 * Restore a whole image through `run`; output float [0,1]-ish, HWC, with the input's channel
 * count: a grey image runs as replicated RGB and comes back as the mean of the three outputs
 * (scoring compares it with a grey reference).
 */
export async function restoreTiled(image: Image, tiling: Tiling, run: PlaneRunner): Promise<Image<Float32Array>> {
  const img = toRgb(image);
  const { width: W, height: H } = img;
  const up = (n: number): number => Math.ceil(n / tiling.multiple) * tiling.multiple;
  if (!(tiling.overlap >= 0 && tiling.overlap < tiling.tile / 2)) throw new Error(`tile overlap ${tiling.overlap} must be in [0, tile/2) (tile ${tiling.tile})`);
  const tiled = tiling.tileAbovePixels > 0 && W * H > tiling.tileAbovePixels && (W > tiling.tile || H > tiling.tile);
  const tile = tiled ? tiling.tile : Math.max(W, H);
  const overlap = tiled ? tiling.overlap : 0;
  // each output pixel is the weighted mean of the tiles covering it (one tile: weight 1)
  const out = new Float32Array(W * H * 3);
  const weight = new Float32Array(W * H);
  for (const ty of tileStarts(H, tile, overlap)) {
    for (const tx of tileStarts(W, tile, overlap)) {
      const tw = Math.min(tile, W - tx), th = Math.min(tile, H - ty);
      const pw = up(tw), ph = up(th);
      const res = await run(cropPlanes(img, tx, ty, tw, th, pw, ph), pw, ph);
      for (let y = 0; y < th; y++) {
        const wy = ramp(y, th, ty > 0, ty + th < H, overlap);
        for (let x = 0; x < tw; x++) {
          const wgt = wy * ramp(x, tw, tx > 0, tx + tw < W, overlap);
          const o = (ty + y) * W + (tx + x);
          weight[o] += wgt;
          for (let c = 0; c < 3; c++) out[o * 3 + c] += wgt * res[c * pw * ph + y * pw + x];
        }
      }
    }
  }
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] /= weight[i];
  if (image.channels === 3) return createImage(W, H, 3, out);
  const grey = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) grey[i] = (out[i * 3] + out[i * 3 + 1] + out[i * 3 + 2]) / 3;
  return createImage(W, H, 1, grey);
}
