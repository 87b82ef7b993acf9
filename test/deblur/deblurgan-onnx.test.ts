import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImage, toRgb } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { loadTf } from '../../src/core/tfjs-backend.js';
import { type GeneratorConfig, generatorSpec } from '../../src/deblur/deblurgan/architecture.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/deblur/deblurgan/checkpoint.js';
import { forward, toTensors } from '../../src/deblur/deblurgan/network.js';
import { exportOnnx } from '../../src/deblur/deblurgan/onnx-export.js';
import { initWeights } from '../../src/deblur/deblurgan/weights.js';
import { createMethod } from '../../src/deblur/index.js';
import { DEFAULT_IO, loadOnnxModel, restoreWithModel } from '../../src/deblur/onnx/model-runner.js';
import { expectOneLineUserError } from '../helpers/errors.js';

/** Random weights with non-trivial biases and BatchNorm statistics, so every parameter matters. */
function randomWeights(cfg: GeneratorConfig, seed: number) {
  const weights = initWeights(generatorSpec(cfg), new Rng(seed));
  const rng = new Rng(seed + 1);
  for (const [name, w] of weights) {
    if (name.endsWith('/kernel')) for (let i = 0; i < w.data.length; i++) w.data[i] *= 5; // larger activations
    else if (name.endsWith('/moving_variance')) for (let i = 0; i < w.data.length; i++) w.data[i] = 0.5 + rng.uniform();
    else for (let i = 0; i < w.data.length; i++) w.data[i] = 0.1 * rng.normal();
  }
  return weights;
}

function photoLike(w: number, h: number, seed: number) {
  const rng = new Rng(seed);
  return createImage(w, h, 3, Uint8Array.from({ length: w * h * 3 }, (_, i) => 128 + 90 * Math.sin(i / 31) * Math.cos(i / 977) + rng.normal() * 8));
}

describe('DeblurGAN ONNX export', () => {
  it.each([
    ['official', { variant: 'official', ngf: 8, blocks: 2 }],
    ['keras', { variant: 'keras', ngf: 8, blocks: 2 }],
  ] as const)('%s: onnxruntime output equals the tfjs network to 1e-4', async (_name, cfg) => {
    const tf = await loadTf();
    const spec = generatorSpec(cfg);
    const weights = randomWeights(cfg, 3);
    const model = await loadOnnxModel(exportOnnx(spec, weights));
    const ort = await import('onnxruntime-node');
    const [h, w] = [28, 36];
    const x = tf.randomUniform([1, h, w, 3], -1, 1, 'float32', 7) as import('@tensorflow/tfjs').Tensor4D;
    const expected = await forward(tf, spec, toTensors(tf, weights), x).data();
    const nchw = await tf.transpose(x, [0, 3, 1, 2]).data();
    const out = (await model.session.run({ input: new ort.Tensor('float32', Float32Array.from(nchw), [1, 3, h, w]) })).output.data as Float32Array;
    let maxDiff = 0;
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(out[c * h * w + y * w + xx] - expected[(y * w + xx) * 3 + c]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('output has the input size for odd sizes; tiles agree with the whole image away from seams', async () => {
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 2 };
    // the official initialisation (N(0, 0.02) weights): what an untrained or lightly trained network looks like
    const model = await loadOnnxModel(exportOnnx(generatorSpec(cfg), initWeights(generatorSpec(cfg), new Rng(5))));
    for (const [w, h] of [[37, 29], [61, 18]]) {
      const out = await restoreWithModel(model, photoLike(w, h, 1), { ...DEFAULT_IO, tileAbovePixels: 0 });
      expect([out.width, out.height, out.channels]).toEqual([w, h, 3]);
    }
    // Tiles vs whole image. With BatchNorm (Keras variant) the network is translation-equivariant,
    // so tiles match the whole image except within the receptive field of tile borders. With
    // InstanceNorm (official) every tile normalises with its own statistics: a real, documented
    // difference. Stated tolerances (mean |Δ| on the [0, 1] scale): 1e-5 (BatchNorm), 0.05 (InstanceNorm).
    const img = photoLike(342, 548, 2);
    for (const [variant, tolerance] of [['keras', 1e-5], ['official', 0.05]] as const) {
      const c: GeneratorConfig = { variant, ngf: 8, blocks: 2 };
      const m = await loadOnnxModel(exportOnnx(generatorSpec(c), initWeights(generatorSpec(c), new Rng(5))));
      const whole = await restoreWithModel(m, img, { ...DEFAULT_IO, tileAbovePixels: 0 });
      const tiled = await restoreWithModel(m, img, { ...DEFAULT_IO, tile: 128, overlap: 32, tileAbovePixels: 1 });
      expect([tiled.width, tiled.height]).toEqual([342, 548]);
      let sum = 0;
      for (let i = 0; i < whole.data.length; i++) sum += Math.abs(whole.data[i] - tiled.data[i]);
      expect(sum / whole.data.length).toBeLessThan(tolerance);
    }
  });

  it('checkpoints round-trip, load as the deblurgan method (onnx and tfjs engines agree), and bad files are clear errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 1 };
    const weights = randomWeights(cfg, 9);
    await saveCheckpoint(dir, cfg, weights, { name: 'test', contentLoss: 'none', steps: 0 });
    const back = await loadCheckpoint(dir);
    expect(back.architecture).toEqual(cfg);
    expect(Array.from(back.weights.get('in_conv/kernel')?.data ?? [])).toEqual(Array.from(weights.get('in_conv/kernel')?.data ?? []));
    const img = photoLike(45, 30, 3);
    const viaOnnx = await (await createMethod(`deblurgan:model=${dir}`)).restore(img, { id: 'x' });
    const tfjsMethod = await createMethod(`deblurgan:model=${dir},engine=tfjs`);
    // the cache identity follows the network's shape and the backend, not only the weight bytes
    expect(tfjsMethod.identity).toMatchObject({ architecture: expect.stringContaining('"ngf"'), backend: expect.any(String) });
    const viaTfjs = await tfjsMethod.restore(img, { id: 'x' });
    expect([viaOnnx.width, viaOnnx.height]).toEqual([45, 30]);
    let maxDiff = 0;
    for (let i = 0; i < viaOnnx.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(viaOnnx.data[i] - viaTfjs.data[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    const viaAnyOnnx = await (await createMethod(`onnx:${join(dir, 'model.onnx')},range=signed,multiple=4`)).restore(img, { id: 'x' });
    expect(Array.from(viaAnyOnnx.data)).toEqual(Array.from(viaOnnx.data));
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(10));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/truncated/);
    await expect(createMethod('deblurgan:model=/no/such/dir')).rejects.toThrow(/does not exist/);
    await expect(createMethod('onnx:/no/such.onnx')).rejects.toThrow(/does not exist/);
    const notOnnx = join(dir, 'bad.onnx');
    writeFileSync(notOnnx, 'garbage');
    await expect(createMethod(`onnx:${notOnnx}`)).rejects.toThrow(/cannot load ONNX model/);
  });

  it("the card's inference tiling is the default on both engines; options override it; a bad one is a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-tiled-'));
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 1 };
    await saveCheckpoint(dir, cfg, randomWeights(cfg, 4), { name: 'test', inference: { tile: 64, overlap: 16 } });
    const img = photoLike(150, 100, 6);
    const model = await loadOnnxModel(join(dir, 'model.onnx'));
    const tiled = await restoreWithModel(model, img, { ...DEFAULT_IO, tile: 64, overlap: 16, tileAbovePixels: 1 });
    const whole = await restoreWithModel(model, img, { ...DEFAULT_IO, tileAbovePixels: 0 });
    const meanDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    expect(meanDiff(tiled.data, whole.data)).toBeGreaterThan(1e-3); // instance norm: tiles differ from the whole image

    const viaOnnx = await createMethod(`deblurgan:model=${dir}`);
    expect(viaOnnx.identity).toMatchObject({ tile: 64, overlap: 16, tileAbovePixels: 1 });
    expect(Array.from((await viaOnnx.restore(img, { id: 'x' })).data)).toEqual(Array.from(tiled.data));
    const viaTfjs = (await (await createMethod(`deblurgan:model=${dir},engine=tfjs`)).restore(img, { id: 'x' })).data;
    expect(viaTfjs.reduce((m, v, i) => Math.max(m, Math.abs(v - tiled.data[i])), 0)).toBeLessThan(1e-4);
    const off = await createMethod(`deblurgan:model=${dir},tiling=off`);
    expect(Array.from((await off.restore(img, { id: 'x' })).data)).toEqual(Array.from(whole.data));
    expect((await createMethod(`deblurgan:model=${dir},tile=96`)).identity).toMatchObject({ tile: 96, overlap: 16 });

    await expect(createMethod(`deblurgan:model=${dir},engine=tfjs,range=unit`)).rejects.toThrow(/engine=tfjs takes no range option/);

    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.card.inference = { tile: 256, overlap: 96 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    // the card's overlap must suit a tile given as an option (a step ≤ 0 would never end)
    await expect(createMethod(`deblurgan:model=${dir},tile=128`)).rejects.toThrow(/tile=128 is invalid: it must be more than twice the overlap \(96\)/);
    expect((await createMethod(`deblurgan:model=${dir},tile=128,overlap=32`)).identity).toMatchObject({ tile: 128, overlap: 32 });
    json.card.inference = { tile: 30, overlap: 4 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(createMethod(`deblurgan:model=${dir}`)).rejects.toThrow(/card\.inference: tile 30 must be an integer ≥ 64/);
  });

  it('grey images come back grey on both methods and engines: the mean of the network run on replicated RGB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-grey-'));
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 1 };
    await saveCheckpoint(dir, cfg, randomWeights(cfg, 11), { name: 'test' });
    const rng = new Rng(8);
    const grey = createImage(70, 50, 1, Uint8Array.from({ length: 70 * 50 }, () => 40 + Math.floor(rng.uniform() * 170)));
    for (const spec of [`deblurgan:model=${dir}`, `deblurgan:model=${dir},engine=tfjs`, `onnx:${join(dir, 'model.onnx')},range=signed,multiple=4`, `deblurgan:model=${dir},tile=64,overlap=16`]) {
      const method = await createMethod(spec);
      const out = await method.restore(grey, { id: 'g' });
      expect([out.width, out.height, out.channels, out.data.length]).toEqual([70, 50, 1, 70 * 50]);
      const rgb = await method.restore(toRgb(grey), { id: 'g' });
      let maxDiff = 0;
      for (let i = 0; i < out.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out.data[i] - (rgb.data[3 * i] + rgb.data[3 * i + 1] + rgb.data[3 * i + 2]) / 3));
      expect(maxDiff).toBeLessThan(1e-6);
    }
  });

  it('option and environment errors are one line: deblurgan multiple, threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-opts-'));
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 1 };
    await saveCheckpoint(dir, cfg, randomWeights(cfg, 12), { name: 'test', inference: { tile: 160, overlap: 48 } });
    await expectOneLineUserError(createMethod(`deblurgan:model=${dir},multiple=3`), /^option multiple=3 is invalid: a positive multiple of 4/);
    await expectOneLineUserError(createMethod(`deblurgan:model=${dir},multiple=64`), /^option multiple=64 is invalid: the default tile \(160\)/);
    expect((await createMethod(`deblurgan:model=${dir},multiple=32`)).identity).toMatchObject({ multiple: 32, tile: 160 });
    const saved = process.env.DEBLURBENCH_THREADS;
    try {
      for (const bad of ['abc', '0', '1.5']) {
        process.env.DEBLURBENCH_THREADS = bad;
        await expectOneLineUserError(createMethod(`onnx:${join(dir, 'model.onnx')}`), new RegExp(`^DEBLURBENCH_THREADS=${bad.replace('.', '\\.')} is invalid: use a positive integer$`));
      }
      process.env.DEBLURBENCH_THREADS = '1';
      expect((await createMethod(`onnx:${join(dir, 'model.onnx')}`)).runtime.threads).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.DEBLURBENCH_THREADS;
      else process.env.DEBLURBENCH_THREADS = saved;
    }
  });

  it('saving weights without an export removes the older model.onnx, so it never runs under the new card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-stale-'));
    const cfg: GeneratorConfig = { variant: 'official', ngf: 8, blocks: 1 };
    await saveCheckpoint(dir, cfg, randomWeights(cfg, 13), { name: 'first' });
    expect(existsSync(join(dir, 'model.onnx'))).toBe(true);
    await saveCheckpoint(dir, cfg, randomWeights(cfg, 14), { name: 'second' }, { onnx: false });
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
    await expectOneLineUserError(createMethod(`deblurgan:model=${dir}`), /model\.onnx not found: export the checkpoint to ONNX or use deblurgan:engine=tfjs/);
    expect((await loadCheckpoint(dir)).card.name).toBe('second');
  });
});
