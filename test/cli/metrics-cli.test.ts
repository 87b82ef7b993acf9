import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImage, writeImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { psnr } from '../../src/metrics/psnr.js';
import { ssim } from '../../src/metrics/ssim.js';
import { runCli } from '../helpers/cli.js';

const fx = 'test/fixtures/metrics/images';
const ref = `${fx}/rgb8_64x48_ref.png`;
const tst = `${fx}/rgb8_64x48_test.png`;

describe('bench metrics', () => {
  it('--json prints psnr, ssim, ssimMode, color, crop', () => {
    const r = runCli(['metrics', ref, tst, '--json', '--ssim', 'skimage', '--color', 'y', '--crop', '4']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ssimMode: 'skimage', color: 'y', crop: 4 });
    expect(typeof out.psnr).toBe('number');
    expect(out.ssim).toBeGreaterThan(0);
    expect(out.ssim).toBeLessThan(1);
  });

  it('bench demo finds the shipped photographs from any folder', () => {
    const r = runCli(['demo'], {}, tmpdir());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/JPEG q30\s+\d+\.\d+/);
  });

  it('an option given twice takes its last value', () => {
    const r = runCli(['metrics', ref, tst, '--json', '--crop', '2', '--crop', '4']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).crop).toBe(4);
  });

  it('identical images: PSNR is "Infinity" in JSON and ∞ in text', () => {
    const j = runCli(['metrics', ref, ref, '--json']);
    expect(JSON.parse(j.stdout).psnr).toBe('Infinity');
    expect(JSON.parse(j.stdout).ssim).toBe(1);
    expect(runCli(['metrics', ref, ref]).stdout).toContain('PSNR ∞ dB');
  });

  it.each([
    [['metrics', ref, `${fx}/rgb8_53x37_ref.png`], /image sizes differ/],
    [['metrics', ref, 'no/such/file.png'], /cannot read image no\/such\/file.png/],
    [['metrics', ref, tst, '--ssim', 'matlab'], /unknown SSIM mode "matlab" — did you mean "matlab3d"/],
    [['metrics', ref, tst, '--color', 'lab'], /Invalid values/],
    [['metrics', ref], /Not enough non-option arguments/],
    [['metrics', ref, tst, '--crop', '40'], /crop 40 leaves nothing/],
  ])('bad input %j: one line on stderr, exit 2', (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('large images use worker threads and give the same numbers as the single-threaded core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deblurbench-cli-'));
    const rng = new Rng(11);
    const w = 700, h = 400;
    const a = new Uint8Array(w * h * 3);
    for (let i = 0; i < a.length; i++) a[i] = (Math.sin(i / 97) * 100 + 128 + rng.normal() * 5) | 0;
    const b = a.map((v) => Math.max(0, Math.min(255, v + Math.round(rng.normal() * 12))));
    const imgA = createImage(w, h, 3, a);
    const imgB = createImage(w, h, 3, b);
    await writeImage(join(dir, 'a.png'), imgA);
    await writeImage(join(dir, 'b.png'), imgB);
    for (const mode of ['basicsr', 'skimage', 'matlab3d']) {
      const r = runCli(['metrics', join(dir, 'a.png'), join(dir, 'b.png'), '--json', '--ssim', mode], { DEBLURBENCH_THREADS: '2' });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(Math.abs(out.ssim - (await ssim(imgA, imgB, { mode })))).toBeLessThan(1e-12);
      expect(out.psnr).toBe(psnr(imgA, imgB));
    }
  });
});
