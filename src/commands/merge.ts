/** `bench merge DIR… --out DIR`: shard outputs → the results of one unsharded run. */
import { join } from 'node:path';
import { copyAssets, mergeResults } from '../bench/merge.js';
import { readResults } from '../bench/reporters/json.js';
import { writeReports } from '../bench/reporters/index.js';
import { checkWritable } from '../core/files.js';
import { printSummary } from './run.js';

export async function runMerge(args: { dirs: string[]; out: string; format: string[] }): Promise<number> {
  const parts = await Promise.all(args.dirs.map((d) => readResults(join(d, 'results.json'))));
  const merged = mergeResults(parts);
  await checkWritable(args.out);
  await copyAssets(args.dirs, args.out);
  const written = await writeReports(merged, args.out, args.format);
  printSummary(merged);
  process.stdout.write(`\nmerged ${parts.length} shard(s): wrote ${written.map((w) => join(args.out, w)).join(', ')}\n`);
  return merged.rows.some((r) => r.kind === 'failure') ? 3 : 0;
}
