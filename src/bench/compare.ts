/** Whether two results documents measure the same thing (shared by `bench merge` and `bench check`). */
import type { ResultsHeader } from './results.js';

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
  return reasons;
}
