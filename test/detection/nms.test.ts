import { describe, expect, it } from 'vitest';
import { iou, nms, nmsIndices, scoreOrder, type ScoredBox } from '../../src/detection/nms.js';

const box = (x1: number, y1: number, x2: number, y2: number, score: number, classId = 0): ScoredBox => ({ x1, y1, x2, y2, score, classId });

describe('iou', () => {
  it('is plain continuous geometry (no +1 pixel)', () => {
    expect(iou(box(0, 0, 10, 10, 1), box(0, 0, 10, 10, 1))).toBe(1);
    expect(iou(box(0, 0, 10, 10, 1), box(5, 0, 15, 10, 1))).toBeCloseTo(50 / 150, 15);
    expect(iou(box(0, 0, 2, 2, 1), box(1, 1, 3, 3, 1))).toBeCloseTo(1 / 7, 15);
  });
  it('is 0 for touching, disjoint or empty boxes', () => {
    expect(iou(box(0, 0, 10, 10, 1), box(10, 0, 20, 10, 1))).toBe(0);
    expect(iou(box(0, 0, 10, 10, 1), box(30, 30, 40, 40, 1))).toBe(0);
    expect(iou(box(5, 5, 5, 5, 1), box(5, 5, 5, 5, 1))).toBe(0);
  });
  it('is symmetric', () => {
    const a = box(1.5, 2.25, 7, 9, 1);
    const b = box(3, 0, 8.5, 6.75, 1);
    expect(iou(a, b)).toBe(iou(b, a));
  });
});

describe('nms', () => {
  it('suppresses a same-class box above the IoU threshold and keeps one below it', () => {
    const boxes = [
      box(0, 0, 10, 10, 0.9),
      box(1, 0, 11, 10, 0.8), // IoU 90/110 = 0.818
      box(4, 0, 14, 10, 0.7), // IoU with 0: 60/140 = 0.43
    ];
    expect(nmsIndices(boxes, { iou: 0.7 })).toEqual([0, 2]);
    expect(nmsIndices(boxes, { iou: 0.85 })).toEqual([0, 1, 2]);
    expect(nmsIndices(boxes, { iou: 0.4 })).toEqual([0]);
  });

  it('suppresses only when IoU is strictly above the threshold', () => {
    const boxes = [box(0, 0, 10, 10, 0.9), box(5, 0, 15, 10, 0.8)]; // IoU exactly 1/3
    const third = iou(boxes[0], boxes[1]);
    expect(nmsIndices(boxes, { iou: third })).toEqual([0, 1]);
    expect(nmsIndices(boxes, { iou: third - 1e-12 })).toEqual([0]);
  });

  it('is class-aware by default and class-agnostic on request', () => {
    const boxes = [box(0, 0, 10, 10, 0.9, 0), box(0, 0, 10, 10, 0.8, 2), box(0, 0, 10, 10, 0.7, 0)];
    expect(nmsIndices(boxes, { iou: 0.5 })).toEqual([0, 1]);
    expect(nmsIndices(boxes, { iou: 0.5, classAware: false })).toEqual([0]);
  });

  it('visits boxes by score, not input order', () => {
    const boxes = [box(1, 0, 11, 10, 0.3), box(0, 0, 10, 10, 0.9), box(50, 50, 60, 60, 0.5)];
    expect(nmsIndices(boxes, { iou: 0.5 })).toEqual([1, 2]);
    expect(nms(boxes, { iou: 0.5 })).toEqual([boxes[1], boxes[2]]);
  });

  it('keeps the earlier index on ties', () => {
    const boxes = [box(50, 50, 60, 60, 0.5), box(1, 0, 11, 10, 0.7), box(0, 0, 10, 10, 0.7)];
    expect(nmsIndices(boxes, { iou: 0.5 })).toEqual([1, 0]);
    const swapped = [boxes[0], boxes[2], boxes[1]];
    expect(nms(swapped, { iou: 0.5 })).toEqual([boxes[2], boxes[0]]);
    expect(scoreOrder([{ score: 1 }, { score: 2 }, { score: 1 }, { score: 2 }])).toEqual([1, 3, 0, 2]);
  });

  it('a suppressed box suppresses nothing', () => {
    // 1 is suppressed by 0; 2 overlaps 1 a lot but 0 only a little, so 2 survives
    const boxes = [box(0, 0, 10, 10, 0.9), box(2, 0, 12, 10, 0.8), box(5, 0, 15, 10, 0.7)];
    expect(iou(boxes[1], boxes[2])).toBeGreaterThan(0.5);
    expect(iou(boxes[0], boxes[2])).toBeLessThan(0.5);
    expect(nmsIndices(boxes, { iou: 0.5 })).toEqual([0, 2]);
  });

  it('stops at maxDet, best first, with the same prefix as unlimited NMS', () => {
    const boxes: ScoredBox[] = [];
    for (let i = 0; i < 20; i++) boxes.push(box(i * 3, 0, i * 3 + 10, 10, ((i * 7) % 20) / 20, i % 3));
    const all = nmsIndices(boxes, { iou: 0.3 });
    for (const k of [0, 1, 3, 5]) expect(nmsIndices(boxes, { iou: 0.3, maxDet: k })).toEqual(all.slice(0, k));
    for (let i = 1; i < all.length; i++) expect(boxes[all[i - 1]].score).toBeGreaterThanOrEqual(boxes[all[i]].score);
  });

  it('ignores NaN scores and handles an empty list', () => {
    expect(nmsIndices([], { iou: 0.5 })).toEqual([]);
    expect(nmsIndices([box(0, 0, 1, 1, Number.NaN), box(0, 0, 1, 1, 0.1)], { iou: 0.5 })).toEqual([1]);
  });
});
