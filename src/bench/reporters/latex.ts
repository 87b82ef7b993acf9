/**
 * `summary.tex`: a booktabs `tabular` to `\input` into a paper (needs `\usepackage{booktabs}`),
 * preceded by a comment block with the suite and conventions the numbers hold under.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../results.js';
import { escapeLatex, latexComment } from './escape.js';
import { headerFacts } from './facts.js';
import { summaryTable } from './model.js';
import type { Reporter } from './types.js';

function directionMark(higher: boolean | null): string {
  return higher === null ? '' : higher ? ' $\\uparrow$' : ' $\\downarrow$';
}

export function summaryLatex(results: Results): string {
  const table = summaryTable(results, { counts: false });
  const lines: string[] = [latexComment('deblurbench summary table; requires \\usepackage{booktabs}')];
  for (const group of headerFacts(results)) {
    for (const f of group.facts) lines.push(latexComment(`${group.title} / ${f.label}: ${f.value}`));
  }
  lines.push(latexComment('Means over pairs; best per column in bold.'));
  lines.push(`\\begin{tabular}{l${'r'.repeat(table.columns.length)}}`, '\\toprule');
  const head = ['Method', ...table.columns.map((c) => `${escapeLatex(c.label)}${directionMark(c.higherIsBetter)}`)];
  lines.push(`${head.join(' & ')} \\\\`, '\\midrule');
  for (const row of table.rows) {
    const cells = row.values.map((v, j) => {
      const text = escapeLatex(table.columns[j].format(v));
      return row.best[j] ? `\\textbf{${text}}` : text;
    });
    lines.push(`${[escapeLatex(row.method), ...cells].join(' & ')} \\\\`);
  }
  lines.push('\\bottomrule', '\\end{tabular}', '');
  return lines.join('\n');
}

export const latexReporter: Reporter = {
  format: 'tex',
  async write(results, outDir) {
    await writeFile(join(outDir, 'summary.tex'), summaryLatex(results));
    return ['summary.tex'];
  },
};
