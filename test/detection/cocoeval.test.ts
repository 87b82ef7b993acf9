/**
 * COCO box evaluation against pycocotools 2.0.11: golden sets from
 * scripts/fixtures/make_cocoeval_fixtures.py, numpy's threshold doubles, and hand-checked cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { type CocoDetection, type CocoGroundTruth, parseDetections, parseGroundTruth } from '../../src/detection/coco-json.js';
import {
  IOU_THRESHOLDS,
  RECALL_THRESHOLDS,
  STAT_NAMES,
  evaluateCoco,
  formatSummary,
  linspace,
  pyFixed,
} from '../../src/detection/cocoeval.js';

const dir = join(import.meta.dirname, '../fixtures/cocoeval');
interface ExpectedSet {
  gt: string;
  dt: string;
  stats: number[];
  statsUseCats0?: number[];
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { sets: Record<string, ExpectedSet> };

function load(set: ExpectedSet): { gt: CocoGroundTruth; dt: CocoDetection[] } {
  return {
    gt: parseGroundTruth(readFileSync(join(dir, set.gt), 'utf8'), set.gt),
    dt: parseDetections(readFileSync(join(dir, set.dt), 'utf8'), set.dt),
  };
}

function expectStats(actual: number[], wanted: number[]): void {
  expect(actual).toHaveLength(12);
  for (let i = 0; i < 12; i++) {
    expect(Math.abs(actual[i] - wanted[i]), `${STAT_NAMES[i]}: ${actual[i]} vs ${wanted[i]}`).toBeLessThanOrEqual(1e-9);
  }
}

describe('agreement with pycocotools 2.0.11 (golden sets)', () => {
  it('the fixtures cover the required sets', () => {
    expect(Object.keys(expected.sets).sort()).toEqual(['dense', 'empty-dt', 'exact-iou', 'ignore-flags', 'mixed', 'no-gt-category']);
  });

  it.each(Object.keys(expected.sets))('%s: all 12 numbers within 1e-9', (name) => {
    const set = expected.sets[name];
    const { gt, dt } = load(set);
    expectStats(evaluateCoco(gt, dt).stats, set.stats);
  });

  it('mixed with useCats = false (pooled categories)', () => {
    const set = expected.sets.mixed;
    const { gt, dt } = load(set);
    expectStats(evaluateCoco(gt, dt, { useCats: false }).stats, set.statsUseCats0 as number[]);
  });

  it('the sets exercise what they claim to', () => {
    const dense = load(expected.sets.dense);
    const perCell = new Map<string, number>();
    for (const d of dense.dt) perCell.set(`${d.image_id}/${d.category_id}`, (perCell.get(`${d.image_id}/${d.category_id}`) ?? 0) + 1);
    expect(Math.max(...perCell.values())).toBeGreaterThan(100);
    const mixed = load(expected.sets.mixed);
    const cats = new Set(mixed.gt.categories.map((c) => c.id));
    expect(mixed.dt.some((d) => !cats.has(d.category_id))).toBe(true);
    expect(mixed.gt.annotations.some((a) => a.iscrowd === 1)).toBe(true);
    const scores = mixed.dt.map((d) => d.score);
    expect(new Set(scores).size).toBeLessThan(scores.length / 5); // many ties
    const withGt = new Set(mixed.gt.annotations.map((a) => a.image_id));
    expect(mixed.gt.images.some((im) => !withGt.has(im.id))).toBe(true);
    const areas = mixed.gt.annotations.map((a) => a.area as number);
    expect(areas.some((a) => a < 32 ** 2) && areas.some((a) => a > 32 ** 2 && a < 96 ** 2) && areas.some((a) => a > 96 ** 2)).toBe(true);
    const ign = load(expected.sets['ignore-flags']);
    expect(ign.gt.annotations.some((a) => a.ignore === 1 && !a.iscrowd)).toBe(true);
    expect(expected.sets['ignore-flags'].stats[5]).toBe(-1);
  });

  it('per-category AP averages to the overall AP when every category has ground truth', () => {
    const { gt, dt } = load(expected.sets.mixed);
    const r = evaluateCoco(gt, dt);
    const valid = r.perCategory.filter((c) => c.AP > -1);
    expect(valid.length).toBeGreaterThan(0);
    const mean = valid.reduce((s, c) => s + c.AP, 0) / valid.length;
    expect(mean).toBeCloseTo(r.stats[0], 12);
  });
});

describe('thresholds are numpy linspace doubles', () => {
  it('IoU thresholds = np.linspace(.5, .95, 10)', () => {
    expect([...IOU_THRESHOLDS]).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95]);
  });

  it('recall thresholds = np.linspace(0, 1, 101) (i·0.01, not i/100)', () => {
    // printed by numpy 2.4: repr(float(x)) for x in np.linspace(0, 1, 101)
    const numpy = [
      0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2,
      0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35000000000000003, 0.36, 0.37, 0.38,
      0.39, 0.4, 0.41000000000000003, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47000000000000003, 0.48, 0.49, 0.5, 0.51, 0.52, 0.53, 0.54,
      0.55, 0.56, 0.5700000000000001, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.6900000000000001,
      0.7000000000000001, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.8200000000000001, 0.8300000000000001,
      0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.9400000000000001, 0.9500000000000001, 0.96, 0.97, 0.98, 0.99, 1.0,
    ];
    expect([...RECALL_THRESHOLDS]).toEqual(numpy);
    // where i/100 would differ (numpy: [35, 41, 47, 57, 69, 70, 82, 83, 94, 95])
    expect(numpy.flatMap((v, i) => (v !== i / 100 ? [i] : []))).toEqual([35, 41, 47, 57, 69, 70, 82, 83, 94, 95]);
  });

  it('linspace edge cases', () => {
    expect(linspace(0, 1, 1)).toEqual([0]);
    expect(linspace(2, 2, 3)).toEqual([2, 2, 2]);
    expect(linspace(0, 1, 0)).toEqual([]);
  });
});

const box = (x: number, y: number, w: number, h: number): [number, number, number, number] => [x, y, w, h];

function doc(annotations: Partial<CocoGroundTruth['annotations'][number]>[], images = [1], categories = [1]): CocoGroundTruth {
  return {
    images: images.map((id) => ({ id })),
    categories: categories.map((id) => ({ id, name: `c${id}` })),
    annotations: annotations.map((a, i) => ({ id: i + 1, image_id: 1, category_id: 1, bbox: box(0, 0, 10, 10), ...a })),
  };
}

describe('hand-checked cases', () => {
  it('one perfect detection of a medium box: AP 1 (to pycocotools\' last bit), small/large −1', () => {
    const gt = doc([{ bbox: box(10, 10, 50, 50), area: 2500, iscrowd: 0 }]);
    const r = evaluateCoco(gt, [{ image_id: 1, category_id: 1, bbox: box(10, 10, 50, 50), score: 0.3 }]);
    // precision 1 / (1 + 2⁻⁵²) = 1 − 2⁻⁵², and the pairwise mean of those: the values pycocotools prints
    expect(r.stats).toEqual([0.9999999999999998, 0.9999999999999999, 0.9999999999999999, -1, 0.9999999999999998, -1, 1, 1, 1, -1, 1, -1]);
  });

  it('a detection matching a crowd region is ignored (neither TP nor FP)', () => {
    const gt = doc([
      { bbox: box(0, 0, 40, 40), iscrowd: 0 },
      { bbox: box(100, 100, 200, 200), iscrowd: 1 },
    ]);
    const dets: CocoDetection[] = [
      { image_id: 1, category_id: 1, bbox: box(0, 0, 40, 40), score: 0.5 },
      { image_id: 1, category_id: 1, bbox: box(120, 120, 30, 30), score: 0.9 }, // inside the crowd box
      { image_id: 1, category_id: 1, bbox: box(150, 150, 30, 30), score: 0.8 }, // the crowd box absorbs many
    ];
    const r = evaluateCoco(gt, dets);
    expect(r.stats[0]).toBeCloseTo(1, 12);
    expect(r.stats[8]).toBe(1);
    // the same detections without the crowd box are two false positives ranked first
    const r2 = evaluateCoco(doc([{ bbox: box(0, 0, 40, 40) }]), dets);
    expect(r2.stats[0]).toBeCloseTo(1 / (2 + 1 + 2.220446049250313e-16), 12);
  });

  it('TP, FP, TP on two ground-truth boxes: AP = (51·1 + 50·2/3) / 101', () => {
    // rank 1 (0.9) TP → rc .5, pr 1; rank 2 (0.8) FP → rc .5, pr .5; rank 3 (0.7) TP → rc 1, pr 2/3.
    // Envelope: 1, 2/3, 2/3. Recall points 0…0.50 (51 points) read index 0 → 1; 0.51…1 (50) read 2/3.
    const gt = doc([{ bbox: box(0, 0, 50, 50) }, { bbox: box(100, 0, 50, 50) }]);
    const dets: CocoDetection[] = [
      { image_id: 1, category_id: 1, bbox: box(0, 0, 50, 50), score: 0.9 },
      { image_id: 1, category_id: 1, bbox: box(300, 300, 50, 50), score: 0.8 },
      { image_id: 1, category_id: 1, bbox: box(100, 0, 50, 50), score: 0.7 },
    ];
    const r = evaluateCoco(gt, dets);
    const ap = (51 * 1 + 50 * (2 / (2 + 1 + 2.220446049250313e-16))) / 101;
    expect(r.stats[0]).toBeCloseTo(ap, 14);
    expect(r.stats[1]).toBeCloseTo(ap, 14);
    expect(r.stats[6]).toBe(0.5); // AR1: only the top detection counts
    expect(r.stats[8]).toBe(1);
  });

  it('IoU exactly at a threshold matches (pycocotools skips only IoU < t)', () => {
    const gt = doc([{ bbox: box(0, 0, 100, 100) }]);
    const r = evaluateCoco(gt, [{ image_id: 1, category_id: 1, bbox: box(0, 0, 100, 50), score: 1 }]); // IoU 0.5
    expect(r.stats[1]).toBeCloseTo(1, 12); // AP50
    expect(r.stats[2]).toBe(0); // AP75
  });

  it('an empty detection list gives 0 where ground truth exists and −1 elsewhere', () => {
    const gt = doc([{ bbox: box(0, 0, 50, 50) }]);
    expect(evaluateCoco(gt, []).stats).toEqual([0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1]);
    expect(evaluateCoco(doc([]), []).stats).toEqual(Array(12).fill(-1));
  });

  it('detections of categories absent from the ground truth cost nothing', () => {
    const gt = doc([{ bbox: box(0, 0, 50, 50) }]);
    const good: CocoDetection = { image_id: 1, category_id: 1, bbox: box(0, 0, 50, 50), score: 0.2 };
    const stray: CocoDetection = { image_id: 1, category_id: 7, bbox: box(0, 0, 50, 50), score: 0.9 };
    expect(evaluateCoco(gt, [good, stray]).stats).toEqual(evaluateCoco(gt, [good]).stats);
  });

  it('the ignore field has no effect (pycocotools overwrites it with iscrowd); a missing area is w·h', () => {
    const dets: CocoDetection[] = [{ image_id: 1, category_id: 1, bbox: box(0, 0, 20, 20), score: 0.9 }];
    const withIgnore = evaluateCoco(doc([{ bbox: box(0, 0, 50, 50), ignore: 1 }]), dets).stats;
    const plain = evaluateCoco(doc([{ bbox: box(0, 0, 50, 50), area: 2500 }]), dets).stats;
    expect(withIgnore).toEqual(plain);
    expect(plain[4]).toBe(0); // medium GT, missed
  });

  it('a detection whose image is not in the ground truth is a UserError', () => {
    expect(() => evaluateCoco(doc([]), [{ image_id: 17, category_id: 1, bbox: box(0, 0, 1, 1), score: 1 }])).toThrow(UserError);
    expect(() => evaluateCoco(doc([]), [{ image_id: 17, category_id: 1, bbox: box(0, 0, 1, 1), score: 1 }])).toThrow(/unknown image id 17 in detections/);
  });

  it('maxDets must be three distinct positive integers', () => {
    expect(() => evaluateCoco(doc([]), [], { maxDets: [1, 10] })).toThrow(UserError);
    expect(evaluateCoco(doc([]), [], { maxDets: [100, 1, 10] }).maxDets).toEqual([1, 10, 100]);
  });
});

describe('summary text', () => {
  it('Python rounding of exact binary ties (round half to even)', () => {
    expect(pyFixed(0.0625, 3)).toBe('0.062');
    expect(pyFixed(0.1875, 3)).toBe('0.188');
    expect(pyFixed(0.5625, 3)).toBe('0.562');
    expect(pyFixed(0.8125, 3)).toBe('0.812');
    expect(pyFixed(-1, 3)).toBe('-1.000');
    expect(pyFixed(0.12345, 3)).toBe('0.123');
    expect(pyFixed(1, 3)).toBe('1.000');
  });

  it('has pycocotools layout', () => {
    const lines = formatSummary([0.5, 0.25, 0.125, -1, 0.0625, 1, 0, 0, 0, 0, 0, 0]).split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe(' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.500');
    expect(lines[1]).toBe(' Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.250');
    expect(lines[3]).toBe(' Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000');
    expect(lines[4]).toBe(' Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.062');
    expect(lines[6]).toBe(' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.000');
    expect(lines[11]).toBe(' Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.000');
  });
});
