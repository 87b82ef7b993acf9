/**
 * Blur models: each draws a kernel from a seeded RNG and reports the parameters it drew, so a
 * manifest can record everything needed to reproduce a blurred image.
 */
import { UserError } from '../core/errors.js';
import { Registry } from '../core/registry.js';
import type { Rng } from '../core/rng.js';
import type { Boundary } from './boundaries.js';
import { type Kernel, finishKernel } from './kernel.js';
import { DEFAULT_TRAJECTORY, randomTrajectory, trajectoryPsf } from './trajectory.js';

export interface BlurModelOptions {
  /** Corruption severity 1..5 (corruption model only). */
  severity?: number;
  /** Trajectory exposure fraction (default 1). */
  exposure?: number;
  /** Trajectory "expl" (shake randomness); drawn from DeblurGAN's set when absent. */
  expl?: number;
  /** Linear motion length in px; drawn U(5, 35) when absent. */
  length?: number;
  /** Linear motion angle in degrees; drawn U(0, 180) when absent. */
  angle?: number;
  /** Gaussian σ in px; drawn U(0.5, 3) when absent. */
  sigma?: number;
}

export interface DrawnKernel {
  kernel: Kernel;
  /** Everything drawn or used, for the manifest. */
  params: Record<string, number | string>;
}

export type BlurModel = (rng: Rng, opts: BlurModelOptions) => DrawnKernel;

/**
 * Exposure/"expl" values DeblurGAN's blur script draws from. (The trajectory code's own default,
 * 0.1·U, mostly gives tiny random-walk kernels: median extent ~8 px for a 60 px path.)
 */
export const DEBLURGAN_EXPL = [0.01, 0.009, 0.008, 0.007, 0.005, 0.003] as const;

/** Random camera shake (Boracchi & Foi; DeblurGAN's motion_blur), canvas 64, N 2000, L 60. */
export const trajectoryModel: BlurModel = (rng, opts) => {
  const exposure = opts.exposure ?? 1;
  const expl = opts.expl ?? DEBLURGAN_EXPL[rng.int(DEBLURGAN_EXPL.length)];
  const traj = randomTrajectory(rng, { expl });
  return {
    kernel: trajectoryPsf(traj, exposure),
    params: { model: 'trajectory', ...DEFAULT_TRAJECTORY, exposure, ...traj.params },
  };
};

/** Anti-aliased line of `length` px at `angle` degrees (bilinear splat of dense samples). */
export function linearKernel(length: number, angleDeg: number): Kernel {
  if (!(length > 0)) throw new RangeError(`motion length must be positive, got ${length}`);
  const r = Math.ceil(length / 2) + 2;
  const size = 2 * r + 1;
  const data = new Float64Array(size * size);
  const a = (angleDeg * Math.PI) / 180;
  const samples = Math.max(2, Math.ceil(length * 8));
  for (let s = 0; s < samples; s++) {
    const t = (s / (samples - 1) - 0.5) * length;
    const x = r + t * Math.cos(a);
    const y = r - t * Math.sin(a); // image rows grow downwards; angles are counter-clockwise
    const x0 = Math.floor(x), y0 = Math.floor(y);
    const fx = x - x0, fy = y - y0;
    data[y0 * size + x0] += (1 - fx) * (1 - fy);
    data[y0 * size + x0 + 1] += fx * (1 - fy);
    data[(y0 + 1) * size + x0] += (1 - fx) * fy;
    data[(y0 + 1) * size + x0 + 1] += fx * fy;
  }
  return finishKernel({ width: size, height: size, data });
}

export const linearModel: BlurModel = (rng, opts) => {
  const length = opts.length ?? 5 + 30 * rng.uniform();
  const angle = opts.angle ?? 180 * rng.uniform();
  return { kernel: linearKernel(length, angle), params: { model: 'linear', length, angle } };
};

/** Isotropic Gaussian, radius ⌈3σ⌉. */
export function gaussianBlurKernel(sigma: number): Kernel {
  if (!(sigma > 0)) throw new RangeError(`Gaussian σ must be positive, got ${sigma}`);
  const r = Math.max(1, Math.ceil(3 * sigma));
  const size = 2 * r + 1;
  const data = new Float64Array(size * size);
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) data[(y + r) * size + (x + r)] = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
  }
  return finishKernel({ width: size, height: size, data });
}

export const gaussianModel: BlurModel = (rng, opts) => {
  const sigma = opts.sigma ?? 0.5 + 2.5 * rng.uniform();
  return { kernel: gaussianBlurKernel(sigma), params: { model: 'gaussian', sigma } };
};

/** imagecorruptions `motion_blur` (Michaelis et al. 2019): (radius, σ) per severity 1..5. */
export const CORRUPTION_MOTION_BLUR: ReadonlyArray<readonly [number, number]> = [
  [10, 3],
  [15, 5],
  [15, 8],
  [15, 12],
  [20, 15],
];

/**
 * The corruption's kernel: taps i = 0..2r along a ray at `angleDeg`, weight ∝ exp(−i²/(2σ²))
 * (a one-sided half-Gaussian), tap i at offset (−⌈i·cos a − 0.5⌉, −⌈i·sin a − 0.5⌉).
 * The published code applies it uncentred, shifting content by 2–11 px; here it is centred
 * (sharp and blurred stay aligned), which changes no tap weight.
 */
export function corruptionKernel(severity: number, angleDeg: number): Kernel {
  const entry = CORRUPTION_MOTION_BLUR[severity - 1];
  if (!entry) throw new UserError(`--severity must be 1..5, got ${severity}`);
  const [radius, sigma] = entry;
  const width = 2 * radius + 1;
  const a = (angleDeg * Math.PI) / 180;
  const size = 2 * width + 1;
  const data = new Float64Array(size * size);
  for (let i = 0; i < width; i++) {
    const dx = -Math.ceil(i * Math.cos(a) - 0.5);
    const dy = -Math.ceil(i * Math.sin(a) - 0.5);
    data[(width + dy) * size + (width + dx)] += Math.exp(-(i * i) / (2 * sigma * sigma));
  }
  return finishKernel({ width: size, height: size, data });
}

export const corruptionModel: BlurModel = (rng, opts) => {
  const severity = opts.severity ?? 3;
  const angle = opts.angle ?? -45 + 90 * rng.uniform();
  const [radius, sigma] = CORRUPTION_MOTION_BLUR[severity - 1] ?? [NaN, NaN];
  return { kernel: corruptionKernel(severity, angle), params: { model: 'corruption', severity, radius, sigma, angle } };
};

/**
 * Image border a model's reference blurs with, used when no boundary is asked for. For
 * imagecorruptions' motion_blur the reference says "a one-sided half-Gaussian line kernel of
 * width 2r+1 at an angle U(−45°, 45°), edge replication". The others keep `reflect` (the trajectory
 * reference's zero border darkens the edges).
 */
export function modelBoundary(model: string): Boundary {
  return model === 'corruption' ? 'replicate' : 'reflect';
}

/** Models whose kernel depends on the exposure fraction (`--exposure`). */
export function usesExposure(model: string): boolean {
  return model === 'trajectory';
}

export const blurModels = new Registry<BlurModel>('blur model')
  .register('trajectory', 'random camera-shake trajectory (Boracchi & Foi; DeblurGAN)', () => trajectoryModel)
  .register('linear', 'linear motion (length, angle)', () => linearModel)
  .register('gaussian', 'isotropic Gaussian', () => gaussianModel)
  .register('corruption', 'imagecorruptions motion_blur, severity 1..5', () => corruptionModel);
