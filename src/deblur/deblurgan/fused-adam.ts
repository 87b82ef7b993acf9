/**
 * Adam with one pass per weight tensor on the wasm backend, through the native addon
 * (native/adam.cc). tfjs's AdamOptimizer runs about a dozen elementwise kernels per tensor and step,
 * each reading and writing the whole tensor; the fused kernel reads the weights, gradient and both
 * moments once and writes the three updated tensors. (A plain JavaScript loop is no faster than
 * tfjs's SIMD kernels: ~8 ns per element.) Same update rule, epsilon and saved state (`iter`,
 * `<variable>/m` …, `<variable>/v` …) as `tf.train.adam`, so a run resumes on either. Without the
 * addon, and on other backends, training uses `tf.train.adam`.
 */
import type { KernelConfig, NamedTensorMap, Optimizer, Tensor, TensorInfo, Variable } from '@tensorflow/tfjs';
import { type AdamStep, type NativeAdam, nativeAdam } from '../../core/native.js';
import type { Tf } from '../../core/tfjs-backend.js';
import type { WasmBackendMemory } from '../../core/wasm-kernels.js';

const KERNEL = 'DeblurbenchAdamUpdate';

type NamedTensor = { name: string; tensor: Tensor };

function registerKernel(tf: Tf, native: NativeAdam): void {
  if (tf.getKernel(KERNEL, 'wasm')) return;
  const config: KernelConfig = {
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const memory = backend as unknown as WasmBackendMemory;
      const { x, g, m, v } = inputs as Record<'x' | 'g' | 'm' | 'v', TensorInfo>;
      if ([x, g, m, v].some((t) => t.dtype !== 'float32')) throw new Error('Adam update: float32 tensors only');
      const outs = [x, m, v].map((t) => memory.makeOutput(t.shape, 'float32'));
      // views are taken after every allocation (an allocation may grow the heap)
      const view = (t: TensorInfo): Float32Array => memory.typedArrayFromHeap(t) as Float32Array;
      native.update(view(x), view(g), view(m), view(v), { x: view(outs[0]), m: view(outs[1]), v: view(outs[2]) }, attrs as unknown as AdamStep);
      return outs;
    },
  };
  tf.registerKernel(config);
}

type Moments = { m: Variable; v: Variable };

function fusedAdamClass(tf: Tf) {
  return class FusedAdam extends tf.Optimizer {
    private readonly moments = new Map<string, Moments>();

    constructor(
      public learningRate: number,
      private readonly beta1: number,
      private readonly beta2: number,
      private readonly epsilon = tf.backend().epsilon(),
    ) {
      super();
    }

    applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
      const grads: [string, Tensor][] = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor]) : Object.entries(variableGradients);
      const t = this.iterations + 1;
      const attrs: AdamStep = {
        learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
        correction1: 1 - this.beta1 ** t, correction2: 1 - this.beta2 ** t,
      };
      for (const [name, gradient] of grads) {
        if (gradient == null) continue;
        const x = tf.engine().registeredVariables[name];
        let moments = this.moments.get(name);
        if (!moments) {
          moments = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(x), false), v: tf.variable(tf.zerosLike(x), false) }));
          this.moments.set(name, moments);
        }
        const inputs = { x, g: gradient, m: moments.m, v: moments.v };
        const [nx, nm, nv] = tf.engine().runKernel(KERNEL, inputs, attrs as unknown as Record<string, number>) as Tensor[];
        x.assign(nx);
        moments.m.assign(nm);
        moments.v.assign(nv);
        tf.dispose([nx, nm, nv]);
      }
      this.incrementIterations();
    }

    override async getWeights(): Promise<NamedTensor[]> {
      const all = [...this.moments];
      return [
        await this.saveIterations(),
        ...all.map(([name, { m }]) => ({ name: `${name}/m`, tensor: m })),
        ...all.map(([name, { v }]) => ({ name: `${name}/v`, tensor: v })),
      ];
    }

    override async setWeights(weightValues: NamedTensor[]): Promise<void> {
      const values = await this.extractIterations(weightValues);
      this.disposeMoments();
      const half = values.length / 2;
      for (let i = 0; i < half; i++) {
        // `<variable>/m` and `<variable>/v` hold the moments of `<variable>`
        const name = values[i].name.replace(/\/m$/, '');
        this.moments.set(name, { m: tf.variable(values[i].tensor, false), v: tf.variable(values[half + i].tensor, false) });
      }
    }

    getConfig(): { learningRate: number; beta1: number; beta2: number; epsilon: number } {
      return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    }

    override dispose(): void {
      super.dispose();
      this.disposeMoments();
    }

    private disposeMoments(): void {
      for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
      this.moments.clear();
    }
  };
}

/** Adam (β₁, β₂) for training: the fused update on wasm with the native addon, else `tf.train.adam`. */
export function createAdam(tf: Tf, learningRate: number, beta1: number, beta2: number): Optimizer {
  const native = nativeAdam();
  if (tf.getBackend() !== 'wasm' || !native) return tf.train.adam(learningRate, beta1, beta2);
  registerKernel(tf, native);
  const FusedAdam = fusedAdamClass(tf);
  return new FusedAdam(learningRate, beta1, beta2);
}
