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

  it('undo an off-centre delta kernel exactly (convolution, not correlation; no half-pixel shift)', async () => {
    const sharp = pairs[0].sharp;
    // a 7×5 kernel whose only tap sits 2 px right of and 1 px above its centre: a pure shift
    const kernel = { width: 7, height: 5, data: new Float64Array(35) };
    kernel.data[1 * 7 + 5] = 1;
    const blurred = blurImage(sharp, kernel, new Rng(0));
    const { width: W, height: H } = sharp;
    // convolution moves content the other way: blurred(x, y) = sharp(x − 2, y + 1)
    expect(blurred.data[(40 * W + 40) * 3]).toBe(sharp.data[(41 * W + 38) * 3]);
    for (const spec of ['wiener:nsr=0.000001', 'richardson-lucy:iterations=5']) {
      const restored = await (await createMethod(spec)).restore(blurred, { id: 'delta', kernel });
      let worst = 0;
      for (let y = 12; y < H - 12; y++) {
        for (let x = 12; x < W - 12; x++) {
          for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(restored.data[(y * W + x) * 3 + c] - sharp.data[(y * W + x) * 3 + c] / 255));
        }
      }
      expect(worst, spec).toBeLessThan(1e-3);
    }
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
