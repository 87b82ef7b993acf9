/** Whether two results documents measure the same thing (shared by `bench merge` and `bench check`). */
import type { ResultsHeader } from './results.js';

function keyValues(record: Record<string, string | number | boolean>): string {
  return Object.keys(record).sort().map((k) => `${k}=${String(record[k])}`).join(', ');
}

/** Detection numbers depend on the detector and every threshold they were computed with. */
function detectionReasons(a: ResultsHeader, b: ResultsHeader): string[] {
  // files written before detection settings were recorded have no field: same as none
  const da = a.detectionSettings ?? null;
  const db = b.detectionSettings ?? null;
  if (da === null && db === null) return [];
  if (da === null || db === null) return [`detection in one run only (${a.detector?.split(' ')[0] ?? 'none'} vs ${b.detector?.split(' ')[0] ?? 'none'})`];
  const reasons: string[] = [];
  if (keyValues(da.identity) !== keyValues(db.identity)) reasons.push(`different detector (${keyValues(da.identity)} vs ${keyValues(db.identity)})`);
  for (const k of ['gtThreshold', 'scoreThreshold', 'iou'] as const) {
    if (da[k] !== db[k]) reasons.push(`different detection ${k} (${da[k]} vs ${db[k]})`);
  }
  return reasons;
}

/** Reasons the two headers are not comparable; empty when they are. */
export function incompatibilities(a: ResultsHeader, b: ResultsHeader, opts: { samePairs: boolean }): string[] {
  const reasons: string[] = [];
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  if (a.suite.name !== b.suite.name) reasons.push(`different suite (${a.suite.name} vs ${b.suite.name})`);
  if (a.conventions.subset !== b.conventions.subset) reasons.push(`different GoPro subset (${a.conventions.subset} vs ${b.conventions.subset})`);
  const align = (h: ResultsHeader): string => h.conventions.align ?? 'none';
  if (align(a) !== align(b)) reasons.push(`different alignment (${align(a)} vs ${align(b)})`);
  for (const k of ['ssimMode', 'color', 'crop', 'quantize'] as const) {
    if (a.conventions[k] !== b.conventions[k]) reasons.push(`different ${k} (${a.conventions[k]} vs ${b.conventions[k]})`);
  }
  if (!same(a.suite.params, b.suite.params)) reasons.push('different suite parameters');
  if (opts.samePairs && a.suite.fileListHash !== b.suite.fileListHash) reasons.push('different pair set (file-list hash differs)');
  if (a.seed !== b.seed) reasons.push(`different seed (${a.seed} vs ${b.seed})`);
  reasons.push(...detectionReasons(a, b));
  return reasons;
}
