/**
 * Random camera-shake trajectories (Boracchi & Foi 2012, the brief's "Algorithm 1", as DeblurGAN
 * uses it) and their rasterisation into PSFs. Constants follow the reference behaviour; the
 * reference code's defects (cumulative, unnormalised PSFs; no centring) are not repeated.
 */
import type { Rng } from '../core/rng.js';
import { type Kernel, finishKernel } from './kernel.js';

export interface TrajectoryOptions {
  /** Canvas size in pixels (default 64). */
  canvas: number;
  /** Number of samples N (default 2000). */
  iterations: number;
  /** Total path length L in pixels (default 60). */
  maxLength: number;
  /** Exposure/"expl" e; default drawn as 0.1·U. */
  expl?: number;
}

export const DEFAULT_TRAJECTORY: TrajectoryOptions = { canvas: 64, iterations: 2000, maxLength: 60 };

export interface TrajectoryParams {
  expl: number;
  centripetal: number;
  probBigShake: number;
  gaussianShake: number;
  initAngle: number;
}

export interface Trajectory {
  /** Sample positions, 1-based canvas coordinates like the reference: column (x) and row (y). */
  x: Float64Array;
  y: Float64Array;
  canvas: number;
  params: TrajectoryParams;
}

export function randomTrajectory(rng: Rng, options: Partial<TrajectoryOptions> = {}): Trajectory {
  const { canvas, iterations: n, maxLength: L, expl: givenExpl } = { ...DEFAULT_TRAJECTORY, ...options };
  const expl = givenExpl ?? 0.1 * rng.uniform();
  const centripetal = 0.7 * rng.uniform();
  const probBigShake = 0.2 * rng.uniform();
  const gaussianShake = 10 * rng.uniform();
  const initAngle = 2 * Math.PI * rng.uniform();
  const step = L / (n - 1);

  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  // v = e^{iθ}·L/(N−1); the reference overwrites it with e^{iθ}·e when e > 0, but every step
  // renormalises |v| to L/(N−1), so only the direction matters until the first update.
  let vr = Math.cos(initAngle) * (expl > 0 ? expl : step);
  let vi = Math.sin(initAngle) * (expl > 0 ? expl : step);
  for (let t = 0; t < n - 1; t++) {
    let nr = 0, ni = 0;
    if (rng.uniform() < probBigShake * expl) {
      // a big shake: 2·v·e^{i(π + U − 0.5)}
      const phi = Math.PI + rng.uniform() - 0.5;
      const c = Math.cos(phi), s = Math.sin(phi);
      nr = 2 * (vr * c - vi * s);
      ni = 2 * (vr * s + vi * c);
    }
    const g1 = rng.normal();
    const g2 = rng.normal();
    vr += nr + expl * (gaussianShake * g1 - centripetal * xr[t]) * step;
    vi += ni + expl * (gaussianShake * g2 - centripetal * xi[t]) * step;
    const mag = Math.hypot(vr, vi);
    if (mag > 0) {
      vr = (vr / mag) * step;
      vi = (vi / mag) * step;
    } else {
      vr = step;
      vi = 0;
    }
    xr[t + 1] = xr[t] + vr;
    xi[t + 1] = xi[t] + vi;
  }
  centre(xr, xi, canvas);
  return { x: xr, y: xi, canvas, params: { expl, centripetal, probBigShake, gaussianShake, initAngle } };
}

/** Reference centring: min to 0, snap x[0] to the grid, +1 (1-based), then centre on the canvas. */
function centre(xr: Float64Array, xi: Float64Array, canvas: number): void {
  let minR = Infinity, minI = Infinity;
  for (let t = 0; t < xr.length; t++) {
    minR = Math.min(minR, xr[t]);
    minI = Math.min(minI, xi[t]);
  }
  const fracR = (xr[0] - minR) % 1;
  const fracI = (xi[0] - minI) % 1;
  let maxR = -Infinity, maxI = -Infinity;
  for (let t = 0; t < xr.length; t++) {
    xr[t] = xr[t] - minR - fracR + 1;
    xi[t] = xi[t] - minI - fracI + 1;
    maxR = Math.max(maxR, xr[t]);
    maxI = Math.max(maxI, xi[t]);
  }
  const shiftR = Math.ceil((canvas - maxR) / 2);
  const shiftI = Math.ceil((canvas - maxI) / 2);
  for (let t = 0; t < xr.length; t++) {
    xr[t] += shiftR;
    xi[t] += shiftI;
  }
}

/** Path length of a trajectory (sum of step lengths). */
export function trajectoryLength(t: Trajectory): number {
  let len = 0;
  for (let i = 1; i < t.x.length; i++) len += Math.hypot(t.x[i] - t.x[i - 1], t.y[i] - t.y[i - 1]);
  return len;
}

/** Why an exposure fraction is unusable, or null when it is in (0, 1]. */
export function exposureProblem(name: string, exposure: number): string | null {
  return exposure > 0 && exposure <= 1 ? null : `${name} must be in (0, 1], got ${exposure}`;
}

/**
 * PSF of the first `exposure`·N samples (shutter open over that fraction of the shake), each
 * sample splatted bilinearly onto the canvas, then normalised to 1 and centred on its centroid.
 * (The reference accumulates fractions without resetting and never normalises; here an exposure
 * fraction T means the interval (0, T·N], which is what its cumulative PSFs were, normalised.)
 */
export function trajectoryPsf(traj: Trajectory, exposure = 1): Kernel {
  const problem = exposureProblem('exposure fraction', exposure);
  if (problem) throw new RangeError(problem);
  const n = traj.x.length;
  const canvas = traj.canvas;
  const data = new Float64Array(canvas * canvas);
  const end = exposure * n;
  const tri = (d: number): number => Math.max(0, 1 - Math.abs(d));
  for (let t = 1; t < n; t++) {
    const w = Math.max(0, Math.min(t, end) - (t - 1));
    if (w <= 0) break;
    const col = traj.x[t];
    const row = traj.y[t];
    const mc = Math.min(canvas - 1, Math.max(1, Math.floor(col)));
    const mr = Math.min(canvas - 1, Math.max(1, Math.floor(row)));
    for (const c of [mc, mc + 1]) {
      for (const r of [mr, mr + 1]) {
        const v = w * tri(col - c) * tri(row - r);
        if (v > 0) data[(r - 1) * canvas + (c - 1)] += v;
      }
    }
  }
  return finishKernel({ width: canvas, height: canvas, data });
}
