import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blurImage } from '../../src/blur-synth/blur.js';
import type { Kernel } from '../../src/blur-synth/kernel.js';
import { trajectoryModel } from '../../src/blur-synth/models.js';
import { type Image, createImage, readImage, toRgb, toUint8 } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { blurredCrops, pairedCrops, sampleBatch } from '../../src/deblur/deblurgan/training-crops.js';
import { runCli } from '../helpers/cli.js';

const photo = async (name: string): Promise<Image<Uint8Array>> => toRgb(toUint8(await readImage(join('datasets/sample', name))));

/** The window [x0, x0 + size)² of an RGB image. */
function cut(img: Image<Uint8Array>, x0: number, y0: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) out.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + size) * 3), y * size * 3);
  return out;
}

/** Where `window` sits in a coordinate image (read off its first pixel), if it is that window. */
function locate(img: Image<Uint8Array>, window: Uint8Array, size: number): { x0: number; y0: number } | null {
  const at = { x0: window[0], y0: window[1] };
  if (at.x0 + size > img.width || at.y0 + size > img.height) return null;
  return cut(img, at.x0, at.y0, size).every((v, i) => v === window[i]) ? at : null;
}

/** Red = x, green = y (so a crop's position can be read off it), blue = `texture`. */
function coordinateImage(w: number, h: number, texture = (x: number, y: number) => (x * 7 + y * 13) % 256): Image<Uint8Array> {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, texture(x, y)], (y * w + x) * 3);
  return createImage(w, h, 3, data);
}

describe('training crops', () => {
  it('a crop blurred on the fly equals the same window of the whole image blurred with its kernel, borders included', async () => {
    // small enough that many windows touch the border, where the margin is filled by reflection
    const full = coordinateImage(70, 52);
    // random texture: every kernel tap matters
    const noise = new Rng(8);
    const textured = coordinateImage(200, 150, () => noise.int(256));
    for (const img of [full, textured]) {
      const kernels: Kernel[] = [];
      const sampler = blurredCrops([img], (rng) => {
        const k = trajectoryModel(rng, {}).kernel;
        kernels.push(k);
        return k;
      });
      const rng = new Rng(3);
      for (let i = 0; i < 6; i++) {
        const crop = 32;
        const got = sampler(rng, crop);
        const at = locate(img, got.sharp.data, crop);
        expect(at).not.toBeNull();
        const whole = blurImage(img, kernels[i], new Rng(0));
        const want = cut(whole, at!.x0, at!.y0, crop);
        // the two convolutions may take different paths (FFT vs direct): at most a rounding step apart
        let differ = 0;
        for (let j = 0; j < want.length; j++) {
          expect(Math.abs(want[j] - got.blurred.data[j])).toBeLessThanOrEqual(1);
          if (want[j] !== got.blurred.data[j]) differ++;
        }
        expect(differ / want.length).toBeLessThan(0.002);
        expect(got.blurred.data).not.toEqual(got.sharp.data);
      }
    }
  });

  it('every crop gets a new kernel, and the same RNG state gives the same batch', async () => {
    const img = await photo('horses.png');
    const seen = new Set<string>();
    const sampler = blurredCrops([img], (rng) => {
      const k = trajectoryModel(rng, {}).kernel;
      seen.add(`${k.width}x${k.height}:${k.data.slice(0, 40).join(',')}`);
      return k;
    });
    const a = new Rng(11);
    const b = new Rng(11);
    const first = sampleBatch(sampler, a, 4, 48);
    const second = sampleBatch(sampler, b, 4, 48);
    expect(second.blurred).toEqual(first.blurred);
    expect(second.sharp).toEqual(first.sharp);
    expect(b.state()).toEqual(a.state());
    sampleBatch(sampler, a, 4, 48);
    expect(seen.size).toBe(8); // 4 distinct kernels in each of the two draws (the replay repeats the first four)
  });

  it('paired crops take the same window of both images; images smaller than the crop repeat their edge', () => {
    const sharp = coordinateImage(40, 30);
    const blurred = createImage(40, 30, 3, sharp.data.map((v) => 255 - v));
    const sampler = pairedCrops([{ sharp, blurred }]);
    const rng = new Rng(2);
    for (let i = 0; i < 5; i++) {
      const c = sampler(rng, 24);
      expect(c.blurred.data).toEqual(c.sharp.data.map((v) => 255 - v));
      expect(locate(sharp, c.sharp.data, 24)).not.toBeNull();
    }
    const small = sampler(new Rng(1), 48);
    // row 40 of a 30-row image is the last row; column 45 of a 40-column one the last column
    const px = (x: number, y: number) => Array.from(small.sharp.data.subarray((y * 48 + x) * 3, (y * 48 + x) * 3 + 3));
    expect(px(45, 40)).toEqual([39, 29, (39 * 7 + 29 * 13) % 256]);
  });

  it('batches are in [−1, 1] and each crop is either as drawn or mirrored left–right', () => {
    const sharp = coordinateImage(16, 16);
    const sampler = pairedCrops([{ sharp, blurred: sharp }]);
    const { sharp: batch } = sampleBatch(sampler, new Rng(4), 8, 16);
    const flips = [];
    for (let n = 0; n < 8; n++) {
      const red = (x: number) => Math.round((batch[((n * 16) * 16 + x) * 3] + 1) * 127.5);
      expect([red(0), red(15)]).toSatisfy((v: number[]) => (v[0] === 0 && v[1] === 15) || (v[0] === 15 && v[1] === 0));
      flips.push(red(0) === 15);
    }
    expect(flips).toContain(true);
    expect(flips).toContain(false);
    expect(Math.min(...batch)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...batch)).toBeLessThanOrEqual(1);
  });

  it('bench train --blur-on-the-fly trains on a folder of sharp images and says so on the card; bad input is a one-line error', () => {
    const photos = mkdtempSync(join(tmpdir(), 'fly-photos-'));
    for (const f of ['cow.png', 'horses.png']) writeFileSync(join(photos, f), readFileSync(join('datasets/sample', f)));
    const out = mkdtempSync(join(tmpdir(), 'fly-run-'));
    const base = ['train', '--steps', '2', '--ngf', '4', '--blocks', '1', '--crop', '32', '--batch', '2', '--content', 'l1', '--adversarial', 'none', '--quiet'];
    const ok = runCli([...base, '--data', photos, '--out', out, '--blur-on-the-fly', 'trajectory']);
    expect(ok.code, ok.stderr).toBe(0);
    const card = JSON.parse(readFileSync(join(out, 'generator', 'model.json'), 'utf8')) as { card: { trainingData: string; steps: number } };
    expect(card.card.trainingData).toMatch(/2 sharp images, each crop blurred on the fly with a new trajectory kernel/);
    expect(card.card.steps).toBe(2);
    const badModel = runCli([...base, '--data', photos, '--out', mkdtempSync(join(tmpdir(), 'fly-bad-')), '--blur-on-the-fly', 'wobble']);
    expect(badModel.code).toBe(2);
    expect(badModel.stderr.trim()).toMatch(/blur model/);
    expect(badModel.stderr.trim().split('\n')).toHaveLength(1);
    const empty = runCli([...base, '--out', mkdtempSync(join(tmpdir(), 'fly-empty-')), '--data', mkdtempSync(join(tmpdir(), 'fly-none-')), '--blur-on-the-fly', 'trajectory']);
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim()).toMatch(/^.*no images in .*fly-none-/);
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(join(photos, 'broken.png'), 'not a png');
    const broken = runCli([...base, '--data', photos, '--out', mkdtempSync(join(tmpdir(), 'fly-broken-')), '--blur-on-the-fly', 'trajectory']);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/^.*cannot read .*broken\.png/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });
});
