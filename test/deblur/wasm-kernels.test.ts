// The composed tfjs-wasm gradient kernels (XNNPACK only): the native kernels are switched off in
// this test process so that every convolution inside them runs on the backend's own kernels.
process.env.DEBLURBENCH_NATIVE = '0';

import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeConv } from '../../src/core/native.js';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { filterGradient, inputGradient, registerWasmTrainingKernels } from '../../src/deblur/deblurgan/wasm-kernels.js';

describe('tfjs-wasm convolution gradients composed from XNNPACK kernels', () => {
  it('are what training registers when the native kernels are off', async () => {
    const tf = await loadTf();
    expect(nativeConv()).toBeNull();
    expect(registerWasmTrainingKernels(tf)).toBe('tfjs-wasm convolutions');
  });

  it('the wasm Conv2DBackpropFilter replacement equals the reference weight gradient', async () => {
    const tf = await loadTf();
    const cases = [[2, 11, 9, 3, 2, 'same'], [2, 11, 9, 7, 1, 'valid'], [2, 11, 9, 4, 2, 'valid'], [2, 11, 9, 3, 1, 'same'], [1, 40, 12, 3, 1, 'same'], [1, 41, 6, 4, 2, 'valid']] as const;
    for (const [n, h, wd, k, stride, pad] of cases) {
      // batch 1 with ≥ 17 output rows: dY is cut into row bands of several rows, the last one zero-filled
      const x = tf.randomNormal([n, h, wd, 3], 0, 1, 'float32', 1) as Tensor4D;
      const w = tf.randomNormal([k, k, 3, 5], 0, 1, 'float32', 2) as Tensor4D;
      const y = tf.conv2d(x, w, stride, pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as Tensor4D;
      const ours = await filterGradient(tf, x, dy, [k, k, 3, 5], stride, pad).data();
      // reference: d/dW of sum(conv2d(x, W) · dy), on the cpu backend's own kernels
      const previous = tf.getBackend();
      await tf.setBackend('cpu');
      const ref = await tf.grad((ww: Tensor) => tf.sum(tf.mul(tf.conv2d(tf.tensor(x.dataSync(), x.shape) as Tensor4D, ww as Tensor4D, stride, pad), tf.tensor(dy.dataSync(), dy.shape))))(tf.tensor(w.dataSync(), w.shape)).data();
      await tf.setBackend(previous);
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - ours[i]));
      expect(maxDiff).toBeLessThan(1e-3);
    }
  });

  it('the wasm Conv2DBackpropInput replacement equals the reference input gradient (strides, kernels, paddings)', async () => {
    const tf = await loadTf();
    const cases = [
      [3, 2, 'same', 11, 9], [7, 1, 'valid', 11, 9], [4, 2, 'valid', 11, 9], [3, 1, 'same', 11, 9], [1, 2, 'valid', 8, 8],
      [4, 1, 'same', 7, 6], [4, 2, 'same', 9, 9], [4, 2, [[0, 0], [2, 2], [2, 2], [0, 0]], 12, 10], [5, 3, 'same', 13, 10], [3, [2, 1], 'same', 9, 8],
      [4, 1, [[0, 0], [2, 2], [2, 2], [0, 0]], 17, 9], [3, 1, [[0, 0], [4, 1], [0, 3], [0, 0]], 8, 7], [3, 1, 'valid', 10, 4],
    ] as const;
    for (const [k, strides, pad, h, w] of cases) {
      const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 1) as Tensor4D;
      const filter = tf.randomNormal([k, k, 3, 5], 0, 1, 'float32', 2) as Tensor4D;
      const padding = pad as 'same' | 'valid' | number[][];
      const stride = strides as number | [number, number];
      const y = tf.conv2d(x, filter, stride, padding as 'same');
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as Tensor4D;
      const ours = await inputGradient(tf, dy, filter, x.shape, stride, padding).data();
      // reference: the cpu backend's own transposed convolution
      const previous = tf.getBackend();
      await tf.setBackend('cpu');
      const ref = await tf.conv2dTranspose(tf.tensor(dy.dataSync(), dy.shape) as Tensor4D, tf.tensor(filter.dataSync(), filter.shape) as Tensor4D, x.shape, stride, padding as 'same').data();
      await tf.setBackend(previous);
      expect(ours.length).toBe(ref.length);
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - ours[i]));
      expect(maxDiff, `k ${k} stride ${stride} pad ${JSON.stringify(pad)}`).toBeLessThan(1e-4);
    }
  });

});
