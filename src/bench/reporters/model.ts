/**
 * Views of a results document shared by the reporters: metric order and labels, the summary table
 * (with the best value per column), and per-pair records.
 */
import { displayNumber } from '../../core/format.js';
import { higherIsBetter, sortRows, summarize, type MethodSummary, type Results } from '../results.js';

/** Metrics in header order, then any that only appear in rows or the summary. */
export function metricNames(results: Results): string[] {
  const names = [...results.header.metrics];
  const seen = new Set(names);
  const add = (m: string): void => {
    if (!seen.has(m)) {
      seen.add(m);
      names.push(m);
    }
  };
  for (const row of results.rows) if (row.kind === 'metric') add(row.metric);
  for (const s of results.summary) for (const m of Object.keys(s.means)) add(m);
  return names;
}

/** The summary per method in header order; recomputed from rows when the document has none. */
export function methodSummaries(results: Results): MethodSummary[] {
  const given = new Map(results.summary.map((s) => [s.method, s]));
  const ordered = results.header.methods.map(({ spec }) => given.get(spec));
  if (ordered.every((s): s is MethodSummary => s !== undefined)) return ordered;
  return summarize(results.header, results.rows);
}

const ACRONYM = /^(psnr|ssim|ms|lpips|niqe|brisque|ap\d*|ar\d*|f1|iou|map\d*)$/i;

/** Display name of a metric: `ssim_matlab3d` → "SSIM matlab3d", `ap50` → "AP50". */
export function metricLabel(metric: string): string {
  const words = metric.split('_').filter(Boolean);
  const label = words.map((w) => (ACRONYM.test(w) ? w.toUpperCase() : w)).join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Decimals a metric is shown with: PSNR 2, everything else (SSIM, AP, F1 …) 4. */
export function metricDigits(metric: string): number {
  return /psnr/i.test(metric) ? 2 : 4;
}

/** Milliseconds with 1 decimal below 100 ms, none above. */
export function formatMs(ms: number): string {
  return displayNumber(ms, Number.isFinite(ms) && Math.abs(ms) >= 100 ? 0 : 1);
}

export function formatMetric(metric: string, value: number): string {
  return displayNumber(value, metricDigits(metric));
}

export interface SummaryColumn {
  key: string;
  label: string;
  /** null: no direction (counts), never bold. */
  higherIsBetter: boolean | null;
  format(value: number): string;
}

export interface SummaryTableRow {
  method: string;
  /** NaN where a method has no value. */
  values: number[];
  best: boolean[];
}

export interface SummaryTable {
  columns: SummaryColumn[];
  rows: SummaryTableRow[];
}

/**
 * One row per method: mean per metric, median restore time, and (with `counts`) pairs and failures.
 * The best value of a directed column is marked when at least two methods have one; ties all count.
 */
export function summaryTable(results: Results, options: { counts: boolean }): SummaryTable {
  const metrics = metricNames(results);
  const summaries = methodSummaries(results);
  const columns: SummaryColumn[] = [
    ...metrics.map((m) => ({ key: m, label: metricLabel(m), higherIsBetter: higherIsBetter(m), format: (v: number) => formatMetric(m, v) })),
    { key: 'median_ms', label: 'Median ms', higherIsBetter: false, format: formatMs },
  ];
  if (options.counts) {
    columns.push({ key: 'n', label: 'n', higherIsBetter: null, format: (v) => displayNumber(v, 0) });
    columns.push({ key: 'failures', label: 'Failures', higherIsBetter: null, format: (v) => displayNumber(v, 0) });
  }
  const values = summaries.map((s) =>
    columns.map((c) => {
      if (c.key === 'median_ms') return s.timing?.medianMs ?? NaN;
      if (c.key === 'n') return pairCount(s);
      if (c.key === 'failures') return s.failures;
      return s.means[c.key] ?? NaN;
    }),
  );
  const best = columns.map((c, j) => bestIndices(values.map((v) => v[j]), c.higherIsBetter));
  return {
    columns,
    rows: summaries.map((s, i) => ({ method: s.method, values: values[i], best: columns.map((_, j) => best[j].has(i)) })),
  };
}

/** Pairs a method has metric values for (the largest per-metric count). */
export function pairCount(summary: MethodSummary): number {
  return Math.max(0, ...Object.values(summary.counts));
}

function bestIndices(values: number[], higher: boolean | null): Set<number> {
  const present = values.map((v, i) => ({ v, i })).filter(({ v }) => !Number.isNaN(v));
  if (higher === null || present.length < 2) return new Set();
  const target = higher ? Math.max(...present.map(({ v }) => v)) : Math.min(...present.map(({ v }) => v));
  return new Set(present.filter(({ v }) => v === target).map(({ i }) => i));
}

export function arrow(higher: boolean | null): '↑' | '↓' | '' {
  return higher === null ? '' : higher ? '↑' : '↓';
}

/** Everything the results say about one pair × method (method null: the pair itself failed). */
export interface PairRecord {
  pair: string;
  method: string | null;
  metrics: Map<string, number>;
  restoreMs: number | null;
  cached: boolean;
  errors: string[];
}

/** Per pair × method records in canonical row order. */
export function pairRecords(results: Results): PairRecord[] {
  const records = new Map<string, PairRecord>();
  for (const row of sortRows(results.header, results.rows)) {
    const key = JSON.stringify([row.pair, row.method]);
    let rec = records.get(key);
    if (!rec) {
      rec = { pair: row.pair, method: row.method, metrics: new Map(), restoreMs: null, cached: false, errors: [] };
      records.set(key, rec);
    }
    if (row.kind === 'metric') rec.metrics.set(row.metric, row.value);
    else if (row.kind === 'timing') {
      rec.restoreMs = row.restoreMs;
      rec.cached = row.cached;
    } else rec.errors.push(row.error);
  }
  return [...records.values()];
}
