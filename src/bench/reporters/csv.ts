/**
 * `pairs.csv` (one row per pair × method) and `summary.csv` (one row per method).
 * Numbers at full precision (shortest round-trip form); ±Infinity as `Infinity`/`-Infinity`; missing cells empty.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Results } from '../results.js';
import { methodSummaries, metricNames, pairCount, pairRecords } from './model.js';
import type { Reporter } from './types.js';

type Cell = string | number | null | undefined;

function num(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function pairsCsv(results: Results): string {
  const metrics = metricNames(results);
  const columns = ['pair', 'method', ...metrics, 'restore_ms', 'error'];
  const rows: Cell[][] = pairRecords(results).map((r) => [
    r.pair,
    r.method ?? '',
    ...metrics.map((m) => num(r.metrics.get(m))),
    num(r.restoreMs),
    r.errors.join('; '),
  ]);
  return stringify(rows, { header: true, columns, record_delimiter: '\n' });
}

export function summaryCsv(results: Results): string {
  const metrics = metricNames(results);
  const columns = ['method', ...metrics, 'n', 'median_ms', 'p90_ms', 'images_per_s', 'failures'];
  const rows: Cell[][] = methodSummaries(results).map((s) => [
    s.method,
    ...metrics.map((m) => num(s.means[m])),
    String(pairCount(s)),
    num(s.timing?.medianMs),
    num(s.timing?.p90Ms),
    num(s.timing?.imagesPerSecond),
    String(s.failures),
  ]);
  return stringify(rows, { header: true, columns, record_delimiter: '\n' });
}

export const csvReporter: Reporter = {
  format: 'csv',
  async write(results, outDir) {
    await writeFile(join(outDir, 'pairs.csv'), pairsCsv(results));
    await writeFile(join(outDir, 'summary.csv'), summaryCsv(results));
    return ['pairs.csv', 'summary.csv'];
  },
};
