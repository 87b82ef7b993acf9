import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor4D } from '@tensorflow/tfjs';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { generatorSpec } from '../../src/deblur/deblurgan/architecture.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/deblur/deblurgan/checkpoint.js';
import { importKerasGenerator } from '../../src/deblur/deblurgan/keras-h5.js';
import { forward, toTensors } from '../../src/deblur/deblurgan/network.js';
import { expectOneLineUserError } from '../helpers/errors.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'keras');
const tmp: string[] = [];

afterAll(async () => {
  await Promise.all(tmp.map((d) => rm(d, { recursive: true, force: true })));
});

describe('Keras DeblurGAN .h5 import', () => {
  it('reads both layouts (save_weights and model.save) to the same weights and infers ngf and blocks', async () => {
    const a = await importKerasGenerator(join(FIX, 'generator.h5'));
    const b = await importKerasGenerator(join(FIX, 'generator_model.h5'));
    expect(a.architecture).toEqual({ variant: 'keras', ngf: 4, blocks: 1 });
    expect(b.architecture).toEqual(a.architecture);
    expect([...a.weights.keys()].sort()).toEqual([...b.weights.keys()].sort());
    expect(a.weights.get('in_conv/kernel')?.shape).toEqual([7, 7, 3, 4]);
    expect(a.weights.get('res0_conv1/kernel')?.shape).toEqual([3, 3, 16, 16]);
    expect(a.weights.get('bn6/moving_variance')?.shape).toEqual([4]);
    expect(a.weights.get('out_conv/bias')?.shape).toEqual([3]);
    for (const [name, w] of a.weights) {
      expect(w.data).toBeInstanceOf(Float32Array);
      expect(b.weights.get(name)?.data).toEqual(w.data);
    }
  });

  it('the tfjs forward with the imported weights matches the NumPy reference', async () => {
    const { architecture, weights } = await importKerasGenerator(join(FIX, 'generator.h5'), { ngf: 4, blocks: 1 });
    const ref = JSON.parse(await readFile(join(FIX, 'expected.json'), 'utf8')) as { shape: number[]; input: number[]; expected: number[] };
    const tf = await loadTf();
    const w = toTensors(tf, weights);
    const x = tf.tensor4d(Float32Array.from(ref.input), ref.shape as [number, number, number, number]);
    const y = forward(tf, generatorSpec(architecture), w, x as Tensor4D);
    expect(y.shape).toEqual(ref.shape);
    const got = await y.data();
    let maxErr = 0;
    for (let i = 0; i < ref.expected.length; i++) maxErr = Math.max(maxErr, Math.abs((got[i] as number) - (ref.expected[i] as number)));
    expect(maxErr).toBeLessThan(1e-4);
    tf.dispose([x, y, ...w.values()]);
  });

  it('rejects a wrong conv shape, a non-HDF5 file, a missing file and a mismatched --ngf with one-line UserErrors', async () => {
    await expectOneLineUserError(importKerasGenerator(join(FIX, 'broken.h5')), /broken\.h5: layer conv2d_2: kernel has shape 3×3×1×1, expected 3×3×1×2/);
    const dir = await mkdtemp(join(tmpdir(), 'keras-h5-'));
    tmp.push(dir);
    const notH5 = join(dir, 'generator.h5');
    await writeFile(notH5, 'this is not an HDF5 file\n'.repeat(40));
    await expectOneLineUserError(importKerasGenerator(notH5), /generator\.h5: not an HDF5 file/);
    await expectOneLineUserError(importKerasGenerator(join(dir, 'missing.h5')), /missing\.h5: cannot read/);
    await expectOneLineUserError(importKerasGenerator(join(FIX, 'generator.h5'), { ngf: 64 }), /layer conv2d_1 gives ngf 4, expected 64/);
  });

  it('imported weights round-trip through saveCheckpoint and loadCheckpoint', async () => {
    const { architecture, weights } = await importKerasGenerator(join(FIX, 'generator_model.h5'));
    const dir = await mkdtemp(join(tmpdir(), 'keras-h5-ckpt-'));
    tmp.push(dir);
    await saveCheckpoint(dir, architecture, weights, { name: 'keras-import-test' }, { onnx: false });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.architecture).toEqual(architecture);
    expect(loaded.weights.size).toBe(weights.size);
    for (const [name, w] of weights) {
      expect(loaded.weights.get(name)?.shape).toEqual(w.shape);
      expect(loaded.weights.get(name)?.data).toEqual(w.data);
    }
  });
});
