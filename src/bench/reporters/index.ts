/** The reporter registry: one line per format; each loads lazily. */
import { makeOutputFolder } from '../../core/files.js';
import { Registry } from '../../core/registry.js';
import type { Results } from '../results.js';
import type { Reporter } from './types.js';

export const reporters = new Registry<Reporter>('report format')
  .register('json', 'results.json: the full document (rows, assets, detections)', async () => (await import('./json.js')).jsonReporter)
  .register('csv', 'pairs.csv (per pair × method) and summary.csv (per method)', async () => (await import('./csv.js')).csvReporter)
  .register('md', 'summary.md: header block and summary table (Markdown)', async () => (await import('./markdown.js')).markdownReporter)
  .register('tex', 'summary.tex: booktabs tabular with the summary', async () => (await import('./latex.js')).latexReporter)
  .register('html', 'report.html: self-contained page with charts and gallery', async () => (await import('./html.js')).htmlReporter);

/** Write each format into outDir (created if needed); unknown formats fail before anything is written. */
export async function writeReports(results: Results, outDir: string, formats: string[]): Promise<string[]> {
  const unique = [...new Set(formats)];
  for (const f of unique) reporters.entry(f);
  await makeOutputFolder(outDir);
  const written: string[] = [];
  for (const f of unique) {
    const reporter = await reporters.load(f);
    written.push(...(await reporter.write(results, outDir)));
  }
  return written;
}

export type { Reporter } from './types.js';
export { readResults } from './json.js';
