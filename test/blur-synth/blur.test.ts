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

  it('with linear light on, shot noise is drawn in light (PEAK photons at white), then encoded', () => {
    const grey = 128;
    const flat = createImage(200, 200, 1, new Uint8Array(200 * 200).fill(grey));
    const noisy = blurImage(flat, deltaKernel(), new Rng(5), { linearLight: true, poissonPeak: 100 });
    // Exact law of the stored value: k ~ Poisson(100·L) photons, L = (128/255)^2.2, stored as
    // round(255·(k/100)^(1/2.2)). Noise added to the encoded value instead gives σ ≈ 18, not ≈ 12.4.
    const lambda = 100 * (grey / 255) ** 2.2;
    let pmf = Math.exp(-lambda), mean = 0, square = 0;
    for (let k = 0; k < 200; k++) {
      if (k > 0) pmf *= lambda / k;
      const v = Math.min(255, Math.floor(255 * (k / 100) ** (1 / 2.2) + 0.5));
      mean += pmf * v;
      square += pmf * v * v;
    }
    const sdExact = Math.sqrt(square - mean * mean);
    const d = Array.from(noisy.data);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length);
    expect(sdExact).toBeGreaterThan(12);
    expect(sdExact).toBeLessThan(13);
    expect(Math.abs(sd - sdExact)).toBeLessThan(0.25);
    expect(Math.abs(m - mean)).toBeLessThan(0.25);
  });

  it('with linear light on, Gaussian σ is in linear 8-bit units (scaled by the encoding slope)', () => {
    const grey = 200;
    const flat = createImage(200, 200, 1, new Uint8Array(200 * 200).fill(grey));
    const noisy = blurImage(flat, deltaKernel(), new Rng(6), { linearLight: true, gaussianSigma: 5 });
    const v = grey / 255;
    const slope = v / (2.2 * v ** 2.2); // d(L^(1/2.2))/dL at L = v^2.2
    const d = Array.from(noisy.data, (x) => x - grey);
    const sd = Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length);
    expect(Math.abs(sd - Math.sqrt((5 * slope) ** 2 + 1 / 12))).toBeLessThan(0.15);
    // Without linear light the noise stays in the stored values.
    const stored = blurImage(flat, deltaKernel(), new Rng(6), { gaussianSigma: 5 });
    const sdStored = Math.sqrt(Array.from(stored.data, (x) => (x - grey) ** 2).reduce((s, x) => s + x, 0) / d.length);
    expect(Math.abs(sdStored - Math.sqrt(25 + 1 / 12))).toBeLessThan(0.15);
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
