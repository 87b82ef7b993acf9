/**
 * YOLO detector for user-supplied Ultralytics ONNX exports, run with onnxruntime-node on the CPU.
 *
 * Preprocessing: 8-bit RGB (`toUint8`, `toRgb`), Ultralytics letterbox to the model's input size
 * (static input dims, else `imgsz`, default 640 square), RGB / 255, NCHW float32.
 *
 * Output layouts, recognised from the first output's shape (`detectYoloLayout`):
 * - `v8`  — YOLOv8 / YOLO11: [1, 4+nc, N]; rows cx, cy, w, h (input pixels), then nc class
 *           scores; no objectness. Default NMS IoU 0.7.
 * - `v5`  — YOLOv5: [1, N, 5+nc]; cx, cy, w, h, objectness, nc class scores; score =
 *           objectness × class score; a box needs objectness > conf too. Default NMS IoU 0.6.
 * - `e2e` — end-to-end (NMS-free) exports: [1, K, 6] with K ≤ 1000 (max_det rows, 300 by
 *           default): x1, y1, x2, y2, score, class. No NMS; rows kept in model order.
 *
 * Post-processing follows Ultralytics validation: keep scores strictly above conf (default
 * 0.001), multi-label (every class above conf of a box is a candidate), at most 30000 candidates
 * by score, class-aware greedy NMS, at most max_det (300) boxes, best first. Boxes are mapped back
 * through the letterbox and clipped to the image; boxes left empty by the clipping (they lay in
 * the padding) are dropped.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { describeError, UserError } from '../core/errors.js';
import { sha256File } from '../core/hash.js';
import { type Image, toRgb, toUint8 } from '../core/image.js';
import { boxToOriginal, letterbox, type LetterboxGeometry } from './letterbox.js';
import { nms, type ScoredBox } from './nms.js';
import { COCO80, type Detection, type Detector, type DetectorFactory, type DetectorOptions } from './types.js';

export type YoloLayout = 'v8' | 'v5' | 'e2e';

export interface YoloLayoutInfo {
  layout: YoloLayout;
  /** Number of classes (e2e outputs do not say: 80 is assumed). */
  classes: number;
  /** Candidate boxes (rows) in one output. */
  boxes: number;
}

export interface YoloOptions extends DetectorOptions {
  /** Force the output layout instead of recognising it from the shape. */
  layout?: YoloLayout;
  /** NMS IoU threshold (default 0.7 for v8, 0.6 for v5; unused for e2e). */
  iou?: number;
  /** Maximum boxes per image (default 300). */
  maxDet?: number;
  /** Every class above the threshold of a box is a candidate (default true, as Ultralytics val). */
  multiLabel?: boolean;
  /** Square input size for models with dynamic spatial input dims (default 640). */
  imgsz?: number;
  /** onnxruntime intra-op threads (default: os.availableParallelism()). */
  threads?: number;
}

export interface PostprocessOptions {
  /** Keep scores strictly above this. */
  conf: number;
  iou: number;
  maxDet: number;
  multiLabel: boolean;
}

/** A detector that also owns an onnxruntime session. */
export interface YoloDetector extends Detector {
  layout: YoloLayoutInfo;
  /** Network input size. */
  input: { name: string; width: number; height: number };
  /** Free the onnxruntime session. */
  release(): Promise<void>;
}

export const YOLO_DEFAULTS = { conf: 0.001, iouV8: 0.7, iouV5: 0.6, maxDet: 300, imgsz: 640, maxNms: 30000 } as const;

/** End-to-end outputs have max_det rows; YOLOv5 single-class outputs [1, N, 6] have many more. */
const E2E_MAX_ROWS = 1000;

const MODEL_HINT = 'the yolo detector needs --detector-model FILE.onnx (an Ultralytics export, e.g. `yolo export model=yolo11n.pt format=onnx`)';

function formatShape(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/**
 * Recognise the output layout from a concrete output shape:
 * - [1, K, 6] with K ≤ 1000 → e2e;
 * - else, when exactly one of dims 1 and 2 says "COCO-80" (84 = 4+80 channels first → v8,
 *   85 = 5+80 channels last → v5), that decides; otherwise the smaller of the two is the channel
 *   dim (real models have far more candidates than channels): dim 1 → v8, dim 2 → v5;
 * - v8 needs ≥ 5 channels, v5 ≥ 6. Anything else is a UserError naming the shape.
 */
export function detectYoloLayout(dims: readonly number[]): YoloLayoutInfo {
  const fail = (): never => {
    throw new UserError(
      `the YOLO model's output shape ${formatShape(dims)} is not a known Ultralytics layout ` +
        '(expected [1, 4+nc, N] for YOLOv8/YOLO11, [1, N, 5+nc] for YOLOv5 or [1, 300, 6] for an end-to-end export)',
    );
  };
  if (dims.length !== 3 || dims[0] !== 1 || !dims.every((d) => Number.isInteger(d) && d > 0)) return fail();
  const [, a, b] = dims;
  if (b === 6 && a <= E2E_MAX_ROWS) return { layout: 'e2e', classes: 80, boxes: a };
  const v8Coco = a === 84;
  const v5Coco = b === 85;
  const v8 = v8Coco !== v5Coco ? v8Coco : a < b;
  if (v8) return a >= 5 ? { layout: 'v8', classes: a - 4, boxes: b } : fail();
  return b >= 6 ? { layout: 'v5', classes: b - 5, boxes: a } : fail();
}

/** Layout info for a forced layout (still checks that the shape fits it). */
function forcedLayout(layout: YoloLayout, dims: readonly number[]): YoloLayoutInfo {
  const ok = dims.length === 3 && dims[0] === 1;
  const [, a, b] = dims;
  if (ok && layout === 'e2e' && b === 6) return { layout, classes: 80, boxes: a };
  if (ok && layout === 'v8' && a >= 5) return { layout, classes: a - 4, boxes: b };
  if (ok && layout === 'v5' && b >= 6) return { layout, classes: b - 5, boxes: a };
  throw new UserError(`the YOLO model's output shape ${formatShape(dims)} does not fit the ${layout} layout`);
}

/** Growable list of candidates: key = box index × nc + class, and score. */
class Candidates {
  keys = new Int32Array(1024);
  scores = new Float32Array(1024);
  length = 0;
  push(key: number, score: number): void {
    if (this.length === this.keys.length) {
      const keys = new Int32Array(this.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const scores = new Float32Array(this.length * 2);
      scores.set(this.scores);
      this.scores = scores;
    }
    this.keys[this.length] = key;
    this.scores[this.length++] = score;
  }
  /**
   * Indices of at most `limit` candidates, best first; equal scores in key order (box, then
   * class), so the result does not depend on the order candidates were collected in.
   */
  best(limit: number): number[] {
    const { keys, scores, length } = this;
    let chosen: number[];
    if (length <= limit) {
      chosen = Array.from({ length }, (_, i) => i);
    } else {
      // the limit-th best score, then everything above it and the first ties (by key)
      const kth = scores.slice(0, length).sort()[length - limit];
      chosen = [];
      const ties: number[] = [];
      for (let i = 0; i < length; i++) {
        if (scores[i] > kth) chosen.push(i);
        else if (scores[i] === kth) ties.push(i);
      }
      ties.sort((i, j) => keys[i] - keys[j]);
      for (let t = 0; chosen.length < limit; t++) chosen.push(ties[t]);
    }
    return chosen.sort((i, j) => scores[j] - scores[i] || keys[i] - keys[j]);
  }
}

/**
 * Decode one raw output (batch 1) into boxes in network-input pixels, thresholded, suppressed and
 * cut to maxDet, best first (e2e: model order). Candidates with equal scores are taken in
 * (box, class) order.
 */
export function decodeYoloOutput(data: Float32Array, info: YoloLayoutInfo, options: PostprocessOptions): ScoredBox[] {
  const { conf, multiLabel } = options;
  const nc = info.classes;
  const n = info.boxes;
  if (info.layout === 'e2e') {
    const out: ScoredBox[] = [];
    for (let i = 0; i < n && out.length < options.maxDet; i++) {
      const o = i * 6;
      const score = data[o + 4];
      if (!(score > conf)) continue;
      out.push({ x1: data[o], y1: data[o + 1], x2: data[o + 2], y2: data[o + 3], score, classId: Math.round(data[o + 5]) });
    }
    return out;
  }
  const cands = new Candidates();
  if (info.layout === 'v8') {
    // [4+nc, n], attribute-major: read class rows contiguously
    if (multiLabel) {
      for (let k = 0; k < nc; k++) {
        const row = (4 + k) * n;
        for (let i = 0; i < n; i++) {
          const s = data[row + i];
          if (s > conf) cands.push(i * nc + k, s);
        }
      }
    } else {
      const best = new Float32Array(n).fill(-Infinity);
      const cls = new Int32Array(n);
      for (let k = 0; k < nc; k++) {
        const row = (4 + k) * n;
        for (let i = 0; i < n; i++) {
          if (data[row + i] > best[i]) {
            best[i] = data[row + i];
            cls[i] = k;
          }
        }
      }
      for (let i = 0; i < n; i++) if (best[i] > conf) cands.push(i * nc + cls[i], best[i]);
    }
  } else {
    // [n, 5+nc], box-major; score = objectness × class score, in float32 as the reference
    const stride = 5 + nc;
    for (let i = 0; i < n; i++) {
      const o = i * stride;
      const obj = data[o + 4];
      if (!(obj > conf)) continue;
      let best = -Infinity;
      let cls = 0;
      for (let k = 0; k < nc; k++) {
        const s = Math.fround(obj * data[o + 5 + k]);
        if (multiLabel) {
          if (s > conf) cands.push(i * nc + k, s);
        } else if (s > best) {
          best = s;
          cls = k;
        }
      }
      if (!multiLabel && best > conf) cands.push(i * nc + cls, best);
    }
  }
  const boxes = cands.best(YOLO_DEFAULTS.maxNms).map((c): ScoredBox => {
    const key = cands.keys[c];
    const i = Math.floor(key / nc);
    const classId = key - i * nc;
    const [cx, cy, w, h] = info.layout === 'v8' ? [data[i], data[n + i], data[2 * n + i], data[3 * n + i]] : data.subarray(i * (5 + nc), i * (5 + nc) + 4);
    return { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: cands.scores[c], classId };
  });
  return nms(boxes, { iou: options.iou, maxDet: options.maxDet, classAware: true });
}

/** Boxes in network-input pixels → detections in original pixels (clipped; empty boxes dropped). */
export function toDetections(boxes: readonly ScoredBox[], geometry: LetterboxGeometry, classes: number): Detection[] {
  const out: Detection[] = [];
  for (const b of boxes) {
    const c = boxToOriginal(b, geometry);
    const w = c.x2 - c.x1;
    const h = c.y2 - c.y1;
    if (!(w > 0 && h > 0)) continue;
    const label = classes === 80 && b.classId >= 0 && b.classId < 80 ? COCO80[b.classId] : `class ${b.classId}`;
    out.push({ x: c.x1, y: c.y1, w, h, score: b.score, classId: b.classId, label });
  }
  return out;
}

function positive(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UserError(`yolo detector: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

function readInput(session: ort.InferenceSession, imgsz: number | undefined): YoloDetector['input'] {
  const meta = session.inputMetadata[0];
  if (!meta) throw new UserError('the YOLO model has no input');
  if (!meta.isTensor) throw new UserError(`the YOLO model's input ${meta.name} is not a tensor`);
  if (meta.type !== 'float32') throw new UserError(`the YOLO model's input ${meta.name} is ${meta.type}; only float32 exports are supported (export without half=True)`);
  const shape = meta.shape;
  const channels = shape[1];
  if (shape.length !== 4 || (typeof channels === 'number' && channels !== 3)) {
    throw new UserError(`the YOLO model's input ${meta.name} has shape ${formatShape(shape)}; expected NCHW [1, 3, H, W]`);
  }
  const h = shape[2];
  const w = shape[3];
  const fixedH = typeof h === 'number' && h > 0 ? h : undefined;
  const fixedW = typeof w === 'number' && w > 0 ? w : undefined;
  if (imgsz !== undefined && ((fixedH !== undefined && fixedH !== imgsz) || (fixedW !== undefined && fixedW !== imgsz))) {
    throw new UserError(`the YOLO model's input is fixed at ${formatShape(shape)}; it cannot run at size ${imgsz}`);
  }
  const size = imgsz ?? YOLO_DEFAULTS.imgsz;
  return { name: meta.name, width: fixedW ?? size, height: fixedH ?? size };
}

function outputDims(session: ort.InferenceSession): number[] | undefined {
  const meta = session.outputMetadata[0];
  if (!meta || !meta.isTensor) return undefined;
  const dims = meta.shape;
  return dims.length > 0 && dims.every((d) => typeof d === 'number' && d > 0) ? (dims as number[]) : undefined;
}

/** Create the detector: loads the model (one onnxruntime session) and resolves its layout. */
export async function createYoloDetector(options: YoloOptions): Promise<YoloDetector> {
  const path = options.model;
  if (!path) throw new UserError(MODEL_HINT);
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw new UserError(`${MODEL_HINT}; cannot read ${path}: ${describeError(err)}`);
  }
  const conf = options.minScore ?? YOLO_DEFAULTS.conf;
  if (!Number.isFinite(conf) || conf < 0) throw new UserError(`yolo detector: the minimum score must be a number ≥ 0, got ${conf}`);
  const maxDet = positive('maxDet', options.maxDet, YOLO_DEFAULTS.maxDet, true);
  const imgsz = options.imgsz === undefined ? undefined : positive('imgsz', options.imgsz, YOLO_DEFAULTS.imgsz, true);
  const threads = positive('threads', options.threads, availableParallelism(), true);
  const multiLabel = options.multiLabel ?? true;

  const modelHash = await sha256File(path);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new UserError(`cannot load the ONNX model ${path}: ${describeError(err)}`);
  }

  try {
    const input = readInput(session, imgsz);
    const outputName = session.outputNames[0];
    if (outputName === undefined) throw new UserError('the YOLO model has no output');

    const run = async (tensorData: Float32Array): Promise<{ dims: number[]; data: Float32Array }> => {
      const feeds = { [input.name]: new ort.Tensor('float32', tensorData, [1, 3, input.height, input.width]) };
      const result = await session.run(feeds, [outputName]);
      const out = result[outputName];
      if (!out || out.type !== 'float32') {
        throw new UserError(`the YOLO model's output ${outputName} is ${out?.type ?? 'missing'}; only float32 outputs are supported`);
      }
      return { dims: [...out.dims], data: out.data as Float32Array };
    };
    const resolve = (dims: readonly number[]): YoloLayoutInfo => (options.layout ? forcedLayout(options.layout, dims) : detectYoloLayout(dims));

    // A dynamic output shape is learnt from one run on a grey input (it also warms the session up).
    const staticDims = outputDims(session) ?? (await run(new Float32Array(3 * input.width * input.height).fill(114 / 255))).dims;
    const layout = resolve(staticDims);
    const iou = options.iou ?? (layout.layout === 'v5' ? YOLO_DEFAULTS.iouV5 : YOLO_DEFAULTS.iouV8);
    if (!(iou >= 0 && iou <= 1)) throw new UserError(`yolo detector: the NMS IoU threshold must be in [0, 1], got ${iou}`);
    const post: PostprocessOptions = { conf, iou, maxDet, multiLabel };

    return {
      name: 'yolo',
      identity: {
        detector: 'yolo',
        model: modelHash,
        layout: layout.layout,
        classes: layout.classes,
        input: `${input.width}x${input.height}`,
        minScore: conf,
        iou: layout.layout === 'e2e' ? 'none' : iou,
        maxDet,
        multiLabel,
        letterbox: 'ultralytics-bilinear-114',
        version: 1,
      },
      runtime: { backend: 'onnxruntime-node cpu', threads },
      layout,
      input,
      release: () => session.release(),
      detect: async (image: Image): Promise<Detection[]> => {
        const rgb = toRgb(toUint8(image));
        const { tensor, geometry } = letterbox(rgb, input.width, input.height);
        const { dims, data } = await run(tensor);
        // real models with dynamic inputs change N with the input size; the layout stays
        const info = dims.length === 3 && dims[1] === staticDims[1] && dims[2] === staticDims[2] ? layout : resolve(dims);
        if (info.layout !== layout.layout || info.classes !== layout.classes) {
          throw new UserError(`the YOLO model's output changed layout: ${formatShape(staticDims)} at load, ${formatShape(dims)} now`);
        }
        return toDetections(decodeYoloOutput(data, info, post), geometry, info.classes);
      },
    };
  } catch (err) {
    await session.release();
    throw err;
  }
}

/** `DetectorFactory` entry: options.model = path to an Ultralytics ONNX export. */
export const yoloFactory: DetectorFactory = (options) => createYoloDetector(options);
