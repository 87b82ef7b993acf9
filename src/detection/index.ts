/** The detector registry: one line per detector; weights load lazily. */
import { Registry } from '../core/registry.js';
import type { Detector, DetectorFactory, DetectorOptions } from './types.js';

export const detectors = new Registry<DetectorFactory>('detector')
  .register('centernet', 'CenterNet MobileNetV3 (COCO-80), shipped in @vladmandic/human, tfjs', async () => (await import('./centernet.js')).centernetFactory)
  .register('coco-ssd', 'SSDLite MobileNetV2 from @tensorflow-models/coco-ssd (needs --detector-model DIR)', async () => (await import('./coco-ssd.js')).cocoSsdFactory)
  .register('yolo', 'any Ultralytics-style ONNX export (v5, v8/v11, end-to-end) via onnxruntime-node (--detector-model FILE)', async () => (await import('./yolo-onnx.js')).yoloFactory);

export const DEFAULT_DETECTOR = 'centernet';

export async function createDetector(name: string, options: DetectorOptions = {}): Promise<Detector> {
  const factory = await detectors.load(name);
  return await factory(options);
}

export type { Detection, Detector, DetectorOptions } from './types.js';
