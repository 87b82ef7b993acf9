/**
 * The versioned results schema: the only thing reporters, `bench merge` and `bench check` read.
 *
 * Rows are long: one value per (pair, method, metric). Timings and failures are separate row kinds.
 * `results.jsonl` streams rows while a run goes; `results.json` is the finished document.
 */

export const RESULTS_SCHEMA = 'deblurbench/results@1';

/** Conventions a number is only comparable under. */
export interface Conventions {
  ssimMode: string;
  color: string;
  crop: number;
  quantize: string;
  /** Alignment before scoring: none | realblur (absent in files written before the option: none). */
  align?: string;
  /** GoPro subset (blur | blur_gamma) or null when the suite has none. */
  subset: string | null;
}

export interface SuiteIdentity {
  name: string;
  /** Suite parameters that change the pairs (data root, split, subset, blur model, seed …). */
  params: Record<string, string | number | boolean | null>;
  /** sha256 over the sorted pair ids and their input hashes. */
  fileListHash: string;
  pairCount: number;
}

export interface MethodInfo {
  spec: string;
  name: string;
  identity: Record<string, string | number | boolean>;
  /** Runtime that executed it ("js", "onnxruntime-node cpu", "tfjs-wasm" …) and thread count. */
  backend: string;
  threads: number;
}

export interface ResultsHeader {
  schema: typeof RESULTS_SCHEMA;
  createdAt: string;
  suite: SuiteIdentity;
  conventions: Conventions;
  metrics: string[];
  methods: MethodInfo[];
  detector: string | null;
  /** Which ground truth detection numbers use ("coco-annotations" | "pseudo-gt:…"), or null. */
  detectionGroundTruth: string | null;
  /** Detector identity and the thresholds the detection metrics were computed with. */
  detectionSettings: DetectionSettings | null;
  seed: number;
  /** `--shard k/n`, k counted from 1; null for an unsharded (or merged) run. */
  shard: { index: number; count: number } | null;
  versions: Record<string, string>;
  gitCommit: string | null;
  machine: { platform: string; arch: string; cpus: string; cores: number; memoryGb: number; node: string };
}

export interface DetectionSettings {
  identity: Record<string, string | number | boolean>;
  gtThreshold: number;
  scoreThreshold: number;
  iou: number;
}

export interface MetricRow {
  kind: 'metric';
  pair: string;
  method: string;
  metric: string;
  /** ±Infinity are written as the strings "Infinity"/"-Infinity" in JSON. */
  value: number;
}

export interface TimingRow {
  kind: 'timing';
  pair: string;
  method: string;
  /** Restoration wall time, no I/O, no metrics. */
  restoreMs: number;
  /** True when the value was measured in an earlier run and read from the cache. */
  cached: boolean;
}

export interface FailureRow {
  kind: 'failure';
  pair: string;
  /** null when the pair itself could not be loaded. */
  method: string | null;
  error: string;
}

export type ResultRow = MetricRow | TimingRow | FailureRow;

export interface MethodSummary {
  method: string;
  /** Mean of per-pair values per metric (NaN-free: metrics missing for a pair are not counted). */
  means: Record<string, number>;
  /** Number of pairs each mean is over. */
  counts: Record<string, number>;
  timing: { medianMs: number; p90Ms: number; imagesPerSecond: number; count: number } | null;
  /** Pairs this method failed on, counting pairs that failed for every method (`method: null`). */
  failures: number;
}

/** An image shown in the report gallery, relative to the results folder. */
export interface AssetRecord {
  pair: string;
  /** 'sharp', 'blurred', or a method spec. */
  role: string;
  thumb: string;
  full: string;
  width: number;
  height: number;
}

export interface DetectionBox {
  bbox: [number, number, number, number];
  score: number;
  classId: number;
  label: string;
}

/** Detector output on one image (boxes in image pixels), for drawing in the gallery. */
export interface DetectionRecord {
  pair: string;
  role: string;
  boxes: DetectionBox[];
}

export interface Results {
  header: ResultsHeader;
  summary: MethodSummary[];
  /** Peak resident set size of the run(s), MB. */
  peakRssMb: number | null;
  rows: ResultRow[];
  assets: AssetRecord[];
  detections: DetectionRecord[];
}

/** Direction of "better" for a metric name (reports mark ↑/↓ and bold the best). */
export function higherIsBetter(metric: string): boolean {
  return !/(^|_)(ms|time|lpips|niqe|brisque)($|_)/i.test(metric);
}

/** JSON replacer/reviver pair that keeps ±Infinity and NaN. */
export function encodeNumber(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

const isNumberLike = (v: unknown): boolean => typeof v === 'number' || v === 'Infinity' || v === '-Infinity' || v === 'NaN';

/** What is wrong with a parsed row (as written, ±Infinity still strings), or null when it is a valid row. */
export function rowProblem(row: unknown): string | null {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not an object';
  const r = row as Record<string, unknown>;
  if (r.kind !== 'metric' && r.kind !== 'timing' && r.kind !== 'failure') return `unknown row kind ${JSON.stringify(r.kind ?? null)}`;
  if (typeof r.pair !== 'string') return 'row without a pair id';
  if (r.kind === 'failure') {
    if (typeof r.method !== 'string' && r.method !== null) return 'failure row without a method';
    return typeof r.error === 'string' ? null : 'failure row without an error';
  }
  if (typeof r.method !== 'string') return `${r.kind} row without a method`;
  if (r.kind === 'metric') {
    if (typeof r.metric !== 'string') return 'metric row without a metric name';
    return isNumberLike(r.value) ? null : 'metric row without a numeric value';
  }
  if (typeof r.restoreMs !== 'number') return 'timing row without a numeric restoreMs';
  return typeof r.cached === 'boolean' ? null : 'timing row without its cached flag';
}

export function decodeRow(row: ResultRow): ResultRow {
  if (row.kind === 'metric' && typeof row.value === 'string') return { ...row, value: Number(row.value) };
  return row;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Per-method summary from rows alone (so merged shards summarise exactly like one run). */
export function summarize(header: ResultsHeader, rows: ResultRow[]): MethodSummary[] {
  return header.methods.map(({ spec }) => {
    const sums: Record<string, number> = {};
    const counts: Record<string, number> = {};
    const times: number[] = [];
    let failures = 0;
    for (const r of rows) {
      // a pair that could not be loaded (or detected on) is a pair no method was scored on
      if (r.kind === 'failure' && r.method === null) failures++;
      if (r.method !== spec) continue;
      if (r.kind === 'metric') {
        sums[r.metric] = (sums[r.metric] ?? 0) + r.value;
        counts[r.metric] = (counts[r.metric] ?? 0) + 1;
      } else if (r.kind === 'timing') {
        times.push(r.restoreMs);
      } else {
        failures++;
      }
    }
    const means: Record<string, number> = {};
    for (const m of Object.keys(sums)) means[m] = sums[m] / counts[m];
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / (times.length || 1);
    return {
      method: spec,
      means,
      counts,
      timing: times.length ? { medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), imagesPerSecond: 1000 / mean, count: times.length } : null,
      failures,
    };
  });
}

/** Canonical row order: by pair, then method order of the header, then kind and metric. */
export function sortRows(header: ResultsHeader, rows: ResultRow[]): ResultRow[] {
  const methodIndex = new Map(header.methods.map((m, i) => [m.spec, i]));
  const kindOrder = { metric: 0, timing: 1, failure: 2 } as const;
  return [...rows].sort((a, b) => {
    if (a.pair !== b.pair) return a.pair < b.pair ? -1 : 1;
    const ma = a.method === null ? -1 : (methodIndex.get(a.method) ?? 999);
    const mb = b.method === null ? -1 : (methodIndex.get(b.method) ?? 999);
    if (ma !== mb) return ma - mb;
    if (a.kind !== b.kind) return kindOrder[a.kind] - kindOrder[b.kind];
    if (a.kind === 'metric' && b.kind === 'metric') return a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0;
    return 0;
  });
}
