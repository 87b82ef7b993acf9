/** `summary.md`: the header block (suite, conventions, detector, environment, backends) and the summary table. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../results.js';
import { escapeMarkdown } from './escape.js';
import { headerFacts, reportTitle } from './facts.js';
import { arrow, pairRecords, summaryTable } from './model.js';
import type { Reporter } from './types.js';

function tableLines(results: Results): string[] {
  const table = summaryTable(results, { counts: true });
  const head = ['Method', ...table.columns.map((c) => `${c.label} ${arrow(c.higherIsBetter)}`.trim())];
  const align = [':---', ...table.columns.map(() => '---:')];
  const body = table.rows.map((row) => [
    escapeMarkdown(row.method),
    ...row.values.map((v, j) => {
      const text = escapeMarkdown(table.columns[j].format(v));
      return row.best[j] ? `**${text}**` : text;
    }),
  ]);
  return [head.map(escapeMarkdown), align, ...body].map((cells) => `| ${cells.join(' | ')} |`);
}

export function summaryMarkdown(results: Results): string {
  const lines = [`# ${escapeMarkdown(reportTitle(results))}`, ''];
  for (const group of headerFacts(results)) {
    lines.push(`**${escapeMarkdown(group.title)}**`, '');
    for (const f of group.facts) lines.push(`- ${escapeMarkdown(f.label)}: ${escapeMarkdown(f.value)}`);
    lines.push('');
  }
  lines.push('## Summary', '', ...tableLines(results), '');
  lines.push('Means over pairs; ↑ higher is better, ↓ lower is better; best per column in bold; ∞ = identical images.', '');
  const failures = pairRecords(results).filter((r) => r.errors.length > 0);
  if (failures.length > 0) {
    lines.push('## Failures', '');
    for (const r of failures) {
      lines.push(`- ${escapeMarkdown(r.pair)} · ${escapeMarkdown(r.method ?? '(pair)')}: ${escapeMarkdown(r.errors.join('; '))}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export const markdownReporter: Reporter = {
  format: 'md',
  async write(results, outDir) {
    await writeFile(join(outDir, 'summary.md'), summaryMarkdown(results));
    return ['summary.md'];
  },
};
