import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../src/core/image.js';
import { runCli } from '../helpers/cli.js';

describe('bench convert-keras and bench deblur', () => {
  it('imports Keras weights into a checkpoint with ONNX and restores an odd-sized image with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deblur-cli-'));
    const ckpt = join(dir, 'ckpt');
    expect(runCli(['convert-keras', 'test/fixtures/keras/generator.h5', '--out', ckpt]).code).toBe(0);
    expect(existsSync(join(ckpt, 'model.onnx'))).toBe(true);
    const out = join(dir, 'out.png');
    const r = runCli(['deblur', 'datasets/sample/chelsea-cat.png', out, '--model', ckpt]);
    expect(r.code).toBe(0);
    const [a, b] = await Promise.all([readImage('datasets/sample/chelsea-cat.png'), readImage(out)]);
    expect([b.width, b.height]).toEqual([a.width, a.height]); // 451×300: not a multiple of 4
    const viaOnnx = runCli(['deblur', 'datasets/sample/chelsea-cat.png', join(dir, 'out2.png'), '--model', join(ckpt, 'model.onnx')]);
    expect(viaOnnx.code).toBe(0);
  });

  it('the shipped checkpoint is the default model; a missing model or broken weights are one-line errors (exit 2)', async () => {
    // the output file's folder does not exist yet: it is made
    const out = join(mkdtempSync(join(tmpdir(), 'deblur-default-')), 'new', 'cow.png');
    expect(runCli(['deblur', 'datasets/sample/cow.png', out, '--quiet']).code).toBe(0);
    expect((await readImage(out)).width).toBe(512);
    const r = runCli(['deblur', 'datasets/sample/cow.png', join(tmpdir(), 'never.png'), '--model', 'deblurgan:model=/no/such/ckpt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DeblurGAN model \/no\/such\/ckpt does not exist/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const bad = runCli(['convert-keras', 'test/fixtures/keras/broken.h5', '--out', join(tmpdir(), 'never-ckpt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/layer conv2d_2: kernel has shape/);
  });
});
