/** Inline SVG charts for the HTML report: horizontal (grouped) bars and a log-x scatter. Text is HTML-escaped here. */
import { escapeHtml as h } from './escape.js';

export const PALETTE = ['#4c72b0', '#dd8452', '#55a868', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#8c8c8c', '#ccb974', '#64b5cd'];

export function colour(index: number): string {
  return PALETTE[index % PALETTE.length];
}

const CHAR_W = 6.6;
const WIDTH = 560;

/** Round coordinates so the markup stays short and stable. */
function r(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** About `count` round tick values covering [lo, hi], from a multiple of the step below lo to one above hi. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const start = Math.floor(lo / step + 1e-9);
  const end = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = start; i <= end; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Tick text with as many decimals as the step needs. */
function tickLabel(value: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  let digits = 0;
  while (digits < 6 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6) digits++;
  return value.toFixed(digits);
}

export interface BarSeries {
  name: string;
  /** One value per category; NaN = missing, ±Infinity drawn to the plot edge. */
  values: number[];
}

export interface BarChartSpec {
  title: string;
  categories: string[];
  series: BarSeries[];
  format(value: number): string;
  /** Fixed axis range; default [min(0, data), data max]. */
  domain?: [number, number];
}

/** Horizontal bars, one group per category; one colour per category (one series) or per series (a legend). */
export function barChart(spec: BarChartSpec): string {
  const { categories, series } = spec;
  const grouped = series.length > 1;
  const finite = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = spec.domain?.[0] ?? Math.min(0, ...finite);
  const hi = spec.domain?.[1] ?? (finite.length ? Math.max(...finite) : 1);
  const ticks = spec.domain ? niceTicks(lo, hi, 5).filter((t) => t >= lo - 1e-12 && t <= hi + 1e-12) : niceTicks(lo, hi, 5);
  const d0 = spec.domain ? lo : ticks[0];
  const d1 = spec.domain ? hi : ticks[ticks.length - 1];

  const labelChars = Math.min(32, Math.max(6, ...categories.map((c) => c.length)));
  const x0 = Math.round(labelChars * CHAR_W + 14);
  const x1 = WIDTH - 58;
  const barH = grouped ? 13 : 18;
  const groupH = series.length * (barH + 2) - 2;
  const gap = 12;
  const top = grouped ? 30 : 10;
  const plotH = categories.length * (groupH + gap) - gap;
  const height = top + plotH + 30;
  // Infinite values get a bar past the axis end (the gap keeps them from reading as the axis maximum).
  const xEnd = series.some((s) => s.values.includes(Infinity)) ? x1 - 26 : x1;
  const sx = (v: number): number => (v === Infinity ? x1 : v === -Infinity ? x0 : x0 + ((v - d0) / (d1 - d0 || 1)) * (xEnd - x0));
  const zero = sx(Math.min(Math.max(0, d0), d1));

  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${h(spec.title)}">`);
  parts.push(`<title>${h(spec.title)}</title>`);
  if (grouped) {
    let lx = x0;
    series.forEach((s, k) => {
      parts.push(`<rect x="${r(lx)}" y="8" width="12" height="12" fill="${colour(k)}"/>`);
      parts.push(`<text x="${r(lx + 16)}" y="18" class="legend">${h(s.name)}</text>`);
      lx += 16 + s.name.length * CHAR_W + 18;
    });
  }
  for (const t of ticks) {
    const x = sx(t);
    parts.push(`<line x1="${r(x)}" x2="${r(x)}" y1="${top - 4}" y2="${top + plotH + 4}" class="grid"/>`);
    parts.push(`<text x="${r(x)}" y="${top + plotH + 18}" class="tick" text-anchor="middle">${h(tickLabel(t, ticks))}</text>`);
  }
  categories.forEach((category, i) => {
    const gy = top + i * (groupH + gap);
    const label = truncate(category, labelChars);
    parts.push(`<text x="${x0 - 8}" y="${r(gy + groupH / 2 + 4)}" class="label" text-anchor="end"><title>${h(category)}</title>${h(label)}</text>`);
    series.forEach((s, k) => {
      const v = s.values[i];
      const y = gy + k * (barH + 2);
      const fill = grouped ? colour(k) : colour(i);
      const name = grouped ? `${category} · ${s.name}` : category;
      if (Number.isNaN(v) || v === undefined) {
        parts.push(`<text x="${r(zero + 4)}" y="${r(y + barH / 2 + 4)}" class="value missing">n/a</text>`);
        return;
      }
      const end = sx(v);
      const bx = Math.min(zero, end);
      const bw = Math.max(Math.abs(end - zero), 1);
      parts.push(`<rect class="bar" x="${r(bx)}" y="${r(y)}" width="${r(bw)}" height="${barH}" fill="${fill}"><title>${h(`${name}: ${spec.format(v)}`)}</title></rect>`);
      if (v === Infinity) parts.push(`<path d="M${r(xEnd + 6)} ${r(y - 1)}l6 ${barH + 2}m4 ${-(barH + 2)}l6 ${barH + 2}" class="break"/>`);
      parts.push(`<text x="${r(Math.max(zero, end) + 4)}" y="${r(y + barH / 2 + 4)}" class="value">${h(spec.format(v))}</text>`);
    });
  });
  parts.push(`<line x1="${r(zero)}" x2="${r(zero)}" y1="${top - 4}" y2="${top + plotH + 4}" class="axis"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface ScatterPoint {
  label: string;
  x: number;
  /** +Infinity is drawn on the top edge and marked ∞. */
  y: number;
  colour: string;
}

export interface ScatterSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  points: ScatterPoint[];
  formatY(value: number): string;
}

function logTicks(lo: number, hi: number): number[] {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.max(Math.ceil(Math.log10(hi)), e0 + 1);
  const steps = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = e0; e <= e1; e++) for (const m of steps) ticks.push(Number((m * 10 ** e).toPrecision(3)));
  return ticks.filter((t) => t >= 10 ** e0 && t <= 10 ** e1);
}

/** Scatter with a log x axis (runtimes span decades) and a linear y axis. Points with x ≤ 0 are clamped to 0.001. */
export function scatterChart(spec: ScatterSpec): string {
  const height = 320;
  const left = 58;
  const right = WIDTH - 26;
  const top = 14;
  const bottom = height - 44;
  const pts = spec.points.map((p) => ({ ...p, x: Math.max(p.x, 0.001) }));
  const xs = pts.map((p) => p.x);
  const xt = logTicks(Math.min(...xs, 1), Math.max(...xs, 10));
  const lx0 = Math.log10(xt[0]);
  const lx1 = Math.log10(xt[xt.length - 1]);
  const ys = pts.map((p) => p.y).filter(Number.isFinite);
  const yMin = ys.length ? Math.min(...ys) : 0;
  const yMax = ys.length ? Math.max(...ys) : 1;
  const pad = (yMax - yMin || Math.abs(yMax) || 1) * 0.1;
  const yt = niceTicks(yMin - pad, yMax + pad, 5);
  const y0 = yt[0];
  const y1 = yt[yt.length - 1];
  const sx = (v: number): number => left + ((Math.log10(v) - lx0) / (lx1 - lx0)) * (right - left);
  // An infinite y (identical images) sits in a band above the plot, labelled ∞.
  const band = pts.some((p) => p.y === Infinity) ? 26 : 0;
  const plotTop = top + band;
  const sy = (v: number): number => (v === Infinity ? top + band / 2 - 2 : v === -Infinity ? bottom : bottom - ((v - y0) / (y1 - y0)) * (bottom - plotTop));

  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${h(spec.title)}">`);
  parts.push(`<title>${h(spec.title)}</title>`);
  for (const t of xt) {
    const x = sx(t);
    const major = Number.isInteger(Math.log10(t));
    parts.push(`<line x1="${r(x)}" x2="${r(x)}" y1="${plotTop}" y2="${bottom}" class="${major ? 'grid' : 'grid minor'}"/>`);
    parts.push(`<text x="${r(x)}" y="${bottom + 16}" class="tick" text-anchor="middle">${h(String(t))}</text>`);
  }
  for (const t of yt) {
    const y = sy(t);
    parts.push(`<line x1="${left}" x2="${right}" y1="${r(y)}" y2="${r(y)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${r(y + 4)}" class="tick" text-anchor="end">${h(tickLabel(t, yt))}</text>`);
  }
  parts.push(`<rect x="${left}" y="${plotTop}" width="${right - left}" height="${bottom - plotTop}" class="plot-area"/>`);
  if (band > 0) {
    parts.push(`<line x1="${left}" x2="${right}" y1="${r(sy(Infinity))}" y2="${r(sy(Infinity))}" class="grid minor"/>`);
    parts.push(`<text x="${left - 6}" y="${r(sy(Infinity) + 4)}" class="tick" text-anchor="end">∞</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${height - 8}" class="axis-label" text-anchor="middle">${h(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(top + bottom) / 2}) rotate(-90)" class="axis-label" text-anchor="middle">${h(spec.yLabel)}</text>`);
  for (const p of pts) {
    const cx = sx(p.x);
    const cy = sy(p.y);
    const yText = p.y === Infinity ? '∞' : spec.formatY(p.y);
    const label = truncate(p.label, 30) + (p.y === Infinity ? ' (∞)' : '');
    const anchorEnd = cx > right - 170;
    parts.push(
      `<circle class="point" cx="${r(cx)}" cy="${r(cy)}" r="5" fill="${p.colour}"><title>${h(`${p.label}: ${yText} at ${p.x} ms`)}</title></circle>`,
    );
    parts.push(
      `<text x="${r(anchorEnd ? cx - 8 : cx + 8)}" y="${r(cy + 4)}" class="label" text-anchor="${anchorEnd ? 'end' : 'start'}">${h(label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
