import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGoproSuite } from '../../src/bench/suites/gopro.js';
import type { SuiteArgs } from '../../src/bench/suites/types.js';
import { createImage, writeImage } from '../../src/core/image.js';
import { runCli } from '../helpers/cli.js';
import { expectOneLineUserError } from '../helpers/errors.js';

const base: SuiteArgs = { subset: 'blur', split: 'test', seed: 0, blurModel: 'trajectory', noise: 0 };

async function png(path: string, value: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeImage(path, createImage(16, 12, 3, new Uint8Array(16 * 12 * 3).fill(value)));
}

/** GOPRO_Large-style miniature: test/<seq>/{blur,blur_gamma,sharp}/NNNNNN.png */
async function nestedTree(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'gopro-'));
  for (const seq of ['GOPR0384_11_00', 'GOPR0385_11_01']) {
    for (const frame of ['000001', '000002', '000003']) {
      await png(join(root, 'test', seq, 'sharp', `${frame}.png`), 200);
      await png(join(root, 'test', seq, 'blur', `${frame}.png`), 100);
      await png(join(root, 'test', seq, 'blur_gamma', `${frame}.png`), 120);
    }
  }
  return root;
}

describe('GoPro suite', () => {
  it('pairs the nested layout by sequence + frame, for both subsets, from the root or the test folder', async () => {
    const root = await nestedTree();
    const suite = await loadGoproSuite({ ...base, data: root });
    expect(suite.pairs.map((p) => p.id)).toEqual(['GOPR0384_11_00/000001', 'GOPR0384_11_00/000002', 'GOPR0384_11_00/000003', 'GOPR0385_11_01/000001', 'GOPR0385_11_01/000002', 'GOPR0385_11_01/000003']);
    expect(suite.identity.pairCount).toBe(6);
    expect(suite.warnings[0]).toMatch(/found 6 pairs; the full GoPro test split has 1111/);
    const pair = await suite.pairs[0].load();
    expect(pair.blurred.data[0]).toBe(100);
    const gamma = await loadGoproSuite({ ...base, data: join(root, 'test'), subset: 'blur_gamma' });
    expect((await gamma.pairs[0].load()).blurred.data[0]).toBe(120);
    expect(gamma.subset).toBe('blur_gamma');
    expect(gamma.identity.fileListHash).not.toBe(suite.identity.fileListHash);
  });

  it('accepts the flattened layouts (blur/sharp with <seq>_<frame> names, GoPro/input|target)', async () => {
    const flat = mkdtempSync(join(tmpdir(), 'gopro-flat-'));
    for (const name of ['GOPR0384_11_00_000001', 'GOPR0384_11_00_000002']) {
      await png(join(flat, 'test', 'sharp', `${name}.png`), 1);
      await png(join(flat, 'test', 'blur', `${name}.png`), 2);
    }
    const a = await loadGoproSuite({ ...base, data: flat });
    expect(a.pairs.map((p) => p.id)).toEqual(['GOPR0384_11_00_000001', 'GOPR0384_11_00_000002']);
    const io = mkdtempSync(join(tmpdir(), 'gopro-io-'));
    await png(join(io, 'test', 'GoPro', 'target', 'x.png'), 1);
    await png(join(io, 'test', 'GoPro', 'input', 'x.png'), 2);
    expect((await loadGoproSuite({ ...base, data: io })).pairs).toHaveLength(1);
  });

  it('a missing file is an error naming it (exit 2 from bench run)', async () => {
    const root = await nestedTree();
    rmSync(join(root, 'test', 'GOPR0385_11_01', 'blur', '000002.png'));
    await expect(loadGoproSuite({ ...base, data: root })).rejects.toThrow(/missing blurred image for .*GOPR0385_11_01\/sharp\/000002\.png/);
    const r = runCli(['run', '--suite', 'gopro', '--data', root, '--out', join(root, 'out'), '--methods', 'blurred', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing blurred image for .*000002\.png/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a sequence with a blurred folder but no sharp one is an error naming it, not dropped', async () => {
    const root = await nestedTree();
    rmSync(join(root, 'test', 'GOPR0385_11_01', 'sharp'), { recursive: true });
    await expectOneLineUserError(loadGoproSuite({ ...base, data: root }), /sequence .*GOPR0385_11_01 has no sharp\/ folder/);
    const io = mkdtempSync(join(tmpdir(), 'gopro-io-'));
    await png(join(io, 'test', 'GOPR0384_11_00', 'target', 'x.png'), 1);
    await png(join(io, 'test', 'GOPR0384_11_00', 'input', 'x.png'), 2);
    await png(join(io, 'test', 'GOPR0385_11_01', 'input', 'x.png'), 2);
    await expectOneLineUserError(loadGoproSuite({ ...base, data: io }), /sequence .*GOPR0385_11_01 has no sharp\/ folder/);
  });

  it('two files with one name stem (a.png, a.jpg) are an error naming both', async () => {
    const root = await nestedTree();
    await writeImage(join(root, 'test', 'GOPR0384_11_00', 'sharp', '000002.jpg'), createImage(16, 12, 3, new Uint8Array(16 * 12 * 3).fill(9)));
    await expectOneLineUserError(loadGoproSuite({ ...base, data: root }), /GOPR0384_11_00\/sharp\/000002\.jpg and .*GOPR0384_11_00\/sharp\/000002\.png/);
  });

  it('a data folder holding the other split is an error, not loaded under the asked split', async () => {
    const root = await nestedTree();
    const train = { ...base, split: 'train' as const };
    await expectOneLineUserError(loadGoproSuite({ ...train, data: join(root, 'test') }), /.*\/test holds the test split, but the train split was asked/);
    await expectOneLineUserError(loadGoproSuite({ ...train, data: root }), /no GoPro layout found/);
    // flattened GOPRO/test/{blur,sharp}: from its parent and from the split folder itself
    const flat = mkdtempSync(join(tmpdir(), 'gopro-flat-'));
    await png(join(flat, 'test', 'sharp', 'GOPR0384_11_00_000001.png'), 1);
    await png(join(flat, 'test', 'blur', 'GOPR0384_11_00_000001.png'), 2);
    await expectOneLineUserError(loadGoproSuite({ ...train, data: flat }), /.* holds only the test split \(.*\/test\), but the train split was asked/);
    await expectOneLineUserError(loadGoproSuite({ ...train, data: join(flat, 'test') }), /holds the test split, but the train split was asked/);
    // test/GoPro/{input,target} given as its test folder
    const io = mkdtempSync(join(tmpdir(), 'gopro-io-'));
    await png(join(io, 'test', 'GoPro', 'target', 'x.png'), 1);
    await png(join(io, 'test', 'GoPro', 'input', 'x.png'), 2);
    await expectOneLineUserError(loadGoproSuite({ ...train, data: join(io, 'test') }), /holds the test split, but the train split was asked/);
    const r = runCli(['run', '--suite', 'gopro', '--data', join(root, 'test'), '--split', 'train', '--out', join(root, 'out'), '--methods', 'blurred', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // the matching split, and a tree whose folder names no split (a bench synth tree), still load
    expect((await loadGoproSuite({ ...base, data: join(flat, 'test') })).pairs).toHaveLength(1);
    expect((await loadGoproSuite({ ...train, data: join(root, 'test', 'GOPR0384_11_00') })).pairs).toHaveLength(3);
    const tree = mkdtempSync(join(tmpdir(), 'synth-tree-'));
    await png(join(tree, 'cat', 'sharp', '000000.png'), 1);
    await png(join(tree, 'cat', 'blur', '000000.png'), 2);
    for (const split of ['train', 'test'] as const) expect((await loadGoproSuite({ ...base, split, data: tree })).pairs.map((p) => p.id)).toEqual(['cat/000000']);
  });

  it('a missing data folder says how to point at it', () => {
    const r = runCli(['run', '--suite', 'gopro', '--out', join(tmpdir(), 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --data DIR pointing at GOPRO_Large/);
    const r2 = runCli(['run', '--suite', 'gopro', '--data', '/no/such', '--out', join(tmpdir(), 'never')]);
    expect(r2.stderr).toMatch(/GoPro folder \/no\/such does not exist \(point it at GOPRO_Large, its test folder or a bench synth tree\)/);
    const r3 = runCli(['run', '--suite', 'gopro', '--data', 'datasets/sample/cow.png', '--out', join(tmpdir(), 'never')]);
    expect(r3.stderr).toMatch(/GoPro folder datasets\/sample\/cow.png is not a folder/);
    expect(r3.stderr.trim().split('\n')).toHaveLength(1);
  });
});
