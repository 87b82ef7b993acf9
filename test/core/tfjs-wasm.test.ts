import { availableParallelism } from 'node:os';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, loadTf } from '../../src/core/tfjs-backend.js';
import { runCli } from '../helpers/cli.js';

describe('tfjs wasm backend under Node', () => {
  it('runs multithreaded when the machine has several cores', async () => {
    const { backend, threads } = await describeBackend();
    expect(backend).toBe('tfjs-wasm');
    expect(threads).toBe(Math.min(8, availableParallelism()));
  });

  it.each([
    ['mean', [2, 7, 5, 3], [1, 2], true],
    ['mean', [1, 16, 16, 8], [2, 1], false],
    ['mean', [1, 4, 6, 3], [-3, -2], true],
    ['sum', [2, 7, 5, 3], [1, 2], false],
    ['sum', [3, 5, 4, 6], [0, 1, 2], false],
    ['sum', [2, 3, 9, 2], [2, 0, 1], true],
    ['mean', [2, 6, 5, 4], [0, 1, 2], false],
    ['sum', [1, 1, 1, 5], [1, 2], false],
    ['mean', [1, 1, 1, 5], [0, 1, 2], true],
    ['sum', [3, 1, 1, 2], [0, 1, 2], false],
  ] as const)('%s of %j over %j (keepDims %s) equals the plain loop', async (op, shape, axes, keepDims) => {
    const tf = await loadTf();
    const [n, h, w, c] = shape;
    const values = Float32Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 0.37) * 10 + (i % 7));
    const withBatch = axes.length === 3;
    const window = h * w * (withBatch ? n : 1);
    // the pooled path runs unless the window is a single element (XNNPACK rejects those)
    const profile = await tf.profile(() => tf.tidy(() => tf[op](tf.tensor4d(values, [n, h, w, c]), [...axes], keepDims)));
    expect(profile.kernelNames.includes('AvgPool')).toBe(window > 1);
    const got = profile.result as Tensor;
    const outN = withBatch ? 1 : n;
    expect(got.shape).toEqual(keepDims ? [outN, 1, 1, c] : withBatch ? [c] : [n, c]);
    const out = await got.data();
    got.dispose();
    for (let b = 0; b < outN; b++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (const img of withBatch ? Array.from({ length: n }, (_, i) => i) : [b]) {
          for (let p = 0; p < h * w; p++) sum += values[(img * h * w + p) * c + k];
        }
        const want = op === 'sum' ? sum : sum / window;
        expect(Math.abs(out[b * c + k] - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it('other reductions still take the backend kernel', async () => {
    const tf = await loadTf();
    const got = tf.tidy(() => tf.mean(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 1));
    expect(Array.from(await got.data())).toEqual([2, 5]);
    const channels = tf.tidy(() => tf.sum(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]), 3));
    expect(Array.from(await channels.data())).toEqual([3, 7, 11, 15]);
    const ints = tf.tidy(() => tf.sum(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), [1, 2]));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([10]);
    tf.dispose([got, channels, ints]);
  });

  it('identity and same-type cast share the buffer; the copy outlives its source', async () => {
    const tf = await loadTf();
    const x = tf.tensor1d([1.5, -2, 3]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const toInt = tf.cast(x, 'int32');
    expect(copy.dataId).toBe(x.dataId);
    expect(cast.dataId).toBe(x.dataId);
    expect(toInt.dataId).not.toBe(x.dataId);
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await cast.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await toInt.data())).toEqual([1, -2, 3]);
    tf.dispose([copy, cast, toInt]);
  });

  it.each([
    [[7], [2], [4], 'float32'],
    [[5, 6], [1, 0], [3, 6], 'float32'],
    [[2, 9, 8, 3], [0, 1, 2, 0], [2, 7, 5, 3], 'float32'],
    [[2, 9, 8, 3], [1, 0, 0, 0], [1, 9, 8, 3], 'int32'],
    [[3, 4, 5, 6], [1, 1, 1, 2], [2, 2, 3, 3], 'float32'],
    [[2, 3, 4, 5, 6], [0, 1, 0, 2, 0], [2, 2, 4, -1, 6], 'int32'],
    [[4, 3], [1, 0], [0, 3], 'float32'],
  ] as const)('slice of %j at %j size %j (%s) matches index arithmetic', async (shape, begin, size, dtype) => {
    const tf = await loadTf();
    const count = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, (_, i) => i);
    const got = tf.tidy(() => tf.slice(tf.tensor(values, [...shape], dtype), [...begin], [...size]));
    const want = tf.buffer([...size].map((s, d) => (s === -1 ? shape[d] - begin[d] : s)), dtype);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    for (let i = 0; i < want.size; i++) {
      const at = want.indexToLoc(i);
      want.values[i] = at.reduce((flat, v, d) => flat + (v + begin[d]) * strides[d], 0);
    }
    expect(got.shape).toEqual(want.shape);
    expect(got.dtype).toBe(dtype);
    expect(Array.from(await got.data())).toEqual(Array.from(want.values));
    got.dispose();
  });

  it('detections are the same with one thread and with all, and the process exits by itself', () => {
    const args = ['detect', 'datasets/sample/horses.png', '--json'];
    const one = runCli(args, { DEBLURBENCH_THREADS: '1' });
    const all = runCli(args, { DEBLURBENCH_THREADS: '' });
    expect(one.code, one.stderr).toBe(0);
    expect(all.code, all.stderr).toBe(0);
    const a = JSON.parse(one.stdout) as { bbox: number[]; score: number; label: string }[];
    const b = JSON.parse(all.stdout) as { bbox: number[]; score: number; label: string }[];
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThan(0);
    for (let i = 0; i < a.length; i++) {
      expect(b[i].label).toBe(a[i].label);
      expect(b[i].score).toBeCloseTo(a[i].score, 4);
      for (let j = 0; j < 4; j++) expect(b[i].bbox[j]).toBeCloseTo(a[i].bbox[j], 2);
    }
  });
});
