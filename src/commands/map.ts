/**
 * `bench map --gt GT.json --dt DT.json [--json]`: COCO box evaluation of a detection file, the 12
 * pycocotools numbers in pycocotools' text layout, or one JSON object with `--json`.
 */
import { checkDetectionImages, readDetections, readGroundTruth } from '../detection/coco-json.js';
import { STAT_NAMES, evaluateCoco } from '../detection/cocoeval.js';

export interface MapArgs {
  gt: string;
  dt: string;
  json: boolean;
}

export async function runMap(args: MapArgs): Promise<number> {
  const [gt, dets] = await Promise.all([readGroundTruth(args.gt), readDetections(args.dt)]);
  checkDetectionImages(gt, dets, args.dt);
  const result = evaluateCoco(gt, dets);
  if (args.json) {
    const out: Record<string, number | number[]> = { stats: result.stats };
    STAT_NAMES.forEach((name, i) => (out[name] = result.stats[i]));
    out.images = result.counts.images;
    out.annotations = result.counts.annotations;
    out.detections = result.counts.detections;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(`${result.summary}\n`);
  }
  return 0;
}
