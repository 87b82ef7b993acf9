import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out;
}

describe('bench synth', () => {
  const input = mkdtempSync(join(tmpdir(), 'synth-in-'));
  copyFileSync('datasets/sample/chelsea-cat.png', join(input, 'cat.png'));
  copyFileSync('datasets/sample/coffee-cup.png', join(input, 'cup.png'));

  it('writes a GoPro-style tree with kernels and a manifest; the same seed gives byte-identical output', () => {
    const a = mkdtempSync(join(tmpdir(), 'synth-a-'));
    const b = mkdtempSync(join(tmpdir(), 'synth-b-'));
    const args = ['synth', '--input', input, '--per-image', '2', '--seed', '7', '--noise', '1', '--quiet'];
    expect(runCli([...args, '--out', a]).code).toBe(0);
    expect(runCli([...args, '--out', b]).code).toBe(0);
    const files = tree(a);
    expect(files).toContain('cat/blur/000001.png');
    expect(files).toContain('cup/sharp/000000.png');
    expect(files).toContain('cup/kernel/000001.json');
    expect(files).toContain('cup/kernel/000001.png');
    expect(files).toContain('manifest.json');
    expect(tree(b)).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
    const kernel = JSON.parse(readFileSync(join(a, 'cat/kernel/000000.json'), 'utf8'));
    expect(kernel.data.length).toBe(kernel.width * kernel.height);
    expect(Math.abs(kernel.data.reduce((s: number, v: number) => s + v, 0) - 1)).toBeLessThan(1e-6);
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ model: 'trajectory', seed: 7, perImage: 2 });
    expect(manifest.items).toHaveLength(4);
    expect(manifest.items[0].params.model).toBe('trajectory');
    expect(manifest.exposure).toBe(1);
    expect(manifest.items[0].params.exposure).toBe(1);
    expect(manifest.blur).toMatchObject({ boundary: 'reflect', linearLight: false, gaussianSigma: 1, poissonPeak: 0 });
  });

  it('the manifest records the blur options used: exposure only for trajectory, replicate borders for corruption', () => {
    const one = mkdtempSync(join(tmpdir(), 'synth-one-'));
    copyFileSync('datasets/sample/chelsea-cat.png', join(one, 'cat.png'));
    const manifestOf = (extra: string[]) => {
      const out = mkdtempSync(join(tmpdir(), 'synth-m-'));
      expect(runCli(['synth', '--input', one, '--out', out, '--quiet', ...extra]).code).toBe(0);
      return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    };
    const traj = manifestOf(['--exposure', '0.5', '--poisson', '200', '--linear-light']);
    expect(traj).toMatchObject({ model: 'trajectory', exposure: 0.5, blur: { boundary: 'reflect', linearLight: true, gaussianSigma: 0, poissonPeak: 200 } });
    expect(traj.items[0].params.exposure).toBe(0.5);
    for (const model of ['linear', 'gaussian']) {
      const m = manifestOf(['--model', model, '--noise', '2']);
      expect(m).toMatchObject({ model, blur: { boundary: 'reflect', gaussianSigma: 2, poissonPeak: 0 } });
      expect(m).not.toHaveProperty('exposure');
    }
    const corruption = manifestOf(['--model', 'corruption', '--severity', '2']);
    expect(corruption).toMatchObject({ model: 'corruption', severity: 2, blur: { boundary: 'replicate' } });
    expect(corruption).not.toHaveProperty('exposure');
    expect(manifestOf(['--model', 'corruption', '--boundary', 'zero']).blur.boundary).toBe('zero');
  });

  it('a different seed gives different blur', () => {
    const a = mkdtempSync(join(tmpdir(), 'synth-c-'));
    const b = mkdtempSync(join(tmpdir(), 'synth-d-'));
    runCli(['synth', '--input', input, '--out', a, '--seed', '1', '--quiet']);
    runCli(['synth', '--input', input, '--out', b, '--seed', '2', '--quiet']);
    expect(readFileSync(join(a, 'cat/blur/000000.png')).equals(readFileSync(join(b, 'cat/blur/000000.png')))).toBe(false);
  });

  it('a bad image is reported and skipped, the rest is written, exit 3', () => {
    const withBad = mkdtempSync(join(tmpdir(), 'synth-bad-'));
    copyFileSync('datasets/sample/chelsea-cat.png', join(withBad, 'cat.png'));
    writeFileSync(join(withBad, 'broken.png'), 'not a png');
    const out = mkdtempSync(join(tmpdir(), 'synth-out-'));
    const r = runCli(['synth', '--input', withBad, '--out', out, '--model', 'corruption', '--severity', '2']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/skipped broken\.png: cannot read image/);
    expect(tree(out)).toContain('cat/blur/000000.png');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.failures).toHaveLength(1);
  });

  it.each([
    [['--model', 'trajectroy'], /did you mean "trajectory"/],
    [['--model', 'corruption', '--severity', '7'], /--severity must be 1\.\.5/],
    [['--per-image', '0'], /--per-image must be a positive integer/],
    [['--noise', '-5', '--poisson', '-3'], /--noise must be a finite number ≥ 0, got -5/],
    [['--poisson', '-3'], /--poisson must be a finite number ≥ 0, got -3/],
    [['--noise', 'NaN'], /--noise must be a finite number ≥ 0, got NaN/],
    [['--poisson', 'Infinity'], /--poisson must be a finite number ≥ 0, got Infinity/],
    [['--exposure', '0'], /--exposure must be in \(0, 1\], got 0/],
    [['--exposure', '1.5'], /--exposure must be in \(0, 1\], got 1\.5/],
    [['--exposure', 'NaN'], /--exposure must be in \(0, 1\], got NaN/],
  ])('bad options %j: one line, exit 2, nothing written', (extra, message) => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-never-')), 'out');
    const r = runCli(['synth', '--input', input, '--out', out, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing input folder is a clear error', () => {
    const r = runCli(['synth', '--input', '/no/such/dir', '--out', join(tmpdir(), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input folder \/no\/such\/dir does not exist/);
    mkdirSync(join(tmpdir(), 'empty-synth-in'), { recursive: true });
    expect(runCli(['synth', '--input', join(tmpdir(), 'empty-synth-in'), '--out', join(tmpdir(), 'x')]).stderr).toMatch(/no images/);
  });
});
