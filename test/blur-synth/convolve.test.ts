import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Boundary, boundaryIndex, chooseMethod, convolveDirect, convolveFft } from '../../src/blur-synth/convolve.js';
import { deltaKernel } from '../../src/blur-synth/kernel.js';
import { linearKernel } from '../../src/blur-synth/models.js';
import { Rng } from '../../src/core/rng.js';

interface Fixture {
  imageShape: [number, number];
  image: number[];
  cases: { kernel: string; boundary: Boundary; kernelShape: [number, number]; kernelData: number[]; expected: number[] }[];
}
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/convolution/scipy-ndimage.json'), 'utf8')) as Fixture;
const [H, W] = fx.imageShape;
const image = Float64Array.from(fx.image);

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('convolution against scipy.ndimage.convolve', () => {
  it.each(fx.cases)('$kernel, $boundary: direct and FFT', ({ boundary, kernelShape, kernelData, expected }) => {
    const k = { height: kernelShape[0], width: kernelShape[1], data: Float64Array.from(kernelData) };
    expect(maxDiff(convolveDirect(image, W, H, k, boundary), expected)).toBeLessThan(1e-12);
    expect(maxDiff(convolveFft([image], W, H, k, boundary)[0], expected)).toBeLessThan(1e-10);
  });
});

describe('convolution properties', () => {
  const rng = new Rng(9);
  const w = 61, h = 47;
  const planes = [0, 1, 2].map(() => Float64Array.from({ length: w * h }, () => rng.uniform()));

  it('FFT and direct agree to 1e-4 on a motion kernel for three planes (two packed in one transform)', () => {
    const k = linearKernel(21, 30);
    const fft = convolveFft(planes, w, h, k, 'reflect');
    planes.forEach((p, c) => expect(maxDiff(fft[c], convolveDirect(p, w, h, k, 'reflect'))).toBeLessThan(1e-4));
  });

  it('a delta kernel is the identity', () => {
    expect(maxDiff(convolveDirect(planes[0], w, h, deltaKernel(), 'reflect'), planes[0])).toBe(0);
    expect(maxDiff(convolveFft([planes[0]], w, h, deltaKernel(), 'zero')[0], planes[0])).toBeLessThan(1e-12);
  });

  it('boundary indices follow their names', () => {
    const idx = (mode: Boundary) => [-3, -2, -1, 4, 5, 6].map((i) => boundaryIndex(i, 4, mode));
    expect(idx('reflect')).toEqual([2, 1, 0, 3, 2, 1]);
    expect(idx('mirror')).toEqual([3, 2, 1, 2, 1, 0]);
    expect(idx('replicate')).toEqual([0, 0, 0, 3, 3, 3]);
    expect(idx('wrap')).toEqual([1, 2, 3, 0, 1, 2]);
    expect(idx('zero')).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('the cost model picks direct for small kernels and FFT for large dense ones on a 720p frame', () => {
    expect(chooseMethod(1280, 720, linearKernel(3, 0), 3)).toBe('direct');
    const dense = { width: 64, height: 64, data: new Float64Array(64 * 64).fill(1 / 4096) };
    expect(chooseMethod(1280, 720, dense, 3)).toBe('fft');
  });
});
