/**
 * Export a DeblurGAN network (architecture + weights) to ONNX with the project's own writer:
 * NCHW float input `input` [N, 3, H, W] in [−1, 1] with dynamic N/H/W, output `output` of the
 * same shape; skip connection and clamp included. Inference only (dropout off).
 */
import { GraphBuilder } from '../onnx/writer.js';
import type { Layer, NetworkSpec } from './architecture.js';
import type { Weights } from './weights.js';

/** tfjs conv kernel [kH, kW, in, out] → ONNX [out, in, kH, kW]; transposed [kH, kW, out, in] → [in, out, kH, kW]. */
function permute(data: Float32Array, shape: number[], transposed: boolean): { dims: number[]; data: Float32Array } {
  const [kh, kw, a, b] = shape; // conv: a = in, b = out; transposed: a = out, b = in
  void transposed; // both layouts put the last tfjs axis first: [out, in] for conv, [in, out] for transposed
  const [d0, d1] = [b, a];
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < a; i++) {
        for (let o = 0; o < b; o++) {
          // source index [y, x, i, o]; target [o(=d0 index), i(=d1 index), y, x] for conv, [in, out, y, x] for transposed
          const src = ((y * kw + x) * a + i) * b + o;
          const dst = ((o * a + i) * kh + y) * kw + x;
          out[dst] = data[src];
        }
      }
    }
  }
  return { dims: [d0, d1, kh, kw], data: out };
}

export interface ExportOptions {
  metadata?: Record<string, string>;
  producerVersion?: string;
}

export function exportOnnx(spec: NetworkSpec, weights: Weights, opts: ExportOptions = {}): Uint8Array {
  const g = new GraphBuilder('deblurgan');
  const input = g.input('input', ['N', 3, 'H', 'W']);
  const w = (name: string): { dims: number[]; data: Float32Array } => {
    const t = weights.get(name);
    if (!t) throw new Error(`missing weight ${name}`);
    return { dims: t.shape, data: t.data };
  };
  let channels = 3;
  const emit = (layer: Layer, x: string): string => {
    switch (layer.kind) {
      case 'reflectPad': {
        const p = layer.pad;
        return g.pad(x, [0, 0, p, p, 0, 0, p, p], 'reflect');
      }
      case 'conv': {
        const k = w(`${layer.name}/kernel`);
        let pads: [number, number, number, number];
        if (layer.pad === 'same') {
          // TensorFlow 'same' on even sizes: total k − stride, the extra pixel at the end
          const total = Math.max(layer.kernel - layer.stride, 0);
          const begin = Math.floor(total / 2);
          pads = [begin, begin, total - begin, total - begin];
        } else {
          pads = [layer.pad, layer.pad, layer.pad, layer.pad];
        }
        channels = layer.outC;
        return g.conv(x, permute(k.data, k.dims, false), w(`${layer.name}/bias`), { pads, strides: layer.stride });
      }
      case 'convTranspose': {
        const k = w(`${layer.name}/kernel`);
        channels = layer.outC;
        return g.convTranspose(x, permute(k.data, k.dims, true), w(`${layer.name}/bias`), { pads: 1, strides: 2, outputPadding: 1 });
      }
      case 'upsample':
        return g.resizeNearest(x, 2);
      case 'instanceNorm':
        return g.instanceNorm(x, { dims: [channels], data: new Float32Array(channels).fill(1) }, { dims: [channels], data: new Float32Array(channels) }, 1e-5);
      case 'batchNorm':
        return g.batchNorm(x, w(`${layer.name}/gamma`), w(`${layer.name}/beta`), w(`${layer.name}/moving_mean`), w(`${layer.name}/moving_variance`), layer.eps);
      case 'relu':
        return g.relu(x);
      case 'leakyRelu':
        return g.leakyRelu(x, layer.alpha);
      case 'tanh':
        return g.tanh(x);
      case 'dropout':
        return x;
      case 'residual': {
        let y = x;
        for (const inner of layer.body) y = emit(inner, y);
        return g.add(x, y);
      }
    }
  };
  let y = input;
  for (const layer of spec.layers) y = emit(layer, y);
  if (spec.output === 'clamp-skip') y = g.clip(g.add(input, y), -1, 1);
  else if (spec.output === 'half-skip') y = g.div(g.add(input, y), 2);
  g.output(y, ['N', spec.output === 'none' ? 1 : 3, 'H', 'W'], 'output');
  return g.encode({ metadata: opts.metadata, producerVersion: opts.producerVersion });
}
