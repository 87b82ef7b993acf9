/**
 * PASCAL VOC average precision, and precision / recall / F1 at a score threshold (the numbers
 * the DeblurGAN paper reports).
 *
 * VOC AP, per class (`vocEvaluateClass`, `vocEvaluate`):
 * - boxes are VOC corners [x1, y1, x2, y2] in inclusive pixel coordinates, and the IoU uses the
 *   VOC "+1" convention: width = x2 − x1 + 1, intersection width = min(x2) − max(x1) + 1 (≥ 0);
 *   `cocoBoxToVoc` turns a COCO [x, y, w, h] box into corners [x, y, x + w, y + h], which is how
 *   detector output in corner form is usually fed to the VOC code (the +1 then enlarges it by a pixel);
 * - detections are ranked by descending score (stable: equal scores keep their input order);
 *   each takes the ground-truth box of its image with the highest IoU (first one on ties), and is
 *   a true positive when that IoU is > 0.5 strictly (`iouThreshold`, `inclusive` for ≥) and the
 *   box is not yet taken, a false positive when it is taken or the IoU is too low;
 * - "difficult" boxes are not counted as positives, and a detection whose best box is difficult
 *   is neither a TP nor an FP;
 * - AP is named by its method: 'voc07-11point' (VOC2007: mean over recall 0, 0.1, …, 1 of the
 *   highest precision at recall ≥ r, 0 if none) or 'voc10-all-point' (VOC2010+: area under the
 *   precision envelope at every recall change);
 * - a class without (non-difficult) ground truth has AP NaN and is left out of the mean.
 *
 * `precisionRecallAt` is the paper-style count on COCO-format input: standard IoU (no +1,
 * [x, y, w, h] boxes), IoU ≥ threshold, class-aware greedy matching in descending score order.
 */
import { UserError } from '../core/errors.js';
import { type CocoBox, type CocoDetection, type CocoGroundTruth, checkDetectionImages } from './coco-json.js';

/** [x1, y1, x2, y2], inclusive pixel coordinates. */
export type VocBox = [number, number, number, number];

export interface VocObject {
  imageId: number | string;
  box: VocBox;
  difficult?: boolean;
}

export interface VocScoredBox {
  imageId: number | string;
  box: VocBox;
  score: number;
}

export type VocApMethod = 'voc07-11point' | 'voc10-all-point';
export type VocOutcome = 'TP' | 'FP' | 'difficult';

export interface VocOptions {
  /** Default 0.5. */
  iouThreshold?: number;
  /** false (default): IoU must exceed the threshold; true: IoU ≥ threshold suffices. */
  inclusive?: boolean;
  /** Default 'voc10-all-point'. */
  method?: VocApMethod;
}

export interface VocClassResult {
  method: VocApMethod;
  /** NaN when the class has no non-difficult ground truth. */
  ap: number;
  /** Non-difficult ground-truth boxes. */
  npos: number;
  tp: number;
  fp: number;
  /** In ranked order: the input index of each detection, its score and its outcome. */
  ranked: { index: number; score: number; outcome: VocOutcome }[];
  /** Curves over the ranked TP/FP detections (difficult matches skipped). */
  recall: number[];
  precision: number[];
}

export function cocoBoxToVoc(b: CocoBox | readonly number[]): VocBox {
  return [b[0], b[1], b[0] + b[2], b[1] + b[3]];
}

/** IoU with VOC's +1 pixel convention. */
export function vocIou(a: VocBox, b: VocBox): number {
  const iw = Math.max(Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1, 0);
  const ih = Math.max(Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1, 0);
  const inter = iw * ih;
  if (inter === 0) return 0;
  const union = (a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - inter;
  return inter / union;
}

/** VOC AP from a recall/precision curve (recall non-decreasing). */
export function vocAveragePrecision(recall: readonly number[], precision: readonly number[], method: VocApMethod): number {
  if (method === 'voc07-11point') {
    let ap = 0;
    for (let i = 0; i <= 10; i++) {
      const t = i * 0.1;
      let p = 0;
      for (let j = 0; j < recall.length; j++) if (recall[j] >= t && precision[j] > p) p = precision[j];
      ap += p / 11;
    }
    return ap;
  }
  if (method === 'voc10-all-point') {
    const mrec = [0, ...recall, 1];
    const mpre = [0, ...precision, 0];
    for (let i = mpre.length - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
    let ap = 0;
    for (let i = 1; i < mrec.length; i++) if (mrec[i] !== mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
    return ap;
  }
  throw new UserError(`unknown VOC AP method "${String(method)}" (use voc07-11point or voc10-all-point)`);
}

/** VOC evaluation of one class: `gt` and `dets` are that class's boxes over all images. */
export function vocEvaluateClass(gt: readonly VocObject[], dets: readonly VocScoredBox[], opts: VocOptions = {}): VocClassResult {
  const thr = opts.iouThreshold ?? 0.5;
  const inclusive = opts.inclusive ?? false;
  const method = opts.method ?? 'voc10-all-point';
  const byImage = new Map<number | string, number[]>();
  let npos = 0;
  gt.forEach((g, i) => {
    if (!g.difficult) npos++;
    const list = byImage.get(g.imageId);
    if (list) list.push(i);
    else byImage.set(g.imageId, [i]);
  });
  const taken = new Uint8Array(gt.length);
  const order = dets.map((_, i) => i).sort((a, b) => dets[b].score - dets[a].score || a - b);
  const ranked: VocClassResult['ranked'] = [];
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  let fp = 0;
  for (const i of order) {
    const d = dets[i];
    let best = -Infinity;
    let jBest = -1;
    for (const j of byImage.get(d.imageId) ?? []) {
      const v = vocIou(d.box, gt[j].box);
      if (v > best) {
        best = v;
        jBest = j;
      }
    }
    let outcome: VocOutcome;
    if (jBest >= 0 && (inclusive ? best >= thr : best > thr)) {
      if (gt[jBest].difficult) outcome = 'difficult';
      else if (!taken[jBest]) {
        taken[jBest] = 1;
        outcome = 'TP';
      } else outcome = 'FP';
    } else outcome = 'FP';
    ranked.push({ index: i, score: d.score, outcome });
    if (outcome === 'difficult') continue;
    if (outcome === 'TP') tp++;
    else fp++;
    recall.push(tp / npos);
    precision.push(tp / Math.max(tp + fp, Number.EPSILON));
  }
  const ap = npos === 0 ? NaN : vocAveragePrecision(recall, precision, method);
  return { method, ap, npos, tp, fp, ranked, recall, precision };
}

export interface VocEvaluation {
  method: VocApMethod;
  iouThreshold: number;
  inclusive: boolean;
  perClass: (VocClassResult & { classId: number | string })[];
  /** Mean AP over classes with ground truth (NaN when none has). */
  mAP: number;
}

/** VOC evaluation of every class present in the ground truth or the detections. */
export function vocEvaluate(
  gt: readonly (VocObject & { classId: number | string })[],
  dets: readonly (VocScoredBox & { classId: number | string })[],
  opts: VocOptions = {},
): VocEvaluation {
  const classes = [...new Set([...gt.map((g) => g.classId), ...dets.map((d) => d.classId)])].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
  const perClass = classes.map((c) => ({
    classId: c,
    ...vocEvaluateClass(
      gt.filter((g) => g.classId === c),
      dets.filter((d) => d.classId === c),
      opts,
    ),
  }));
  const valid = perClass.filter((r) => !Number.isNaN(r.ap));
  return {
    method: opts.method ?? 'voc10-all-point',
    iouThreshold: opts.iouThreshold ?? 0.5,
    inclusive: opts.inclusive ?? false,
    perClass,
    mAP: valid.length ? valid.reduce((s, r) => s + r.ap, 0) / valid.length : NaN,
  };
}

export interface PrecisionRecallOptions {
  /** IoU needed for a match (≥), standard IoU without +1. Default 0.5. */
  iou?: number;
  /** Detections with score ≥ this are counted. Default 0. */
  scoreThreshold?: number;
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  /** Non-crowd ground-truth boxes (the positives). */
  groundTruth: number;
  /** Detections at or above the score threshold (including any ignored on crowd regions). */
  detections: number;
  /** Detections that matched only a crowd region: neither TP nor FP. */
  ignored: number;
}

/**
 * Paper-style precision / recall / F1 at a score threshold. Per image and category, detections
 * with score ≥ `scoreThreshold` are taken in descending score order (stable); each claims the
 * not-yet-claimed ground-truth box with the highest IoU (standard IoU, no +1), when that IoU is
 * ≥ `iou`. Unmatched detections are false positives, unclaimed boxes false negatives — also for
 * categories the ground truth does not list. Crowd boxes (`iscrowd`) are not positives; a
 * detection that claims no regular box but covers a crowd box (intersection / detection area ≥
 * `iou`, the COCO crowd rule) is ignored. Undefined ratios are 0 (precision with no detections,
 * recall with no ground truth, F1 when both are 0).
 */
export function precisionRecallAt(gt: CocoGroundTruth, dets: readonly CocoDetection[], opts: PrecisionRecallOptions = {}): PrecisionRecall {
  const iouThr = opts.iou ?? 0.5;
  const scoreThr = opts.scoreThreshold ?? 0;
  checkDetectionImages(gt, dets);
  const imageIds = new Set(gt.images.map((im) => im.id));
  const cells = new Map<string, number[]>();
  let positives = 0;
  gt.annotations.forEach((a, i) => {
    if (!imageIds.has(a.image_id)) return;
    if (!a.iscrowd) positives++;
    const key = `${a.image_id}/${a.category_id}`;
    const list = cells.get(key);
    if (list) list.push(i);
    else cells.set(key, [i]);
  });
  const claimed = new Uint8Array(gt.annotations.length);
  const order = dets
    .map((d, i) => (d.score >= scoreThr ? i : -1))
    .filter((i) => i >= 0)
    .sort((a, b) => dets[b].score - dets[a].score || a - b);
  let tp = 0;
  let fp = 0;
  let ignored = 0;
  for (const i of order) {
    const d = dets[i].bbox;
    const da = d[2] * d[3];
    let best = -1;
    let jBest = -1;
    let crowdHit = false;
    for (const j of cells.get(`${dets[i].image_id}/${dets[i].category_id}`) ?? []) {
      const a = gt.annotations[j];
      const g = a.bbox;
      const w = Math.min(d[0] + d[2], g[0] + g[2]) - Math.max(d[0], g[0]);
      const h = Math.min(d[1] + d[3], g[1] + g[3]) - Math.max(d[1], g[1]);
      const inter = w > 0 && h > 0 ? w * h : 0;
      if (a.iscrowd) {
        if (da > 0 && inter / da >= iouThr) crowdHit = true;
        continue;
      }
      if (claimed[j]) continue;
      const v = inter > 0 ? inter / (da + g[2] * g[3] - inter) : 0;
      if (v >= iouThr && v > best) {
        best = v;
        jBest = j;
      }
    }
    if (jBest >= 0) {
      claimed[jBest] = 1;
      tp++;
    } else if (crowdHit) ignored++;
    else fp++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = positives > 0 ? tp / positives : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn: positives - tp, groundTruth: positives, detections: order.length, ignored };
}
