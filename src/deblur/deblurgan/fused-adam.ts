/**
 * Adam with one pass per weight tensor on the wasm backend, through the native addon
 * (native/adam.cc). tfjs's AdamOptimizer runs about a dozen elementwise kernels per tensor and step,
 * each reading and writing the whole tensor; the fused kernel reads the weights, gradient and both
 * moments once and writes the three updated tensors. (A plain JavaScript loop is no faster than
 * tfjs's SIMD kernels: ~8 ns per element.) The same update rule (to float rounding), epsilon and
 * saved state (`iter`, `<variable>/m` …, `<variable>/v` …, every variable it was given, in order)
 * as `tf.train.adam`, so a run resumes on either. Without the addon, and on other backends,
 * training uses `tf.train.adam`.
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
      const sameShape = (t: TensorInfo): boolean => t.shape.length === x.shape.length && t.shape.every((d, i) => d === x.shape[i]);
      if (![g, m, v].every(sameShape)) throw new Error(`Adam update: gradient and moments must have the weights' shape [${x.shape.join(', ')}]`);
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
    static readonly className = 'DeblurbenchFusedAdam';

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
        const x = tf.engine().registeredVariables[name];
        // every variable given gets moments, even without a gradient, so the saved state lines up with tfjs's
        let moments = this.moments.get(name);
        if (!moments) {
          moments = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(x), false), v: tf.variable(tf.zerosLike(x), false) }));
          this.moments.set(name, moments);
        }
        if (gradient == null) continue;
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
      const [iter, ...values] = weightValues;
      const half = values.length / 2;
      // `<variable>/m` … then `<variable>/v` …: checked whole before anything changes
      const names = values.slice(0, half).map((w) => w.name.replace(/\/m$/, ''));
      const valid = iter?.name === 'iter' && Number.isInteger(half) && names.every((name, i) => values[i].name === `${name}/m` && values[half + i].name === `${name}/v` && values[i].tensor.shape.join() === values[half + i].tensor.shape.join());
      if (!valid) throw new Error('Adam state: expected iter, then <variable>/m for each variable, then <variable>/v in the same order');
      // new variables (each holding its own reference) before the old ones go: the values may be
      // this optimizer's own moments, as in setWeights(await getWeights())
      const moments = new Map(names.map((name, i) => [name, { m: tf.variable(values[i].tensor, false), v: tf.variable(values[half + i].tensor, false) }]));
      await this.extractIterations(weightValues);
      this.disposeMoments();
      for (const [name, m] of moments) this.moments.set(name, m);
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

let FusedAdam: ReturnType<typeof fusedAdamClass> | undefined;

/** Adam (β₁, β₂) for training: the fused update on wasm with the native addon, else `tf.train.adam`. */
export function createAdam(tf: Tf, learningRate: number, beta1: number, beta2: number): Optimizer {
  const native = nativeAdam();
  if (tf.getBackend() !== 'wasm' || !native) return tf.train.adam(learningRate, beta1, beta2);
  registerKernel(tf, native);
  FusedAdam ??= fusedAdamClass(tf);
  return new FusedAdam(learningRate, beta1, beta2);
}
