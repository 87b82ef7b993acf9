/**
 * `report.html`: one self-contained page (inline CSS, JS and SVG; images by relative path) with the
 * header facts, the summary table, charts, the per-pair gallery and the failures.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../results.js';
import { escapeHtml as h } from './escape.js';
import { headerFacts, pairsStated, reportTitle } from './facts.js';
import { galleryHtml, LIGHTBOX_HTML } from './html-gallery.js';
import { REPORT_CSS, REPORT_JS } from './html-assets.js';
import { arrow, formatMetric, methodSummaries, metricLabel, metricNames, pairRecords, summaryTable, type PairRecord } from './model.js';
import { barChart, colour, scatterChart } from './svg-charts.js';
import type { Reporter } from './types.js';

/** Blocks every network fetch; inline style/script and local images only. */
const CSP = "default-src 'none'; img-src 'self' file: data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

function factsHtml(results: Results): string {
  const groups = headerFacts(results).map((g) => {
    const mono = g.title === 'Methods';
    const items = g.facts
      .map((f) => `<dt${mono ? ' class="mono"' : ''}>${h(f.label)}</dt><dd${/sha256|commit/i.test(f.label) ? ' class="mono"' : ''}>${h(f.value)}</dd>`)
      .join('');
    return `<section><h3>${h(g.title)}</h3><dl>${items}</dl></section>`;
  });
  return `<section id="setup"><h2>Setup</h2><div class="facts">${groups.join('')}</div></section>`;
}

function summaryHtml(results: Results): string {
  const table = summaryTable(results, { counts: true });
  const head = ['<th scope="col">Method</th>', ...table.columns.map((c) => `<th scope="col">${h(`${c.label} ${arrow(c.higherIsBetter)}`.trim())}</th>`)];
  const body = table.rows.map((row) => {
    const cells = row.values.map((v, j) => {
      const text = h(table.columns[j].format(v));
      return row.best[j] ? `<td class="best" title="${h(String(v))}"><strong>${text}</strong></td>` : `<td title="${h(String(v))}">${text}</td>`;
    });
    return `<tr><td class="method">${h(row.method)}</td>${cells.join('')}</tr>`;
  });
  return (
    `<section id="summary"><h2>Summary</h2><div class="table-wrap"><table class="summary"><thead><tr>${head.join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></div>` +
    `<p class="note">Means over pairs. ↑ higher is better, ↓ lower is better; the best value per column is bold; ∞ means identical images. ` +
    `Median ms is restoration time only (no I/O, no metrics).</p></section>`
  );
}

function figure(caption: string, svg: string): string {
  return `<figure><figcaption>${h(caption)}</figcaption>${svg}</figure>`;
}

function chartsHtml(results: Results): string {
  const metrics = metricNames(results);
  const summaries = methodSummaries(results);
  const methods = summaries.map((s) => s.method);
  const meanOf = (metric: string): number[] => summaries.map((s) => s.means[metric] ?? NaN);
  const figures: string[] = [];
  const psnr = metrics.find((m) => /^psnr/i.test(m));
  const ssim = metrics.find((m) => /^ssim/i.test(m));
  if (psnr) {
    const series = [{ name: metricLabel(psnr), values: meanOf(psnr) }];
    figures.push(figure(`Mean ${metricLabel(psnr)} (dB) per method`, barChart({ title: `Mean ${metricLabel(psnr)} per method`, categories: methods, series, format: (v) => formatMetric(psnr, v) })));
  }
  if (ssim) {
    const series = [{ name: metricLabel(ssim), values: meanOf(ssim) }];
    const domain: [number, number] | undefined = series[0].values.every((v) => Number.isNaN(v) || (v >= 0 && v <= 1)) ? [0, 1] : undefined;
    figures.push(figure(`Mean ${metricLabel(ssim)} per method`, barChart({ title: `Mean ${metricLabel(ssim)} per method`, categories: methods, series, domain, format: (v) => formatMetric(ssim, v) })));
  }
  if (psnr) {
    const points = summaries.flatMap((s, i) => {
      const y = s.means[psnr];
      if (!s.timing || y === undefined || Number.isNaN(y)) return [];
      return [{ label: s.method, x: s.timing.medianMs, y, colour: colour(i) }];
    });
    if (points.length > 0) {
      const title = `Runtime vs ${metricLabel(psnr)}`;
      figures.push(
        figure(
          `${title} (median ms per image, log scale)`,
          scatterChart({ title, xLabel: 'median restoration time per image (ms, log scale)', yLabel: `mean ${metricLabel(psnr)} (dB)`, points, formatY: (v) => formatMetric(psnr, v) }),
        ),
      );
    }
  }
  const ap = metrics.filter((m) => /^ap/i.test(m));
  if (ap.length > 0) {
    const series = ap.map((m) => ({ name: metricLabel(m), values: meanOf(m) }));
    const all = series.flatMap((s) => s.values).filter(Number.isFinite);
    const domain: [number, number] | undefined = all.every((v) => v >= 0 && v <= 1) ? [0, 1] : undefined;
    figures.push(figure('Detection AP per method', barChart({ title: 'Detection AP per method', categories: methods, series, domain, format: (v) => formatMetric(ap[0], v) })));
  }
  if (figures.length === 0) return '';
  return `<section id="charts"><h2>Charts</h2><div class="charts">${figures.join('')}</div></section>`;
}

function failuresHtml(records: PairRecord[]): string {
  const failed = records.filter((r) => r.errors.length > 0);
  if (failed.length === 0) return '';
  const rows = failed.map(
    (r) => `<tr><td class="pair-id">${h(r.pair)}</td><td class="method">${h(r.method ?? '(pair could not be loaded)')}</td><td class="error-text">${h(r.errors.join('; '))}</td></tr>`,
  );
  return (
    `<section id="failures"><h2>Failures (${failed.length})</h2><div class="table-wrap"><table class="failures">` +
    `<thead><tr><th scope="col">Pair</th><th scope="col">Method</th><th scope="col">Error</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
  );
}

export function reportHtml(results: Results): string {
  const title = reportTitle(results);
  const records = pairRecords(results);
  const { createdAt } = results.header;
  const subtitle = `${pairsStated(results)} pairs · ${results.header.methods.length} methods · ${results.header.conventions.ssimMode} SSIM${results.header.conventions.align === 'realblur' ? ' · RealBlur alignment' : ''} · created ${createdAt}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head><body><main>',
    `<header><h1>${h(title)}</h1><p class="subtitle">${h(subtitle)}</p></header>`,
    factsHtml(results),
    summaryHtml(results),
    chartsHtml(results),
    galleryHtml(results, records),
    failuresHtml(records),
    `<footer>${h(`Generated by deblurbench from a ${results.header.schema} document.`)}</footer>`,
    '</main>',
    LIGHTBOX_HTML,
    `<script>${REPORT_JS}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

export const htmlReporter: Reporter = {
  format: 'html',
  async write(results, outDir) {
    await writeFile(join(outDir, 'report.html'), reportHtml(results));
    return ['report.html'];
  },
};
