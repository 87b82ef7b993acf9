/**
 * Imports the generator weights of the Keras DeblurGAN reimplementation from a Keras 2 HDF5 file
 * (`model.save_weights(...)`, or `model.save(...)` which nests the same under `/model_weights`).
 *
 * Layout read: attribute `layer_names` (model order) on the root or `/model_weights`; per layer a
 * group with attribute `weight_names` (`conv2d_1/kernel:0`, …; empty for weightless layers) and the
 * datasets at `<layer>/<weight name>`. The layers that carry weights are matched in order onto the
 * `keras` variant of architecture.ts (Keras and tfjs share the kernel layout [kH, kW, in, out]).
 */
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import * as h5 from 'h5wasm/node';
import { UserError } from '../../core/errors.js';
import { type GeneratorConfig, type Layer, generatorSpec, parameterShapes } from './architecture.js';
import { type Weights, checkWeights } from './weights.js';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const CONV_PARAMS = ['kernel', 'bias'];
const BN_PARAMS = ['gamma', 'beta', 'moving_mean', 'moving_variance'];

interface H5Param {
  /** `kernel`, `bias`, `gamma`, … (the weight name without layer prefix and `:0`) */
  param: string;
  shape: number[];
  data: Float32Array;
}

interface H5Layer {
  name: string;
  kind: 'conv' | 'batchNorm';
  params: Map<string, H5Param>;
}

/**
 * Whether the file carries the HDF5 signature; the superblock sits at 0, 512, 1024, 2048, … bytes.
 * Reads only those few bytes, so a large weights file is not loaded just to be recognised.
 */
async function hasHdf5Signature(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const probe = new Uint8Array(HDF5_SIGNATURE.length);
    for (let at = 0; at + probe.length <= size; at = at === 0 ? 512 : at * 2) {
      await handle.read(probe, 0, probe.length, at);
      if (HDF5_SIGNATURE.every((b, i) => probe[i] === b)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Opens an HDF5 file read-only, runs `use` on it and closes it. Problems are one-line UserErrors:
 * unreadable (named by `path`), no HDF5 signature or not openable (named by `label`). h5wasm/node
 * reads the disk directly (NODERAWFS), so no copy of the file is made.
 */
export async function withHdf5File<T>(path: string, label: string, use: (file: h5.File) => T): Promise<T> {
  let signed: boolean;
  try {
    signed = await hasHdf5Signature(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!signed) throw new UserError(`${label}: not an HDF5 file (no HDF5 signature)`);
  await h5.ready;
  let h5file: h5.File;
  try {
    h5file = new h5.File(resolve(path), 'r');
  } catch (err) {
    throw new UserError(`${label}: cannot open as HDF5 (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return use(h5file);
  } finally {
    h5file.close();
  }
}

/** Attribute value as a list of strings (fixed- or variable-length byte strings; empty arrays of any type). */
export function stringList(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return [value];
  if (ArrayBuffer.isView(value)) return (value as unknown as ArrayLike<unknown>).length === 0 ? [] : null;
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  return null;
}

export function isGroup(entity: unknown): entity is h5.Group {
  return entity instanceof h5.Group;
}

export function isDataset(entity: unknown): entity is h5.Dataset {
  return entity instanceof h5.Dataset;
}

export function toFloat32(value: unknown): Float32Array | null {
  if (value instanceof Float32Array) return new Float32Array(value);
  if (value instanceof Float64Array) return Float32Array.from(value);
  if (typeof value === 'number') return Float32Array.of(value);
  return null;
}

/** Keras `layer_names` (model order) at the root (`save_weights`) or under `/model_weights` (`model.save`). */
export function kerasLayerNames(root: h5.Group, label: string): { base: h5.Group; names: string[] } {
  let base: h5.Group = root;
  let names = stringList(root.attrs.layer_names?.value);
  if (!names) {
    const nested = root.get('model_weights');
    if (isGroup(nested)) {
      base = nested;
      names = stringList(nested.attrs.layer_names?.value);
    }
  }
  if (!names) throw new UserError(`${label}: not a Keras weights file (no layer_names attribute at / or /model_weights)`);
  return { base, names };
}

function readLayers(root: h5.Group, file: string): H5Layer[] {
  const { base, names } = kerasLayerNames(root, file);
  const layers: H5Layer[] = [];
  for (const name of names) {
    const group = base.get(name);
    if (!isGroup(group)) throw new UserError(`${file}: layer ${name} is listed in layer_names but has no group`);
    const weightNames = group.attrs.weight_names ? stringList(group.attrs.weight_names.value) : [];
    if (!weightNames) throw new UserError(`${file}: layer ${name} has an unreadable weight_names attribute`);
    if (weightNames.length === 0) continue;
    const params = new Map<string, H5Param>();
    for (const weightName of weightNames) {
      const dataset = group.get(weightName);
      if (!isDataset(dataset)) throw new UserError(`${file}: layer ${name}: missing dataset ${weightName}`);
      const data = toFloat32(dataset.value);
      if (!data) throw new UserError(`${file}: layer ${name}: dataset ${weightName} is not floating point (${JSON.stringify(dataset.dtype)})`);
      const param = (weightName.split('/').pop() ?? weightName).replace(/:\d+$/, '');
      params.set(param, { param, shape: dataset.shape ?? [], data });
    }
    const has = (list: string[]): boolean => params.size === list.length && list.every((p) => params.has(p));
    const kind = has(CONV_PARAMS) ? 'conv' : has(BN_PARAMS) ? 'batchNorm' : null;
    if (!kind) throw new UserError(`${file}: layer ${name} has weights [${[...params.keys()].join(', ')}], expected a Conv2D (kernel, bias) or a BatchNormalization (gamma, beta, moving_mean, moving_variance)`);
    layers.push({ name, kind, params });
  }
  return layers;
}

/** conv and batchNorm layers of a network, in parameter order. */
function weightedLayers(layers: Layer[]): Layer[] {
  return layers.flatMap((l) => (l.kind === 'residual' ? weightedLayers(l.body) : l.kind === 'conv' || l.kind === 'batchNorm' ? [l] : []));
}

function inferArchitecture(layers: H5Layer[], file: string, opts: { ngf?: number; blocks?: number }): GeneratorConfig {
  const first = layers[0];
  if (!first || first.kind !== 'conv') throw new UserError(`${file}: the first layer with weights${first ? ` (${first.name})` : ''} is not a Conv2D; not a DeblurGAN generator`);
  const kernel = first.params.get('kernel') as H5Param;
  const [kh, kw, inC, ngf] = kernel.shape;
  if (kernel.shape.length !== 4 || kh !== 7 || kw !== 7 || inC !== 3) {
    throw new UserError(`${file}: layer ${first.name}: kernel ${kernel.shape.join('×')}, expected 7×7×3×ngf; not a DeblurGAN generator`);
  }
  const convs = layers.filter((l) => l.kind === 'conv').length;
  const blocks = (convs - 6) / 2;
  if (!Number.isInteger(blocks) || blocks < 0) throw new UserError(`${file}: ${convs} Conv2D layers; a DeblurGAN generator has 6 + 2·blocks`);
  if (opts.ngf !== undefined && opts.ngf !== ngf) throw new UserError(`${file}: layer ${first.name} gives ngf ${ngf}, expected ${opts.ngf}`);
  if (opts.blocks !== undefined && opts.blocks !== blocks) throw new UserError(`${file}: ${convs} Conv2D layers give ${blocks} residual blocks, expected ${opts.blocks}`);
  return { variant: 'keras', ngf, blocks };
}

function mapWeights(layers: H5Layer[], architecture: GeneratorConfig, file: string): Weights {
  const spec = generatorSpec(architecture);
  const targets = weightedLayers(spec.layers);
  if (targets.length !== layers.length) {
    throw new UserError(`${file}: ${layers.length} layers with weights, a keras generator with ngf ${architecture.ngf} and ${architecture.blocks} blocks has ${targets.length}`);
  }
  const expected = new Map(parameterShapes(spec).map((p) => [p.name, p.shape]));
  const weights: Weights = new Map();
  layers.forEach((src, i) => {
    const target = targets[i] as Layer & { name: string };
    if (src.kind !== target.kind) throw new UserError(`${file}: layer ${src.name} is a ${src.kind === 'conv' ? 'Conv2D' : 'BatchNormalization'}, expected a ${target.kind === 'conv' ? 'Conv2D' : 'BatchNormalization'} (${target.name})`);
    for (const param of src.kind === 'conv' ? CONV_PARAMS : BN_PARAMS) {
      const { shape, data } = src.params.get(param) as H5Param;
      const name = `${target.name}/${param}`;
      const want = expected.get(name) ?? [];
      if (shape.join('x') !== want.join('x')) throw new UserError(`${file}: layer ${src.name}: ${param} has shape ${shape.join('×')}, expected ${want.join('×')} (${name})`);
      weights.set(name, { shape: [...shape], data });
    }
  });
  try {
    checkWeights(spec, weights, file);
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  return weights;
}

/** Reads a Keras 2 DeblurGAN generator (.h5) into the `keras` architecture and tfjs-layout weights. */
export async function importKerasGenerator(path: string, opts: { ngf?: number; blocks?: number } = {}): Promise<{ architecture: GeneratorConfig; weights: Weights }> {
  const file = basename(path);
  return withHdf5File(path, file, (h5file) => {
    const layers = readLayers(h5file, file);
    const architecture = inferArchitecture(layers, file, opts);
    return { architecture, weights: mapWeights(layers, architecture, file) };
  });
}
