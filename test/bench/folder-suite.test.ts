import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFolderSuite } from '../../src/bench/suites/folder.js';
import type { SuiteArgs } from '../../src/bench/suites/types.js';
import { createImage, writeImage } from '../../src/core/image.js';
import { expectOneLineUserError } from '../helpers/errors.js';

const base: SuiteArgs = { subset: 'blur', split: 'test', seed: 0, blurModel: 'trajectory', noise: 0 };

async function image(path: string, value: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeImage(path, createImage(16, 12, 3, new Uint8Array(16 * 12 * 3).fill(value)));
}

/** RealBlur-style miniature: scene000/{gt,blur}/{gt_k,blur_k}.png and a list file. */
async function realBlurTree(lines: string[]): Promise<{ root: string; list: string }> {
  const root = mkdtempSync(join(tmpdir(), 'realblur-'));
  for (const k of [1, 2]) {
    await image(join(root, 'scene000', 'gt', `gt_${k}.png`), 200);
    await image(join(root, 'scene000', 'blur', `blur_${k}.png`), 100);
  }
  const list = join(root, 'test.txt');
  writeFileSync(list, lines.join('\n'));
  return { root, list };
}

describe('folder suite', () => {
  it('reads a list file (blank lines and comments allowed); the alignment is a scoring convention, not a suite parameter', async () => {
    const { list } = await realBlurTree(['# RealBlur-J test', 'scene000/gt/gt_1.png scene000/blur/blur_1.png', '', '  scene000/gt/gt_2.png   scene000/blur/blur_2.png  ', '']);
    const suite = await loadFolderSuite({ ...base, list });
    expect(suite.pairs.map((p) => p.id)).toEqual(['scene000/blur/blur_1', 'scene000/blur/blur_2']);
    expect(suite.identity.params).not.toHaveProperty('alignment');
    expect(suite.description).not.toMatch(/align/);
  });

  it('list paths are relative to the list file, or absolute', async () => {
    const { root, list } = await realBlurTree([]);
    writeFileSync(list, `scene000/gt/gt_1.png ${join(root, 'scene000', 'blur', 'blur_1.png')}\n`);
    const pair = (await loadFolderSuite({ ...base, list })).pairs[0];
    const loaded = await pair.load();
    expect([loaded.sharp.data[0], loaded.blurred.data[0]]).toEqual([200, 100]);
  });

  it('a list line with extra columns is an error with its line number', async () => {
    const { list } = await realBlurTree(['scene000/gt/gt_1.png scene000/blur/blur_1.png', '', 'scene000/gt/gt_2.png scene000/blur/blur_2.png extra']);
    await expectOneLineUserError(loadFolderSuite({ ...base, list }), /test\.txt:3: expected "<gt path> <blurred path>", found 3 columns/);
  });

  it('a list naming two blurred files with one pair id is an error naming both', async () => {
    const { root, list } = await realBlurTree(['scene000/gt/gt_1.png scene000/blur/blur_1.png', 'scene000/gt/gt_2.png scene000/blur/blur_1.jpg']);
    await writeImage(join(root, 'scene000', 'blur', 'blur_1.jpg'), createImage(16, 12, 3, new Uint8Array(16 * 12 * 3).fill(9)));
    await expectOneLineUserError(loadFolderSuite({ ...base, list }), /test\.txt:2: scene000\/blur\/blur_1\.jpg and scene000\/blur\/blur_1\.png \(line 1\) give the same pair id/);
  });

  it('two files with one name stem in a folder are an error naming both', async () => {
    const root = mkdtempSync(join(tmpdir(), 'folder-'));
    for (const n of ['a', 'b']) {
      await image(join(root, 'sharp', `${n}.png`), 200);
      await image(join(root, 'blurred', `${n}.png`), 100);
    }
    expect((await loadFolderSuite({ ...base, sharpDir: join(root, 'sharp'), blurredDir: join(root, 'blurred') })).pairs).toHaveLength(2);
    await writeImage(join(root, 'blurred', 'a.jpg'), createImage(16, 12, 3, new Uint8Array(16 * 12 * 3).fill(9)));
    await expectOneLineUserError(loadFolderSuite({ ...base, sharpDir: join(root, 'sharp'), blurredDir: join(root, 'blurred') }), /blurred\/a\.jpg and .*blurred\/a\.png/);
  });
});
