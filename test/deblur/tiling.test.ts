import { describe, expect, it } from 'vitest';
import { createImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { DEFAULT_IO } from '../../src/deblur/onnx/model-runner.js';
import { type PlaneRunner, restoreTiled, tilingFor } from '../../src/deblur/tiling.js';

const image = (w: number, h: number) => {
  const rng = new Rng(3);
  return createImage(w, h, 3, Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rng.uniform() * 256)));
};

/** A pixel-wise "network" that also records the size of every pass. */
function squaring(calls: [number, number][]): PlaneRunner {
  return async (planes, w, h) => {
    calls.push([w, h]);
    return planes.map((v) => v * v);
  };
}

describe('restoreTiled', () => {
  it('whole image: one pass padded to the multiple, cropped back to the input size', async () => {
    const calls: [number, number][] = [];
    const img = image(37, 29);
    const out = await restoreTiled(img, { multiple: 8, tile: 64, overlap: 16, tileAbovePixels: 0 }, squaring(calls));
    expect(calls).toEqual([[40, 32]]);
    expect([out.width, out.height, out.channels]).toEqual([37, 29, 3]);
    for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBeCloseTo((img.data[i] / 255) ** 2, 6);
  });

  it('tiles cover the image with the stated overlap and blend a pixel-wise network seamlessly', async () => {
    const calls: [number, number][] = [];
    const img = image(300, 200);
    const out = await restoreTiled(img, { multiple: 4, tile: 128, overlap: 32, tileAbovePixels: 1 }, squaring(calls));
    // columns start at 0, 96, 172 (flush with the right edge); rows at 0, 72
    expect(calls).toHaveLength(6);
    expect(calls.every(([w, h]) => w === 128 && h === 128)).toBe(true);
    for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBeCloseTo((img.data[i] / 255) ** 2, 5);
  });

  it('whole image: the output is exactly what the network returned, cropped', async () => {
    const img = image(30, 21);
    let seen = new Float32Array(0);
    const keep: PlaneRunner = async (planes) => {
      seen = planes.map((v, i) => v + i * 1e-3);
      return seen;
    };
    const out = await restoreTiled(img, { multiple: 4, tile: 64, overlap: 16, tileAbovePixels: 0 }, keep);
    const [pw, ph] = [32, 24];
    for (let y = 0; y < 21; y++) for (let x = 0; x < 30; x++) for (let c = 0; c < 3; c++) expect(out.data[(y * 30 + x) * 3 + c]).toBe(seen[c * pw * ph + y * pw + x]);
  });

  it('an overlap of half the tile or more is refused (the tiles would never advance)', async () => {
    await expect(restoreTiled(image(300, 200), { multiple: 4, tile: 64, overlap: 32, tileAbovePixels: 1 }, squaring([]))).rejects.toThrow(/overlap 32/);
  });

  it('tiles only above the pixel budget, and never when the image fits one tile', async () => {
    const calls: [number, number][] = [];
    await restoreTiled(image(300, 200), { multiple: 4, tile: 128, overlap: 32, tileAbovePixels: 300 * 200 }, squaring(calls));
    await restoreTiled(image(120, 100), { multiple: 4, tile: 128, overlap: 32, tileAbovePixels: 1 }, squaring(calls));
    expect(calls).toEqual([[300, 200], [120, 100]]);
  });

  it('overlapping tiles are blended with ramps: a tile-dependent network gives a weighted mean, no seam jumps', async () => {
    // each pass returns its own constant: the output is a weighted mean of those constants, so it
    // stays between the smallest and the largest, and changes smoothly across the overlap
    let pass = 0;
    const constant: PlaneRunner = async (planes) => new Float32Array(planes.length).fill(++pass / 10);
    const out = await restoreTiled(image(200, 64), { multiple: 4, tile: 128, overlap: 56, tileAbovePixels: 1 }, constant);
    const row = Array.from({ length: 200 }, (_, x) => out.data[(10 * 200 + x) * 3]);
    expect(row[0]).toBeCloseTo(0.1, 6);
    expect(row[199]).toBeCloseTo(0.2, 6);
    for (let x = 1; x < 200; x++) expect(Math.abs(row[x] - row[x - 1])).toBeLessThan(0.1 / 20);
  });
});

describe('tilingFor', () => {
  it('without a card tiling, training validation tiles as the deblurgan method does by default', () => {
    const { multiple, tile, overlap, tileAbovePixels } = DEFAULT_IO;
    expect(tilingFor(multiple, null)).toEqual({ multiple, tile, overlap, tileAbovePixels });
    expect(tilingFor(4, { tile: 160, overlap: 48 })).toEqual({ multiple: 4, tile: 160, overlap: 48, tileAbovePixels: 1 });
  });
});

describe('restoreTiled on grey images', () => {
  const grey = (w: number, h: number) => {
    const rng = new Rng(5);
    return createImage(w, h, 1, Uint8Array.from({ length: w * h }, () => Math.floor(rng.uniform() * 256)));
  };
  /** A network whose three output channels differ, so the grey result must be their mean. */
  const perChannel: PlaneRunner = async (planes, w, h) => planes.map((v, i) => v * (1 + Math.floor(i / (w * h))) * 0.25);

  it.each([
    ['whole image', { multiple: 8, tile: 64, overlap: 16, tileAbovePixels: 0 }],
    ['tiles', { multiple: 4, tile: 64, overlap: 16, tileAbovePixels: 1 }],
  ] as const)('%s: the network sees replicated RGB; the output is grey, the mean of its channels', async (_name, tiling) => {
    const img = grey(70, 50);
    const seen: boolean[] = [];
    const out = await restoreTiled(img, tiling, async (planes, w, h) => {
      const n = w * h;
      seen.push(planes.subarray(0, n).every((v, i) => v === planes[n + i] && v === planes[2 * n + i]));
      return perChannel(planes, w, h);
    });
    expect(seen.every(Boolean)).toBe(true);
    expect([out.width, out.height, out.channels]).toEqual([70, 50, 1]);
    expect(out.data).toHaveLength(70 * 50);
    // channel scales 0.25, 0.5, 0.75: mean 0.5
    for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBeCloseTo((img.data[i] / 255) * 0.5, 6);
  });
});
