import { existsSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/core/files.js';

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
