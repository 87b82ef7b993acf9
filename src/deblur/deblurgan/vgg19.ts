/**
 * DeblurGAN's content loss: mean squared difference of VGG19 conv3_3 features (block3_conv3 before
 * its ReLU, torchvision `features[:15]`) of the restored and the sharp image, with ImageNet weights
 * the user supplies (nothing can be downloaded here).
 *
 * Weights come from a Keras HDF5 file (`save_weights` or `model.save` layout, Keras 2 names
 * `block1_conv1/kernel:0` or Keras 1 names `block1_conv1_W_1:0`) or a tfjs layers model
 * (`model.json` + shards). Only the seven convs up to block3_conv3 are read, matched by layer name,
 * so the `notop` file, the full model and a nested model all work. Kernels are [3, 3, in, out] in
 * Keras and tfjs alike.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Scalar, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import type * as h5 from 'h5wasm/node';
import { UserError } from '../../core/errors.js';
import { sha256File } from '../../core/hash.js';
import type { Tf } from '../../core/tfjs-backend.js';
import { isDataset, isGroup, kerasLayerNames, stringList, toFloat32, withHdf5File } from './keras-h5.js';

/** The convs up to conv3_3; a 2×2 max pool (stride 2, 'valid') follows each block's last conv. */
export const VGG19_CONV3_3_LAYERS = [
  { name: 'block1_conv1', inChannels: 3, outChannels: 64, poolAfter: false },
  { name: 'block1_conv2', inChannels: 64, outChannels: 64, poolAfter: true },
  { name: 'block2_conv1', inChannels: 64, outChannels: 128, poolAfter: false },
  { name: 'block2_conv2', inChannels: 128, outChannels: 128, poolAfter: true },
  { name: 'block3_conv1', inChannels: 128, outChannels: 256, poolAfter: false },
  { name: 'block3_conv2', inChannels: 256, outChannels: 256, poolAfter: false },
  { name: 'block3_conv3', inChannels: 256, outChannels: 256, poolAfter: false },
] as const;

/** Enough to tell weight files apart in a checkpoint's record. */
const IDENTITY_HEX_DIGITS = 16;

/** Keras 'caffe' preprocessing subtracts the ImageNet mean in BGR order. */
const IMAGENET_BGR_MEAN = [103.939, 116.779, 123.68];

export interface VggConv {
  name: string;
  /** [3, 3, in, out], as tfjs conv2d takes it */
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array;
  poolAfter: boolean;
}

export interface Vgg19Weights {
  /** the path the weights were loaded from, as given */
  source: string;
  /** first 16 hex digits of the SHA-256 of the file (tfjs: of model.json followed by its shards), for checkpoints to record */
  identity: string;
  /** VGG19_CONV3_3_LAYERS in order */
  convs: VggConv[];
}

/** The network with its weights as constant tensors (made once; never trained), for use every training step. */
export interface Vgg19 {
  identity: string;
  /** conv3_3 features before ReLU of NHWC RGB images in [-1, 1] */
  features(x: Tensor4D): Tensor4D;
  perceptualLoss(restored: Tensor4D, sharp: Tensor4D): Scalar;
  dispose(): void;
}

/** A kernel or bias found in a weights file, read only when needed. */
interface FoundParam {
  shape: number[];
  read(): Float32Array | null;
  dtype: string;
}

type Param = 'kernel' | 'bias';
type FoundLayers = Map<string, Map<Param, FoundParam>>;

/**
 * Layer and parameter a weight name belongs to. Keras 2 / tfjs: `…/block1_conv1/kernel(:0)`, the
 * layer is the segment before the last (so nested models work); Keras 1: `block1_conv1_W_1:0` in
 * the layer's own group.
 */
function parseWeightName(weightName: string, groupName: string): { layer: string; param: Param } | null {
  const segments = weightName.replace(/:\d+$/, '').split('/');
  const last = segments[segments.length - 1] ?? '';
  if (segments.length >= 2 && (last === 'kernel' || last === 'bias')) return { layer: segments[segments.length - 2] as string, param: last };
  const old = /^(.*)_([Wb])(_\d+)?$/.exec(last);
  if (old && segments.length === 1) return { layer: groupName, param: old[2] === 'W' ? 'kernel' : 'bias' };
  return null;
}

function addFound(found: FoundLayers, layer: string, param: Param, entry: FoundParam): void {
  if (!VGG19_CONV3_3_LAYERS.some((l) => l.name === layer)) return;
  const params = found.get(layer) ?? new Map<Param, FoundParam>();
  if (!params.has(param)) params.set(param, entry);
  found.set(layer, params);
}

const times = (shape: readonly number[]): string => shape.join('×');

/** Checks every needed layer is present with Keras shapes and reads its data. */
function assemble(found: FoundLayers, label: string, identity: string, source: string): Vgg19Weights {
  const missing = VGG19_CONV3_3_LAYERS.filter((l) => !found.get(l.name)?.has('kernel') || !found.get(l.name)?.has('bias')).map((l) => l.name);
  if (missing.length > 0) throw new UserError(`${label}: no VGG19 weights (kernel and bias) for layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const convs = VGG19_CONV3_3_LAYERS.map((layer): VggConv => {
    const params = found.get(layer.name) as Map<Param, FoundParam>;
    const kernelShape: [number, number, number, number] = [3, 3, layer.inChannels, layer.outChannels];
    const read = (param: Param, want: readonly number[]): Float32Array => {
      const entry = params.get(param) as FoundParam;
      if (times(entry.shape) !== times(want)) {
        const channelsFirst = param === 'kernel' && times(entry.shape) === times([layer.outChannels, layer.inChannels, 3, 3]);
        throw new UserError(`${label}: layer ${layer.name}: ${param} has shape ${times(entry.shape)}, expected ${times(want)}${channelsFirst ? ' (channels-first kernel; use the tf_dim_ordering weights)' : ''}`);
      }
      const data = entry.read();
      if (!data) throw new UserError(`${label}: layer ${layer.name}: ${param} has dtype ${entry.dtype}, expected float32`);
      return data;
    };
    return { name: layer.name, kernel: read('kernel', kernelShape), kernelShape, bias: read('bias', [layer.outChannels]), poolAfter: layer.poolAfter };
  });
  return { source, identity, convs };
}

/** The VGG convs found in a Keras file, by layer name. */
function findKerasLayers(file: h5.File, label: string): FoundLayers {
  const { base, names } = kerasLayerNames(file, label);
  const found: FoundLayers = new Map();
  for (const groupName of names) {
    const group = base.get(groupName);
    if (!isGroup(group)) continue;
    const weightNames = group.attrs.weight_names ? (stringList(group.attrs.weight_names.value) ?? []) : [];
    for (const weightName of weightNames) {
      const parsed = parseWeightName(weightName, groupName);
      const dataset = group.get(weightName);
      if (!parsed || !isDataset(dataset)) continue;
      addFound(found, parsed.layer, parsed.param, { shape: dataset.shape ?? [], dtype: JSON.stringify(dataset.dtype), read: () => toFloat32(dataset.value) });
    }
  }
  return found;
}

async function loadKerasH5(path: string): Promise<Vgg19Weights> {
  let identity: string;
  try {
    identity = (await sha256File(path)).slice(0, IDENTITY_HEX_DIGITS);
  } catch (err) {
    throw cannotRead(path, err);
  }
  return withHdf5File(path, path, (file) => assemble(findKerasLayers(file, path), path, identity, path));
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function parseModelJson(text: string, label: string): { paths: string[]; weights: ManifestEntry[] }[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${label}: not a tfjs model.json (not JSON)`);
  }
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  const valid =
    Array.isArray(manifest) &&
    manifest.every((g: { paths?: unknown; weights?: unknown }) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights) && g.weights.every((w: Partial<ManifestEntry>) => typeof w?.name === 'string' && Array.isArray(w.shape) && typeof w.dtype === 'string'));
  if (!valid) throw new UserError(`${label}: not a tfjs model.json (no valid weightsManifest)`);
  return manifest as { paths: string[]; weights: ManifestEntry[] }[];
}

function cannotRead(what: string, err: unknown): UserError {
  return new UserError(`${what}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw cannotRead(what, err);
  }
}

/** A tfjs layers model as tensorflowjs_converter writes it; each manifest group's shards hold its weights back to back. */
async function loadTfjsModel(modelJsonPath: string, label: string): Promise<Vgg19Weights> {
  const jsonBytes = await readOrFail(modelJsonPath, label);
  const groups = parseModelJson(jsonBytes.toString('utf8'), label);
  const found: FoundLayers = new Map();
  const shardBytes: Buffer[] = [];
  for (const group of groups) {
    const shards: Buffer[] = [];
    for (const shard of group.paths) shards.push(await readOrFail(join(dirname(modelJsonPath), shard), `${label}: weight shard ${shard}`));
    shardBytes.push(...shards);
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const entry of group.weights) {
      const storedType = entry.quantization?.dtype ?? entry.dtype;
      const bytesPer = BYTES_PER_ELEMENT[storedType];
      if (bytesPer === undefined) throw new UserError(`${label}: weight ${entry.name} has dtype ${storedType}, which this loader cannot skip or read`);
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const start = offset;
      offset += count * bytesPer;
      if (offset > buffer.length) throw new UserError(`${label}: weight shards of ${group.paths.join(', ')} hold ${buffer.length} bytes, the manifest needs at least ${offset}`);
      const parsed = parseWeightName(entry.name, '');
      if (!parsed) continue;
      const float32 = entry.dtype === 'float32' && !entry.quantization;
      addFound(found, parsed.layer, parsed.param, {
        shape: entry.shape,
        dtype: entry.quantization ? `${entry.dtype} quantized to ${entry.quantization.dtype}` : entry.dtype,
        // copy: the slice must not keep (or alias) the whole shard buffer
        read: () => (float32 ? new Float32Array(buffer.buffer.slice(buffer.byteOffset + start, buffer.byteOffset + start + count * 4)) : null),
      });
    }
  }
  const hash = createHash('sha256');
  for (const part of [jsonBytes, ...shardBytes]) hash.update(part);
  return assemble(found, label, hash.digest('hex').slice(0, IDENTITY_HEX_DIGITS), label);
}

/**
 * Reads the VGG19 convs up to block3_conv3 from a Keras .h5 file, a tfjs `model.json`, or a
 * directory holding `model.json`. Every problem is a one-line UserError naming the path.
 */
export async function loadVgg19(path: string): Promise<Vgg19Weights> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err) {
    throw cannotRead(path, err);
  }
  if (isDirectory) {
    const modelJson = join(path, 'model.json');
    const exists = await stat(modelJson).then(
      () => true,
      () => false,
    );
    if (!exists) throw new UserError(`${path}: directory without model.json; expected a Keras VGG19 .h5 file or a tfjs model directory`);
    return loadTfjsModel(modelJson, modelJson);
  }
  if (path.toLowerCase().endsWith('.json')) return loadTfjsModel(path, path);
  return loadKerasH5(path);
}

interface ConvTensors {
  kernel: Tensor4D;
  bias: Tensor1D;
  poolAfter: boolean;
}

function toTensors(tf: Tf, weights: Vgg19Weights): { convs: ConvTensors[]; mean: Tensor1D } {
  return {
    convs: weights.convs.map((c) => ({ kernel: tf.tensor4d(c.kernel, c.kernelShape), bias: tf.tensor1d(c.bias), poolAfter: c.poolAfter })),
    mean: tf.tensor1d(IMAGENET_BGR_MEAN),
  };
}

function run(tf: Tf, net: { convs: ConvTensors[]; mean: Tensor1D }, x: Tensor4D): Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`VGG19 features: expected NHWC RGB images, got shape [${x.shape.join(', ')}]`);
  return tf.tidy(() => {
    // Keras 'caffe' preprocessing of [-1, 1] images: 0–255, RGB → BGR, minus the BGR mean
    let h = tf.sub(tf.mul(tf.add(tf.reverse(x, 3), 1), 127.5), net.mean) as Tensor4D;
    const last = net.convs.length - 1;
    for (let i = 0; i <= last; i++) {
      const conv = net.convs[i] as ConvTensors;
      const pre = tf.add(tf.conv2d(h, conv.kernel, 1, 'same'), conv.bias) as Tensor4D;
      if (i === last) return pre; // the loss uses conv3_3 before its ReLU
      h = tf.relu(pre);
      if (conv.poolAfter) h = tf.maxPool(h, 2, 2, 'valid');
    }
    throw new Error('VGG19 features: no layers');
  });
}

function meanSquaredDifference(tf: Tf, a: Tensor4D, b: Tensor4D): Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)) as Scalar);
}

/** Creates the weight tensors once; call `dispose()` when training ends. */
export function createVgg19(tf: Tf, weights: Vgg19Weights): Vgg19 {
  const net = toTensors(tf, weights);
  const features = (x: Tensor4D): Tensor4D => run(tf, net, x);
  return {
    identity: weights.identity,
    features,
    perceptualLoss: (restored, sharp) => tf.tidy(() => meanSquaredDifference(tf, features(restored), features(sharp))),
    dispose: () => tf.dispose([net.mean, ...net.convs.flatMap((c) => [c.kernel, c.bias])]),
  };
}

function isNetwork(weights: Vgg19Weights | Vgg19): weights is Vgg19 {
  return 'features' in weights;
}

/** conv3_3 features before ReLU of NHWC RGB images in [-1, 1]. With raw weights the tensors are made and freed per call. */
export function vggFeatures(tf: Tf, weights: Vgg19Weights | Vgg19, x: Tensor4D): Tensor4D {
  if (isNetwork(weights)) return weights.features(x);
  const net = createVgg19(tf, weights);
  try {
    return net.features(x);
  } finally {
    net.dispose();
  }
}

/** DeblurGAN's L_X: mean over all feature elements of (φ(restored) − φ(sharp))². */
export function perceptualLoss(tf: Tf, weights: Vgg19Weights | Vgg19, restored: Tensor4D, sharp: Tensor4D): Scalar {
  if (isNetwork(weights)) return weights.perceptualLoss(restored, sharp);
  const net = createVgg19(tf, weights);
  try {
    return net.perceptualLoss(restored, sharp);
  } finally {
    net.dispose();
  }
}
