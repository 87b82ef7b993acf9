/**
 * Exponential moving average of the generator's weights (Polyak averaging). With a small batch
 * the raw weights wander from step to step, and so does validation PSNR; the average follows the
 * same run with far less of that noise, so it is what gets validated and exported when training
 * with `--ema`.
 */
import type { Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';
import type { Weights } from './weights.js';

/**
 * The decay used for update number `updates` (0-based): the requested one, but smaller at first,
 * (1 + n) / (10 + n), so the average is not dominated by the weights it started from.
 */
export function averagingDecay(decay: number, updates: number): number {
  return Math.min(decay, (1 + updates) / (10 + updates));
}

export class WeightAverage {
  /** The averaged weights, keyed like the trained ones. */
  readonly variables: Map<string, Variable>;
  private count: number;

  /** Starts from `saved` (an average and its update count) or else from the current trained weights. */
  constructor(
    private readonly tf: Tf,
    private readonly decay: number,
    private readonly trained: Map<string, Variable>,
    saved: { weights: Weights; updates: number } | null,
  ) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`averaging decay must be in [0, 1), got ${decay}`);
    // variables outlive tidy; the temporary tensors they were made from do not
    this.variables = new Map();
    tf.tidy(() => {
      for (const [name, v] of trained) {
        const w = saved?.weights.get(name);
        this.variables.set(name, tf.variable(w ? tf.tensor(w.data, w.shape) : v, false));
      }
    });
    this.count = saved?.updates ?? 0;
  }

  /** Number of updates folded into the average so far (stored with the run to resume exactly). */
  get updates(): number {
    return this.count;
  }

  /** average ← d · average + (1 − d) · trained, with d from {@link averagingDecay}. */
  update(): void {
    const d = averagingDecay(this.decay, this.count);
    this.tf.tidy(() => {
      for (const [name, avg] of this.variables) {
        const w = this.trained.get(name) as Variable;
        avg.assign(this.tf.add(this.tf.mul(avg, d), this.tf.mul(w, 1 - d)));
      }
    });
    this.count++;
  }

  dispose(): void {
    this.tf.dispose([...this.variables.values()]);
  }
}
