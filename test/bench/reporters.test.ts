import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFormats, rebaseAssets, runReport } from '../../src/commands/report.js';
import { UserError } from '../../src/core/errors.js';
import { summarize, type Results } from '../../src/bench/results.js';
import { pairsCsv, summaryCsv } from '../../src/bench/reporters/csv.js';
import { escapeHtml, escapeLatex, escapeMarkdown, pathToUrl } from '../../src/bench/reporters/escape.js';
import { reportHtml } from '../../src/bench/reporters/html.js';
import { readResults, reporters, writeReports } from '../../src/bench/reporters/index.js';
import { summaryLatex } from '../../src/bench/reporters/latex.js';
import { summaryMarkdown } from '../../src/bench/reporters/markdown.js';
import { niceTicks } from '../../src/bench/reporters/svg-charts.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/results');
const FIXTURE = join(FIXTURE_DIR, 'results.json');
const TRICKY = `<script>alert(1)</script>&"' 50%_#1,{x}~^\\$`;
const RL = 'richardson-lucy:iterations=30';

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [head, ...body] = parseCsv(text);
  for (const r of body) expect(r).toHaveLength(head.length);
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

/** The same document with one method spec renamed everywhere. */
function renameMethod(results: Results, from: string, to: string): Results {
  const swap = (m: string | null): string | null => (m === from ? to : m);
  return {
    ...results,
    header: { ...results.header, methods: results.header.methods.map((m) => (m.spec === from ? { ...m, spec: to } : m)) },
    summary: results.summary.map((s) => (s.method === from ? { ...s, method: to } : s)),
    rows: results.rows.map((r) => (r.kind === 'failure' ? { ...r, method: swap(r.method) } : { ...r, method: swap(r.method) ?? r.method })),
  };
}

/** Structural LaTeX checks: balanced braces, one of each booktabs rule, every row as wide as the column spec. */
function checkTabular(tex: string): { columns: number; rows: string[][] } {
  const body = tex
    .split('\n')
    .filter((l) => !l.startsWith('%'))
    .join('\n');
  expect(body).not.toMatch(/(^|[^\\])%/); // no stray comment characters in the table itself
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      i++; // skip the escaped character (\{, \}, \\, \&)
      continue;
    }
    if (body[i] === '{') depth++;
    if (body[i] === '}') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  for (const rule of ['\\toprule', '\\midrule', '\\bottomrule', '\\begin{tabular}', '\\end{tabular}']) {
    expect(body.split(rule).length - 1, rule).toBe(1);
  }
  const spec = /\\begin\{tabular\}\{([lrc]+)\}/.exec(body);
  expect(spec).not.toBeNull();
  const columns = spec?.[1].length ?? 0;
  const inner = body.slice(body.indexOf('\\toprule') + '\\toprule'.length, body.indexOf('\\bottomrule'));
  const rows = inner
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '\\midrule')
    .map((l) => {
      expect(l.endsWith('\\\\')).toBe(true);
      return l.slice(0, -2).split(/(?<!\\)&/).map((c) => c.trim());
    });
  for (const r of rows) expect(r).toHaveLength(columns);
  return { columns, rows };
}

let results: Results;
let tmp: string;

beforeAll(async () => {
  results = await readResults(FIXTURE);
  tmp = await mkdtemp(join(tmpdir(), 'deblurbench-reporters-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readResults', () => {
  it('decodes "Infinity" back to numbers in rows and summary', () => {
    const row = results.rows.find((r) => r.kind === 'metric' && r.pair === 'still-02' && r.method === 'blurred' && r.metric === 'psnr');
    expect(row?.kind === 'metric' && row.value).toBe(Infinity);
    expect(results.summary[0].means.psnr).toBe(Infinity);
    expect(results.assets.length).toBeGreaterThan(0);
    expect(results.detections.length).toBeGreaterThan(0);
  });

  it('the fixture summary is exactly what summarize() gives', () => {
    expect(results.summary).toEqual(summarize(results.header, results.rows));
  });

  it('rejects files that are not results documents with a one-line UserError', async () => {
    const other = join(tmp, 'package.json');
    await writeFile(other, JSON.stringify({ name: 'x', version: '1.0.0' }));
    await expect(readResults(other)).rejects.toThrow(UserError);
    await expect(readResults(other)).rejects.toThrow(/package\.json is not a deblurbench results file \(schema missing/);

    const newer = join(tmp, 'newer.json');
    await writeFile(newer, JSON.stringify({ header: { schema: 'deblurbench/results@9' }, rows: [] }));
    await expect(readResults(newer)).rejects.toThrow(/not a deblurbench results file \(schema "deblurbench\/results@9"/);

    const broken = join(tmp, 'broken.json');
    await writeFile(broken, '{"header": ');
    await expect(readResults(broken)).rejects.toThrow(UserError);
    await expect(readResults(join(tmp, 'missing.json'))).rejects.toThrow(/cannot read results file/);
  });

  it('rejects a results file with a row lacking fields, naming the file and the row', async () => {
    const doc = JSON.parse(await readFile(FIXTURE, 'utf8')) as { rows: Record<string, unknown>[]; summary: Record<string, unknown>[] };
    const cases: [string, (d: typeof doc) => void, RegExp][] = [
      ['no-value', (d) => delete d.rows[1].value, /no-value\.json is a damaged deblurbench results file \(row 2: metric row without a numeric value\)/],
      ['no-pair', (d) => delete d.rows[0].pair, /row 1: row without a pair id/],
      ['no-kind', (d) => (d.rows[2] = { pair: 'x' }), /row 3: unknown row kind/],
      ['bad-timing', (d) => (d.rows[d.rows.findIndex((r) => r.kind === 'timing')].restoreMs = 'fast'), /timing row without a numeric restoreMs/],
      ['bad-summary', (d) => (d.summary[0] = { means: {} }), /summary entry 1 without a method/],
    ];
    for (const [name, damage, message] of cases) {
      const d = structuredClone(doc);
      damage(d);
      const file = join(tmp, `${name}.json`);
      await writeFile(file, JSON.stringify(d));
      const err = await readResults(file).then(() => null, (e: unknown) => e);
      expect(err, name).toBeInstanceOf(UserError);
      expect((err as Error).message, name).toMatch(message);
    }
    // from the CLI: one line, exit 2, for report and check alike
    for (const args of [['report', join(tmp, 'no-value.json'), '--format', 'csv', '--out', join(tmp, 'never')], ['check', FIXTURE, join(tmp, 'no-pair.json')]]) {
      const r = runCli(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trim().split('\n'), args[0]).toHaveLength(1);
      expect(r.stderr, args[0]).toMatch(/damaged deblurbench results file/);
    }
  });
});

describe('json reporter', () => {
  it('round-trips the full document, ±Infinity as strings', async () => {
    const dir = join(tmp, 'json');
    expect(await writeReports(results, dir, ['json'])).toEqual(['results.json']);
    const text = await readFile(join(dir, 'results.json'), 'utf8');
    expect(text).toContain('"value": "Infinity"');
    expect(text).toContain('"psnr": "Infinity"');
    expect(text).not.toMatch(/:\s*null,\s*\n\s*"(medianMs|value)"/);
    expect(await readResults(join(dir, 'results.json'))).toEqual(results);
  });
});

describe('csv reporter', () => {
  it('pairs.csv: one row per pair × method, full precision, failures with their error', () => {
    const rows = records(pairsCsv(results));
    expect(Object.keys(rows[0])).toEqual(['pair', 'method', 'psnr', 'ssim', 'ap50', 'restore_ms', 'error']);
    expect(rows).toHaveLength(9);
    const get = (pair: string, method: string) => rows.find((r) => r.pair === pair && r.method === method);
    expect(get('city-01', 'blurred')).toMatchObject({ psnr: '24.8123456789', ssim: '0.712345678', restore_ms: '0.02', error: '' });
    expect(get('still-02', 'blurred')?.psnr).toBe('Infinity');
    expect(Number(get('still-02', 'blurred')?.psnr)).toBe(Infinity);
    const failed = get(TRICKY, RL);
    expect(failed).toMatchObject({ psnr: '', ssim: '', restore_ms: '' });
    expect(failed?.error).toBe('kernel too large for image (31×31 > 24×32) & <odd> "input"');
  });

  it('the tricky pair id survives quoting', () => {
    const text = pairsCsv(results);
    expect(text).toContain(`"<script>alert(1)</script>&""' 50%_#1,{x}~^\\$"`);
    expect(records(text).filter((r) => r.pair === TRICKY)).toHaveLength(3);
  });

  it('summary.csv: one row per method with means, n, timing and failures', () => {
    const rows = records(summaryCsv(results));
    expect(Object.keys(rows[0])).toEqual(['method', 'psnr', 'ssim', 'ap50', 'n', 'median_ms', 'p90_ms', 'images_per_s', 'failures']);
    expect(rows.map((r) => r.method)).toEqual(['blurred', 'wiener', RL]);
    for (const [i, s] of results.summary.entries()) {
      expect(Number(rows[i].psnr)).toBe(s.means.psnr);
      expect(Number(rows[i].ssim)).toBe(s.means.ssim);
      expect(Number(rows[i].median_ms)).toBe(s.timing?.medianMs);
      expect(Number(rows[i].images_per_s)).toBe(s.timing?.imagesPerSecond);
    }
    expect(rows[2]).toMatchObject({ n: '2', failures: '1' });
    expect(rows[0].psnr).toBe('Infinity');
  });

  it('a pair that could not be loaded is one row with an empty method', () => {
    const withPairFailure: Results = { ...results, rows: [...results.rows, { kind: 'failure', pair: 'zz-broken', method: null, error: 'unreadable image' }] };
    const row = records(pairsCsv(withPairFailure)).find((r) => r.pair === 'zz-broken');
    expect(row).toMatchObject({ method: '', error: 'unreadable image' });
  });
});

describe('markdown reporter', () => {
  const md = (): string => summaryMarkdown(results);

  it('has the header block', () => {
    const text = md();
    expect(text).toMatch(/^# deblurbench report: sample/);
    for (const s of [
      'Name: sample',
      'Pairs: 3',
      '3f7a9c2e5b1d4f6a8c0e2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a',
      'SSIM mode: matlab3d',
      'Colour: y',
      'Crop: 0 px',
      'Quantisation: uint8',
      'Subset: none',
      'Detector: centernet',
      'Ground truth: pseudo-gt:sharp',
      'Git commit: 0123456789abcdef0123456789abcdef01234567',
      'deblurbench 0.1.0',
      'richardson-lucy:iterations=30: js, 2 threads',
      'Example CPU',
      'note=a\\_b \\& 50% {x}',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('states the shard as given and the pairs run out of the suite size', () => {
    const sharded: Results = { ...results, header: { ...results.header, shard: { index: 1, count: 2 }, suite: { ...results.header.suite, pairCount: 12 } } };
    const text = summaryMarkdown(sharded);
    expect(text).toContain('- Shard: 1 of 2');
    expect(text).toContain('- Pairs: 3 of 12');
    expect(reportHtml(sharded)).toContain('<p class="subtitle">3 of 12 pairs ·');
    expect(md()).toContain('- Pairs: 3\n');
    expect(reportHtml(results)).toContain('<p class="subtitle">3 pairs ·');
  });

  it('has the summary table with directions, rounding and the best per column in bold', () => {
    const lines = md()
      .split('\n')
      .filter((l) => l.startsWith('| '));
    expect(lines[0]).toBe('| Method | PSNR ↑ | SSIM ↑ | AP50 ↑ | Median ms ↓ | n | Failures |');
    expect(lines).toHaveLength(2 + 3);
    const cells = lines.map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
    for (const c of cells) expect(c).toHaveLength(7);
    expect(cells[2]).toEqual(['blurred', '**∞**', '0.7878', '0.5033', '**0.0**', '3', '0']);
    expect(cells[3]).toEqual(['wiener', '33.83', '0.8605', '0.6000', '3.1', '3', '0']);
    expect(cells[4]).toEqual([RL, '39.92', '**0.9170**', '**0.7000**', '120', '2', '1']);
  });

  it('escapes data in the failures list', () => {
    const text = md();
    expect(text).toContain('## Failures');
    expect(text).toContain('\\<script\\>alert(1)\\</script\\>\\&');
    expect(text).not.toContain('<script>');
  });
});

describe('latex reporter', () => {
  it('is a well-formed booktabs tabular with directions and the best in bold', () => {
    const tex = summaryLatex(results);
    const { columns, rows } = checkTabular(tex);
    expect(columns).toBe(5);
    expect(rows[0]).toEqual(['Method', 'PSNR $\\uparrow$', 'SSIM $\\uparrow$', 'AP50 $\\uparrow$', 'Median ms $\\downarrow$']);
    expect(rows[1]).toEqual(['blurred', '\\textbf{$\\infty$}', '0.7878', '0.5033', '\\textbf{0.0}']);
    expect(rows[3]).toEqual([RL, '39.92', '\\textbf{0.9170}', '\\textbf{0.7000}', '120']);
    const comments = tex.split('\n').filter((l) => l.startsWith('%'));
    expect(comments.join('\n')).toContain('SSIM mode: matlab3d');
    expect(comments.join('\n')).toContain('File list (sha256): 3f7a9c2e');
  });

  it('escapes every special character in data', () => {
    const tex = summaryLatex(renameMethod(results, RL, TRICKY));
    const { rows } = checkTabular(tex);
    expect(rows[3][0]).toBe('\\textless{}script\\textgreater{}alert(1)\\textless{}/script\\textgreater{}\\&"\' 50\\%\\_\\#1,\\{x\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}\\$');
  });

  const pdflatex = spawnSync('pdflatex', ['--version']).status === 0;
  it.runIf(pdflatex)('compiles inside a minimal document', async () => {
    const dir = join(tmp, 'latex');
    await writeReports(renameMethod(results, RL, TRICKY), dir, ['tex']);
    await writeFile(join(dir, 'doc.tex'), '\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{summary.tex}\n\\end{document}\n');
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'doc.tex'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stdout).toBe(0);
  });
});

describe('html reporter (markup)', () => {
  it('escapes data and loads nothing from the network', () => {
    const html = reportHtml(results);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39; 50%_#1,{x}~^\\$');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('src="thumbs/odd%20%231%20%26%20co/sharp.png"');
  });
});

describe('escaping helpers', () => {
  it('escape each language', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeLatex('a_b & 50% #1 {x} ~ ^ \\ $ ∞\nnext')).toBe(
      'a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$ $\\infty$ next',
    );
    expect(escapeMarkdown('a|b *c* <d> `e`')).toBe('a\\|b \\*c\\* \\<d\\> \\`e\\`');
    expect(pathToUrl('thumbs\\odd #1 & co/a?b%.png')).toBe('thumbs/odd%20%231%20%26%20co/a%3Fb%25.png');
    expect(pathToUrl('../x/y.png')).toBe('../x/y.png');
  });

  it('chart ticks are round and cover the range', () => {
    expect(niceTicks(0, 39.92)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(31.2, 41.7)).toEqual([30, 35, 40, 45]);
    expect(niceTicks(0.01, 0.034)).toEqual([0.01, 0.015, 0.02, 0.025, 0.03, 0.035]);
  });
});

describe('writeReports and runReport', () => {
  it('writes every format; unknown formats fail with a suggestion before writing', async () => {
    const dir = join(tmp, 'all');
    const written = await writeReports(results, dir, reporters.names());
    expect(written).toEqual(['results.json', 'pairs.csv', 'summary.csv', 'summary.md', 'summary.tex', 'report.html']);
    for (const f of written) expect(existsSync(join(dir, f))).toBe(true);
    const never = join(tmp, 'never');
    await expect(writeReports(results, never, ['csv', 'htm'])).rejects.toThrow(/unknown report format "htm" — did you mean "html"/);
    expect(existsSync(never)).toBe(false);
  });

  it('parses comma lists; empty means every format', () => {
    expect(parseFormats(['csv,html', 'md', 'csv'])).toEqual(['csv', 'html', 'md']);
    expect(parseFormats([])).toEqual(['json', 'csv', 'md', 'tex', 'html']);
  });

  it('writes next to the results by default and never overwrites its input', async () => {
    const dir = join(tmp, 'beside');
    await writeReports(results, dir, ['json']);
    const before = await readFile(join(dir, 'results.json'), 'utf8');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runReport({ results: join(dir, 'results.json'), format: [] })).toBe(0);
    const printed = out.mock.calls.map((c) => String(c[0])).join('');
    expect(printed.trim().split('\n')).toEqual(['pairs.csv', 'summary.csv', 'summary.md', 'summary.tex', 'report.html'].map((f) => join(dir, f)));
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/is the input; not rewritten/);
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['pairs.csv', 'report.html', 'results.json', 'summary.csv', 'summary.md', 'summary.tex']);
  });

  it('makes asset paths relative to another output folder', async () => {
    const src = join(tmp, 'run');
    await writeReports(results, src, ['json']);
    const out = join(src, 'report');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runReport({ results: join(src, 'results.json'), format: ['json'], out });
    const rebased = await readResults(join(out, 'results.json'));
    expect(rebased.assets[0].thumb).toBe(`../${results.assets[0].thumb}`);
    expect(rebaseAssets(results, src, src)).toBe(results);
  });

  it('unknown formats are a UserError', async () => {
    await expect(runReport({ results: FIXTURE, format: ['pdf'] })).rejects.toThrow(UserError);
  });

  it('the fixture thumbnails exist', () => {
    for (const a of results.assets) {
      expect(existsSync(join(FIXTURE_DIR, a.thumb)), a.thumb).toBe(true);
      expect(existsSync(join(FIXTURE_DIR, a.full)), a.full).toBe(true);
    }
  });
});
