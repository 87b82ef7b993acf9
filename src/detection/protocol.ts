/**
 * The detection protocol (DeblurGAN paper §6.3, generalised): one detector on the sharp image,
 * the blurred image and every restored image. Ground truth here is the detector's own boxes on
 * the sharp image above a score threshold (pseudo ground truth, as in the paper), so AP on the
 * sharp images is 1 by construction. Per role: COCO AP, AP50, AP75, AR100 (pycocotools-exact),
 * and precision / recall / F1 at a score threshold and IoU 0.5; per method the recovery ratio
 * (AP_restored − AP_blurred) / (AP_sharp − AP_blurred), undefined (null) when the denominator is 0.
 *
 * A role is scored on the pairs it has records for: a pair whose restoration failed is left out
 * of that method's figures (as it is of its PSNR/SSIM means), not counted as a miss of every
 * object. A recovery ratio compares the three roles on the pairs they all have.
 */
import type { DetectionRecord, DetectionSettings } from '../bench/results.js';
import { evaluateCoco } from './cocoeval.js';
import type { CocoDetection, CocoGroundTruth } from './coco-json.js';
import { precisionRecallAt } from './voc.js';

export interface RoleDetectionMetrics {
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
  precision: number;
  recall: number;
  f1: number;
  /** Pairs scored (those with a record for this role). */
  pairs: number;
}

export interface DetectionEvaluation {
  groundTruthBoxes: number;
  roles: Record<string, RoleDetectionMetrics>;
  /** Per role (method), fraction of the AP lost to blur that the method wins back; null when undefined. */
  recoveryAp: Record<string, number | null>;
}

/** COCO category ids: 1..80, more when a detector reports more classes (class index + 1). */
function categoryIds(records: DetectionRecord[]): number[] {
  let count = 80;
  for (const r of records) for (const b of r.boxes) count = Math.max(count, b.classId + 1);
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** Pseudo ground truth from the sharp images' boxes, as a COCO document over all pairs. */
export function pseudoGroundTruth(records: DetectionRecord[], pairs: string[], gtThreshold: number): CocoGroundTruth {
  const imageId = new Map(pairs.map((p, i) => [p, i + 1]));
  const annotations: CocoGroundTruth['annotations'] = [];
  for (const r of records) {
    if (r.role !== 'sharp' || !imageId.has(r.pair)) continue;
    for (const b of r.boxes) {
      if (b.score < gtThreshold) continue;
      annotations.push({ id: annotations.length + 1, image_id: imageId.get(r.pair) as number, category_id: b.classId + 1, bbox: b.bbox, area: b.bbox[2] * b.bbox[3], iscrowd: 0 });
    }
  }
  // every class any role reports is listed, so AP and precision/recall count the same boxes
  const categories = categoryIds(records).map((id) => ({ id, name: String(id - 1) }));
  return { images: pairs.map((p, i) => ({ id: i + 1, file_name: p })), annotations, categories };
}

/** The ground truth restricted to some images. */
function restrictTo(gt: CocoGroundTruth, imageIds: ReadonlySet<number>): CocoGroundTruth {
  return { ...gt, images: gt.images.filter((im) => imageIds.has(im.id)), annotations: gt.annotations.filter((a) => imageIds.has(a.image_id)) };
}

export function evaluateDetectionRecords(records: DetectionRecord[], settings: DetectionSettings): DetectionEvaluation {
  const pairs = [...new Set(records.filter((r) => r.role === 'sharp').map((r) => r.pair))].sort();
  const imageId = new Map(pairs.map((p, i) => [p, i + 1]));
  const gt = pseudoGroundTruth(records, pairs, settings.gtThreshold);
  const byRole = new Map<string, DetectionRecord[]>();
  for (const r of records) {
    if (!imageId.has(r.pair)) continue;
    const list = byRole.get(r.role);
    if (list) list.push(r);
    else byRole.set(r.role, [r]);
  }
  const imagesOf = (role: string): Set<number> => new Set((byRole.get(role) ?? []).map((r) => imageId.get(r.pair) as number));
  const score = (role: string, images: ReadonlySet<number>): RoleDetectionMetrics => {
    const list = (byRole.get(role) ?? []).filter((r) => images.has(imageId.get(r.pair) as number));
    const dets: CocoDetection[] = list.flatMap((r) => r.boxes.map((b) => ({ image_id: imageId.get(r.pair) as number, category_id: b.classId + 1, bbox: b.bbox, score: b.score })));
    const roleGt = restrictTo(gt, images);
    const { stats } = evaluateCoco(roleGt, dets);
    const pr = precisionRecallAt(roleGt, dets, { iou: settings.iou, scoreThreshold: settings.scoreThreshold });
    const v = (x: number): number => (x < 0 ? NaN : x); // pycocotools' −1 = no ground truth to score against
    return { ap: v(stats[0]), ap50: v(stats[1]), ap75: v(stats[2]), ar100: v(stats[8]), precision: pr.precision, recall: pr.recall, f1: pr.f1, pairs: images.size };
  };
  const roles: Record<string, RoleDetectionMetrics> = {};
  for (const role of byRole.keys()) roles[role] = score(role, imagesOf(role));

  const recoveryAp: Record<string, number | null> = {};
  if (roles.sharp && roles.blurred) {
    const blurredImages = imagesOf('blurred');
    for (const role of Object.keys(roles)) {
      if (role === 'sharp') continue;
      const common = new Set([...imagesOf(role)].filter((id) => blurredImages.has(id)));
      const same = common.size === roles[role].pairs && common.size === roles.blurred.pairs;
      const ap = (r: string): number => (same ? roles[r].ap : score(r, common).ap);
      const [sharp, blurred] = [same ? roles.sharp.ap : score('sharp', common).ap, ap('blurred')];
      const denominator = sharp - blurred;
      recoveryAp[role] = denominator === 0 || !Number.isFinite(denominator) ? null : (ap(role) - blurred) / denominator;
    }
  }
  return { groundTruthBoxes: gt.annotations.length, roles, recoveryAp };
}
