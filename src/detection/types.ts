/** The detector interface: image → boxes in input pixels, raw scores, no rounding. */
import type { Image } from '../core/image.js';

export interface Detection {
  /** Top-left corner and size, in pixels of the image given to `detect`. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Raw model score in [0, 1]. */
  score: number;
  /** 0-based COCO-80 class index (human / coco-ssd / Ultralytics order). */
  classId: number;
  label: string;
}

export interface Detector {
  name: string;
  /** Everything that changes the output (model file hash, thresholds …), for caches and reports. */
  identity: Record<string, string | number | boolean>;
  runtime: { backend: string; threads: number };
  detect(image: Image): Promise<Detection[]>;
}

export interface DetectorOptions {
  /** Model file or directory for detectors whose weights are not shipped (coco-ssd, yolo). */
  model?: string;
  /** Minimum score kept (default: the detector's evaluation setting, usually 0.001–0.05). */
  minScore?: number;
}

export type DetectorFactory = (options: DetectorOptions) => Detector | Promise<Detector>;

/** The 80 COCO classes in the 0-based order used by human, coco-ssd and Ultralytics. */
export const COCO80 = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

/** COCO category ids (1–90 with gaps) for the 80 classes, index-aligned with COCO80. */
export const COCO80_TO_91 = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34,
  35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
  67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
] as const;
