import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Optimizer, Scalar, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { loadAdamState, saveAdamState } from '../../src/deblur/deblurgan/adam-state.js';
import { createAdam } from '../../src/deblur/deblurgan/fused-adam.js';

const tf = await loadTf();

/** Parameters by name, a loss over them, and n Adam steps. */
function problem(): { vars: Map<string, Variable>; run: (opt: Optimizer, n: number) => void } {
  const vars = new Map([
    ['conv/kernel', tf.variable(tf.tensor(Array.from({ length: 12 }, (_, i) => Math.sin(i)), [2, 2, 3]), true)],
    ['conv/bias', tf.variable(tf.tensor([0.5, -0.25]), true)],
  ]);
  const loss = () => tf.tidy(() => tf.add(tf.sum(tf.pow(tf.sub(vars.get('conv/kernel') as Variable, 0.3), 4)), tf.sum(tf.cos(vars.get('conv/bias') as Variable)))) as Scalar;
  return { vars, run: (opt, n) => { for (let i = 0; i < n; i++) opt.minimize(loss, false, [...vars.values()]); } };
}

const valuesOf = (vars: Map<string, Variable>) => [...vars.values()].flatMap((v) => Array.from(v.dataSync()));

describe('Adam state in a run folder', () => {
  for (const kind of ['tf.train.adam', 'createAdam'] as const) {
    const make = () => (kind === 'createAdam' ? createAdam(tf, 0.05, 0.5, 0.999) : tf.train.adam(0.05, 0.5, 0.999));

    it(`${kind}: saved as a small manifest and binary moments, and resumed exactly`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'adam-state-'));
      const straight = problem();
      const reference = make();
      straight.run(reference, 5);

      const first = problem();
      const a = make();
      first.run(a, 3);
      await saveAdamState(dir, a, first.vars);
      a.dispose();
      const manifest = JSON.parse(readFileSync(join(dir, 'adam.json'), 'utf8'));
      expect(manifest.iterations).toBe(3);
      expect(manifest.tensors.map((t: { name: string }) => t.name)).toEqual(['conv/kernel/m', 'conv/bias/m', 'conv/kernel/v', 'conv/bias/v']);
      expect(statSync(join(dir, 'adam.bin')).size).toBe(4 * 2 * (12 + 2));

      const b = make();
      expect(await loadAdamState(tf, dir, b, first.vars)).toBe(true);
      first.run(b, 2);
      valuesOf(first.vars).forEach((x, i) => expect(x).toBeCloseTo(valuesOf(straight.vars)[i], 5));
      tf.dispose([...straight.vars.values(), ...first.vars.values()]);
      reference.dispose();
      b.dispose();
    });
  }

  it('resumes a state saved by older releases (all JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adam-legacy-'));
    const straight = problem();
    const reference = tf.train.adam(0.05, 0.5, 0.999);
    straight.run(reference, 4);
    const first = problem();
    const a = tf.train.adam(0.05, 0.5, 0.999);
    first.run(a, 2);
    // the old layout: [{ name, shape, data }] with iter first, parameter names for the moments
    const byVariable = new Map([...first.vars].map(([param, v]) => [v.name, param]));
    const legacy = await Promise.all((await a.getWeights()).map(async (w) => {
      const [head, tail] = [w.name.slice(0, w.name.lastIndexOf('/')), w.name.slice(w.name.lastIndexOf('/'))];
      return { name: byVariable.has(head) ? `${byVariable.get(head)}${tail}` : w.name, shape: w.tensor.shape, data: Array.from(await w.tensor.data()) };
    }));
    writeFileSync(join(dir, 'adam.json'), JSON.stringify(legacy));
    const b = createAdam(tf, 0.05, 0.5, 0.999);
    expect(await loadAdamState(tf, dir, b, first.vars)).toBe(true);
    first.run(b, 2);
    valuesOf(first.vars).forEach((x, i) => expect(x).toBeCloseTo(valuesOf(straight.vars)[i], 5));
    tf.dispose([...straight.vars.values(), ...first.vars.values()]);
    a.dispose();
    b.dispose();
    reference.dispose();
  });

  it('a missing or truncated state leaves fresh moments and frees what it read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adam-broken-'));
    const p = problem();
    const opt = createAdam(tf, 0.05, 0.5, 0.999);
    expect(await loadAdamState(tf, dir, opt, p.vars)).toBe(false);
    p.run(opt, 1);
    await saveAdamState(dir, opt, p.vars);
    truncateSync(join(dir, 'adam.bin'), 20);
    const fresh = createAdam(tf, 0.05, 0.5, 0.999);
    const before = tf.memory().numTensors;
    expect(await loadAdamState(tf, dir, fresh, p.vars)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    expect(fresh.iterations).toBe(0);
    tf.dispose([...p.vars.values()]);
    opt.dispose();
    fresh.dispose();
  });
});
