/**
 * The tfjs wasm backend has no `Conv2DBackpropFilter` kernel, so no conv weight gradient can be
 * taken there. This registers one built from the backend's fast kernels: for each kernel tap
 * (i, j), the strided slice of the padded input that tap saw is multiplied with the output
 * gradient (one GEMM, M = N·Ho·Wo): dW[i, j] = X_ijᵀ · dY. Dilation 1, NHWC only.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';
import { registerComposedKernel } from '../../core/wasm-kernels.js';

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

export function filterGradient(tf: Tf, x: Tensor4D, dy: Tensor4D, filterShape: number[], strides: number | [number, number], pad: Pad): Tensor {
  const [kh, kw, cin, cout] = filterShape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  return tf.tidy(() => {
    const [pt, pb, pl, pr] = padding(pad, h, w, kh, kw, ho, wo, sh, sw);
    const xp = pt || pb || pl || pr ? tf.pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : x;
    const dy2 = tf.reshape(dy, [n * ho * wo, cout]);
    const taps: Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const xs = tf.stridedSlice(xp, [0, i, j, 0], [n, i + (ho - 1) * sh + 1, j + (wo - 1) * sw + 1, cin], [1, sh, sw, 1]);
        taps.push(tf.matMul(tf.reshape(xs, [n * ho * wo, cin]), dy2, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
  });
}

/** Register the kernel on the wasm backend (no-op elsewhere or when tfjs already has one). */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registered = true;
  registerComposedKernel(tf, 'Conv2DBackpropFilter', ['x', 'dy'], ([x, dy], attrs) => {
    const a = attrs as unknown as { strides: number | [number, number]; pad: Pad; filterShape: number[]; dataFormat?: string };
    if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC');
    return filterGradient(tf, x as Tensor4D, dy as Tensor4D, a.filterShape, a.strides, a.pad);
  });
}
