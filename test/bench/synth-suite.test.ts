import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSynthFolder } from '../../src/bench/suites/synth.js';
import type { SuiteArgs } from '../../src/bench/suites/types.js';
import { blurImage } from '../../src/blur-synth/blur.js';
import { createImage, writeImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { expectOneLineUserError } from '../helpers/errors.js';

const base: SuiteArgs = { subset: 'blur', split: 'test', seed: 0, blurModel: 'trajectory', noise: 0 };

async function photos(names: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  const d = new Uint8Array(40 * 32 * 3).map((_, j) => 128 + 90 * Math.sin(j / 7));
  for (const n of names) await writeImage(join(dir, n), createImage(40, 32, 3, d));
  return dir;
}

describe('synth suite', () => {
  it('identical photos get their own blur and their own cache key', async () => {
    const suite = await loadSynthFolder('synth', await photos(['a.png', 'b.png']), base);
    const [a, b] = await Promise.all(suite.pairs.map((p) => p.load()));
    expect(a.sharp.data).toEqual(b.sharp.data);
    expect(a.blurred.data).not.toEqual(b.blurred.data);
    expect(a.inputHash).not.toBe(b.inputHash);
    // the key also follows the blur settings
    const noisy = await (await loadSynthFolder('synth', await photos(['a.png']), { ...base, noise: 0.01 })).pairs[0].load();
    expect(noisy.inputHash).not.toBe(a.inputHash);
  });

  it('the corruption model blurs with replicated borders, as imagecorruptions does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    // a ramp, so replicated and reflected borders blur differently
    await writeImage(join(dir, 'ramp.png'), createImage(40, 32, 3, new Uint8Array(40 * 32 * 3).map((_, j) => Math.floor(j / 3) % 40 * 6)));
    const pair = await (await loadSynthFolder('synth', dir, { ...base, blurModel: 'corruption' })).pairs[0].load();
    const kernel = pair.kernel as NonNullable<typeof pair.kernel>;
    const blur = (boundary: 'replicate' | 'reflect') => Array.from(blurImage(pair.sharp, kernel, new Rng(0), { boundary }).data);
    expect(blur('replicate')).not.toEqual(blur('reflect'));
    expect(Array.from(pair.blurred.data)).toEqual(blur('replicate'));
  });

  it('two files with one name stem (a.png, a.jpg) are an error naming both', async () => {
    const dir = await photos(['a.png', 'a.jpg', 'b.png']);
    await expectOneLineUserError(loadSynthFolder('synth', dir, base), /synth-\w+\/a\.jpg and .*synth-\w+\/a\.png share the name a/);
  });
});
