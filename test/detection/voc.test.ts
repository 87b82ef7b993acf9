import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { CocoDetection, CocoGroundTruth } from '../../src/detection/coco-json.js';
import {
  type VocBox,
  type VocObject,
  type VocScoredBox,
  cocoBoxToVoc,
  precisionRecallAt,
  vocAveragePrecision,
  vocEvaluate,
  vocEvaluateClass,
  vocIou,
} from '../../src/detection/voc.js';

describe('VOC IoU (+1 pixel convention)', () => {
  it('counts inclusive pixels', () => {
    expect(vocIou([0, 0, 9, 9], [0, 0, 9, 9])).toBe(1);
    // 10×5 inside 10×10: 50 / 100
    expect(vocIou([0, 0, 9, 4], [0, 0, 9, 9])).toBe(0.5);
    // touching edges share a pixel column: 1×10 / (100 + 100 − 10)
    expect(vocIou([0, 0, 9, 9], [9, 0, 18, 9])).toBeCloseTo(10 / 190, 15);
    expect(vocIou([0, 0, 9, 9], [11, 0, 20, 9])).toBe(0);
    expect(cocoBoxToVoc([5, 6, 10, 20])).toEqual([5, 6, 15, 26]);
  });
});

/*
 * Hand-checked example, one class, two images.
 *   image A: g1 [0,0,9,9], g2 [20,0,29,9], g3 [40,0,49,9] difficult
 *   image B: g4 [0,0,9,9]                                          → npos = 3 (g3 is difficult)
 * Detections by score:
 *   d1 0.9 A [0,0,9,9]    IoU 1 with g1                    → TP
 *   d2 0.8 A [40,0,49,9]  best box g3 is difficult         → neither (skipped)
 *   d3 0.7 B [50,50,59,59] no overlap                       → FP
 *   d4 0.6 A [20,0,29,9]  IoU 1 with g2                    → TP
 *   d5 0.5 A [0,0,9,9]    best box g1 already taken        → FP
 *   d6 0.4 B [0,0,9,4]    IoU exactly 0.5 with g4: not > 0.5 → FP  (≥ 0.5 would make it TP)
 * Strict (> 0.5): TP FP TP FP FP
 *   recall    1/3  1/3  2/3  2/3  2/3
 *   precision 1    1/2  2/3  1/2  2/5
 *   all-point: envelope 1, 2/3, 2/3, 1/2, 2/5 → 1/3·1 + 1/3·2/3 = 5/9
 *   11-point:  r = 0, .1, .2, .3 → 1;  r = .4, .5, .6 → 2/3;  r = .7 … 1 → 0   → (4 + 2) / 11 = 6/11
 * Inclusive (≥ 0.5): TP FP TP FP TP
 *   recall    1/3  1/3  2/3  2/3  1;   precision 1  1/2  2/3  1/2  3/5
 *   all-point: 1/3·1 + 1/3·2/3 + 1/3·3/5 = 34/45
 *   11-point:  4·1 + 3·2/3 + 4·3/5 = 8.4 → 8.4/11
 */
const gtBoxes: VocObject[] = [
  { imageId: 'A', box: [0, 0, 9, 9] },
  { imageId: 'A', box: [20, 0, 29, 9] },
  { imageId: 'A', box: [40, 0, 49, 9], difficult: true },
  { imageId: 'B', box: [0, 0, 9, 9] },
];
const dets: VocScoredBox[] = [
  { imageId: 'B', box: [0, 0, 9, 4], score: 0.4 },
  { imageId: 'A', box: [0, 0, 9, 9], score: 0.9 },
  { imageId: 'A', box: [20, 0, 29, 9], score: 0.6 },
  { imageId: 'A', box: [40, 0, 49, 9], score: 0.8 },
  { imageId: 'B', box: [50, 50, 59, 59], score: 0.7 },
  { imageId: 'A', box: [0, 0, 9, 9], score: 0.5 },
];

describe('VOC AP, hand-checked', () => {
  it('TP/FP sequence, difficult handling and both APs (strict IoU > 0.5)', () => {
    const all = vocEvaluateClass(gtBoxes, dets, { method: 'voc10-all-point' });
    expect(all.npos).toBe(3);
    expect(all.ranked.map((r) => r.outcome)).toEqual(['TP', 'difficult', 'FP', 'TP', 'FP', 'FP']);
    expect(all.ranked.map((r) => r.index)).toEqual([1, 3, 4, 2, 5, 0]);
    expect(all.recall).toEqual([1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3]);
    expect(all.precision).toEqual([1, 1 / 2, 2 / 3, 1 / 2, 2 / 5]);
    expect(all.ap).toBeCloseTo(5 / 9, 14);
    const p11 = vocEvaluateClass(gtBoxes, dets, { method: 'voc07-11point' });
    expect(p11.ap).toBeCloseTo(6 / 11, 14);
    expect(p11.ap).not.toBeCloseTo(all.ap, 3); // the two definitions differ here
    expect([all.tp, all.fp]).toEqual([2, 3]);
  });

  it('IoU ≥ 0.5 (inclusive) turns the exact-0.5 detection into a TP', () => {
    const all = vocEvaluateClass(gtBoxes, dets, { method: 'voc10-all-point', inclusive: true });
    expect(all.ranked.map((r) => r.outcome)).toEqual(['TP', 'difficult', 'FP', 'TP', 'FP', 'TP']);
    expect(all.ap).toBeCloseTo(34 / 45, 14);
    expect(vocEvaluateClass(gtBoxes, dets, { method: 'voc07-11point', inclusive: true }).ap).toBeCloseTo(8.4 / 11, 14);
  });

  it('difficult boxes are neither positives nor errors', () => {
    // only the difficult box and a detection on it: nothing to find, nothing wrong
    const r = vocEvaluateClass([gtBoxes[2]], [{ imageId: 'A', box: [40, 0, 49, 9], score: 1 }]);
    expect(r.npos).toBe(0);
    expect(r.tp + r.fp).toBe(0);
    expect(Number.isNaN(r.ap)).toBe(true);
    // removing the difficult flag makes the same detection a true positive
    const r2 = vocEvaluateClass([{ ...gtBoxes[2], difficult: false }], [{ imageId: 'A', box: [40, 0, 49, 9], score: 1 }]);
    expect(r2.ap).toBe(1);
  });

  it('11-point AP is ≥ the envelope area on a one-point curve and both are 1 for a perfect ranking', () => {
    // recall 0.5 at precision 1: all-point 0.5; 11-point: r = 0 … 0.5 (6 points) → 6/11
    expect(vocAveragePrecision([0.5], [1], 'voc10-all-point')).toBe(0.5);
    expect(vocAveragePrecision([0.5], [1], 'voc07-11point')).toBeCloseTo(6 / 11, 15);
    expect(vocAveragePrecision([0.5, 1], [1, 1], 'voc10-all-point')).toBe(1);
    expect(vocAveragePrecision([0.5, 1], [1, 1], 'voc07-11point')).toBeCloseTo(1, 14);
    expect(() => vocAveragePrecision([], [], 'nope' as never)).toThrow(UserError);
  });

  it('vocEvaluate splits by class and averages classes with ground truth', () => {
    const r = vocEvaluate(
      [...gtBoxes.map((g) => ({ ...g, classId: 1 })), { imageId: 'A', box: [0, 0, 9, 9] as VocBox, classId: 2 }],
      [...dets.map((d) => ({ ...d, classId: 1 })), { imageId: 'A', box: [0, 0, 9, 9] as VocBox, score: 0.1, classId: 2 }, { imageId: 'A', box: [0, 0, 9, 9] as VocBox, score: 0.1, classId: 3 }],
    );
    expect(r.perClass.map((c) => c.classId)).toEqual([1, 2, 3]);
    expect(r.perClass[1].ap).toBe(1);
    expect(Number.isNaN(r.perClass[2].ap)).toBe(true); // class 3 has no ground truth
    expect(r.mAP).toBeCloseTo((5 / 9 + 1) / 2, 14);
    expect(r.method).toBe('voc10-all-point');
  });
});

describe('precision / recall / F1 at a score threshold (standard IoU ≥ 0.5, class-aware)', () => {
  const gt: CocoGroundTruth = {
    images: [{ id: 1 }, { id: 2 }],
    categories: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] }, // A
      { id: 2, image_id: 1, category_id: 1, bbox: [20, 0, 10, 10] }, // B
      { id: 3, image_id: 1, category_id: 2, bbox: [0, 0, 10, 10] }, // C
      { id: 4, image_id: 1, category_id: 1, bbox: [100, 100, 100, 100], iscrowd: 1 },
      { id: 5, image_id: 2, category_id: 1, bbox: [0, 0, 10, 10] }, // D
    ],
  };
  const dt: CocoDetection[] = [
    { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 }, // TP (A)
    { image_id: 1, category_id: 1, bbox: [1, 0, 10, 10], score: 0.8 }, // A taken → FP
    { image_id: 1, category_id: 2, bbox: [0, 0, 10, 10], score: 0.7 }, // TP (C): class-aware
    { image_id: 2, category_id: 2, bbox: [0, 0, 10, 10], score: 0.6 }, // wrong class → FP
    { image_id: 1, category_id: 1, bbox: [120, 120, 20, 20], score: 0.55 }, // inside the crowd → ignored
    { image_id: 2, category_id: 1, bbox: [0, 0, 10, 5], score: 0.5 }, // IoU exactly 0.5 → TP (D)
    { image_id: 1, category_id: 1, bbox: [20, 0, 10, 10], score: 0.2 }, // below the threshold
  ];

  it('counts at score ≥ 0.3', () => {
    const r = precisionRecallAt(gt, dt, { iou: 0.5, scoreThreshold: 0.3 });
    expect(r).toMatchObject({ tp: 3, fp: 2, fn: 1, groundTruth: 4, detections: 6, ignored: 1 });
    expect(r.precision).toBeCloseTo(3 / 5, 15);
    expect(r.recall).toBeCloseTo(3 / 4, 15);
    expect(r.f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 15);
  });

  it('a lower threshold admits the last detection; a stricter IoU drops the exact-0.5 match', () => {
    const r = precisionRecallAt(gt, dt, { scoreThreshold: 0 });
    expect([r.tp, r.fp, r.fn]).toEqual([4, 2, 0]);
    expect(r.recall).toBe(1);
    const s = precisionRecallAt(gt, dt, { iou: 0.55, scoreThreshold: 0.3 });
    expect([s.tp, s.fp, s.fn]).toEqual([2, 3, 2]);
  });

  it('empty cases are 0, not NaN; unknown images are a UserError', () => {
    expect(precisionRecallAt(gt, [], { scoreThreshold: 0.5 })).toMatchObject({ precision: 0, recall: 0, f1: 0, fn: 4 });
    expect(() => precisionRecallAt(gt, [{ image_id: 9, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }])).toThrow(/unknown image id 9/);
  });
});
