/**
 * `bench merge`: combine the outputs of `--shard k/n` runs into the results an unsharded run
 * would have produced (same rows, same order, same summary; timings are the shards' own).
 */
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { incompatibilities } from './compare.js';
import { type Results, sortRows } from './results.js';
import { summarizeAll } from './summary.js';

export function mergeResults(parts: Results[]): Results {
  if (parts.length === 0) throw new UserError('nothing to merge');
  const first = parts[0];
  const count = first.header.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const p of parts) {
    const reasons = incompatibilities(first.header, p.header, { samePairs: true });
    if (JSON.stringify(p.header.methods.map((m) => [m.spec, m.identity])) !== JSON.stringify(first.header.methods.map((m) => [m.spec, m.identity]))) reasons.push('different methods');
    if (JSON.stringify(p.header.metrics) !== JSON.stringify(first.header.metrics)) reasons.push('different metrics');
    if ((p.header.shard?.count ?? 1) !== count) reasons.push(`different shard counts (${p.header.shard?.count ?? 1} vs ${count})`);
    if (reasons.length) throw new UserError(`cannot merge: ${reasons.join('; ')}`);
    const index = p.header.shard?.index ?? 1;
    if (seen.has(index)) throw new UserError(`shard ${index}/${count} given twice`);
    seen.add(index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new UserError(`cannot merge: missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  const header = { ...first.header, shard: null };
  const rows = sortRows(header, parts.flatMap((p) => p.rows));
  const detections = parts.flatMap((p) => p.detections).sort((a, b) => (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  const rss = parts.map((p) => p.peakRssMb).filter((v): v is number => v !== null);
  return {
    header,
    summary: summarizeAll(header, rows, detections),
    peakRssMb: rss.length ? Math.max(...rss) : null,
    rows,
    assets: parts.flatMap((p) => p.assets).sort((a, b) => (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0)),
    detections,
  };
}

/** Copy each shard's gallery images next to the merged results. */
export async function copyAssets(dirs: string[], out: string): Promise<void> {
  await mkdir(join(out, 'images'), { recursive: true });
  for (const d of dirs) await cp(join(d, 'images'), join(out, 'images'), { recursive: true, force: true }).catch(() => undefined);
}
