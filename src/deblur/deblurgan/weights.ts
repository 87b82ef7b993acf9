/**
 * Network weights as named Float32Arrays (tfjs layouts, see architecture.ts), framework-neutral so
 * the tfjs model, the ONNX export and the checkpoint files share them.
 */
import type { Rng } from '../../core/rng.js';
import { type NetworkSpec, parameterShapes } from './architecture.js';

export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

export type Weights = Map<string, WeightTensor>;

/** The official initialisation: conv weights N(0, 0.02), biases 0; BatchNorm γ 1, β 0, statistics (0, 1). */
export function initWeights(spec: NetworkSpec, rng: Rng): Weights {
  const weights: Weights = new Map();
  for (const { name, shape } of parameterShapes(spec)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('/kernel')) for (let i = 0; i < n; i++) data[i] = 0.02 * rng.normal();
    else if (name.endsWith('/gamma') || name.endsWith('/moving_variance')) data.fill(1);
    weights.set(name, { shape, data });
  }
  return weights;
}

/** Throws when `weights` does not hold exactly the parameters of `spec` with the right shapes. */
export function checkWeights(spec: NetworkSpec, weights: Weights, source: string): void {
  for (const { name, shape } of parameterShapes(spec)) {
    const w = weights.get(name);
    if (!w) throw new Error(`${source}: missing weight ${name}`);
    if (w.shape.join('x') !== shape.join('x')) throw new Error(`${source}: ${name} has shape ${w.shape.join('×')}, expected ${shape.join('×')}`);
  }
}
