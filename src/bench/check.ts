/**
 * `bench check BASELINE CANDIDATE`: the regression gate a lab's CI runs on a new checkpoint.
 * Compares per-method means metric by metric. Exit 0: no regression; 1: some metric regressed
 * beyond its tolerance; 2: the runs are not comparable (and why).
 */
import { UserError } from '../core/errors.js';
import { unknownNameMessage } from '../core/registry.js';
import { ssimModes } from '../metrics/ssim.js';
import { incompatibilities } from './compare.js';
import { type Results, higherIsBetter } from './results.js';
import { DETECTION_METRICS } from './summary.js';

export const DEFAULT_TOLERANCES: Record<string, number> = { psnr: 0.05, ssim: 0.001, ap50: 0.01 };

/** Metric names a run can produce (a tolerance may also name any metric of the baseline). */
export function knownMetricNames(): string[] {
  return ['psnr', 'ssim', ...ssimModes.names().map((m) => `ssim_${m}`), ...DETECTION_METRICS, 'recovery_ap'];
}

/**
 * `--tol psnr=0.05,ssim=0.001` over the defaults. A misspelt name would silently leave the default
 * in force, so names must be known metrics or metrics of the baseline (`metrics`).
 */
export function parseTolerances(text: string | undefined, metrics: readonly string[] = []): Record<string, number> {
  const out = { ...DEFAULT_TOLERANCES };
  if (!text) return out;
  const known = [...new Set([...knownMetricNames(), ...metrics])];
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v, ...rest] = part.split('=');
    const n = Number(v);
    // Number('') is 0: an empty value must not become a zero tolerance
    if (!k || v === undefined || v.trim() === '' || rest.length > 0 || !Number.isFinite(n) || n < 0) throw new UserError(`--tol takes metric=value pairs (e.g. psnr=0.05,ssim=0.001), got "${part}"`);
    if (!known.includes(k)) throw new UserError(`--tol: ${unknownNameMessage('metric', k, known)}`);
    out[k] = n;
  }
  return out;
}

/** Every metric name in a results document's summary. */
export function summaryMetrics(results: Results): string[] {
  return [...new Set(results.summary.flatMap((s) => Object.keys(s.means)))];
}

export interface Delta {
  method: string;
  metric: string;
  baseline: number;
  candidate: number;
  delta: number;
  tolerance: number;
  regressed: boolean;
}

export interface CheckOutcome {
  comparable: boolean;
  reasons: string[];
  deltas: Delta[];
}

export function compareResults(baseline: Results, candidate: Results, tolerances: Record<string, number>): CheckOutcome {
  const reasons = incompatibilities(baseline.header, candidate.header, { samePairs: true });
  const deltas: Delta[] = [];
  if (reasons.length) return { comparable: false, reasons, deltas };
  for (const b of baseline.summary) {
    const c = candidate.summary.find((s) => s.method === b.method);
    // a gate that skipped what the candidate lacks would pass a checkpoint that stopped working
    if (!c) {
      reasons.push(`method ${b.method} is missing from the candidate`);
      continue;
    }
    for (const metric of Object.keys(b.means)) {
      const cand = c.means[metric];
      if (cand === undefined) {
        reasons.push(`method ${b.method}: ${metric} is missing from the candidate`);
        continue;
      }
      if (b.counts[metric] !== c.counts[metric]) {
        reasons.push(`method ${b.method}: ${metric} is over ${b.counts[metric]} pairs in the baseline and ${c.counts[metric]} in the candidate`);
        continue;
      }
      const base = b.means[metric];
      const tol = tolerances[metric] ?? tolerances[metric.replace(/_.*/, '')] ?? 0;
      const delta = cand - base;
      const worse = higherIsBetter(metric) ? -delta : delta;
      deltas.push({ method: b.method, metric, baseline: base, candidate: cand, delta, tolerance: tol, regressed: Number.isFinite(worse) ? worse > tol : base !== cand && (higherIsBetter(metric) ? cand < base : cand > base) });
    }
  }
  if (deltas.length === 0 && reasons.length === 0) reasons.push('no method and metric in common');
  return { comparable: reasons.length === 0, reasons, deltas };
}
