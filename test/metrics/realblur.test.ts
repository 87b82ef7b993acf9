/**
 * RealBlur's official scoring against values frozen from OpenCV 4.14 (findTransformECC,
 * warpPerspective) and scikit-image 0.26 (structural_similarity) by
 * scripts/fixtures/make_realblur_fixtures.py, plus hand-checked pieces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createImage, readImage } from '../../src/core/image.js';
import { findHomographyEcc } from '../../src/metrics/ecc.js';
import { intensityScale, realblurScores, ssimModesFor } from '../../src/metrics/realblur.js';
import { type FloatImage, cubicWeights, warpPerspective } from '../../src/metrics/warp.js';

const dir = join(import.meta.dirname, '../fixtures/realblur');

interface FixtureCase {
  name: string;
  gt: string;
  restored: string;
  scale: number;
  warp: number[][];
  psnr: number | 'Infinity';
  ssim: number;
}
const fixture = JSON.parse(readFileSync(join(dir, 'values.json'), 'utf8')) as { cases: FixtureCase[] };

describe.each(fixture.cases)('RealBlur protocol vs OpenCV/scikit-image: $name', (c) => {
  const scores = Promise.all([readImage(join(dir, c.gt)), readImage(join(dir, c.restored))]).then(([gt, restored]) => realblurScores(gt, restored));

  it('intensity scale', async () => {
    expect(Math.abs((await scores).scale - c.scale)).toBeLessThan(1e-12);
  });

  it('ECC homography within 1e-3 per entry', async () => {
    const w = (await scores).warp;
    for (let i = 0; i < 9; i++) expect(Math.abs(w[i] / w[8] - c.warp[Math.floor(i / 3)][i % 3])).toBeLessThan(1e-3);
  });

  it('masked PSNR within 0.01 dB, mask-weighted SSIM within 1e-4', async () => {
    const s = await scores;
    if (c.psnr === 'Infinity') expect(s.psnr).toBe(Infinity);
    else expect(Math.abs(s.psnr - c.psnr)).toBeLessThan(0.01);
    expect(Math.abs(s.ssim - c.ssim)).toBeLessThan(1e-4);
  });
});

const plane = (w: number, h: number, f: (x: number, y: number) => number): FloatImage => {
  const data = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { width: w, height: h, channels: 1, data };
};

describe('perspective warp (inverse map)', () => {
  const linear = plane(6, 4, (x, y) => 3 * x + 7 * y);

  it('reads a projective point on the 1/32-pixel grid (bilinear) or the nearest pixel', () => {
    // H = [[1,0,0],[0,1,0],[0.1,0,1]]: destination (2,1) reads the source at (2/1.2, 1/1.2) =
    // (1.6667, 0.8333), on the 1/32 grid (53/32, 27/32) = (1.65625, 0.84375); bilinear is exact on
    // a linear ramp: 3·1.65625 + 7·0.84375 = 10.875. Nearest: pixel (2, 1) = 13.
    const h = Float64Array.of(1, 0, 0, 0, 1, 0, 0.1, 0, 1);
    expect(warpPerspective(linear, h, 'linear', 'constant').data[1 * 6 + 2]).toBeCloseTo(10.875, 12);
    expect(warpPerspective(linear, h, 'nearest', 'constant').data[1 * 6 + 2]).toBe(13);
  });

  it('bicubic uses Keys a = −0.75 and reflected borders; nearest with a constant border gives the mask', () => {
    const w = new Float64Array(4);
    cubicWeights(0.5, w);
    expect(Array.from(w)).toEqual([-0.09375, 0.59375, 0.59375, -0.09375]);
    const row = plane(4, 1, (x) => [0, 10, 20, 40][x]);
    const half = Float64Array.of(1, 0, 0.5, 0, 1, 0, 0, 0, 1);
    // x = 1 reads 1.5: −0.09375·0 + 0.59375·10 + 0.59375·20 − 0.09375·40
    expect(warpPerspective(row, half, 'cubic', 'reflect').data[1]).toBeCloseTo(14.0625, 12);
    // x = 3 reads 3.5: taps 2, 3, 4→3, 5→2 (reflected): −0.09375·20 + 0.59375·40 + 0.59375·40 − 0.09375·20
    expect(warpPerspective(row, half, 'cubic', 'reflect').data[3]).toBeCloseTo(43.75, 12);
    const ones = plane(4, 1, () => 1);
    const shift = Float64Array.of(1, 0, 0.6, 0, 1, 0, 0, 0, 1);
    expect(Array.from(warpPerspective(ones, shift, 'nearest', 'constant').data)).toEqual([1, 1, 1, 0]);
  });
});

describe('ECC and the protocol', () => {
  const scene = (x: number, y: number): number => 0.5 + 0.25 * Math.sin(x / 5) * Math.cos(y / 7) + 0.1 * Math.sin((x + 2 * y) / 9);

  it('ECC recovers a known sub-pixel translation (template → input coordinates)', () => {
    // OpenCV 4.14 on the same float32 planes: translation (0.73007, −0.38911)
    const [w, h] = [128, 96];
    const tpl = plane(w, h, scene).data;
    const input = plane(w, h, (x, y) => 0.8 * scene(x - 0.7, y + 0.4)).data;
    const { warp } = findHomographyEcc(tpl, input, w, h);
    expect(warp[2]).toBeCloseTo(0.7, 1);
    expect(warp[5]).toBeCloseTo(-0.4, 1);
    expect(Math.abs(warp[0] - 1) + Math.abs(warp[4] - 1) + Math.abs(warp[6]) + Math.abs(warp[7])).toBeLessThan(0.01);
  });

  it('an identical pair: scale 1, identity warp, PSNR ∞, SSIM 1', () => {
    const data = new Uint8Array(40 * 30 * 3).map((_, i) => Math.round(255 * scene(Math.floor(i / 3) % 40, Math.floor(i / 120)) * (1 - 0.2 * (i % 3))));
    const img = createImage(40, 30, 3, data);
    const s = realblurScores(img, img);
    expect(s.scale).toBe(1);
    const id = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    for (let i = 0; i < 9; i++) expect(Math.abs(s.warp[i] - id[i])).toBeLessThan(1e-6);
    expect(s.psnr).toBe(Infinity);
    expect(s.ssim).toBe(1);
  });

  it('intensity scaling is the least-squares gain', () => {
    expect(intensityScale(Float64Array.of(0.2, 0.4, 0.6), Float64Array.of(0.1, 0.2, 0.3))).toBeCloseTo(2, 14);
  });

  it('the protocol fixes SSIM, colour and crop: conflicting flags are refused in one line', () => {
    expect(ssimModesFor('realblur', { color: 'rgb', crop: 0 }, 'basicsr')).toEqual(['realblur']);
    expect(ssimModesFor('none', { color: 'rgb', crop: 0 }, 'basicsr')).toEqual(['basicsr']);
    for (const bad of [{ ssim: 'gaussian', color: 'rgb', crop: 0 }, { color: 'y', crop: 0 }, { color: 'rgb', crop: 4 }]) {
      expect(() => ssimModesFor('realblur', bad, 'basicsr')).toThrow(UserError);
    }
  });
});
