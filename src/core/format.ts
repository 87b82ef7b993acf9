/** Number formatting shared by the CLI and reporters. */

/** JSON cannot hold ±Infinity/NaN: write them as strings ("Infinity"), keep finite numbers. */
export function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** Human display: ∞ for identical-image PSNR, fixed digits otherwise. */
export function displayNumber(value: number, digits: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Number.isNaN(value)) return 'n/a';
  return value.toFixed(digits);
}

/** Plain-text table with aligned columns (first column left, the rest right-aligned). */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
