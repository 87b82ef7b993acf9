/**
 * Convolution gradients for the tfjs wasm backend, built from its fast (XNNPACK, threaded)
 * forward kernels. Dilation 1, NHWC only.
 * - `Conv2DBackpropFilter` (missing on wasm, so no conv weight gradient could be taken):
 *   dW[i, j, ci, co] = Σ_{n,y,x} X[n, y·s + i, x·s + j, ci] · dY[n, y, x, co] is itself a
 *   convolution — of the input with channels as batch and batch as channels ([cin, H, W, n]) by
 *   dY as an Ho×Wo filter dilated by the stride ([Ho, Wo, n, cout]) — giving [cin, kh, kw, cout].
 *   XNNPACK is slow when it reduces over few channels (batch 1 gives one), so dY's rows are cut
 *   into bands stacked as extra channels (each band with the input rows it reads). One XNNPACK
 *   conv; 10–60× faster than a GEMM per kernel tap.
 * - `Conv2DBackpropInput` (the input gradient, and the forward pass of a transposed conv; wasm's
 *   own kernel is a slow scalar loop): split by output phase. Padded-input row p = q·s + r only
 *   receives kernel rows r, r + s, r + 2s, …, so each of the s×s phases is a stride-1 conv of dY
 *   with the matching sub-kernel (flipped, in/out swapped). All phases run as one conv with their
 *   sub-kernels side by side in the output channels, then one transpose interleaves them (the
 *   backend's depthToSpace and channel concat cost more than the conv). No zero-insertion in dY.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';
import { registerComposedKernel } from '../../core/wasm-kernels.js';
import { registerNativeConvKernels } from './native-kernels.js';

let registered = false;

type Pad = 'valid' | 'same' | number | number[][];

function padding(pad: Pad, h: number, w: number, kh: number, kw: number, ho: number, wo: number, sh: number, sw: number): [number, number, number, number] {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  if (Array.isArray(pad)) return [pad[1][0], pad[1][1], pad[2][0], pad[2][1]];
  const th = Math.max((ho - 1) * sh + kh - h, 0);
  const tw = Math.max((wo - 1) * sw + kw - w, 0);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

/** Channels the filter-gradient conv should reduce over at least: XNNPACK is slow with fewer. */
const MIN_REDUCTION_CHANNELS = 16;

export function filterGradient(tf: Tf, x: Tensor4D, dy: Tensor4D, filterShape: number[], strides: number | [number, number], pad: Pad): Tensor {
  const [kh, kw, cin] = filterShape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, h, w] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  return tf.tidy(() => {
    const [pt, , pl] = padding(pad, h, w, kh, kw, ho, wo, sh, sw);
    // dY rows split into `blocks` bands of `rows`; each band becomes channels of the reduction
    const blocks = Math.min(ho, Math.ceil(MIN_REDUCTION_CHANNELS / n));
    const rows = Math.ceil(ho / blocks);
    const bandRows = (rows - 1) * sh + kh; // input rows one band of dY reads
    const needRows = (blocks * rows - 1) * sh + kh;
    const needCols = (wo - 1) * sw + kw;
    // only the rows/cols the forward conv read, plus zero rows under the zero rows added to dY
    const xp = padOrCrop(tf, x, [pt, needRows - h - pt], [pl, needCols - w - pl]);
    const dyp = blocks * rows > ho ? tf.pad(dy, [[0, 0], [0, blocks * rows - ho], [0, 0], [0, 0]]) : dy;
    const bands = Array.from({ length: blocks }, (_, b) => tf.slice(xp, [0, b * rows * sh, 0, 0], [n, bandRows, needCols, cin]));
    // [blocks·n, bandRows, W, cin] → [cin, bandRows, W, blocks·n]: channel b·n + i is band b of image i
    const images = tf.transpose(tf.reshape(tf.stack(bands), [blocks * n, bandRows, needCols, cin]), [3, 1, 2, 0]) as Tensor4D;
    // [n, blocks, rows·wo, cout] → [rows, wo, blocks·n, cout]
    const filter = tf.reshape(tf.transpose(tf.reshape(dyp, [n, blocks, rows * wo, cout]), [2, 1, 0, 3]), [rows, wo, blocks * n, cout]) as Tensor4D;
    const out = tf.conv2d(images, filter, 1, 'valid', 'NHWC', [sh, sw]); // [cin, kh, kw, cout]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/**
 * The phase sub-kernels of a stride-(sh, sw) conv packed side by side for one stride-1 conv:
 * [th, tw, cout, sh·sw·cin], output channels in (rh, rw, ci) order. Phase (rh, rw) uses kernel
 * taps rh + t·sh, rw + u·sw, flipped, in/out channels swapped; a phase with fewer taps than the
 * largest is zero-filled at the front, so one padding of dY serves all phases. Built in one pass
 * over the weights in JS: the backend's reverse and strided-slice kernels cost ~10× more.
 */
export function packedPhaseKernel(w: Float32Array, shape: number[], sh: number, sw: number): { data: Float32Array; shape: [number, number, number, number] } {
  const [kh, kw, cin, cout] = shape;
  const th = Math.ceil(kh / sh);
  const tw = Math.ceil(kw / sw);
  const phases = sh * sw * cin;
  const data = new Float32Array(th * tw * cout * phases);
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const nh = Math.ceil((kh - rh) / sh); // taps of this phase
      const nw = Math.ceil((kw - rw) / sw);
      for (let t = 0; t < nh; t++) {
        for (let u = 0; u < nw; u++) {
          const src = ((rh + (nh - 1 - t) * sh) * kw + (rw + (nw - 1 - u) * sw)) * cin * cout;
          const tap = (th - nh + t) * tw + (tw - nw + u);
          for (let co = 0; co < cout; co++) {
            const dst = (tap * cout + co) * phases + (rh * sw + rw) * cin;
            for (let ci = 0; ci < cin; ci++) data[dst + ci] = w[src + ci * cout + co];
          }
        }
      }
    }
  }
  return { data, shape: [th, tw, cout, phases] };
}

/** Zero-pad rows/cols of an NHWC tensor by [top, bottom] and [left, right]; negative amounts cut. */
function padOrCrop(tf: Tf, x: Tensor4D, [top, bottom]: [number, number], [left, right]: [number, number]): Tensor4D {
  const [n, h, w, c] = x.shape;
  const cut = (a: number): number => Math.max(0, -a);
  const kept = cut(top) || cut(bottom) || cut(left) || cut(right) ? tf.slice(x, [0, cut(top), cut(left), 0], [n, h - cut(top) - cut(bottom), w - cut(left) - cut(right), c]) : x;
  const grow = (a: number): number => Math.max(0, a);
  return grow(top) || grow(bottom) || grow(left) || grow(right) ? tf.pad(kept, [[0, 0], [grow(top), grow(bottom)], [grow(left), grow(right)], [0, 0]]) : kept;
}

/** dX of a conv2d with filter `w` [kh, kw, cin, cout] and input shape `inputShape`, from dY. */
export function inputGradient(tf: Tf, dy: Tensor4D, w: Tensor4D, inputShape: number[], strides: number | [number, number], pad: Pad): Tensor {
  const [kh, kw, cin] = w.shape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, h, wd] = inputShape;
  const [, ho, wo] = dy.shape;
  return tf.tidy(() => {
    const [pt, , pl] = padding(pad, h, wd, kh, kw, ho, wo, sh, sw);
    const packed = packedPhaseKernel(w.dataSync() as Float32Array, w.shape, sh, sw);
    const [th, tw] = packed.shape;
    const kernel = tf.tensor4d(packed.data, packed.shape);
    // Phase row q holds padded-input rows q·sh + rh. Only rows pt…pt+h−1 are wanted, so only phase
    // rows q0…q0+qh−1 are computed: the "full" correlation of dY (padded by th − 1) would start at
    // q = 0; padding dY by th − 1 − q0 instead (cutting rows where negative) starts it at q0.
    const q0h = Math.floor(pt / sh);
    const q0w = Math.floor(pl / sw);
    const qh = Math.ceil((pt + h) / sh) - q0h;
    const qw = Math.ceil((pl + wd) / sw) - q0w;
    const phases = tf.conv2d(padOrCrop(tf, dy, [th - 1 - q0h, qh - ho + q0h], [tw - 1 - q0w, qw - wo + q0w]), kernel, 1, 'valid');
    if (sh === 1 && sw === 1) return phases;
    // [n·qh, qw, rh, (rw, ci)] → [n·qh, rh, qw, (rw, ci)] is the row-major layout of [n, qh·sh, qw·sw, ci]
    const interleaved = tf.reshape(tf.transpose(tf.reshape(phases, [n * qh, qw, sh, sw * cin]), [0, 2, 1, 3]), [n, qh * sh, qw * sw, cin]);
    const top = pt - q0h * sh;
    const left = pl - q0w * sw;
    return top === 0 && left === 0 && qh * sh === h && qw * sw === wd ? interleaved : tf.slice(interleaved, [0, top, left, 0], [n, h, wd, cin]);
  });
}

function registerComposedKernels(tf: Tf): void {
  registerComposedKernel(tf, 'Conv2DBackpropInput', ['dy', 'filter'], ([dy, filter], attrs) => {
    const a = attrs as unknown as { strides: number | [number, number]; pad: Pad; inputShape: number[]; dataFormat?: string; dilations?: number | number[] };
    const dilated = a.dilations !== undefined && (Array.isArray(a.dilations) ? a.dilations.some((d) => d !== 1) : a.dilations !== 1);
    if ((a.dataFormat && a.dataFormat !== 'NHWC') || dilated) return null;
    return inputGradient(tf, dy as Tensor4D, filter as Tensor4D, a.inputShape, a.strides, a.pad);
  });
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registerComposedKernel(tf, 'Conv2DBackpropFilter', ['x', 'dy'], ([x, dy], attrs) => {
    const a = attrs as unknown as { strides: number | [number, number]; pad: Pad; filterShape: number[]; dataFormat?: string };
    if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC');
    return filterGradient(tf, x as Tensor4D, dy as Tensor4D, a.filterShape, a.strides, a.pad);
  });
}

/** Which convolution kernels training runs on: the native ones (OpenBLAS) or tfjs-wasm's XNNPACK. */
export type TrainingKernels = 'native OpenBLAS convolutions' | 'tfjs-wasm convolutions';

/**
 * Register the training kernels on the wasm backend (once per process): the composed gradients
 * above, and over them the native convolution kernels when they are built (native-kernels.ts).
 */
export function registerWasmTrainingKernels(tf: Tf): TrainingKernels {
  if (!registered) {
    registered = true;
    registerComposedKernels(tf);
  }
  return registerNativeConvKernels(tf) ? 'native OpenBLAS convolutions' : 'tfjs-wasm convolutions';
}
