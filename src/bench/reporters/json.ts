/** `results.json`: the full document (rows, assets, detections), ±Infinity/NaN written as strings. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, describeError } from '../../core/errors.js';
import { RESULTS_SCHEMA, decodeRow, encodeNumber, summarize, type MethodSummary, type ResultRow, type Results } from '../results.js';
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
