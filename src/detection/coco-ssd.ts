/**
 * The brief's SSD: @tensorflow-models/coco-ssd's model (SSDLite MobileNetV2 by default) from a
 * local directory. Its weights are published only on a web bucket, never in npm, so the user
 * passes `--detector-model DIR` (model.json + weight shards). The raw graph is called directly
 * and boxes are kept per class without NMS here: the wrapper's own NMS is class-agnostic and ties
 * its IoU threshold to minScore, which biases evaluation; the protocol applies class-aware NMS.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { sha256File } from '../core/hash.js';
import { type Image, toRgb, toUint8 } from '../core/image.js';
import { describeBackend, fileModelHandler, loadTf } from '../core/tfjs-backend.js';
import { nms } from './nms.js';
import { COCO80, COCO80_TO_91, type Detection, type DetectorFactory } from './types.js';

type Candidate = Detection & { x1: number; y1: number; x2: number; y2: number };
const CLASS_91_TO_80 = new Map<number, number>(COCO80_TO_91.map((id, i) => [id, i]));

/**
 * Per-class candidates from the SSD graph's raw outputs: scores [N, C] and boxes [N, 4]
 * (y1, x1, y2, x2, normalised). The published graph's scores come after the background column
 * is sliced off (C = 90: column c is COCO category id c + 1, as the npm wrapper decodes it);
 * an export that keeps it (C = 91) has id c in column c. Ids that are not among the 80 used
 * categories are skipped.
 */
export function decodeSsdOutputs(scores: ArrayLike<number>, boxes: ArrayLike<number>, n: number, classes: number, width: number, height: number, minScore: number): Candidate[] {
  if (classes !== 90 && classes !== 91) throw new Error(`coco-ssd scores have ${classes} classes per box; expected 90 (or 91 with background)`);
  const firstId = classes === 90 ? 1 : 0;
  const candidates: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const y1 = boxes[4 * i] * height, x1 = boxes[4 * i + 1] * width;
    const y2 = boxes[4 * i + 2] * height, x2 = boxes[4 * i + 3] * width;
    if (!(x2 > x1 && y2 > y1)) continue;
    for (let c = 0; c < classes; c++) {
      const classId = CLASS_91_TO_80.get(c + firstId);
      const score = scores[i * classes + c];
      if (classId === undefined || !(score >= minScore)) continue;
      candidates.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1, x1, y1, x2, y2, score, classId, label: COCO80[classId] });
    }
  }
  return candidates;
}

const WEIGHTS_HINT =
  'the coco-ssd detector needs --detector-model DIR holding model.json and its weight shards ' +
  '(not in npm; e.g. the ssdlite_mobilenet_v2 graph model published for @tensorflow-models/coco-ssd, downloaded on a machine with internet)';

export const cocoSsdFactory: DetectorFactory = async (options) => {
  if (!options.model) throw new UserError(WEIGHTS_HINT);
  const modelJson = options.model.endsWith('.json') ? options.model : join(options.model, 'model.json');
  if (!existsSync(modelJson)) throw new UserError(`${modelJson} not found: ${WEIGHTS_HINT}`);
  const tf = await loadTf();
  let model: import('@tensorflow/tfjs').GraphModel;
  try {
    model = await tf.loadGraphModel(await fileModelHandler(modelJson));
  } catch (err) {
    throw new UserError(`cannot load coco-ssd model ${modelJson}: ${(err as Error).message}`);
  }
  const minScore = options.minScore ?? 0.01;
  return {
    name: 'coco-ssd',
    identity: { detector: 'coco-ssd', model: (await sha256File(modelJson)).slice(0, 16), minScore, version: 1 },
    runtime: await describeBackend(),
    detect: async (image: Image): Promise<Detection[]> => {
      const rgb = toRgb(toUint8(image));
      const input = tf.tensor4d(rgb.data, [1, rgb.height, rgb.width, 3], 'int32');
      const outputs = (await model.executeAsync(input)) as import('@tensorflow/tfjs').Tensor[];
      input.dispose();
      // one output holds per-class scores [1, N, C], the other boxes [1, N, 1, 4] (y1, x1, y2, x2 normalised)
      const scoresT = outputs.find((t) => t.rank === 3 && t.shape[2] !== 4);
      const boxesT = outputs.find((t) => t !== scoresT);
      if (!scoresT || !boxesT) throw new Error(`unexpected coco-ssd outputs ${outputs.map((t) => JSON.stringify(t.shape)).join(', ')}`);
      const [scores, boxes] = [await scoresT.data(), await boxesT.data()];
      const n = scoresT.shape[1] ?? 0;
      const classes = scoresT.shape[2] ?? 0;
      outputs.forEach((t) => t.dispose());
      const candidates = decodeSsdOutputs(scores, boxes, n, classes, image.width, image.height, minScore);
      return nms(candidates, { iou: 0.5, maxDet: 100, classAware: true }).map(({ x, y, w, h, score, classId, label }) => ({ x, y, w, h, score, classId, label }));
    },
  };
};
