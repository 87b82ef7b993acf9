/**
 * Convolution gradients for the tfjs wasm backend, built from its fast (XNNPACK, threaded)
 * forward kernels. Dilation 1, NHWC only.
 * - `Conv2DBackpropFilter` (missing on wasm, so no conv weight gradient could be taken):
 *   dW[i, j, ci, co] = Σ_{n,y,x} X[n, y·s + i, x·s + j, ci] · dY[n, y, x, co] is itself a
 *   convolution — of the input with channels as batch and batch as channels ([cin, H, W, n]) by
 *   dY as an Ho×Wo filter dilated by the stride ([Ho, Wo, n, cout]) — giving [cin, kh, kw, cout].
 *   One XNNPACK conv; 10–60× faster than a GEMM per kernel tap.
 * - `Conv2DBackpropInput` (the input gradient, and the forward pass of a transposed conv; wasm's
 *   own kernel is a slow scalar loop): split by output phase. Padded-input row p = q·s + r only
 *   receives kernel rows r, r + s, r + 2s, …, so each of the s×s phases is one stride-1 conv of dY
 *   with the matching sub-kernel (flipped, in/out swapped); the phases are then interleaved.
 *   No zero-insertion, so no wasted multiply-adds.
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
  const [kh, kw, cin] = filterShape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  return tf.tidy(() => {
    const [pt, pb, pl, pr] = padding(pad, h, w, kh, kw, ho, wo, sh, sw);
    const padded = pt || pb || pl || pr ? tf.pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : x;
    // only the rows/cols the forward conv read
    const xp = tf.slice(padded, [0, 0, 0, 0], [n, (ho - 1) * sh + kh, (wo - 1) * sw + kw, cin]);
    const images = tf.transpose(xp, [3, 1, 2, 0]) as Tensor4D; // [cin, Hp, Wp, n]
    const filter = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D; // [ho, wo, n, cout]
    const out = tf.conv2d(images, filter, 1, 'valid', 'NHWC', [sh, sw]); // [cin, kh, kw, cout]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/**
 * Per output phase (rh, rw) of a stride-(sh, sw) conv, the taps rh + t·sh, rw + u·sw of the kernel,
 * flipped and with in/out channels swapped: [th, tw, cout, cin]; null where no tap falls. Done in
 * one pass over the weights in JS: the backend's reverse and strided-slice kernels cost ~10× more.
 */
export function phaseKernels(w: Float32Array, shape: number[], sh: number, sw: number): ({ data: Float32Array; shape: [number, number, number, number] } | null)[] {
  const [kh, kw, cin, cout] = shape;
  const out: ({ data: Float32Array; shape: [number, number, number, number] } | null)[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const th = Math.ceil((kh - rh) / sh);
      const tw = Math.ceil((kw - rw) / sw);
      if (th <= 0 || tw <= 0) {
        out.push(null);
        continue;
      }
      const data = new Float32Array(th * tw * cout * cin);
      for (let t = 0; t < th; t++) {
        for (let u = 0; u < tw; u++) {
          const src = ((rh + (th - 1 - t) * sh) * kw + (rw + (tw - 1 - u) * sw)) * cin * cout;
          const dst = (t * tw + u) * cout * cin;
          for (let ci = 0; ci < cin; ci++) {
            for (let co = 0; co < cout; co++) data[dst + co * cin + ci] = w[src + ci * cout + co];
          }
        }
      }
      out.push({ data, shape: [th, tw, cout, cin] });
    }
  }
  return out;
}

/** dX of a conv2d with filter `w` [kh, kw, cin, cout] and input shape `inputShape`, from dY. */
export function inputGradient(tf: Tf, dy: Tensor4D, w: Tensor4D, inputShape: number[], strides: number | [number, number], pad: Pad): Tensor {
  const [kh, kw, cin] = w.shape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [n, h, wd] = inputShape;
  const [, ho, wo] = dy.shape;
  return tf.tidy(() => {
    const [pt, , pl] = padding(pad, h, wd, kh, kw, ho, wo, sh, sw);
    // phase grid covering the padded input from row/col 0 up to the last row/col kept
    const qh = Math.ceil((pt + h) / sh);
    const qw = Math.ceil((pl + wd) / sw);
    const subKernels = phaseKernels(w.dataSync() as Float32Array, w.shape, sh, sw);
    if (sh === 1 && sw === 1) {
      // one phase: the "full" correlation, cut to the input window
      const sub = subKernels[0] as { data: Float32Array; shape: [number, number, number, number] };
      const full = tf.conv2d(tf.pad(dy, [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]]), tf.tensor4d(sub.data, sub.shape), 1, 'valid');
      return tf.slice(full, [0, pt, pl, 0], [n, h, wd, cin]);
    }
    const phases: Tensor[] = [];
    for (let rh = 0; rh < sh; rh++) {
      for (let rw = 0; rw < sw; rw++) {
        const sub = subKernels[rh * sw + rw];
        if (!sub) {
          phases.push(tf.zeros([n, qh, qw, cin]));
          continue;
        }
        const [th, tw] = sub.shape;
        // "full" correlation of dY: output index q covers padded-input row q·s + r
        const filter = tf.tensor4d(sub.data, sub.shape);
        const full = tf.conv2d(tf.pad(dy, [[0, 0], [th - 1, th - 1], [tw - 1, tw - 1], [0, 0]]), filter, 1, 'valid');
        const [, fh, fw] = full.shape;
        const fitted = tf.pad(tf.slice(full, [0, 0, 0, 0], [n, Math.min(fh, qh), Math.min(fw, qw), cin]), [[0, 0], [0, Math.max(0, qh - fh)], [0, Math.max(0, qw - fw)], [0, 0]]);
        phases.push(fitted);
      }
    }
    // rows q·s + r: phases side by side in channels, in (rh, rw) order, are what depthToSpace unpacks
    // (it has no gradient, but nothing inside a kernel is differentiated)
    const interleaved =
      sh === sw
        ? tf.depthToSpace(tf.concat(phases, 3) as Tensor4D, sh)
        : tf.reshape(tf.transpose(tf.reshape(tf.stack(phases), [sh, sw, n, qh, qw, cin]), [2, 3, 0, 4, 1, 5]), [n, qh * sh, qw * sw, cin]);
    return tf.slice(interleaved, [0, pt, pl, 0], [n, h, wd, cin]);
  });
}

/** Register the kernels on the wasm backend (once per process). */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (registered) return;
  registered = true;
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
