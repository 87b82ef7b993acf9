/**
 * Convolution and both of its gradients on the wasm backend through the native kernels
 * (src/core/native.ts: im2col + OpenBLAS sgemm, reading and writing the wasm heap in place).
 * Registered for training when the addon is built; NHWC float32 only, anything else falls back
 * to the kernel registered before (the backend's own, or the composed ones of wasm-kernels.ts).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { type ConvGeometry, type NativeConv, nativeConv } from '../../core/native.js';
import type { Tf } from '../../core/tfjs-backend.js';
import { type RawKernelArgs, registerRawKernel } from '../../core/wasm-kernels.js';

type Shape4 = [number, number, number, number];

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The conv's geometry as tfjs computes it, or null for cases the native kernels do not cover
 * (and, for the gradients, when dY's shape is not the conv's output shape).
 */
function geometry(tf: Tf, inShape: number[], filterShape: number[], a: ConvAttrs, dyShape?: number[]): ConvGeometry | null {
  if ((a.dataFormat && a.dataFormat !== 'NHWC') || inShape.length !== 4 || filterShape.length !== 4) return null;
  const c = tf.backend_util.computeConv2DInfo(inShape as Shape4, filterShape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
  const g: ConvGeometry = {
    n: c.batchSize, h: c.inHeight, w: c.inWidth, cin: c.inChannels,
    kh: c.filterHeight, kw: c.filterWidth, cout: c.outChannels,
    sh: c.strideHeight, sw: c.strideWidth, dh: c.dilationHeight, dw: c.dilationWidth,
    pt: c.padInfo.top, pl: c.padInfo.left, ho: c.outHeight, wo: c.outWidth,
  };
  // empty tensors and anything unusual stay with the backend's kernels
  const { pt, pl, ...sizes } = g;
  if (dyShape && (dyShape[1] !== g.ho || dyShape[2] !== g.wo)) return null;
  return pt >= 0 && pl >= 0 && Object.values(sizes).every((v) => Number.isInteger(v) && v > 0) ? g : null;
}

export type Op = 'forward' | 'inputGradient' | 'filterGradient';

/**
 * Whether the native kernel is the faster one here. Measured on 2 cores (ms, native vs XNNPACK):
 * with ≥ 24 output channels it wins 1.5–9× on every op (critic 4×4 256→512: 9.7 vs 29.7 forward,
 * 11.6 vs 88.5 input gradient); with few output channels OpenBLAS's skinny GEMMs and the im2col
 * traffic of 7×7 kernels lose (7×7 12→3 at 102²: 22 vs 8 forward). The weight gradient still
 * wins when the layer reads ≤ 4 channels (7×7 3→12: 5.0 vs 10.5) or ≥ 64 (the critic's last
 * layer, 4×4 512→1: 1.7 vs 12.2). One output channel has direct loops without im2col (BLAS dot
 * products and axpys), which win all three ops (the critic's 4×4 512→1 at 18² in, ms: forward 0.23
 * vs 1.4 XNNPACK, input gradient 0.27 vs 1.7 XNNPACK, weight gradient 0.23 vs 7.1 with im2col).
 */
export function prefersNative(op: Op, g: ConvGeometry): boolean {
  return g.cout >= 24 || g.cout === 1 || (op === 'filterGradient' && (g.cin <= 4 || g.cin >= 64));
}

function run(args: RawKernelArgs, outShape: number[], a: TensorInfo, b: TensorInfo, call: (a: Float32Array, b: Float32Array, out: Float32Array) => void): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const out = args.backend.makeOutput(outShape, 'float32');
  const heap = (t: TensorInfo): Float32Array => args.backend.typedArrayFromHeap(t) as Float32Array;
  call(heap(a), heap(b), heap(out));
  return out;
}

function register(tf: Tf, native: NativeConv): void {
  registerRawKernel(tf, 'Conv2D', (args) => {
    const { x, filter } = args.inputs;
    const g = geometry(tf, x.shape, filter.shape, args.attrs as unknown as ConvAttrs);
    if (!g || !prefersNative('forward', g)) return null;
    return run(args, [g.n, g.ho, g.wo, g.cout], x, filter, (xs, ws, ys) => native.forward(xs, ws, ys, g));
  });
  registerRawKernel(tf, 'Conv2DBackpropInput', (args) => {
    const { dy, filter } = args.inputs;
    const a = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    const g = geometry(tf, a.inputShape, filter.shape, a, dy.shape);
    if (!g || !prefersNative('inputGradient', g)) return null;
    return run(args, a.inputShape, dy, filter, (dys, ws, dxs) => native.inputGradient(dys, ws, dxs, g));
  });
  registerRawKernel(tf, 'Conv2DBackpropFilter', (args) => {
    const { x, dy } = args.inputs;
    const a = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    const g = geometry(tf, x.shape, a.filterShape, a, dy.shape);
    if (!g || !prefersNative('filterGradient', g)) return null;
    return run(args, a.filterShape, x, dy, (xs, dys, dws) => native.filterGradient(xs, dys, dws, g));
  });
}

let registered = false;

/** Register the native conv kernels on the wasm backend; false when they are not available. */
export function registerNativeConvKernels(tf: Tf): boolean {
  const native = nativeConv();
  if (!native) return false;
  if (!registered) register(tf, native);
  registered = true;
  return true;
}
