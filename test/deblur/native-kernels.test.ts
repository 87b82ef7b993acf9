import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type ConvGeometry, nativeConv } from '../../src/core/native.js';
import { type Tf, loadTf } from '../../src/core/tfjs-backend.js';
import { prefersNative } from '../../src/deblur/deblurgan/native-kernels.js';
import { registerWasmTrainingKernels } from '../../src/deblur/deblurgan/wasm-kernels.js';

// CI installs libopenblas-dev and sets this: there the native kernels must have been built
const expected = process.env.DEBLURBENCH_EXPECT_NATIVE === '1';
const native = nativeConv();

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case { x: [number, number, number, number]; k: number; cout: number; strides: number | [number, number]; pad: Pad; dilations?: number }

const values = (n: number, f: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f) + 0.1 * Math.cos(i * 0.013));

function geometryOf(tf: Tf, c: Case): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.k, c.k, c.x[3], c.cout], c.strides, c.dilations ?? 1, c.pad, undefined, false, 'channelsLast');
  return {
    n: info.batchSize, h: info.inHeight, w: info.inWidth, cin: info.inChannels, kh: c.k, kw: c.k, cout: c.cout,
    sh: info.strideHeight, sw: info.strideWidth, dh: info.dilationHeight, dw: info.dilationWidth,
    pt: info.padInfo.top, pl: info.padInfo.left, ho: info.outHeight, wo: info.outWidth,
  };
}

/** y, dx and dw from the cpu backend (its own kernels), for dy given. */
async function reference(tf: Tf, c: Case, x: Float32Array, w: Float32Array, dy: Float32Array, outShape: number[]): Promise<Float32Array[]> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const xt = tf.tensor4d(x, c.x);
    const wt = tf.tensor4d(w, [c.k, c.k, c.x[3], c.cout]);
    const conv = (a: Tensor, b: Tensor): Tensor => tf.conv2d(a as Tensor4D, b as Tensor4D, c.strides, c.pad, 'NHWC', c.dilations ?? 1);
    const y = await conv(xt, wt).data();
    if ((c.dilations ?? 1) > 1) return [y as Float32Array]; // tfjs has no gradients for dilated convs
    const [dx, dw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv(a, b), tf.tensor(dy, outShape))))([xt, wt]);
    return [y as Float32Array, (await dx.data()) as Float32Array, (await dw.data()) as Float32Array];
  } finally {
    await tf.setBackend(previous);
  }
}

function maxRelativeError(got: Float32Array, want: Float32Array): number {
  let scale = 1e-6;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
  return err / scale;
}

const cases: Case[] = [
  { x: [2, 11, 9, 3], k: 3, cout: 5, strides: 2, pad: 'same' },
  { x: [1, 17, 17, 8], k: 4, cout: 6, strides: 1, pad: [[0, 0], [2, 2], [2, 2], [0, 0]] },
  { x: [2, 12, 10, 4], k: 3, cout: 7, strides: 1, pad: 'valid' },
  { x: [1, 13, 12, 5], k: 4, cout: 3, strides: 2, pad: 'valid' },
  { x: [1, 14, 13, 2], k: 5, cout: 4, strides: [3, 2], pad: 'same' },
  { x: [3, 9, 8, 6], k: 1, cout: 9, strides: 1, pad: 'valid' },
  { x: [1, 12, 11, 3], k: 3, cout: 4, strides: 1, pad: 'same', dilations: 2 },
  // one output channel: direct loops (the critic's last layer), with padding, strides and a batch;
  // with dilation only the forward pass has a reference (tfjs has no gradients for dilated convs)
  { x: [2, 9, 8, 12], k: 4, cout: 1, strides: 1, pad: [[0, 0], [2, 2], [2, 2], [0, 0]] },
  { x: [1, 11, 10, 5], k: 3, cout: 1, strides: 2, pad: 'same' },
  { x: [1, 10, 9, 3], k: 4, cout: 1, strides: [1, 2], pad: 'valid' },
  { x: [1, 12, 11, 3], k: 3, cout: 1, strides: 1, pad: 'same', dilations: 2 },
  // im2col in several chunks of output rows (> 8 M floats)
  { x: [1, 80, 24, 96], k: 7, cout: 2, strides: 1, pad: 'same' },
];

describe.skipIf(!native && !expected)('native convolution kernels (im2col + OpenBLAS)', () => {
  it('are built where CI expects them', () => {
    expect(native, 'build/Release/deblurbench_native.node did not load').not.toBeNull();
  });

  it.each(cases)('forward, input and weight gradients equal the cpu backend: %j', async (c) => {
    const tf = await loadTf();
    const nat = native as NonNullable<typeof native>;
    const g = geometryOf(tf, c);
    const [n, h, w, cin] = c.x;
    const x = values(n * h * w * cin, 0.7);
    const wt = values(c.k * c.k * cin * c.cout, 0.31);
    const outShape = [g.n, g.ho, g.wo, g.cout];
    const dy = values(g.n * g.ho * g.wo * g.cout, 1.3);
    const [y, dx, dw] = await reference(tf, c, x, wt, dy, outShape);
    const ours = new Float32Array(y.length);
    nat.forward(x, wt, ours, g);
    expect(maxRelativeError(ours, y)).toBeLessThan(1e-5);
    if (!dx) return;
    const gotDx = new Float32Array(dx.length).fill(Number.NaN); // every element must be written
    nat.inputGradient(dy, wt, gotDx, g);
    expect(maxRelativeError(gotDx, dx)).toBeLessThan(1e-5);
    const gotDw = new Float32Array(dw.length).fill(Number.NaN);
    nat.filterGradient(x, dy, gotDw, g);
    expect(maxRelativeError(gotDw, dw)).toBeLessThan(1e-5);
  });

  it('take the convolutions where they are faster: wide, one-channel, and weight gradients of very narrow or wide inputs', async () => {
    const tf = await loadTf();
    const g = (x: Case['x'], k: number, cout: number) => geometryOf(tf, { x, k, cout, strides: 1, pad: 'same' });
    const ops = ['forward', 'inputGradient', 'filterGradient'] as const;
    const route = (geometry: ConvGeometry) => ops.map((op) => prefersNative(op, geometry));
    expect(route(g([1, 17, 17, 256], 4, 512))).toEqual([true, true, true]);
    expect(route(g([1, 18, 18, 512], 4, 1))).toEqual([true, true, true]); // the critic's last layer
    expect(route(g([1, 128, 128, 12], 7, 3))).toEqual([false, false, false]);
    expect(route(g([1, 128, 128, 3], 7, 12))).toEqual([false, false, true]);
    expect(route(g([1, 32, 32, 64], 3, 16))).toEqual([false, false, true]);
  });

  it('training on wasm gives the same results and gradients with them as the reference (wide, one-channel and narrow convolutions)', async () => {
    const tf = await loadTf();
    expect(registerWasmTrainingKernels(tf)).toBe('native OpenBLAS convolutions');
    // 32 and 1 output channels: native; 3 output channels: the wasm kernels (faster there)
    for (const c of [{ x: [2, 10, 9, 16], k: 4, cout: 32, strides: 2, pad: [[0, 0], [2, 2], [2, 2], [0, 0]] }, { x: [2, 8, 8, 64], k: 4, cout: 1, strides: 1, pad: [[0, 0], [2, 2], [2, 2], [0, 0]] }, { x: [1, 12, 12, 12], k: 7, cout: 3, strides: 1, pad: 'valid' }] as Case[]) {
      const [n, h, w, cin] = c.x;
      const x = values(n * h * w * cin, 0.9);
      const wt = values(c.k * c.k * cin * c.cout, 0.17);
      const g = geometryOf(tf, c);
      const outShape = [g.n, g.ho, g.wo, g.cout];
      const dy = values(g.n * g.ho * g.wo * g.cout, 0.4);
      const [y, dx, dw] = await reference(tf, c, x, wt, dy, outShape);
      const conv = (a: Tensor, b: Tensor): Tensor => tf.conv2d(a as Tensor4D, b as Tensor4D, c.strides, c.pad);
      const xt = tf.tensor4d(x, c.x);
      const wv = tf.tensor4d(wt, [c.k, c.k, cin, c.cout]);
      const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv(a, b), tf.tensor(dy, outShape))))([xt, wv]);
      expect(maxRelativeError((await conv(xt, wv).data()) as Float32Array, y)).toBeLessThan(1e-5);
      expect(maxRelativeError((await gx.data()) as Float32Array, dx)).toBeLessThan(1e-4);
      expect(maxRelativeError((await gw.data()) as Float32Array, dw)).toBeLessThan(1e-4);
      tf.dispose([xt, wv, gx, gw]);
    }
  });

  it('reject arrays of the wrong size with an error instead of reading past them', () => {
    const nat = native as NonNullable<typeof native>;
    const g: ConvGeometry = { n: 1, h: 4, w: 4, cin: 2, kh: 3, kw: 3, cout: 2, sh: 1, sw: 1, dh: 1, dw: 1, pt: 1, pl: 1, ho: 4, wo: 4 };
    expect(() => nat.forward(new Float32Array(31), new Float32Array(36), new Float32Array(32), g)).toThrow(/expected size/);
    expect(() => nat.forward(new Float32Array(32), new Float32Array(36), new Float32Array(32), { ...g, cout: 0 })).toThrow(/invalid geometry/);
  });
});
