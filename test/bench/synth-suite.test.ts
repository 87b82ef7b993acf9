import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSynthFolder } from '../../src/bench/suites/synth.js';
import type { SuiteArgs } from '../../src/bench/suites/types.js';
import { createImage, writeImage } from '../../src/core/image.js';
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

  it('two files with one name stem (a.png, a.jpg) are an error naming both', async () => {
    const dir = await photos(['a.png', 'a.jpg', 'b.png']);
    await expectOneLineUserError(loadSynthFolder('synth', dir, base), /synth-\w+\/a\.jpg and .*synth-\w+\/a\.png share the name a/);
  });
});
