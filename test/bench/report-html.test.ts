/**
 * report.html in a real headless Chromium: it renders, every image loads, charts exist, the lightbox
 * opens and closes, data cannot inject script, and the console stays clean.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../src/commands/report.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/results');
const TRICKY = `<script>alert(1)</script>&"' 50%_#1,{x}~^\\$`;
const METHODS = ['blurred', 'wiener', 'richardson-lucy:iterations=30'];

interface PageLog {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

let browser: Browser | undefined;
let dir: string;

/** Load a report and record console errors, page errors, dialogs and every non-local request. */
async function open(reportPath: string): Promise<{ page: Page; log: PageLog }> {
  if (!browser) throw new Error('browser not started');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const log: PageLog = { errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`page: ${e.message}`));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) log.requests.push(r.url());
  });
  await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  return { page, log };
}

/**
 * Load every image now (thumbnails are lazy) and report natural widths. Browser-side code is a
 * string: the test program is type-checked without the DOM library.
 */
const LOAD_IMAGES = `(async () => {
  const images = [...document.querySelectorAll('main img')];
  for (const img of images) img.loading = 'eager';
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => { img.addEventListener('load', done); img.addEventListener('error', done); })));
  return images.map((img) => ({ src: img.getAttribute('src') || '', width: img.naturalWidth }));
})()`;

async function loadImages(page: Page): Promise<{ src: string; width: number }[]> {
  return await page.evaluate<{ src: string; width: number }[]>(LOAD_IMAGES);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required at ${CHROMIUM} for the HTML report test (install it: apt-get install chromium)`);
  }
  dir = await mkdtemp(join(tmpdir(), 'deblurbench-html-'));
  await cp(FIXTURE_DIR, dir, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const quiet = process.stdout.write;
  process.stdout.write = () => true;
  try {
    await runReport({ results: join(dir, 'results.json'), format: ['html'] });
    await runReport({ results: join(dir, 'results.json'), format: ['html'], out: join(dir, 'elsewhere', 'report') });
  } finally {
    process.stdout.write = quiet;
  }
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html in Chromium', () => {
  it('renders the title, header, one summary row per method, charts, and loads every image', async () => {
    const { page, log } = await open(join(dir, 'report.html'));
    expect(await page.title()).toBe('deblurbench report: sample');
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('#setup').innerText()).toContain('matlab3d');

    const methods = await page.locator('table.summary tbody tr td.method').allInnerTexts();
    expect(methods).toEqual(METHODS);
    expect(await page.locator('table.summary tbody tr').count()).toBe(METHODS.length);
    expect(await page.locator('table.summary thead th').allInnerTexts()).toEqual(['Method', 'PSNR ↑', 'SSIM ↑', 'AP50 ↑', 'Median ms ↓', 'n', 'Failures']);
    expect(await page.locator('table.summary td.best').count()).toBeGreaterThan(0);
    expect(await page.locator('table.summary tbody tr').first().locator('td').nth(1).innerText()).toBe('∞');

    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(4);
    expect(await page.locator('svg.chart rect.bar').count()).toBe(3 + 3 + 3);
    expect(await page.locator('svg.chart circle.point').count()).toBe(3);
    for (let i = 0; i < 4; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(200);
    }

    const images = await loadImages(page);
    expect(images).toHaveLength(7);
    for (const img of images) expect(img.width, img.src).toBeGreaterThan(0);

    // Detection overlays: one rect per box, covering the thumbnail exactly.
    expect(await page.locator('svg.boxes rect').count()).toBe(6);
    const frame = await page.locator('.shot .thumb-frame').first().boundingBox();
    const overlay = await page.locator('.shot .thumb-frame').first().locator('svg.boxes').boundingBox();
    expect(overlay).toEqual(frame);

    expect(await page.locator('#failures tbody tr').count()).toBe(1);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([]);
    await page.close();
  });

  it('clicking a thumbnail opens the full image; Esc and a click close it', async () => {
    const { page, log } = await open(join(dir, 'report.html'));
    const lightbox = page.locator('#lightbox');
    expect(await lightbox.isVisible()).toBe(false);

    const thumb = page.locator('button.thumb[data-caption="city-01 · wiener"]');
    await thumb.click();
    expect(await lightbox.isVisible()).toBe(true);
    const big = lightbox.locator('img');
    await page.waitForFunction(`(() => { const img = document.querySelector('#lightbox img'); return img !== null && img.complete && img.naturalWidth > 0; })()`);
    expect(await big.getAttribute('src')).toBe('full/city-01/wiener.png');
    expect(await page.evaluate<number>(`document.querySelector('#lightbox img').naturalWidth`)).toBe(64);
    expect(await lightbox.locator('figcaption').innerText()).toBe('city-01 · wiener');
    expect(await lightbox.locator('svg.boxes rect').count()).toBe(2);
    const shown = await lightbox.locator('.lightbox-frame').boundingBox();
    expect(shown?.width).toBeGreaterThan(600);

    await page.keyboard.press('Escape');
    expect(await lightbox.isVisible()).toBe(false);

    await thumb.click();
    expect(await lightbox.isVisible()).toBe(true);
    await lightbox.click();
    expect(await lightbox.isVisible()).toBe(false);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('data cannot inject script: the tricky pair id shows as text', async () => {
    const { page, log } = await open(join(dir, 'report.html'));
    await loadImages(page);
    await page.locator('button.thumb').first().click();
    await page.keyboard.press('Escape');
    expect(log.dialogs).toEqual([]);
    expect(await page.evaluate<number>('document.scripts.length')).toBe(1);
    expect(await page.locator('.pair-id').allInnerTexts()).toContain(TRICKY);
    expect(await page.locator('#failures td.pair-id').innerText()).toBe(TRICKY);
    expect(await page.locator('svg.boxes text').allTextContents()).toContain('<img src=x onerror=alert(2)> 0.70');
    expect(await page.evaluate<number>(`document.querySelectorAll('img').length`)).toBe(8); // 7 thumbnails + the lightbox
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('works from another output folder (asset paths rebased)', async () => {
    const report = join(dir, 'elsewhere', 'report', 'report.html');
    expect(await readFile(report, 'utf8')).toContain('src="../../thumbs/city-01/sharp.png"');
    const { page, log } = await open(report);
    const images = await loadImages(page);
    expect(images).toHaveLength(7);
    for (const img of images) expect(img.width, img.src).toBeGreaterThan(0);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
