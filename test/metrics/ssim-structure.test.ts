/** Properties of the SSIM core beyond the frozen values: band splitting, mixing, ssim.js mode. */
import { describe, expect, it } from 'vitest';
import { ssim as ssimJsPackage } from 'ssim.js';
import { createImage, toFloat } from '../../src/core/image.js';
import { psnr } from '../../src/metrics/psnr.js';
import { Rng } from '../../src/core/rng.js';
import { MetricAccumulator } from '../../src/metrics/accumulator.js';
import { boxDownsample, channelMixing, planGaussianValid, planMatlab3d, planSkimage, ssim } from '../../src/metrics/ssim.js';
import { gaussianKernel } from '../../src/metrics/ssim-kernel.js';

function pair(w: number, h: number, c: 1 | 3, seed: number) {
  const rng = new Rng(seed);
  const a = new Uint8Array(w * h * c).map((_, i) => 128 + 100 * Math.sin(i / 53) + rng.normal() * 3);
  const b = a.map((v) => Math.max(0, Math.min(255, v + Math.round(rng.normal() * 10))));
  return [createImage(w, h, c, a), createImage(w, h, c, b)] as const;
}

describe('SSIM structure', () => {
  it('sums over row bands add up to the whole (what worker threads rely on)', () => {
    const [a, b] = pair(97, 61, 3, 1);
    const opts = { color: 'rgb' as const, crop: 0, quantize: 'round' as const };
    for (const planner of [planSkimage, planGaussianValid, planMatlab3d]) {
      const plan = planner(a, b, opts);
      const whole = plan.sum(0, plan.rows);
      const split = plan.sum(0, 17) + plan.sum(17, 40) + plan.sum(40, plan.rows);
      expect(Math.abs(whole - split)).toBeLessThan(1e-9);
    }
  });

  it('the 1-D channel mixing of matlab3d has rows summing to 1 and replicates edges', () => {
    const mix = channelMixing(3, gaussianKernel(5, 1.5));
    for (let c = 0; c < 3; c++) expect(mix[3 * c] + mix[3 * c + 1] + mix[3 * c + 2]).toBeCloseTo(1, 14);
    expect(mix[0]).toBeGreaterThan(mix[1]); // channel 0 gets the replicated left tail
    expect(Array.from(channelMixing(1, gaussianKernel(5, 1.5)))).toEqual([expect.closeTo(1, 14)]);
  });

  it('MATLAB box downsampling: f=2 averages pixels i and i+1, f=3 averages i−1..i+1 with symmetric edges', () => {
    const src = Float64Array.from([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(boxDownsample(src, 7, 1, 2).plane)).toEqual([(1 + 2 + 1 + 2) / 4, (3 + 4) * 2 / 4, (5 + 6) * 2 / 4, (7 + 7) * 2 / 4]);
    expect(Array.from(boxDownsample(src, 7, 1, 3).plane).map((v) => +v.toFixed(12))).toEqual([4 / 3, 4, 20 / 3].map((v) => +v.toFixed(12)));
  });

  it('ssimjs mode returns what the ssim.js package returns with its defaults', async () => {
    const [a, b] = pair(64, 48, 3, 2);
    const rgba = (img: typeof a) => {
      const d = new Uint8ClampedArray(img.width * img.height * 4);
      for (let i = 0; i < img.width * img.height; i++) d.set([img.data[3 * i], img.data[3 * i + 1], img.data[3 * i + 2], 255], 4 * i);
      return { data: d, width: img.width, height: img.height };
    };
    expect(await ssim(a, b, { mode: 'ssimjs' })).toBe(ssimJsPackage(rgba(a), rgba(b)).mssim);
  });

  it('all modes give 1 for identical images and less for different ones', async () => {
    const [a, b] = pair(40, 40, 3, 3);
    for (const mode of ['skimage', 'gaussian', 'basicsr', 'matlab3d', 'wang-downsample']) {
      expect(await ssim(a, a, { mode })).toBeCloseTo(1, 12);
      expect(await ssim(a, b, { mode })).toBeLessThan(0.999);
    }
  });

  it('windows larger than the image are a clear error', async () => {
    const [a, b] = pair(10, 30, 1, 4);
    await expect(ssim(a, b, { mode: 'basicsr' })).rejects.toThrow(/needs at least 11×11 pixels/);
  });
});

describe('scoring a float output against an integer reference', () => {
  it('quantises to the reference depth: an unchanged 16-bit image scores ∞ and SSIM 1', async () => {
    const rng = new Rng(5);
    const gt = createImage(24, 20, 3, new Uint16Array(24 * 20 * 3).map(() => rng.int(65536)));
    expect(psnr(gt, toFloat(gt))).toBe(Infinity);
    expect(await ssim(gt, toFloat(gt), { mode: 'gaussian' })).toBeCloseTo(1, 12);
  });

  it('refuses an output holding NaN under every quantisation', () => {
    const gt = createImage(8, 8, 1, new Uint8Array(64).fill(100));
    const out = createImage(8, 8, 1, new Float32Array(64).fill(0.4));
    out.data[10] = NaN;
    for (const quantize of ['round', 'truncate', 'none'] as const) expect(() => psnr(gt, out, { quantize })).toThrow(/NaN/);
  });
});

describe('MetricAccumulator', () => {
  it('dataset mean is the mean of per-image values', () => {
    const acc = new MetricAccumulator('psnr');
    acc.add('a', 20);
    acc.add('b', 30);
    expect(acc.mean()).toBe(25);
    acc.add('c', Infinity);
    expect(acc.mean()).toBe(Infinity);
    expect(acc.finiteMean()).toBe(25);
    expect(acc.perImage().map((v) => v.id)).toEqual(['a', 'b', 'c']);
    expect(() => acc.add('d', NaN)).toThrow(/NaN/);
  });
});
