/**
 * The DeblurGAN forward pass in TensorFlow.js, walking the layer list of architecture.ts.
 * Each top-level layer runs in its own tidy so large images do not keep every intermediate alive.
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';
import type { Layer, NetworkSpec } from './architecture.js';
import type { PlaneRunner } from '../tiling.js';

export type TensorWeights = Map<string, Tensor>;

export interface ForwardOptions {
  /** Dropout active (training only). Inference is deterministic: dropout off. */
  training?: boolean;
  /** Seed for the dropout masks of this pass (training), so runs and resumes are reproducible. */
  seed?: number;
}

function applyLayer(tf: Tf, layer: Layer, x: Tensor4D, w: TensorWeights, opts: ForwardOptions): Tensor4D {
  switch (layer.kind) {
    case 'reflectPad': {
      const p = layer.pad;
      return tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
    }
    case 'conv': {
      const kernel = w.get(`${layer.name}/kernel`) as Tensor4D;
      const bias = w.get(`${layer.name}/bias`) as Tensor;
      // zero padding inside the conv (no padded copy, and no slice for its gradient)
      const p = layer.pad;
      const pad = p === 'same' ? 'same' : p > 0 ? ([[0, 0], [p, p], [p, p], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]) : 'valid';
      return tf.add(tf.conv2d(x, kernel, layer.stride, pad), bias) as Tensor4D;
    }
    case 'convTranspose': {
      // PyTorch semantics (padding 1, output_padding 1): a 'valid' transposed conv gives 2H+1 rows
      // at positions −1…2H−1 of the PyTorch output; drop the first row and column.
      const kernel = w.get(`${layer.name}/kernel`) as Tensor4D;
      const bias = w.get(`${layer.name}/bias`) as Tensor;
      const [n, h, wd] = x.shape;
      const full = tf.conv2dTranspose(x, kernel, [n, 2 * h + 1, 2 * wd + 1, layer.outC], 2, 'valid');
      return tf.add(tf.slice(full, [0, 1, 1, 0], [n, 2 * h, 2 * wd, layer.outC]), bias) as Tensor4D;
    }
    case 'upsample':
      return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
    case 'instanceNorm': {
      // centred once and scaled by rsqrt: fewer full-size passes forward and backward than moments + div
      const centred = tf.sub(x, tf.mean(x, [1, 2], true));
      const variance = tf.mean(tf.square(centred), [1, 2], true);
      return tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))) as Tensor4D;
    }
    case 'batchNorm': {
      const g = (p: string): Tensor => w.get(`${layer.name}/${p}`) as Tensor;
      return tf.add(tf.mul(tf.div(tf.sub(x, g('moving_mean')), tf.sqrt(tf.add(g('moving_variance'), layer.eps))), g('gamma')), g('beta')) as Tensor4D;
    }
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      // composed from relu (α·x + (1 − α)·relu(x)): tfjs' leakyRelu has no second-order gradient
      // (needed by the gradient penalty)
      return tf.add(tf.mul(layer.alpha, x), tf.mul(1 - layer.alpha, tf.relu(x))) as Tensor4D;
    case 'tanh':
      return tf.tanh(x);
    case 'dropout':
      if (!opts.training) return x;
      // a distinct, reproducible mask per dropout layer and pass
      opts.seed = ((opts.seed ?? 0) * 1103515245 + 12345) % 2147483647;
      return tf.dropout(x, layer.rate, undefined, opts.seed) as Tensor4D;
    case 'residual': {
      let y = x;
      for (const inner of layer.body) y = applyLayer(tf, inner, y, w, opts);
      return tf.add(x, y);
    }
  }
}

/** Network output for `x` (NHWC in [−1, 1]); the generator's skip/clamp is applied here. */
export function forward(tf: Tf, spec: NetworkSpec, weights: TensorWeights, x: Tensor4D, opts: ForwardOptions = {}): Tensor4D {
  const stage = opts.training ? (f: () => Tensor4D) => f() : (f: () => Tensor4D) => tf.tidy(f);
  let y = x;
  for (const layer of spec.layers) {
    const input = y;
    y = stage(() => applyLayer(tf, layer, input, weights, opts));
    if (!opts.training && input !== x) input.dispose();
  }
  const out = y;
  if (spec.output === 'none') return out;
  const result = stage(() => (spec.output === 'clamp-skip' ? tf.clipByValue(tf.add(x, out), -1, 1) : tf.div(tf.add(x, out), 2)) as Tensor4D);
  if (!opts.training) out.dispose();
  return result;
}

export function toTensors(tf: Tf, weights: Map<string, { shape: number[]; data: Float32Array }>): TensorWeights {
  return new Map([...weights].map(([name, w]) => [name, tf.tensor(w.data, w.shape)]));
}

/** The generator as a `PlaneRunner` for tiling.ts: planar [0, 1] RGB in and out, inference mode. */
export function generatorRunner(tf: Tf, spec: NetworkSpec, weights: TensorWeights): PlaneRunner {
  return async (planes, width, height) => {
    const x = tf.tidy(() => tf.tensor4d(planes, [1, 3, height, width]).transpose([0, 2, 3, 1]).mul(2).sub(1) as Tensor4D);
    const y = forward(tf, spec, weights, x);
    x.dispose();
    const back = tf.tidy(() => y.add(1).div(2).transpose([0, 3, 1, 2]));
    y.dispose();
    const data = new Float32Array(await back.data());
    back.dispose();
    return data;
  };
}
