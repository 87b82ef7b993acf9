/** `bench detect IMAGE [--detector NAME] [--json]`: a detector's boxes on one image. */
import { jsonNumber } from '../core/format.js';
import { readImage } from '../core/image.js';
import { createDetector, detectors } from '../detection/index.js';

export async function runDetect(args: { image: string; detector: string; detectorModel?: string; minScore: number; json: boolean }): Promise<number> {
  detectors.entry(args.detector); // unknown names fail before anything is loaded
  const image = await readImage(args.image);
  const detector = await createDetector(args.detector, { model: args.detectorModel, minScore: args.minScore });
  const boxes = (await detector.detect(image)).sort((a, b) => b.score - a.score);
  if (args.json) {
    const out = boxes.map((b) => ({ bbox: [b.x, b.y, b.w, b.h], score: jsonNumber(b.score), classId: b.classId, label: b.label }));
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(`${boxes.length} box(es) from ${args.detector} (${detector.runtime.backend}) on ${image.width}×${image.height}, score ≥ ${args.minScore}\n`);
    for (const b of boxes) process.stdout.write(`${b.label.padEnd(14)} ${b.score.toFixed(3)}  x ${b.x.toFixed(1)} y ${b.y.toFixed(1)} w ${b.w.toFixed(1)} h ${b.h.toFixed(1)}\n`);
  }
  return 0;
}
