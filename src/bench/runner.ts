/**
 * The benchmark runner: for each pair × method, restore (cached), score, and stream result rows
 * to `results.jsonl` as they are made. A killed run resumes: a pair × method whose rows are all in
 * the stream is kept, one cut short is scored again, and restorations already in the cache are not
 * recomputed. At the end the rows become the versioned results document and every reporter
 * renders from it.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { type Image, encodeThumbnail, writeImage } from '../core/image.js';
import { Progress } from '../core/progress.js';
import type { DeblurMethod } from '../deblur/types.js';
import type { PlaneOptions } from '../metrics/planes.js';
import { psnr } from '../metrics/psnr.js';
import { type Alignment, realblurScores } from '../metrics/realblur.js';
import { ssimParallel } from '../metrics/ssim-parallel.js';
import type { Detector } from '../detection/types.js';
import { DetectionCache, RestoreCache, methodKey } from './cache.js';
import { gitCommit, machine, versions } from './environment.js';
import {
  type AssetRecord,
  type Conventions,
  type DetectionRecord,
  RESULTS_SCHEMA,
  type ResultRow,
  type Results,
  type ResultsHeader,
  decodeRow,
  encodeNumber,
  rowProblem,
  sortRows,
} from './results.js';
import { summarizeAll } from './summary.js';
import type { LoadedSuite, SuitePair } from './suites/types.js';

export interface RunOptions {
  suite: LoadedSuite;
  methods: { spec: string; method: DeblurMethod }[];
  /** Metric names: psnr, ssim (first SSIM mode), ssim_<mode> for further modes. */
  metrics: string[];
  ssimModes: string[];
  planes: PlaneOptions;
  /** `realblur`: psnr/ssim are RealBlur's aligned, masked scores (ssimModes must be ['realblur']). Default none. */
  align?: Alignment;
  seed: number;
  out: string;
  cacheDir: string;
  shard: { index: number; count: number } | null;
  limit: number | null;
  /** Pairs (in run order) whose images go to the report gallery. */
  gallery: number;
  quiet: boolean;
  /** Detector run on sharp, blurred and every restored image; null for `--detector none`. */
  detection: DetectionOptions | null;
  /** Called for every restoration actually computed (not cached) — tests count them. */
  onRestore?: (pair: string, method: string) => void;
}

export interface DetectionOptions {
  spec: string;
  detector: Detector;
  /** Pseudo ground truth: the detector's boxes on the sharp image with at least this score. */
  gtThreshold: number;
  /** Score threshold for precision / recall / F1 at IoU 0.5. */
  scoreThreshold: number;
}

/** Stream line carrying one image's detector output (kept out of the metric rows). */
interface DetectionLine extends DetectionRecord {
  kind: 'detections';
}

export interface RunOutcome {
  results: Results;
  failedPairs: number;
}

/** Deterministic slice of the sorted pairs: pair i goes to shard (i mod n) + 1. */
export function selectPairs(pairs: SuitePair[], limit: number | null, shard: { index: number; count: number } | null): SuitePair[] {
  const sorted = [...pairs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const limited = limit !== null ? sorted.slice(0, limit) : sorted;
  return shard ? limited.filter((_, i) => i % shard.count === shard.index - 1) : limited;
}

export function buildHeader(opts: RunOptions): ResultsHeader {
  const conventions: Conventions = { ssimMode: opts.ssimModes.join(','), color: opts.planes.color, crop: opts.planes.crop, quantize: opts.planes.quantize, align: opts.align ?? 'none', subset: opts.suite.subset };
  return {
    schema: RESULTS_SCHEMA,
    createdAt: new Date().toISOString(),
    suite: { ...opts.suite.identity, params: { ...opts.suite.identity.params, limit: opts.limit } },
    conventions,
    metrics: opts.metrics,
    methods: opts.methods.map(({ spec, method }) => ({ spec, name: method.name, identity: method.identity, backend: method.runtime.backend, threads: method.runtime.threads })),
    detector: opts.detection ? `${opts.detection.spec} (${opts.detection.detector.runtime.backend}, ${opts.detection.detector.runtime.threads} thread(s))` : null,
    detectionGroundTruth: opts.detection ? `pseudo-gt: ${opts.detection.spec} boxes on the sharp image with score ≥ ${opts.detection.gtThreshold}` : null,
    detectionSettings: opts.detection ? { identity: opts.detection.detector.identity, gtThreshold: opts.detection.gtThreshold, scoreThreshold: opts.detection.scoreThreshold, iou: 0.5 } : null,
    seed: opts.seed,
    shard: opts.shard,
    versions: versions(),
    gitCommit: gitCommit(),
    machine: machine(),
  };
}

/** What must match for rows from an earlier (interrupted) run to be reused. */
function resumeKey(h: ResultsHeader): string {
  return sha256(JSON.stringify([h.suite, h.conventions, h.metrics, h.methods.map((m) => [m.spec, m.identity]), h.seed, h.shard, h.detectionSettings]));
}

async function readStream(path: string, key: string): Promise<{ rows: ResultRow[]; detections: DetectionRecord[] } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter(Boolean);
  if (lines.length === 0) return null;
  let first: unknown;
  try {
    first = JSON.parse(lines[0]);
  } catch {
    first = null;
  }
  if (typeof first !== 'object' || first === null) {
    // the header alone tells whose rows these are: without it nothing in the file can be trusted
    process.stderr.write(`bench: warning: the first line of ${path} is unreadable; starting afresh (cached restorations are still used)\n`);
    return null;
  }
  if ((first as { resumeKey?: unknown }).resumeKey !== key) return null;
  const rows: ResultRow[] = [];
  const detections: DetectionRecord[] = [];
  for (const line of lines.slice(1)) {
    let parsed: ResultRow | DetectionLine;
    try {
      parsed = JSON.parse(line) as ResultRow | DetectionLine;
    } catch {
      break; // a line cut short by a kill: everything before it is intact
    }
    if (parsed?.kind === 'detections') detections.push({ pair: parsed.pair, role: parsed.role, boxes: parsed.boxes });
    else if (rowProblem(parsed) === null) rows.push(decodeRow(parsed));
    else break; // not a row this runner wrote: trust nothing after it either
  }
  return { rows, detections };
}

function slug(text: string): string {
  return `${text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}-${sha256(text).slice(0, 8)}`;
}

/** Metric row names one pair × method gets: psnr, ssim (first SSIM mode), ssim_<mode> for the others. */
export function metricNames(opts: Pick<RunOptions, 'metrics' | 'ssimModes'>): string[] {
  const names = opts.metrics.includes('psnr') ? ['psnr'] : [];
  if (opts.metrics.includes('ssim')) names.push(...opts.ssimModes.map((mode, i) => (i === 0 ? 'ssim' : `ssim_${mode}`)));
  return names;
}

async function computeMetrics(sharp: Image, restored: Image, opts: RunOptions): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (opts.align === 'realblur') {
    // one alignment per pair serves both numbers
    const scores = realblurScores(sharp, restored, opts.planes.quantize);
    if (opts.metrics.includes('psnr')) out.psnr = scores.psnr;
    if (opts.metrics.includes('ssim')) out.ssim = scores.ssim;
    return out;
  }
  if (opts.metrics.includes('psnr')) out.psnr = psnr(sharp, restored, opts.planes);
  if (opts.metrics.includes('ssim')) {
    for (const [i, mode] of opts.ssimModes.entries()) out[i === 0 ? 'ssim' : `ssim_${mode}`] = await ssimParallel(sharp, restored, { ...opts.planes, mode });
  }
  return out;
}

/**
 * The rows of an earlier run worth keeping: those of each pair × method that has every expected
 * metric row and its timing row (a batch cut short by a kill is scored again), once each.
 * Failure rows are dropped: a resume retries what failed.
 */
function completeRows(previous: ResultRow[], expected: string[]): ResultRow[] {
  const latest = new Map<string, ResultRow>();
  for (const r of previous) {
    if (r.kind === 'failure') continue;
    latest.set(JSON.stringify([r.pair, r.method, r.kind, r.kind === 'metric' ? r.metric : '']), r);
  }
  const have = new Map<string, Set<string>>();
  for (const r of latest.values()) {
    const id = `${r.pair}\u0000${r.method}`;
    if (!have.has(id)) have.set(id, new Set());
    have.get(id)?.add(r.kind === 'metric' ? r.metric : '\u0000timing');
  }
  const complete = (id: string): boolean => [...expected, '\u0000timing'].every((name) => have.get(id)?.has(name));
  return [...latest.values()].filter((r) => complete(`${r.pair}\u0000${r.method}`));
}

export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  await mkdir(opts.out, { recursive: true });
  const header = buildHeader(opts);
  const key = resumeKey(header);
  const streamPath = join(opts.out, 'results.jsonl');
  const previous = (await readStream(streamPath, key)) ?? { rows: [], detections: [] };
  const rows: ResultRow[] = completeRows(previous.rows, metricNames(opts));
  const done = new Set(rows.map((r) => `${r.pair}\u0000${r.method}`));
  const detections = new Map<string, DetectionRecord>(previous.detections.map((d) => [`${d.pair}\u0000${d.role}`, d]));
  const lines = [...rows.map((r) => JSON.stringify(r, encodeNumber)), ...[...detections.values()].map((d) => JSON.stringify({ kind: 'detections', ...d }))];
  // written aside and renamed into place: a kill mid-write must not cost the rows being carried over
  const fresh = `${streamPath}.${process.pid}.tmp`;
  await writeFile(fresh, `${JSON.stringify({ schema: RESULTS_SCHEMA, resumeKey: key })}\n${lines.map((l) => `${l}\n`).join('')}`);
  await rename(fresh, streamPath);
  const emit = async (batch: ResultRow[], found: DetectionRecord[] = []): Promise<void> => {
    rows.push(...batch);
    for (const d of found) detections.set(`${d.pair}\u0000${d.role}`, d);
    const text = [...batch.map((r) => JSON.stringify(r, encodeNumber)), ...found.map((d) => JSON.stringify({ kind: 'detections', ...d }))];
    await appendFile(streamPath, text.map((l) => `${l}\n`).join(''));
  };
  const detectionCache = new DetectionCache(opts.cacheDir);
  const detectorHash = opts.detection ? methodKey(opts.detection.detector.identity) : '';
  /** Detector output for one image (cached by detector identity + image key). */
  const detect = async (pair: string, role: string, image: Image, imageKey: string): Promise<DetectionRecord> => {
    const det = opts.detection as DetectionOptions;
    let boxes = await detectionCache.get<DetectionRecord['boxes']>(detectorHash, imageKey);
    if (!boxes) {
      boxes = (await det.detector.detect(image)).map((b) => ({ bbox: [b.x, b.y, b.w, b.h] as [number, number, number, number], score: b.score, classId: b.classId, label: b.label }));
      await detectionCache.put(detectorHash, imageKey, boxes);
    }
    return { pair, role, boxes };
  };

  const cache = new RestoreCache(opts.cacheDir);
  const pairs = selectPairs(opts.suite.pairs, opts.limit, opts.shard);
  const methodHashes = opts.methods.map(({ method }) => methodKey(method.identity));
  const warmed = new Set<string>();
  const assets: AssetRecord[] = [];
  const progress = new Progress({ label: 'run', total: pairs.length * opts.methods.length, quiet: opts.quiet });
  let failedPairs = 0;

  for (const [pairIndex, pair] of pairs.entries()) {
    const wantGallery = pairIndex < opts.gallery;
    // a method is finished on a pair when its metrics are in and, with a detector, its boxes too
    const finished = (spec: string): boolean => done.has(`${pair.id}\u0000${spec}`) && (!opts.detection || detections.has(`${pair.id}\u0000${spec}`));
    const pending = opts.methods.filter(({ spec }) => !finished(spec));
    if (pending.length === 0 && !wantGallery) {
      progress.tick(`${pair.id} (done earlier)`, opts.methods.length);
      continue;
    }
    let data;
    try {
      data = await pair.load();
    } catch (err) {
      failedPairs++;
      await emit([{ kind: 'failure', pair: pair.id, method: null, error: describeError(err) }]);
      progress.tick(`${pair.id} failed`, opts.methods.length);
      continue;
    }
    const gallery: { role: string; image: Image }[] = wantGallery ? [{ role: 'sharp', image: data.sharp }, { role: 'blurred', image: data.blurred }] : [];
    let pairFailed = false;
    if (opts.detection) {
      try {
        const found: DetectionRecord[] = [];
        for (const [role, image] of [['sharp', data.sharp], ['blurred', data.blurred]] as const) {
          if (!detections.has(`${pair.id}\u0000${role}`)) found.push(await detect(pair.id, role, image, sha256(`${data.inputHash}:${role}`)));
        }
        if (found.length) await emit([], found);
      } catch (err) {
        failedPairs++;
        await emit([{ kind: 'failure', pair: pair.id, method: null, error: `detector: ${describeError(err)}` }]);
        progress.tick(`${pair.id} failed`, opts.methods.length);
        continue;
      }
    }
    for (const [m, { spec, method }] of opts.methods.entries()) {
      progress.note(`${pair.id} · ${spec}`);
      const isDone = done.has(`${pair.id}\u0000${spec}`);
      if (finished(spec) && !wantGallery) {
        progress.tick(`${pair.id} · ${spec}`);
        continue;
      }
      let restored: Image;
      try {
        let cached = await cache.get(methodHashes[m], data.inputHash);
        let fromCache = true;
        if (!cached) {
          fromCache = false;
          const context = { id: pair.id, kernel: data.kernel };
          if (!warmed.has(spec)) {
            await method.restore(data.blurred, context); // warm-up: JIT, model load, thread pools
            warmed.add(spec);
          }
          const t0 = performance.now();
          const image = await method.restore(data.blurred, context);
          const restoreMs = performance.now() - t0;
          opts.onRestore?.(pair.id, spec);
          if (image.width !== data.sharp.width || image.height !== data.sharp.height) {
            throw new Error(`output is ${image.width}×${image.height}, input was ${data.blurred.width}×${data.blurred.height}`);
          }
          cached = { image, restoreMs };
          await cache.put(methodHashes[m], data.inputHash, cached);
        }
        restored = cached.image;
        if (wantGallery) gallery.push({ role: spec, image: restored });
        if (!isDone) {
          const values = await computeMetrics(data.sharp, restored, opts);
          await emit([
            ...Object.entries(values).map(([metric, value]): ResultRow => ({ kind: 'metric', pair: pair.id, method: spec, metric, value })),
            { kind: 'timing', pair: pair.id, method: spec, restoreMs: cached.restoreMs, cached: fromCache },
          ]);
        }
      } catch (err) {
        pairFailed = true;
        await emit([{ kind: 'failure', pair: pair.id, method: spec, error: describeError(err) }]);
        progress.tick(`${pair.id} · ${spec}`);
        continue;
      }
      // the metrics are kept even when the detector fails on this output (a resume retries it)
      if (opts.detection && !detections.has(`${pair.id}\u0000${spec}`)) {
        try {
          await emit([], [await detect(pair.id, spec, restored, `${methodHashes[m]}:${data.inputHash}`)]);
        } catch (err) {
          pairFailed = true;
          await emit([{ kind: 'failure', pair: pair.id, method: spec, error: `detector: ${describeError(err)}` }]);
        }
      }
      progress.tick(`${pair.id} · ${spec}`);
    }
    if (pairFailed) failedPairs++;
    if (wantGallery) assets.push(...(await writeGallery(opts.out, pair.id, gallery)));
  }
  progress.finish();

  const sorted = sortRows(header, rows);
  const detectionList = [...detections.values()].sort((a, b) => (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  const results: Results = {
    header,
    summary: summarizeAll(header, sorted, detectionList),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rows: sorted,
    assets,
    detections: detectionList,
  };
  return { results, failedPairs };
}

/** Full-size PNGs and JPEG thumbnails of one pair's images for the report gallery. */
async function writeGallery(out: string, pairId: string, images: { role: string; image: Image }[]): Promise<AssetRecord[]> {
  const dir = join('images', slug(pairId));
  await mkdir(join(out, dir), { recursive: true });
  const records: AssetRecord[] = [];
  for (const { role, image } of images) {
    const name = slug(role);
    const full = join(dir, `${name}.png`);
    const thumb = join(dir, `${name}.thumb.jpg`);
    await writeImage(join(out, full), image);
    await writeFile(join(out, thumb), await encodeThumbnail(image, 256));
    records.push({ pair: pairId, role, full, thumb, width: image.width, height: image.height });
  }
  return records;
}
