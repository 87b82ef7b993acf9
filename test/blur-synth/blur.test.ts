import { describe, expect, it } from 'vitest';
import { blurImage } from '../../src/blur-synth/blur.js';
import { deltaKernel } from '../../src/blur-synth/kernel.js';
import { linearKernel } from '../../src/blur-synth/models.js';
import { poisson } from '../../src/blur-synth/noise.js';
import { createImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';

const img = createImage(40, 30, 3, Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => (i * 53) % 256));

describe('blurImage', () => {
  it('a delta kernel without noise returns the image, also through linear light', () => {
    expect(Array.from(blurImage(img, deltaKernel(), new Rng(1)).data)).toEqual(Array.from(img.data));
    const lin = blurImage(img, deltaKernel(), new Rng(1), { linearLight: true });
    expect(Math.max(...Array.from(lin.data, (v, i) => Math.abs(v - img.data[i])))).toBeLessThanOrEqual(1);
  });

  it('linear-light blur differs from gamma-space blur (brighter highlights survive)', () => {
    const k = linearKernel(9, 0);
    const a = blurImage(img, k, new Rng(1));
    const b = blurImage(img, k, new Rng(1), { linearLight: true });
    const mean = (d: Uint8Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(mean(b.data)).toBeGreaterThan(mean(a.data));
  });

  it('Gaussian noise has the asked σ; noise is deterministic by seed', () => {
    const flat = createImage(200, 200, 1, new Uint8Array(200 * 200).fill(128));
    const noisy = blurImage(flat, deltaKernel(), new Rng(3), { gaussianSigma: 5 });
    const d = Array.from(noisy.data, (v) => v - 128);
    const sd = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(Math.abs(sd - Math.sqrt(25 + 1 / 12))).toBeLessThan(0.15); // + quantisation noise
    expect(Array.from(blurImage(flat, deltaKernel(), new Rng(3), { gaussianSigma: 5 }).data)).toEqual(Array.from(noisy.data));
  });

  it('Poisson samples have mean and variance λ', () => {
    const rng = new Rng(4);
    for (const lambda of [3, 25, 400]) {
      const xs = Array.from({ length: 20000 }, () => poisson(rng, lambda));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
      expect(Math.abs(m - lambda) / lambda).toBeLessThan(0.03);
      expect(Math.abs(v - lambda) / lambda).toBeLessThan(0.06);
    }
  });
});
