/**
 * Greedy non-maximum suppression.
 *
 * - Boxes are visited by decreasing score; equal scores keep their input order (the earlier index
 *   wins), so the result is deterministic.
 * - A box is dropped when its IoU with an already kept box (of the same class, when class-aware)
 *   is strictly greater than the threshold (the torchvision / Ultralytics rule).
 * - IoU is plain continuous geometry: no +1 pixel convention; an empty union gives IoU 0.
 * - At most `maxDet` boxes are returned, best first. Greedy NMS is prefix-stable, so stopping
 *   at maxDet gives the same boxes as suppressing everything and truncating.
 * - Boxes with a NaN score are ignored.
 */
import type { Corners } from './letterbox.js';

export interface ScoredBox extends Corners {
  score: number;
  classId: number;
}

export interface NmsOptions {
  /** IoU above which the lower-scored box is suppressed. */
  iou: number;
  /** Maximum number of boxes kept (default: all). */
  maxDet?: number;
  /** Suppress only within a class (default true); false = class-agnostic. */
  classAware?: boolean;
}

/** Intersection over union of two corner boxes (0 when they do not overlap or both are empty). */
export function iou(a: Corners, b: Corners): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const areaA = Math.max(0, a.x2 - a.x1) * Math.max(0, a.y2 - a.y1);
  const areaB = Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
  const union = areaA + areaB - inter;
  return union > 0 ? inter / union : 0;
}

/** Indices of `boxes` in score order (descending, stable). */
export function scoreOrder(boxes: readonly { score: number }[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < boxes.length; i++) if (!Number.isNaN(boxes[i].score)) order.push(i);
  // Array.prototype.sort is stable, so ties keep the input order
  return order.sort((i, j) => boxes[j].score - boxes[i].score);
}

/** Indices of the kept boxes, best first. */
export function nmsIndices(boxes: readonly ScoredBox[], options: NmsOptions): number[] {
  const maxDet = options.maxDet ?? Infinity;
  const classAware = options.classAware ?? true;
  const threshold = options.iou;
  const kept: number[] = [];
  if (maxDet <= 0) return kept;
  const keptByClass = new Map<number, number[]>();
  for (const i of scoreOrder(boxes)) {
    const key = classAware ? boxes[i].classId : 0;
    let group = keptByClass.get(key);
    if (!group) {
      group = [];
      keptByClass.set(key, group);
    }
    let suppressed = false;
    for (const j of group) {
      if (iou(boxes[i], boxes[j]) > threshold) {
        suppressed = true;
        break;
      }
    }
    if (suppressed) continue;
    group.push(i);
    kept.push(i);
    if (kept.length >= maxDet) break;
  }
  return kept;
}

/** The kept boxes themselves, best first. */
export function nms<T extends ScoredBox>(boxes: readonly T[], options: NmsOptions): T[] {
  return nmsIndices(boxes, options).map((i) => boxes[i]);
}
