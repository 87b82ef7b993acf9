import { describe, expect, it } from 'vitest';
import { centroid, kernelOrigin, kernelStats, kernelSum } from '../../src/blur-synth/kernel.js';
import { CORRUPTION_MOTION_BLUR, blurModels, corruptionKernel, gaussianBlurKernel, linearKernel, trajectoryModel } from '../../src/blur-synth/models.js';
import { randomTrajectory, trajectoryLength, trajectoryPsf } from '../../src/blur-synth/trajectory.js';
import { Rng } from '../../src/core/rng.js';
import type { Kernel } from '../../src/blur-synth/kernel.js';

function expectValidKernel(k: Kernel): void {
  expect(Math.abs(kernelSum(k) - 1)).toBeLessThan(1e-6);
  expect(k.data.every((v) => v >= 0)).toBe(true);
  expect(k.width % 2).toBe(1);
  expect(k.height % 2).toBe(1);
  const c = centroid(k);
  const o = kernelOrigin(k);
  expect(Math.abs(c.x - o.x)).toBeLessThanOrEqual(0.5 + 1e-9);
  expect(Math.abs(c.y - o.y)).toBeLessThanOrEqual(0.5 + 1e-9);
}

describe('camera-shake trajectories', () => {
  it('have exactly the maximum length and stay on the canvas', () => {
    for (let seed = 0; seed < 20; seed++) {
      const t = randomTrajectory(new Rng(seed));
      expect(t.x.length).toBe(2000);
      expect(Math.abs(trajectoryLength(t) - 60)).toBeLessThan(1e-9);
      for (let i = 0; i < t.x.length; i++) {
        expect(t.x[i]).toBeGreaterThanOrEqual(1);
        expect(t.x[i]).toBeLessThanOrEqual(65);
      }
    }
    expect(Math.abs(trajectoryLength(randomTrajectory(new Rng(1), { maxLength: 25 })) - 25)).toBeLessThan(1e-9);
  });

  it('are deterministic by seed', () => {
    const a = trajectoryPsf(randomTrajectory(new Rng(5)));
    const b = trajectoryPsf(randomTrajectory(new Rng(5)));
    const c = trajectoryPsf(randomTrajectory(new Rng(6)));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('PSFs for every exposure fraction are normalised, non-negative and centred; shorter exposure, smaller PSF', () => {
    const t = randomTrajectory(new Rng(3));
    const spreads = [0.01, 0.1, 0.5, 1].map((e) => {
      const k = trajectoryPsf(t, e);
      expectValidKernel(k);
      return kernelStats(k).spread;
    });
    for (let i = 1; i < spreads.length; i++) expect(spreads[i]).toBeGreaterThanOrEqual(spreads[i - 1] - 1e-9);
  });

  it('statistics of 1000 kernels are stable (documented in src/blur-synth/README.md)', () => {
    const rng = new Rng(2024);
    const spreads: number[] = [];
    const supports: number[] = [];
    const extents: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = kernelStats(trajectoryModel(rng.fork(String(i)), {}).kernel);
      spreads.push(s.spread);
      supports.push(s.support);
      extents.push(Math.max(s.extentX, s.extentY));
    }
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // documented (three seeds agree to ±0.1 px / ±3 taps): median RMS spread 5.2 px,
    // median support 116 taps, median extent 18 px, 90th percentile extent 29 px, max ≤ 64
    expect(q(spreads, 0.5)).toBeGreaterThan(4.7);
    expect(q(spreads, 0.5)).toBeLessThan(5.7);
    expect(mean(spreads)).toBeGreaterThan(5.4);
    expect(mean(spreads)).toBeLessThan(6.4);
    expect(q(supports, 0.5)).toBeGreaterThan(105);
    expect(q(supports, 0.5)).toBeLessThan(127);
    expect(q(extents, 0.5)).toBeGreaterThanOrEqual(16);
    expect(q(extents, 0.5)).toBeLessThanOrEqual(20);
    expect(q(extents, 0.9)).toBeGreaterThanOrEqual(26);
    expect(q(extents, 0.9)).toBeLessThanOrEqual(32);
    expect(Math.max(...extents)).toBeLessThanOrEqual(64);
  });

  it("the trajectory code's own default expl (0.1·U) gives much smaller kernels", () => {
    const rng = new Rng(2024);
    const extents = Array.from({ length: 300 }, (_, i) => {
      const s = kernelStats(trajectoryPsf(randomTrajectory(rng.fork(String(i)))));
      return Math.max(s.extentX, s.extentY);
    }).sort((a, b) => a - b);
    expect(extents[150]).toBeLessThanOrEqual(10);
  });
});

describe('other blur models', () => {
  it('every registered model draws valid kernels', async () => {
    for (const name of blurModels.names()) {
      const model = await blurModels.load(name);
      for (let s = 0; s < 5; s++) expectValidKernel(model(new Rng(s), { severity: 1 + s }).kernel);
    }
  });

  it('linear motion has the asked length along its angle', () => {
    const k = linearKernel(21, 0);
    expectValidKernel(k);
    const s = kernelStats(k);
    expect(s.extentY).toBeLessThanOrEqual(2);
    expect(s.extentX).toBeGreaterThanOrEqual(21);
    expect(s.extentX).toBeLessThanOrEqual(23);
    expect(Math.abs(s.spread - 21 / Math.sqrt(12))).toBeLessThan(0.3); // RMS of a uniform segment
  });

  it('Gaussian kernels have the asked σ', () => {
    const k = gaussianBlurKernel(2);
    expectValidKernel(k);
    expect(Math.abs(kernelStats(k).spread - 2 * Math.SQRT2)).toBeLessThan(0.02);
  });

  it('corruption kernels match the published (radius, σ) table', () => {
    expect(CORRUPTION_MOTION_BLUR).toEqual([[10, 3], [15, 5], [15, 8], [15, 12], [20, 15]]);
    CORRUPTION_MOTION_BLUR.forEach(([radius, sigma], i) => {
      const k = corruptionKernel(i + 1, 0); // angle 0: taps along one row
      expectValidKernel(k);
      const row = Array.from(k.data).filter((v) => v > 0);
      expect(row).toHaveLength(2 * radius + 1);
      // one-sided half-Gaussian: tap i ∝ exp(−i²/2σ²), the heaviest at the ray's start
      const weights = Array.from({ length: 2 * radius + 1 }, (_, t) => Math.exp(-(t * t) / (2 * sigma * sigma)));
      const total = weights.reduce((a, b) => a + b, 0);
      const expected = weights.map((w) => w / total).reverse(); // the ray points to −x at angle 0
      row.forEach((v, t) => expect(Math.abs(v - expected[t])).toBeLessThan(1e-12));
    });
  });
});
