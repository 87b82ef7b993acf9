/**
 * Every PSNR/SSIM mode against frozen values from the reference tools (scikit-image, OpenCV) and,
 * for matlab3d / wang-downsample, an independent NumPy/SciPy implementation
 * (test/fixtures/metrics/README.md says which tool produced which value).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Image, createImage, readImage } from '../../src/core/image.js';
import type { ColorSpace, ScoreQuantization } from '../../src/metrics/planes.js';
import { psnr } from '../../src/metrics/psnr.js';
import { ssim } from '../../src/metrics/ssim.js';

const dir = join(import.meta.dirname, '../fixtures/metrics');

interface FixtureResult {
  metric: 'psnr' | 'ssim';
  mode?: string;
  color: ColorSpace;
  crop: number;
  quantize: ScoreQuantization;
  value: number | 'Infinity';
  tool: string;
}
interface FixtureCase {
  name: string;
  reference: string;
  test: string;
  testShape: [number, number, number] | null;
  results: FixtureResult[];
}

const fixture = JSON.parse(readFileSync(join(dir, 'values.json'), 'utf8')) as { cases: FixtureCase[] };

async function load(path: string, shape: [number, number, number] | null): Promise<Image> {
  if (!shape) return readImage(join(dir, path));
  const bytes = readFileSync(join(dir, path));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const [h, w, c] = shape;
  return createImage(w, h, c as 1 | 3, data);
}

describe.each(fixture.cases)('reference values: $name', (testCase) => {
  const images = Promise.all([load(testCase.reference, null), load(testCase.test, testCase.testShape)]);

  it.each(testCase.results.filter((r) => r.metric === 'psnr'))('psnr color=$color crop=$crop quantize=$quantize', async (r) => {
    const [ref, tst] = await images;
    const value = psnr(ref, tst, { color: r.color, crop: r.crop, quantize: r.quantize });
    if (r.value === 'Infinity') expect(value).toBe(Infinity);
    else expect(Math.abs(value - r.value)).toBeLessThan(1e-9);
  });

  it.each(testCase.results.filter((r) => r.metric === 'ssim'))('ssim $mode color=$color crop=$crop quantize=$quantize', async (r) => {
    const [ref, tst] = await images;
    const value = await ssim(ref, tst, { mode: r.mode, color: r.color, crop: r.crop, quantize: r.quantize });
    expect(typeof r.value).toBe('number');
    expect(Math.abs(value - (r.value as number))).toBeLessThan(1e-6);
  });
});

it('the fixtures cover every mode, colour space, 16-bit, grey, float and identical images', () => {
  const modes = new Set(fixture.cases.flatMap((c) => c.results.map((r) => r.mode).filter(Boolean)));
  expect([...modes].sort()).toEqual(['basicsr', 'gaussian', 'matlab3d', 'skimage', 'wang-downsample']);
  const names = fixture.cases.map((c) => c.name).join(' ');
  for (const needle of ['rgb16', 'gray8', 'float32', 'identical', 'const']) expect(names).toContain(needle);
});
