/** `results.json`: the full document (rows, assets, detections), ±Infinity/NaN written as strings. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, describeError } from '../../core/errors.js';
import { RESULTS_SCHEMA, decodeRow, encodeNumber, rowProblem, summarize, type MethodSummary, type ResultRow, type Results } from '../results.js';
import type { Reporter } from './types.js';

export const RESULTS_FILE = 'results.json';

export function encodeResults(results: Results): string {
  return `${JSON.stringify(results, encodeNumber, 2)}\n`;
}

export const jsonReporter: Reporter = {
  format: 'json',
  async write(results, outDir) {
    await writeFile(join(outDir, RESULTS_FILE), encodeResults(results));
    return [RESULTS_FILE];
  },
};

/** "Infinity", "-Infinity" and "NaN" back to numbers; other values pass through. */
function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity' || value === '-Infinity' || value === 'NaN') return Number(value);
  return NaN;
}

function decodeSummary(s: MethodSummary): MethodSummary {
  const means: Record<string, number> = {};
  for (const [metric, value] of Object.entries(s.means ?? {})) means[metric] = decodeNumber(value);
  const t = s.timing;
  return {
    ...s,
    means,
    counts: s.counts ?? {},
    timing: t
      ? { medianMs: decodeNumber(t.medianMs), p90Ms: decodeNumber(t.p90Ms), imagesPerSecond: decodeNumber(t.imagesPerSecond), count: t.count }
      : null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first thing reporters or the gate would trip over in a document of the right schema, or null. */
function documentProblem(data: Record<string, unknown>, header: Record<string, unknown>): string | null {
  if (!isRecord(header.suite) || typeof header.suite.name !== 'string' || !isRecord(header.conventions)) return 'header.suite or header.conventions missing';
  for (const [i, m] of (header.methods as unknown[]).entries()) if (!isRecord(m) || typeof m.spec !== 'string') return `header method ${i + 1} without a spec`;
  for (const [i, row] of (data.rows as unknown[]).entries()) {
    const problem = rowProblem(row);
    if (problem) return `row ${i + 1}: ${problem}`;
  }
  if (Array.isArray(data.summary)) {
    for (const [i, s] of data.summary.entries()) {
      if (!isRecord(s) || typeof s.method !== 'string') return `summary entry ${i + 1} without a method`;
      if (!isRecord(s.means) || typeof s.failures !== 'number') return `summary entry ${i + 1} (${s.method}) without means or failures`;
    }
  }
  const strings = (v: unknown, keys: string[]): boolean => isRecord(v) && keys.every((k) => typeof v[k] === 'string');
  if (Array.isArray(data.assets)) for (const [i, a] of data.assets.entries()) if (!strings(a, ['pair', 'role', 'thumb', 'full'])) return `asset ${i + 1} without pair, role or file names`;
  if (Array.isArray(data.detections)) {
    for (const [i, d] of data.detections.entries()) if (!strings(d, ['pair', 'role']) || !Array.isArray((d as Record<string, unknown>).boxes)) return `detection record ${i + 1} without pair, role or boxes`;
  }
  return null;
}

/** Decode a parsed results document; `source` names it in error messages. */
export function parseResults(data: unknown, source: string): Results {
  const header = isRecord(data) && isRecord(data.header) ? data.header : null;
  if (!isRecord(data) || header === null || header.schema !== RESULTS_SCHEMA) {
    const found = header === null ? 'missing' : JSON.stringify(header.schema ?? null);
    throw new UserError(`${source} is not a deblurbench results file (schema ${found}, expected "${RESULTS_SCHEMA}")`);
  }
  if (!Array.isArray(data.rows) || !Array.isArray(header.methods) || !Array.isArray(header.metrics)) {
    throw new UserError(`${source} is a damaged deblurbench results file (rows, header.methods or header.metrics missing)`);
  }
  const problem = documentProblem(data, header);
  if (problem) throw new UserError(`${source} is a damaged deblurbench results file (${problem})`);
  const doc = data as unknown as Results;
  const rows = (data.rows as ResultRow[]).map(decodeRow);
  const summary = Array.isArray(data.summary) ? (data.summary as MethodSummary[]).map(decodeSummary) : summarize(doc.header, rows);
  return {
    ...doc,
    rows,
    summary,
    peakRssMb: data.peakRssMb === null || data.peakRssMb === undefined ? null : decodeNumber(data.peakRssMb),
    assets: Array.isArray(data.assets) ? doc.assets : [],
    detections: Array.isArray(data.detections) ? doc.detections : [],
  };
}

/** Read and validate `results.json`; anything else is a one-line UserError. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read results file ${path}: ${describeError(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not a deblurbench results file (invalid JSON: ${describeError(err)})`);
  }
  return parseResults(data, path);
}
