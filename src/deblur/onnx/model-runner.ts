/**
 * Runs an image-to-image ONNX model (NCHW RGB float) on an image of any size with onnxruntime-node:
 * reflect-pads to the network's multiple and crops back, and, above a pixel budget, processes
 * overlapping tiles blended with linear ramps so seams do not show.
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.js';
import { type Image, createImage, peakValue, toRgb } from '../../core/image.js';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

export interface ModelIo {
  /** Value range the model expects and returns: [−1, 1] (DeblurGAN) or [0, 1] (NAFNet, MIMO-UNet …). */
  range: '-1,1' | '0,1';
  /** Add the input to the model output (for models that predict a residual). */
  residual: boolean;
  /** H and W are padded to a multiple of this. */
  multiple: number;
  /** Tile side in pixels when tiling (a multiple of `multiple`). */
  tile: number;
  /** Overlap between tiles in pixels. */
  overlap: number;
  /** Tile when width·height exceeds this (0 = never tile, 1 = always). */
  tileAbovePixels: number;
}

export const DEFAULT_IO: ModelIo = { range: '-1,1', residual: false, multiple: 4, tile: 512, overlap: 32, tileAbovePixels: 1280 * 720 };

let ortPromise: Promise<Ort> | null = null;
async function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node') as Promise<Ort>;
  return ortPromise;
}

export interface LoadedModel {
  session: Session;
  inputName: string;
  outputName: string;
  threads: number;
}

export async function loadOnnxModel(source: string | Uint8Array): Promise<LoadedModel> {
  const ort = await loadOrt();
  const threads = Math.max(1, Number(process.env.DEBLURBENCH_THREADS) || availableParallelism());
  let session: Session;
  try {
    const options = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
  } catch (err) {
    throw new UserError(`cannot load ONNX model${typeof source === 'string' ? ` ${source}` : ''}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { session, inputName: session.inputNames[0], outputName: session.outputNames[0], threads };
}

/** One NCHW forward pass on a planar [0,1] RGB crop; returns planar [0,1] output of the same size. */
async function runPlanes(model: LoadedModel, planes: Float32Array, w: number, h: number, io: ModelIo): Promise<Float32Array> {
  const ort = await loadOrt();
  const input = new Float32Array(planes.length);
  const toModel = io.range === '-1,1' ? (v: number) => v * 2 - 1 : (v: number) => v;
  for (let i = 0; i < planes.length; i++) input[i] = toModel(planes[i]);
  const feeds = { [model.inputName]: new ort.Tensor('float32', input, [1, 3, h, w]) };
  const result = await model.session.run(feeds);
  const out = result[model.outputName];
  const dims = out.dims;
  if (dims.length !== 4 || dims[1] !== 3 || dims[2] !== h || dims[3] !== w) {
    throw new Error(`model output has shape [${dims.join(', ')}], expected [1, 3, ${h}, ${w}]`);
  }
  const data = out.data as Float32Array;
  const res = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (io.residual) v += input[i];
    res[i] = io.range === '-1,1' ? (v + 1) / 2 : v;
  }
  out.dispose?.();
  return res;
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

/** Restore a whole image: pad to the multiple (or tile), run, crop back. Output float [0,1]-ish, HWC. */
export async function restoreWithModel(model: LoadedModel, image: Image, io: ModelIo): Promise<Image<Float32Array>> {
  const img = toRgb(image);
  const { width: W, height: H } = img;
  const out = new Float32Array(W * H * 3);
  const up = (n: number): number => Math.ceil(n / io.multiple) * io.multiple;
  const tiled = io.tileAbovePixels > 0 && W * H > io.tileAbovePixels && (W > io.tile || H > io.tile);
  if (!tiled) {
    const pw = up(W), ph = up(H);
    const res = await runPlanes(model, cropPlanes(img, 0, 0, W, H, pw, ph), pw, ph, io);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = res[c * pw * ph + y * pw + x];
    return createImage(W, H, 3, out);
  }
  // Overlapping tiles; each output pixel is the weighted mean of the tiles covering it, with
  // weights ramping linearly from the tile border over the overlap (interior weight 1).
  const weight = new Float32Array(W * H);
  const step = io.tile - io.overlap;
  const starts = (n: number): number[] => {
    if (n <= io.tile) return [0];
    const s: number[] = [];
    for (let p = 0; p + io.tile < n; p += step) s.push(p);
    s.push(n - io.tile);
    return s;
  };
  for (const ty of starts(H)) {
    for (const tx of starts(W)) {
      const tw = Math.min(io.tile, W - tx), th = Math.min(io.tile, H - ty);
      const pw = up(tw), ph = up(th);
      const res = await runPlanes(model, cropPlanes(img, tx, ty, tw, th, pw, ph), pw, ph, io);
      for (let y = 0; y < th; y++) {
        const wy = ramp(y, th, ty > 0, ty + th < H, io.overlap);
        for (let x = 0; x < tw; x++) {
          const wgt = wy * ramp(x, tw, tx > 0, tx + tw < W, io.overlap);
          const o = (ty + y) * W + (tx + x);
          weight[o] += wgt;
          for (let c = 0; c < 3; c++) out[o * 3 + c] += wgt * res[c * pw * ph + y * pw + x];
        }
      }
    }
  }
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] /= weight[i];
  return createImage(W, H, 3, out);
}

/** Linear ramp over `overlap` pixels at edges shared with a neighbouring tile; never 0. */
function ramp(i: number, n: number, before: boolean, after: boolean, overlap: number): number {
  let w = 1;
  if (before && i < overlap) w = Math.min(w, (i + 0.5) / overlap);
  if (after && i >= n - overlap) w = Math.min(w, (n - i - 0.5) / overlap);
  return w;
}
