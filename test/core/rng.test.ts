import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

describe('Rng', () => {
  it('is deterministic by seed and differs between seeds', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Rng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Rng('trajectory').uniform()).toBe(new Rng('trajectory').uniform());
  });

  it('restores exactly from a saved state', () => {
    const r = new Rng(7);
    for (let i = 0; i < 100; i++) r.normal();
    const saved = r.state();
    const next = [r.uniform(), r.normal(), r.int(1000)];
    const restored = Rng.fromState(saved);
    expect([restored.uniform(), restored.normal(), restored.int(1000)]).toEqual(next);
  });

  it('uniform has the right range and moments; normal has mean 0 and variance 1', () => {
    const r = new Rng(1);
    const n = 200_000;
    let su = 0, sn = 0, sn2 = 0, min = 1, max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      su += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.01);
  });

  it('forks independent streams by label', () => {
    const base = new Rng(5);
    const x = base.fork('blur').uniform();
    const y = new Rng(5).fork('noise').uniform();
    expect(x).not.toBe(y);
    expect(new Rng(5).fork('blur').uniform()).toBe(x);
  });

  it('shuffle is a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(3).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});
