/**
 * CenterNet (MobileNetV3) COCO detector: the graph model shipped inside the npm package
 * @vladmandic/human (models/centernet.json + .bin), loaded from node_modules, run on tfjs.
 * Input [1,512,512,3] RGB 0–255 (plain resize); output `tower_0/detections` [1,100,6] =
 * x1, y1, x2, y2 (512-pixel space), score, 0-based COCO-80 class. Raw scores and unrounded
 * boxes are kept (the human library itself rounds them).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sha256File } from '../core/hash.js';
import { type Image, toRgb, toUint8 } from '../core/image.js';
import { describeBackend, fileModelHandler, loadTf } from '../core/tfjs-backend.js';
import { COCO80, type Detection, type DetectorFactory } from './types.js';

const SIZE = 512;

function modelPath(): string {
  // the package's exports map hides package.json; resolve its main entry and walk to the root
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@vladmandic/human'));
  while (!dir.endsWith(join('@vladmandic', 'human')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'models', 'centernet.json');
}

export const centernetFactory: DetectorFactory = async (options) => {
  const tf = await loadTf();
  const path = modelPath();
  const model = await tf.loadGraphModel(await fileModelHandler(path));
  const minScore = options.minScore ?? 0.001;
  const runtime = await describeBackend();
  return {
    name: 'centernet',
    identity: { detector: 'centernet', model: (await sha256File(join(dirname(path), 'centernet.bin'))).slice(0, 16), minScore, version: 1 },
    runtime,
    detect: async (image: Image): Promise<Detection[]> => {
      const rgb = toRgb(toUint8(image));
      const raw = tf.tidy(() => {
        const input = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32').toFloat();
        const resized = tf.image.resizeBilinear(input as import('@tensorflow/tfjs').Tensor3D, [SIZE, SIZE]).expandDims(0);
        return model.execute(resized, 'tower_0/detections') as import('@tensorflow/tfjs').Tensor;
      });
      const values = await raw.data();
      raw.dispose();
      const sx = image.width / SIZE;
      const sy = image.height / SIZE;
      const out: Detection[] = [];
      for (let i = 0; i + 5 < values.length; i += 6) {
        const score = values[i + 4];
        if (!(score >= minScore)) continue;
        const classId = Math.round(values[i + 5]);
        const x1 = Math.max(0, values[i] * sx);
        const y1 = Math.max(0, values[i + 1] * sy);
        const x2 = Math.min(image.width, values[i + 2] * sx);
        const y2 = Math.min(image.height, values[i + 3] * sy);
        if (x2 <= x1 || y2 <= y1) continue;
        out.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1, score, classId, label: COCO80[classId] ?? `class ${classId}` });
      }
      return out;
    },
  };
};
