/** The deblurring method interface every method (classical, DeblurGAN, any ONNX model) implements. */
import type { Kernel } from '../blur-synth/kernel.js';
import type { Image } from '../core/image.js';

export interface RestoreContext {
  /** Pair id, for messages. */
  id: string;
  /** The true blur kernel when the suite knows it (for non-blind "oracle" methods). */
  kernel?: Kernel;
}

export interface DeblurMethod {
  name: string;
  /** Everything that changes the output (parameters, weights hash); used for cache keys and reports. */
  identity: Record<string, string | number | boolean>;
  /** Runtime that executes it and its thread count (reported beside every timing). */
  runtime: { backend: string; threads: number };
  /** Non-blind methods need `context.kernel`; a suite without kernels cannot run them. */
  needsKernel: boolean;
  /** Restored image in [0,1] floats (not yet quantised), same size as the input. */
  restore(blurred: Image, context: RestoreContext): Promise<Image<Float32Array>>;
}

/** Options from a method spec such as `wiener:nsr=0.005`. */
export type MethodOptions = Record<string, string>;
export type MethodFactory = (options: MethodOptions) => DeblurMethod | Promise<DeblurMethod>;
