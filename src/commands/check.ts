/** `bench check BASELINE.json CANDIDATE.json [--tol psnr=0.05,…]`: exit 0 / 1 (regressed) / 2 (not comparable). */
import { compareResults, parseTolerances, summaryMetrics } from '../bench/check.js';
import { readResults } from '../bench/reporters/json.js';
import { textTable } from '../core/format.js';

export async function runCheck(args: { baseline: string; candidate: string; tol?: string }): Promise<number> {
  const [baseline, candidate] = await Promise.all([readResults(args.baseline), readResults(args.candidate)]);
  // names are checked against the baseline's metrics, so the files are read first
  const tolerances = parseTolerances(args.tol, summaryMetrics(baseline));
  const outcome = compareResults(baseline, candidate, tolerances);
  if (!outcome.comparable) {
    process.stderr.write(`bench: not comparable: ${outcome.reasons.join('; ')}\n`);
    return 2;
  }
  const fmt = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 10 ? v.toFixed(3) : v.toFixed(4)) : String(v));
  const rows = outcome.deltas.map((d) => [d.method, d.metric, fmt(d.baseline), fmt(d.candidate), `${d.delta >= 0 ? '+' : ''}${fmt(d.delta)}`, fmt(d.tolerance), d.regressed ? 'REGRESSED' : 'ok']);
  process.stdout.write(`${textTable(['method', 'metric', 'baseline', 'candidate', 'delta', 'tolerance', 'status'], rows)}\n`);
  const regressed = outcome.deltas.filter((d) => d.regressed);
  process.stdout.write(regressed.length ? `\n${regressed.length} regression(s) beyond tolerance\n` : '\nno regression\n');
  return regressed.length ? 1 : 0;
}
