import { describe, expect, it } from 'vitest';
import { blurImage } from '../../src/blur-synth/blur.js';
import { trajectoryModel } from '../../src/blur-synth/models.js';
import { readImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { createMethod, methods } from '../../src/deblur/index.js';
import { psnr } from '../../src/metrics/psnr.js';

const photos = ['chelsea-cat.png', 'coffee-cup.png', 'horses.png'];

describe('oracle non-blind baselines on sample photographs (trajectory blur, no noise)', async () => {
  const pairs = await Promise.all(
    photos.map(async (f, i) => {
      const sharp = await readImage(`datasets/sample/${f}`);
      const { kernel } = trajectoryModel(new Rng(100 + i), {});
      return { id: f, sharp, kernel, blurred: blurImage(sharp, kernel, new Rng(i)) };
    }),
  );
  const meanGain = async (spec: string) => {
    const method = await createMethod(spec);
    let gain = 0;
    for (const p of pairs) {
      const restored = await method.restore(p.blurred, { id: p.id, kernel: p.kernel });
      expect([restored.width, restored.height, restored.channels]).toEqual([p.sharp.width, p.sharp.height, p.sharp.channels]);
      gain += psnr(p.sharp, restored) - psnr(p.sharp, p.blurred);
    }
    return gain / pairs.length;
  };

  it('Wiener raises mean PSNR by a clear margin', async () => {
    expect(await meanGain('wiener')).toBeGreaterThan(4);
  });

  it('Richardson–Lucy raises mean PSNR', async () => {
    expect(await meanGain('richardson-lucy:iterations=15')).toBeGreaterThan(2);
  });

  it('the identity method returns the blurred input', async () => {
    expect(await meanGain('blurred')).toBe(0);
  });

  it('non-blind methods refuse pairs without a kernel; bad options are clear errors', async () => {
    const wiener = await createMethod('wiener');
    await expect(wiener.restore(pairs[0].blurred, { id: 'x' })).rejects.toThrow(/needs the blur kernel/);
    await expect(createMethod('wiener:nsr=-1')).rejects.toThrow(/NSR must be > 0/);
    await expect(createMethod('wiener:alpha=1')).rejects.toThrow(/has no option "alpha"/);
    await expect(createMethod('wienr')).rejects.toThrow(/did you mean "wiener"/);
    expect(methods.names()).toEqual(['blurred', 'wiener', 'deblurgan', 'onnx', 'richardson-lucy']);
  });
});
