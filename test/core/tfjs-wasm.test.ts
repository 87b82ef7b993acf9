import { availableParallelism } from 'node:os';
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
    [[2, 7, 5, 3], [1, 2], true],
    [[1, 16, 16, 8], [2, 1], false],
    [[1, 4, 6, 3], [-3, -2], true],
  ] as const)('spatial mean %j over %j (keepDims %s) equals the plain average', async (shape, axes, keepDims) => {
    const tf = await loadTf();
    const [n, h, w, c] = shape;
    const values = Float32Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 0.37) * 10 + (i % 7));
    const got = tf.tidy(() => tf.mean(tf.tensor4d(values, [n, h, w, c]), [...axes], keepDims));
    expect(got.shape).toEqual(keepDims ? [n, 1, 1, c] : [n, c]);
    const out = await got.data();
    got.dispose();
    for (let b = 0; b < n; b++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let p = 0; p < h * w; p++) sum += values[(b * h * w + p) * c + k];
        expect(out[b * c + k]).toBeCloseTo(sum / (h * w), 4);
      }
    }
  });

  it('other reductions still take the backend kernel', async () => {
    const tf = await loadTf();
    const got = tf.tidy(() => tf.mean(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 1));
    expect(Array.from(await got.data())).toEqual([2, 5]);
    got.dispose();
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
