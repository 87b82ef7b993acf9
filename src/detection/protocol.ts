/**
 * The detection protocol (DeblurGAN paper §6.3, generalised): one detector on the sharp image,
 * the blurred image and every restored image. Ground truth here is the detector's own boxes on
 * the sharp image above a score threshold (pseudo ground truth, as in the paper), so AP on the
 * sharp images is 1 by construction. Per role: COCO AP, AP50, AP75, AR100 (pycocotools-exact),
 * and precision / recall / F1 at a score threshold and IoU 0.5; per method the recovery ratio
 * (AP_restored − AP_blurred) / (AP_sharp − AP_blurred), undefined (null) when the denominator is 0.
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
}

export interface DetectionEvaluation {
  groundTruthBoxes: number;
  roles: Record<string, RoleDetectionMetrics>;
  /** Per role (method), fraction of the AP lost to blur that the method wins back; null when undefined. */
  recoveryAp: Record<string, number | null>;
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
  const categories = Array.from({ length: 80 }, (_, i) => ({ id: i + 1, name: String(i) }));
  return { images: pairs.map((p, i) => ({ id: i + 1, file_name: p })), annotations, categories };
}

export function evaluateDetectionRecords(records: DetectionRecord[], settings: DetectionSettings): DetectionEvaluation {
  const pairs = [...new Set(records.filter((r) => r.role === 'sharp').map((r) => r.pair))].sort();
  const imageId = new Map(pairs.map((p, i) => [p, i + 1]));
  const gt = pseudoGroundTruth(records, pairs, settings.gtThreshold);
  const roles: Record<string, RoleDetectionMetrics> = {};
  const byRole = new Map<string, DetectionRecord[]>();
  for (const r of records) {
    if (!imageId.has(r.pair)) continue;
    byRole.set(r.role, [...(byRole.get(r.role) ?? []), r]);
  }
  for (const [role, list] of byRole) {
    const dets: CocoDetection[] = list.flatMap((r) => r.boxes.map((b) => ({ image_id: imageId.get(r.pair) as number, category_id: b.classId + 1, bbox: b.bbox, score: b.score })));
    const { stats } = evaluateCoco(gt, dets);
    const pr = precisionRecallAt(gt, dets, { iou: settings.iou, scoreThreshold: settings.scoreThreshold });
    const v = (x: number): number => (x < 0 ? NaN : x); // pycocotools' −1 = no ground truth to score against
    roles[role] = { ap: v(stats[0]), ap50: v(stats[1]), ap75: v(stats[2]), ar100: v(stats[8]), precision: pr.precision, recall: pr.recall, f1: pr.f1 };
  }
  const recoveryAp: Record<string, number | null> = {};
  const sharp = roles.sharp?.ap;
  const blurred = roles.blurred?.ap;
  for (const role of Object.keys(roles)) {
    if (role === 'sharp' || sharp === undefined || blurred === undefined) continue;
    const denominator = sharp - blurred;
    recoveryAp[role] = denominator === 0 || !Number.isFinite(denominator) ? null : (roles[role].ap - blurred) / denominator;
  }
  return { groundTruthBoxes: gt.annotations.length, roles, recoveryAp };
}
