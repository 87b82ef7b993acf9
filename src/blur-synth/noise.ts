/** Sensor noise for the blur model B = k ∗ I + N, drawn from a seeded RNG. */
import type { Rng } from '../core/rng.js';

/** Poisson sample: Knuth's product method for small λ, a rounded normal approximation (error < 1 %) above 60. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

export interface NoiseOptions {
  /** Gaussian σ in 8-bit units (0–255 scale), in linear light when blurring in linear light. 0 = none. */
  gaussianSigma: number;
  /** Photons at full white for Poisson (shot) noise; 0 = none. */
  poissonPeak: number;
}

/** Why a noise setting is unusable (negative or not finite), or null when it is fine. */
export function noiseProblem(name: string, value: number): string | null {
  return Number.isFinite(value) && value >= 0 ? null : `${name} must be a finite number ≥ 0, got ${value}`;
}

/** Adds noise in place to [0,1]-scaled planes (linear light for shot noise to count photons). */
export function addNoise(planes: Float64Array[], rng: Rng, opts: NoiseOptions): void {
  const problem = noiseProblem('Gaussian σ', opts.gaussianSigma) ?? noiseProblem('Poisson peak', opts.poissonPeak);
  if (problem) throw new RangeError(problem);
  const sigma = opts.gaussianSigma / 255;
  const peak = opts.poissonPeak;
  for (const p of planes) {
    for (let i = 0; i < p.length; i++) {
      let v = p[i];
      if (peak > 0) v = poisson(rng, Math.max(0, v) * peak) / peak;
      if (sigma > 0) v += sigma * rng.normal();
      p[i] = v;
    }
  }
}
