/**
 * Kernels for the tfjs wasm backend, where it lacks one (training) or its own takes a slow path.
 * A raw kernel writes its output straight into the backend's heap; a composed kernel runs ordinary
 * tf ops (the backend's fast XNNPACK, threaded kernels) and hands the result's buffer to the engine.
 */
import type { KernelConfig, NamedAttrMap, Tensor, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from './tfjs-backend.js';

export interface WasmBackendMemory {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** What a raw kernel receives: its inputs by name, attributes, and the backend's heap. */
export interface RawKernelArgs {
  inputs: Record<string, TensorInfo>;
  attrs: NamedAttrMap;
  backend: WasmBackendMemory;
}

/**
 * Register `compute` as the wasm kernel `name`, writing its output straight into the backend's
 * heap (`backend.makeOutput`, then `typedArrayFromHeap` views: taken after the allocation, which
 * may grow the heap). When it returns null (a case it does not handle) the previous kernel runs.
 */
export function registerRawKernel(tf: Tf, name: string, compute: (args: RawKernelArgs) => TensorInfo | null): void {
  const previous = tf.getKernel(name, 'wasm') as KernelConfig | undefined;
  if (previous) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const out = compute({ inputs: args.inputs as Record<string, TensorInfo>, attrs: args.attrs ?? {}, backend: args.backend as unknown as WasmBackendMemory });
      if (out) return out;
      if (!previous) throw new Error(`${name} (wasm): case not supported`);
      return previous.kernelFunc(args);
    },
  });
}

export type ComposedKernel = (inputs: Tensor[], attrs: NamedAttrMap) => Tensor | null;

/**
 * Register `compose` as the wasm kernel `name`. When it returns null (a case it does not handle)
 * the kernel the backend had before runs instead.
 */
export function registerComposedKernel(tf: Tf, name: string, inputNames: string[], compose: ComposedKernel): void {
  registerRawKernel(tf, name, ({ inputs: infos, attrs, backend }) => {
    const engine = tf.engine();
    // a Tensor handle on each input; its own reference so disposing it leaves the caller's data
    const inputs = inputNames.map((n) => {
      backend.incRef(infos[n].dataId);
      return engine.makeTensorFromTensorInfo(infos[n]);
    });
    let out: Tensor | null;
    try {
      out = compose(inputs, attrs);
    } finally {
      for (const t of inputs) t.dispose();
    }
    if (out === null) return null;
    // keep the buffer alive for the engine, drop the Tensor wrapper
    backend.incRef(out.dataId);
    const info: TensorInfo = { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
    out.dispose();
    return info;
  });
}

/**
 * Mean and sum over the spatial axes of an NHWC tensor (global average pooling; bias and
 * instance-norm gradients), also over the batch axis with them: the backend transposes the reduced
 * axes innermost first, which costs more than the reduction. Here it is XNNPACK's NHWC average
 * pooling with one window covering the image (the batch folded into the rows), times the window
 * size for a sum.
 */
export function registerSpatialReductions(tf: Tf): void {
  for (const kernel of ['Mean', 'Sum'] as const) {
    registerComposedKernel(tf, kernel, ['x'], ([x], attrs) => {
      const raw = attrs.axis as number | number[];
      const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + x.rank : a)).sort((a, b) => a - b);
      if (x.rank !== 4 || x.dtype !== 'float32') return null;
      const spatial = axes.length === 2 && axes[0] === 1 && axes[1] === 2;
      const withBatch = axes.length === 3 && axes[0] === 0 && axes[1] === 1 && axes[2] === 2;
      if (!spatial && !withBatch) return null;
      const [n, h, w, c] = x.shape;
      const windowRows = withBatch ? n * h : h;
      // XNNPACK rejects one-element windows (and the backend then leaves the output unwritten)
      if (windowRows * w <= 1) return null;
      return tf.tidy(() => {
        const rows = withBatch ? (tf.reshape(x, [1, windowRows, w, c]) as Tensor4D) : (x as Tensor4D);
        const mean = tf.avgPool(rows, [windowRows, w], 1, 'valid');
        const reduced = kernel === 'Sum' ? tf.mul(mean, windowRows * w) : mean;
        if (attrs.keepDims) return reduced;
        return tf.reshape(reduced, withBatch ? [c] : [n, c]);
      });
    });
  }
}

/**
 * Copy the box `begin`/`size` of a row-major array with `shape` into `out`. Trailing dimensions
 * the box covers whole are merged into one contiguous run per copy: the backend's own slice copies
 * one innermost row (often a few channels) at a time, ~10× slower for crops of NHWC tensors.
 */
export function copyBox(src: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, shape: number[], begin: number[], size: number[], out: { set(a: ArrayLike<number>, offset: number): void }): void {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // first dimension (from the end) that is not taken whole: runs span it and everything after
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const run = size[k] * strides[k];
  const index = begin.slice(0, k);
  let outOffset = 0;
  for (;;) {
    let offset = begin[k] * strides[k];
    for (let d = 0; d < k; d++) offset += index[d] * strides[d];
    out.set(src.subarray(offset, offset + run), outOffset);
    outOffset += run;
    // odometer over the outer dimensions
    let d = k - 1;
    while (d >= 0 && ++index[d] === begin[d] + size[d]) {
      index[d] = begin[d];
      d--;
    }
    if (d < 0) return;
  }
}

/** `Slice` on wasm copying contiguous runs (see `copyBox`); strings keep the backend's kernel. */
export function registerFastSlice(tf: Tf): void {
  registerRawKernel(tf, 'Slice', ({ inputs: { x }, attrs, backend }) => {
    if (x.dtype === 'string' || x.shape.length === 0) return null;
    const [begin, size] = tf.slice_util.parseSliceParams(x as Tensor, attrs.begin as number | number[], attrs.size as number | number[]);
    const out = backend.makeOutput(size, x.dtype);
    if (size.some((s) => s === 0)) return out;
    copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
    return out;
  });
}

/**
 * `Identity` and same-type `Cast` share the input's buffer (one more reference) instead of copying
 * it, as the backend's `Reshape` does: tensors are immutable, and gradients call both on every
 * multiply and divide (thousands of full-size copies in a training step).
 */
export function registerSharedIdentity(tf: Tf): void {
  const share = ({ inputs: { x }, backend }: RawKernelArgs): TensorInfo => {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  registerRawKernel(tf, 'Identity', (args) => (args.inputs.x.dtype === 'string' ? null : share(args)));
  registerRawKernel(tf, 'Cast', (args) => (args.inputs.x.dtype === args.attrs.dtype && args.inputs.x.dtype !== 'string' ? share(args) : null));
}
