/**
 * The per-pair gallery of the HTML report: one strip per pair with assets (sharp, blurred, each
 * method), scores under each image, detector boxes as an SVG overlay in image pixels, and the
 * lightbox the inline script fills on click.
 */
import { displayNumber } from '../../core/format.js';
import type { AssetRecord, DetectionBox, Results } from '../results.js';
import { escapeHtml as h, pathToUrl } from './escape.js';
import { formatMetric, metricLabel, metricNames, type PairRecord } from './model.js';
import { colour } from './svg-charts.js';

/** Gallery order of roles: sharp, blurred, methods in header order, then anything else. */
function roleOrder(results: Results): (role: string) => number {
  const order = new Map<string, number>([
    ['sharp', 0],
    ['blurred', 1],
  ]);
  results.header.methods.forEach((m) => {
    if (!order.has(m.spec)) order.set(m.spec, order.size);
  });
  return (role) => order.get(role) ?? order.size;
}

function positive(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** Boxes ([x, y, width, height] in image pixels) over an image of width × height pixels. */
export function boxesOverlay(boxes: DetectionBox[], width: number, height: number): string {
  const w = positive(width);
  const ht = positive(height);
  const font = Math.max(w, ht) * 0.05;
  const parts = [`<svg class="boxes" viewBox="0 0 ${w} ${ht}" preserveAspectRatio="none" aria-hidden="true">`];
  for (const box of boxes) {
    const [x, y, bw, bh] = box.bbox.map((v) => (Number.isFinite(v) ? v : 0));
    const c = colour(Math.abs(Math.trunc(box.classId)) || 0);
    const text = `${box.label} ${displayNumber(box.score, 2)}`;
    // Label above the box when there is room, else inside its top edge (hanging baseline keeps it there at any font size).
    const above = y > font * 1.1;
    const ty = above ? y - font * 0.25 : y + font * 0.1;
    parts.push(
      `<g><rect x="${x}" y="${y}" width="${Math.max(bw, 0)}" height="${Math.max(bh, 0)}" stroke="${c}" vector-effect="non-scaling-stroke"/>` +
        `<text x="${x + font * 0.15}" y="${ty}"${above ? '' : ' dominant-baseline="hanging"'} font-size="${font}" stroke-width="${font * 0.18}" fill="${c}">${h(text)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function scoreLine(results: Results, record: PairRecord | undefined): string {
  if (!record) return '';
  const shown = metricNames(results).filter((m) => /^(psnr|ssim)/i.test(m) && record.metrics.has(m));
  const scores = shown.map((m) => `${metricLabel(m)} ${formatMetric(m, record.metrics.get(m) ?? NaN)}`);
  const failed = record.errors.length > 0 ? `<span class="error" title="${h(record.errors.join('; '))}">failed</span>` : '';
  return `${h(scores.join(' · '))}${failed}`;
}

function shot(results: Results, asset: AssetRecord, record: PairRecord | undefined, boxes: DetectionBox[] | undefined): string {
  const caption = `${asset.pair} · ${asset.role}`;
  const thumb = pathToUrl(asset.thumb);
  const full = pathToUrl(asset.full || asset.thumb);
  const w = positive(asset.width);
  const ht = positive(asset.height);
  const overlay = boxes && boxes.length > 0 ? boxesOverlay(boxes, w, ht) : '';
  const boxNote = boxes ? `<span class="boxcount">${boxes.length} box${boxes.length === 1 ? '' : 'es'}</span>` : '';
  const scores = asset.role === 'sharp' ? 'reference' : scoreLine(results, record);
  return (
    `<figure class="shot">` +
    `<button type="button" class="thumb" data-full="${h(full)}" data-caption="${h(caption)}" data-w="${w}" data-h="${ht}" aria-label="${h(`Enlarge ${caption}`)}">` +
    `<span class="thumb-frame" style="aspect-ratio: ${w} / ${ht}"><img src="${h(thumb)}" alt="${h(caption)}" loading="lazy" decoding="async">${overlay}</span>` +
    `</button>` +
    `<figcaption><span class="role" title="${h(asset.role)}">${h(asset.role)}</span><span class="scores">${scores}</span>${boxNote}</figcaption>` +
    `</figure>`
  );
}

export function galleryHtml(results: Results, records: PairRecord[]): string {
  if (results.assets.length === 0) return '';
  const rank = roleOrder(results);
  const byPair = new Map<string, AssetRecord[]>();
  for (const a of results.assets) {
    const list = byPair.get(a.pair) ?? [];
    if (!list.some((b) => b.role === a.role)) list.push(a);
    byPair.set(a.pair, list);
  }
  const recordOf = new Map(records.map((rec) => [JSON.stringify([rec.pair, rec.method]), rec]));
  const boxesOf = new Map(results.detections.map((d) => [JSON.stringify([d.pair, d.role]), d.boxes]));
  const pairs = [...byPair.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const strips = pairs.map((pair) => {
    const assets = (byPair.get(pair) ?? []).sort((a, b) => rank(a.role) - rank(b.role));
    const shots = assets.map((a) => shot(results, a, recordOf.get(JSON.stringify([pair, a.role])), boxesOf.get(JSON.stringify([pair, a.role]))));
    return `<div class="pair"><h3 class="pair-id">${h(pair)}</h3><div class="strip">${shots.join('')}</div></div>`;
  });
  return (
    `<section id="gallery"><h2>Gallery</h2>` +
    `<p class="note">Click an image to enlarge it (Esc or a click closes). Boxes are detector outputs (label and score).</p>` +
    `${strips.join('')}</section>`
  );
}

export const LIGHTBOX_HTML =
  '<div id="lightbox" class="lightbox" hidden role="dialog" aria-modal="true" aria-label="Enlarged image" tabindex="-1">' +
  '<figure><div class="lightbox-frame"><img alt=""><div class="lightbox-overlay"></div></div><figcaption></figcaption></figure>' +
  '<p class="hint">Esc or click to close</p></div>';
