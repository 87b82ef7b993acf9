import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor4D } from '@tensorflow/tfjs';
import * as h5 from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../src/core/hash.js';
import { type Tf, loadTf } from '../../src/core/tfjs-backend.js';
import { VGG19_CONV3_3_LAYERS, type Vgg19, type Vgg19Weights, createVgg19, loadVgg19, perceptualLoss, vggFeatures } from '../../src/deblur/deblurgan/vgg19.js';
import { expectOneLineUserError } from '../helpers/errors.js';

// The weights and inputs of scripts/fixtures/make_vgg19_fixture.py, bit for bit (see its docstring).
const FIX = join(import.meta.dirname, '..', 'fixtures', 'vgg19');
const INPUT_SHAPE: [number, number, number, number] = [2, 22, 18, 3];

function uniform(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let h = (seed + k) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out[k] = ((h >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface FormulaLayer {
  name: string;
  kernelShape: [number, number, number, number];
  kernel: Float32Array;
  bias: Float32Array;
}

const formulaLayers: FormulaLayer[] = VGG19_CONV3_3_LAYERS.map((layer, index) => {
  const seed = (index + 1) * 2 ** 21;
  const scale = Math.sqrt(6 / (9 * layer.inChannels));
  return {
    name: layer.name,
    kernelShape: [3, 3, layer.inChannels, layer.outChannels],
    kernel: Float32Array.from(uniform(seed, 9 * layer.inChannels * layer.outChannels), (v) => scale * v),
    bias: Float32Array.from(uniform(seed + 2 ** 20, layer.outChannels), (v) => 10 * v),
  };
});

const formulaInput = (seed: number): Float32Array => Float32Array.from(uniform(seed, INPUT_SHAPE.reduce((a, b) => a * b)), (v) => 0.95 * v);

interface KerasFileOptions {
  /** `model.save` nests everything under /model_weights */
  layout: 'save_weights' | 'model';
  /** Keras 2 `block1_conv1/kernel:0` or Keras 1 `block1_conv1_W_1:0` */
  names: 'keras2' | 'keras1';
  omit?: string;
}

/** A Keras weights file with the formula weights; layer_names in reverse order plus extra layers, to show matching is by name. */
async function writeKerasFile(path: string, opts: KerasFileOptions): Promise<void> {
  await h5.ready;
  const file = new h5.File(path, 'w');
  try {
    file.create_attribute('backend', 'tensorflow');
    const root = opts.layout === 'model' ? file.create_group('model_weights') : file;
    const layers = formulaLayers.filter((l) => l.name !== opts.omit);
    const extra = { name: 'block4_conv1', kernelShape: [1, 1, 1, 2] as [number, number, number, number], kernel: new Float32Array(2), bias: new Float32Array(2) };
    const all = [extra, ...layers].reverse();
    root.create_attribute('layer_names', ['input_1', ...all.map((l) => l.name)]);
    root.create_group('input_1').create_attribute('weight_names', new Float32Array(0));
    for (const layer of all) {
      const group = root.create_group(layer.name);
      const [kernelName, biasName] = opts.names === 'keras2' ? [`${layer.name}/kernel:0`, `${layer.name}/bias:0`] : [`${layer.name}_W_1:0`, `${layer.name}_b_1:0`];
      group.create_attribute('weight_names', [kernelName, biasName]);
      const holder = opts.names === 'keras2' ? group.create_group(layer.name) : group;
      holder.create_dataset({ name: kernelName.split('/').pop() as string, data: layer.kernel, shape: layer.kernelShape, dtype: '<f' });
      holder.create_dataset({ name: biasName.split('/').pop() as string, data: layer.bias, shape: [layer.bias.length], dtype: '<f' });
    }
  } finally {
    file.close();
  }
}

/** A tfjs layers model as tensorflowjs_converter writes it: two manifest groups, the first split over two shards. */
async function writeTfjsModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = formulaLayers.flatMap((l) => [
    { name: `${l.name}/kernel`, shape: l.kernelShape as number[], dtype: 'float32', data: l.kernel },
    { name: `${l.name}/bias`, shape: [l.bias.length], dtype: 'float32', data: l.bias },
  ]);
  const first = entries.slice(0, 8);
  const second = [{ name: 'block4_conv1/kernel', shape: [1, 1, 1, 3], dtype: 'float32', data: new Float32Array(3) }, ...entries.slice(8)];
  const bytes = (group: typeof entries): Buffer => Buffer.concat(group.map((e) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength)));
  const firstBytes = bytes(first);
  const cut = 12345; // not on a weight boundary
  await writeFile(join(dir, 'group1-shard1of2.bin'), firstBytes.subarray(0, cut));
  await writeFile(join(dir, 'group1-shard2of2.bin'), firstBytes.subarray(cut));
  await writeFile(join(dir, 'group2-shard1of1.bin'), bytes(second));
  const manifest = [
    { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: first.map(({ name, shape, dtype }) => ({ name, shape, dtype })) },
    { paths: ['group2-shard1of1.bin'], weights: second.map(({ name, shape, dtype }) => ({ name, shape, dtype })) },
  ];
  const modelJson = { format: 'layers-model', generatedBy: 'keras v2.11.0', convertedBy: 'TensorFlow.js Converter v4.22.0', modelTopology: { class_name: 'Functional', config: { name: 'vgg19', layers: [] } }, weightsManifest: manifest };
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
}

const sameBytes = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectFormulaWeights(weights: Vgg19Weights): void {
  expect(weights.convs.map((c) => c.name)).toEqual(VGG19_CONV3_3_LAYERS.map((l) => l.name));
  weights.convs.forEach((conv, i) => {
    const want = formulaLayers[i] as FormulaLayer;
    expect(conv.kernelShape).toEqual(want.kernelShape);
    // byte comparison: toEqual on 590k-element arrays takes seconds
    expect(sameBytes(conv.kernel, want.kernel), `${conv.name} kernel`).toBe(true);
    expect(sameBytes(conv.bias, want.bias), `${conv.name} bias`).toBe(true);
  });
}

interface Expected {
  featureShape: number[];
  restored: { sum: number; sumAbs: number; sumSquares: number; maxAbs: number; sampleIndices: number[]; samples: number[] };
  perceptualLoss: number;
}

const tmp: string[] = [];
let work = '';
let tf: Tf;
let h5Weights: Vgg19Weights;
let vgg: Vgg19;
let restored: Tensor4D;
let sharp: Tensor4D;

beforeAll(async () => {
  tf = await loadTf();
  work = await mkdtemp(join(tmpdir(), 'vgg19-'));
  tmp.push(work);
  await writeKerasFile(join(work, 'vgg19_save_weights.h5'), { layout: 'save_weights', names: 'keras2' });
  h5Weights = await loadVgg19(join(work, 'vgg19_save_weights.h5'));
  vgg = createVgg19(tf, h5Weights);
  restored = tf.tensor4d(formulaInput(2 ** 25), INPUT_SHAPE);
  sharp = tf.tensor4d(formulaInput(2 ** 25 + 2 ** 20), INPUT_SHAPE);
});

afterAll(async () => {
  vgg?.dispose();
  tf?.dispose([restored, sharp]);
  await Promise.all(tmp.map((d) => rm(d, { recursive: true, force: true })));
});

describe('VGG19 weights loading', () => {
  it('reads a Keras 2 save_weights file by layer name, ignoring other layers, with the file hash as identity', async () => {
    expectFormulaWeights(h5Weights);
    const path = join(work, 'vgg19_save_weights.h5');
    expect(h5Weights.identity).toBe((await sha256File(path)).slice(0, 16));
    expect(h5Weights.source).toBe(path);
  });

  it('reads the model.save layout and Keras 1 weight names (block1_conv1_W_1:0) to the same weights', async () => {
    const path = join(work, 'vgg19_model_keras1.h5');
    await writeKerasFile(path, { layout: 'model', names: 'keras1' });
    expectFormulaWeights(await loadVgg19(path));
  });

  it('reads a tfjs layers model given as its directory or its model.json, shards split anywhere', async () => {
    const dir = join(work, 'tfjs-vgg19');
    await writeTfjsModel(dir);
    const fromDir = await loadVgg19(dir);
    expectFormulaWeights(fromDir);
    const fromJson = await loadVgg19(join(dir, 'model.json'));
    expect(fromJson.identity).toBe(fromDir.identity);
    expect(fromJson.identity).toMatch(/^[0-9a-f]{16}$/);
    expect(fromJson.identity).not.toBe(h5Weights.identity);
  });

  it('problems are one-line UserErrors naming the file', async () => {
    const noBlock3 = join(work, 'no_block3_conv3.h5');
    await writeKerasFile(noBlock3, { layout: 'save_weights', names: 'keras2', omit: 'block3_conv3' });
    await expectOneLineUserError(loadVgg19(noBlock3), /no_block3_conv3\.h5: no VGG19 weights \(kernel and bias\) for layer block3_conv3$/);
    // written by the real h5py (scripts/fixtures/make_vgg19_fixture.py): Keras 1 names, channels-first kernel
    await expectOneLineUserError(loadVgg19(join(FIX, 'wrong_shape_keras1.h5')), /wrong_shape_keras1\.h5: layer block1_conv1: kernel has shape 64×3×3×3, expected 3×3×3×64 \(channels-first kernel/);
    const notH5 = join(work, 'weights.h5');
    await writeFile(notH5, 'not HDF5\n'.repeat(100));
    await expectOneLineUserError(loadVgg19(notH5), /weights\.h5: not an HDF5 file/);
    await expectOneLineUserError(loadVgg19(join(work, 'missing.h5')), /missing\.h5: cannot read \(ENOENT\)/);
    const badJson = join(work, 'bad', 'model.json');
    await mkdir(join(work, 'bad'));
    await writeFile(badJson, JSON.stringify({ modelTopology: {} }));
    await expectOneLineUserError(loadVgg19(badJson), /bad\/model\.json: not a tfjs model\.json \(no valid weightsManifest\)/);
    await expectOneLineUserError(loadVgg19(join(work, 'bad', 'nothing.json')), /nothing\.json: cannot read \(ENOENT\)/);
    const noShard = join(work, 'no-shard');
    await writeTfjsModel(noShard);
    await rm(join(noShard, 'group2-shard1of1.bin'));
    await expectOneLineUserError(loadVgg19(noShard), /model\.json: weight shard group2-shard1of1\.bin: cannot read \(ENOENT\)/);
    const emptyDir = join(work, 'empty');
    await mkdir(emptyDir);
    await expectOneLineUserError(loadVgg19(emptyDir), /empty: directory without model\.json/);
  });
});

describe('VGG19 conv3_3 features and perceptual loss', () => {
  it('match the PyTorch float64 reference (caffe preprocessing, pre-ReLU conv3_3)', async () => {
    const expected = JSON.parse(await readFile(join(FIX, 'expected.json'), 'utf8')) as Expected;
    const features = vgg.features(restored);
    expect(features.shape).toEqual(expected.featureShape);
    const got = await features.data();
    features.dispose();
    let sum = 0;
    let sumAbs = 0;
    let sumSquares = 0;
    let maxAbs = 0;
    for (const v of got) {
      sum += v;
      sumAbs += Math.abs(v);
      sumSquares += v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    const ref = expected.restored;
    const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
    // float32 against float64: errors scale with the feature magnitude, not with each value
    expect(Math.abs(sum - ref.sum) / ref.sumAbs).toBeLessThan(1e-5);
    expect(relative(sumAbs, ref.sumAbs)).toBeLessThan(1e-4);
    expect(relative(sumSquares, ref.sumSquares)).toBeLessThan(1e-4);
    expect(relative(maxAbs, ref.maxAbs)).toBeLessThan(1e-4);
    ref.sampleIndices.forEach((index, j) => {
      expect(Math.abs((got[index] as number) - (ref.samples[j] as number)) / ref.maxAbs).toBeLessThan(1e-4);
    });
    const loss = vgg.perceptualLoss(restored, sharp);
    expect(relative(await loss.data().then((d) => d[0] as number), expected.perceptualLoss)).toBeLessThan(1e-4);
    loss.dispose();
  });

  it('the one-off functions (raw weights) agree with the network object and free their tensors', async () => {
    const before = tf.memory().numTensors;
    const a = vggFeatures(tf, h5Weights, restored);
    const b = vgg.features(restored);
    const l1 = perceptualLoss(tf, h5Weights, restored, sharp);
    const l2 = perceptualLoss(tf, vgg, restored, sharp);
    expect(tf.memory().numTensors).toBe(before + 4); // only the four results are left
    expect(await a.data()).toEqual(await b.data());
    expect(await l1.data()).toEqual(await l2.data());
    tf.dispose([a, b, l1, l2]);
  });

  it('is 0 for identical inputs, and its gradient w.r.t. the restored image is finite, nonzero and matches a finite difference', async () => {
    const same = vgg.perceptualLoss(restored, restored);
    expect(await same.data()).toEqual(Float32Array.of(0));
    same.dispose();

    const lossOf = (x: Tensor4D): number => tf.tidy(() => vgg.perceptualLoss(x, sharp).dataSync()[0] as number);
    const grad = tf.grad((x) => vgg.perceptualLoss(x as Tensor4D, sharp))(restored) as Tensor4D;
    const g = (await grad.data()) as Float32Array;
    expect(g.every(Number.isFinite)).toBe(true);
    const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeGreaterThan(0);
    // directional derivative along the gradient: (L(x + εu) − L(x − εu)) / 2ε ≈ ‖∇L‖
    const eps = 1e-3;
    const step = tf.mul(grad, eps / norm) as Tensor4D;
    const plus = tf.add(restored, step) as Tensor4D;
    const minus = tf.sub(restored, step) as Tensor4D;
    const slope = (lossOf(plus) - lossOf(minus)) / (2 * eps);
    expect(Math.abs(slope - norm) / norm).toBeLessThan(0.02);
    tf.dispose([grad, step, plus, minus]);
  });
});
