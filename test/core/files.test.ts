import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagedWrites, makeDirectory, writeWhole } from '../../src/core/files.js';

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mkdir-'));
    const deep = join(root, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDirectory(deep);
    await makeDirectory(root);
  });

  it('rejects a path whose parent is a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mkdir-'));
    writeFileSync(join(root, 'file'), '');
    await expect(makeDirectory(join(root, 'file', 'x'))).rejects.toThrow(/not a folder/);
    expect(existsSync(join(root, 'file', 'x'))).toBe(false);
    await expect(makeDirectory(join(root, 'file'))).rejects.toThrow(/exists and is not a folder/);
  });

  it('rejects a dangling symlink in the path instead of reporting success', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mkdir-'));
    symlinkSync(join(root, 'nowhere'), join(root, 'link'));
    await expect(makeDirectory(join(root, 'link'))).rejects.toThrow(/not a folder/);
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc instead of hanging', async () => {
    await expect(makeDirectory('/proc/deblurbench-forbidden/out')).rejects.toThrow();
    expect(existsSync('/proc/deblurbench-forbidden')).toBe(false);
  });
});

describe('StagedWrites', () => {
  it('nothing changes until commit; then every file is in place and no temporary is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'staged-'));
    writeFileSync(join(dir, 'weights.bin'), 'old weights');
    writeFileSync(join(dir, 'state.json'), 'old state');
    const staged = new StagedWrites();
    await staged.write(join(dir, 'weights.bin'), new Uint8Array([1, 2, 3]));
    await staged.write(join(dir, 'state.json'), 'new state');
    // a kill here leaves the previous save whole
    expect(readFileSync(join(dir, 'weights.bin'), 'utf8')).toBe('old weights');
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('old state');
    await staged.commit();
    expect(Array.from(readFileSync(join(dir, 'weights.bin')))).toEqual([1, 2, 3]);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('new state');
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'weights.bin']);
    await writeWhole(join(dir, 'alone.txt'), 'x'); // without a stage: written whole at once
    expect(readFileSync(join(dir, 'alone.txt'), 'utf8')).toBe('x');
  });
});
