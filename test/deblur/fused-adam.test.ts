import type { Optimizer, Scalar, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { nativeAdam } from '../../src/core/native.js';
import { createAdam } from '../../src/deblur/deblurgan/fused-adam.js';

const tf = await loadTf();

/** Two weight tensors of different shapes and a loss whose gradients differ per element. */
function problem(seed: number): { vars: Variable[]; loss: () => Scalar } {
  const rng = new Rng(seed);
  const values = (n: number) => Array.from({ length: n }, () => rng.uniform() * 2 - 1);
  const a = tf.variable(tf.tensor(values(24), [2, 3, 4]), true);
  const b = tf.variable(tf.tensor(values(5), [5]), true);
  const target = tf.tensor(values(24), [2, 3, 4]);
  const loss = () => tf.tidy(() => tf.add(tf.sum(tf.pow(tf.sub(a, target), 4)), tf.sum(tf.mul(tf.sin(b), 3)))) as Scalar;
  return { vars: [a, b], loss };
}

function steps(opt: Optimizer, p: ReturnType<typeof problem>, n: number): void {
  for (let i = 0; i < n; i++) opt.minimize(p.loss, false, p.vars);
}

const values = (vars: Variable[]) => vars.map((v) => Array.from(v.dataSync()));

function expectClose(actual: number[][], expected: number[][]): void {
  actual.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 5)));
}

const native = nativeAdam();

// the CI machine builds the addon (DEBLURBENCH_EXPECT_NATIVE=1); elsewhere training uses tf.train.adam
describe.skipIf(!native && process.env.DEBLURBENCH_EXPECT_NATIVE !== '1')('fused Adam (native addon)', () => {
  it('applies the Adam rule with bias correction (hand-computed)', () => {
    const out = { x: new Float32Array(2), m: new Float32Array(2), v: new Float32Array(2) };
    nativeAdam()?.update(Float32Array.of(1, -2), Float32Array.of(0.5, -4), Float32Array.of(0.1, 0), Float32Array.of(0.01, 0), out, { learningRate: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-7, correction1: 1 - 0.5 ** 2, correction2: 1 - 0.999 ** 2 });
    const { x, m, v } = out;
    // m = 0.5·0.1 + 0.5·0.5 = 0.3; v = 0.999·0.01 + 0.001·0.25 = 0.01024; x = 1 − 0.01·(0.3/0.75)/(√(0.01024/0.001999) + 1e-7)
    expect(m[0]).toBeCloseTo(0.3, 7);
    expect(v[0]).toBeCloseTo(0.01024, 7);
    expect(x[0]).toBeCloseTo(1 - (0.01 * (0.3 / 0.75)) / Math.sqrt(0.01024 / (1 - 0.999 ** 2)), 6);
    expect(m[1]).toBeCloseTo(-2, 6);
    expect(x[1]).toBeCloseTo(-2 + (0.01 * (2 / 0.75)) / Math.sqrt(0.016 / (1 - 0.999 ** 2)), 6);
  });

  it('rejects arrays of different lengths instead of reading past them', () => {
    const a = (n: number) => new Float32Array(n);
    const step = { learningRate: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-7, correction1: 0.5, correction2: 0.001 };
    expect(() => nativeAdam()?.update(a(4), a(4), a(3), a(4), { x: a(4), m: a(4), v: a(4) }, step)).toThrow(/exactly as long/);
    expect(() => nativeAdam()?.update(a(4), a(4), a(4), a(4), { x: a(4), m: a(5), v: a(4) }, step)).toThrow(/exactly as long/);
  });

  it('is the fused kernel on wasm and follows tf.train.adam step for step, with a changing rate', () => {
    expect(tf.getBackend()).toBe('wasm');
    const fused = createAdam(tf, 0.05, 0.5, 0.999);
    expect(fused.constructor.name).toBe('FusedAdam');
    const reference = tf.train.adam(0.05, 0.5, 0.999);
    const p = problem(1);
    const q = problem(1);
    for (const rate of [0.05, 0.05, 0.02, 0, 0.01]) {
      (fused as unknown as { learningRate: number }).learningRate = rate;
      (reference as unknown as { learningRate: number }).learningRate = rate;
      steps(fused, p, 1);
      steps(reference, q, 1);
      expectClose(values(p.vars), values(q.vars));
    }
    expect(values(p.vars)).not.toEqual(values(problem(1).vars));
    tf.dispose([...p.vars, ...q.vars]);
    fused.dispose();
    reference.dispose();
  });

  it('saves the state tf.train.adam saves, and each resumes from the other', async () => {
    for (const [first, second] of [['fused', 'tfjs'], ['tfjs', 'fused']] as const) {
      const make = (kind: 'fused' | 'tfjs') => (kind === 'fused' ? createAdam(tf, 0.03, 0.5, 0.999) : tf.train.adam(0.03, 0.5, 0.999));
      const straight = problem(2);
      const ref = tf.train.adam(0.03, 0.5, 0.999);
      steps(ref, straight, 5);

      const resumed = problem(2);
      const a = make(first);
      steps(a, resumed, 3);
      const saved = await a.getWeights();
      expect(saved.map((w) => w.name)).toEqual(['iter', `${resumed.vars[0].name}/m`, `${resumed.vars[1].name}/m`, `${resumed.vars[0].name}/v`, `${resumed.vars[1].name}/v`]);
      const copies = saved.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
      saved[0].tensor.dispose();
      a.dispose();
      const b = make(second);
      await b.setWeights(copies);
      tf.dispose(copies.map((w) => w.tensor));
      steps(b, resumed, 2);
      expectClose(values(resumed.vars), values(straight.vars));
      b.dispose();
      ref.dispose();
      tf.dispose([...straight.vars, ...resumed.vars]);
    }
  });

  it('keeps no tensors or memory per step', () => {
    const p = problem(3);
    const opt = createAdam(tf, 0.01, 0.5, 0.999);
    steps(opt, p, 1);
    const before = tf.memory();
    steps(opt, p, 4);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    opt.dispose();
    tf.dispose(p.vars);
  });

  it('gives moments to a variable without a gradient, in the order tf.train.adam saves', async () => {
    const p = problem(4);
    const unused = tf.variable(tf.zeros([3]), true);
    const order = [p.vars[0], unused, p.vars[1]];
    const saved: string[][] = [];
    for (const opt of [createAdam(tf, 0.01, 0.5, 0.999), tf.train.adam(0.01, 0.5, 0.999)]) {
      opt.minimize(p.loss, false, order);
      const state = await opt.getWeights();
      saved.push(state.map((w) => w.name));
      state[0].tensor.dispose();
      opt.dispose();
    }
    expect(saved[0]).toEqual(saved[1]);
    expect(saved[0]).toContain(`${unused.name}/m`);
    tf.dispose([...p.vars, unused]);
  });

  it('takes its own state back, and rejects a malformed state without losing its own', async () => {
    const p = problem(5);
    const opt = createAdam(tf, 0.02, 0.5, 0.999);
    steps(opt, p, 2);
    const own = await opt.getWeights();
    await opt.setWeights(own);
    own[0].tensor.dispose();
    const [iter, ...moments] = await opt.getWeights();
    await expect(opt.setWeights([iter, ...moments.slice(1)])).rejects.toThrow(/Adam state/);
    await expect(opt.setWeights([iter, moments[1], moments[0], ...moments.slice(2)])).rejects.toThrow(/Adam state/);
    expect(opt.iterations).toBe(2);
    iter.tensor.dispose();
    // the same state goes on exactly like tf.train.adam's own five steps
    steps(opt, p, 3);
    const q = problem(5);
    const reference = tf.train.adam(0.02, 0.5, 0.999);
    steps(reference, q, 5);
    expectClose(values(p.vars), values(q.vars));
    tf.dispose([...p.vars, ...q.vars]);
    opt.dispose();
    reference.dispose();
  });

  it('rejects moments of another shape with a clear error', async () => {
    const p = problem(6);
    const opt = createAdam(tf, 0.02, 0.5, 0.999);
    const [a, b] = p.vars;
    const wrong = [{ name: 'iter', tensor: tf.scalar(1, 'int32') }, { name: `${a.name}/m`, tensor: tf.zeros([24]) }, { name: `${b.name}/m`, tensor: tf.zeros([5]) }, { name: `${a.name}/v`, tensor: tf.zeros([24]) }, { name: `${b.name}/v`, tensor: tf.zeros([5]) }];
    await opt.setWeights(wrong);
    tf.dispose(wrong.map((w) => w.tensor));
    expect(() => steps(opt, p, 1)).toThrow(/weights' shape \[2, 3, 4\]/);
    opt.dispose();
    tf.dispose(p.vars);
  });
});
