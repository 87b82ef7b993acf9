import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { countParameters, criticSpec, generatorSpec } from '../../src/deblur/deblurgan/architecture.js';
import { forward, toTensors } from '../../src/deblur/deblurgan/network.js';
import { initWeights } from '../../src/deblur/deblurgan/weights.js';

describe('DeblurGAN architecture', () => {
  it('has the published parameter counts', () => {
    expect(countParameters(generatorSpec())).toBe(11_378_179);
    expect(countParameters(criticSpec())).toBe(2_764_737);
  });

  it('scales with ngf and blocks', () => {
    expect(countParameters(generatorSpec({ variant: 'official', ngf: 16, blocks: 3 }))).toBeLessThan(300_000);
    expect(countParameters(generatorSpec({ variant: 'keras', ngf: 64, blocks: 9 }))).toBeGreaterThan(11_000_000);
  });

  it('the tfjs generator keeps the input size (multiples of 4) and stays in [−1, 1]; the critic gives a patch map', async () => {
    const tf = await loadTf();
    for (const variant of ['official', 'keras'] as const) {
      const spec = generatorSpec({ variant, ngf: 8, blocks: 2 });
      const w = toTensors(tf, initWeights(spec, new Rng(1)));
      const x = tf.randomUniform([1, 36, 20, 3], -1, 1) as import('@tensorflow/tfjs').Tensor4D;
      const y = forward(tf, spec, w, x);
      expect(y.shape).toEqual([1, 36, 20, 3]);
      const v = await y.data();
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
      tf.dispose([x, y, ...w.values()]);
    }
    const critic = criticSpec({ ndf: 8, layers: 3 });
    const cw = toTensors(tf, initWeights(critic, new Rng(2)));
    const d = forward(tf, critic, cw, tf.zeros([2, 64, 64, 3]));
    // 64 → 33 → 17 → 9 (stride 2, pad 2, k 4) → 10 → 11 (stride 1, pad 2, k 4)
    expect(d.shape).toEqual([2, 11, 11, 1]);
  });
});
