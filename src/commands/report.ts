/** `bench report RESULTS.json --format csv,html --out DIR`: write reports from a finished results document. */
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AssetRecord, Results } from '../bench/results.js';
import { readResults, reporters, writeReports } from '../bench/reporters/index.js';

export interface ReportArgs {
  results: string;
  /** Formats; entries may be comma lists ("csv,html"). Empty: every format. */
  format: string[];
  /** Output folder; default: the folder of the results file. */
  out?: string;
}

/** Asset paths are relative to the results folder; make them relative to the report folder instead. */
export function rebaseAssets(results: Results, fromDir: string, toDir: string): Results {
  if (resolve(fromDir) === resolve(toDir)) return results;
  const rebase = (p: string): string => (isAbsolute(p) || p === '' ? p : relative(resolve(toDir), resolve(fromDir, p)).split(sep).join('/'));
  const assets = results.assets.map((a): AssetRecord => ({ ...a, thumb: rebase(a.thumb), full: rebase(a.full) }));
  return { ...results, assets };
}

export function parseFormats(format: string[]): string[] {
  const list = format.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  return list.length > 0 ? [...new Set(list)] : reporters.names();
}

export async function runReport(args: ReportArgs): Promise<number> {
  let formats = parseFormats(args.format);
  for (const f of formats) reporters.entry(f); // unknown formats fail before the results are read
  const outDir = args.out ?? dirname(args.results);
  const results = rebaseAssets(await readResults(args.results), dirname(args.results), outDir);
  if (formats.includes('json') && resolve(outDir, 'results.json') === resolve(args.results)) {
    formats = formats.filter((f) => f !== 'json');
    process.stderr.write(`json: ${args.results} is the input; not rewritten\n`);
  }
  const written = await writeReports(results, outDir, formats);
  for (const file of written) process.stdout.write(`${join(outDir, file)}\n`);
  return 0;
}
