/**
 * The YOLO ONNX detector with real onnxruntime-node on tiny constant-output models
 * (test/fixtures/yolo/README.md), the letterbox geometry and resize, and layout recognition.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { sha256 } from '../../src/core/hash.js';
import { type Image, createImage } from '../../src/core/image.js';
import {
  boxToLetterbox,
  boxToOriginal,
  letterbox,
  letterboxGeometry,
  type LetterboxGeometry,
  resizeBilinear,
  roundHalfEven,
} from '../../src/detection/letterbox.js';
import {
  createYoloDetector,
  decodeYoloOutput,
  detectYoloLayout,
  type YoloDetector,
  type YoloOptions,
  yoloFactory,
} from '../../src/detection/yolo-onnx.js';
import type { Detection } from '../../src/detection/types.js';

const dir = join(import.meta.dirname, '../fixtures/yolo');

interface ExpectedCase {
  model: string;
  layout: 'v8' | 'v5' | 'e2e';
  options: YoloOptions;
  image: [number, number];
  input: [number, number];
  settings: { conf: number; iou: number | null; maxDet: number; multiLabel: boolean };
  detections: Detection[];
}
interface Expected {
  models: Record<string, { file: string; layout: string | null; classes?: number; output: (number | string)[] }>;
  cases: ExpectedCase[];
  geometry: LetterboxGeometry[];
}
interface Cv2Case {
  width: number;
  height: number;
  channels: 1 | 3;
  dstWidth: number;
  dstHeight: number;
  /** base64 of the uint8 HWC bytes */
  pixels: string;
  letterboxed: string;
}

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
const cv2 = JSON.parse(readFileSync(join(dir, 'letterbox-cv2.json'), 'utf8')) as { cases: Cv2Case[] };

/** A deterministic non-constant RGB test image. */
function synthetic(width: number, height: number): Image<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 7 + y * 3) & 255;
      data[i + 1] = (x * y) & 255;
      data[i + 2] = (255 - x - 2 * y) & 255;
    }
  }
  return createImage(width, height, 3, data);
}

const opened: YoloDetector[] = [];
async function open(file: string, options: YoloOptions = {}): Promise<YoloDetector> {
  const detector = await createYoloDetector({ ...options, model: join(dir, file) });
  opened.push(detector);
  return detector;
}
afterAll(async () => {
  for (const d of opened) await d.release();
});

function expectDetections(actual: Detection[], wanted: Detection[]): void {
  expect(actual.length).toBe(wanted.length);
  actual.forEach((d, i) => {
    const e = wanted[i];
    expect(d.classId).toBe(e.classId);
    expect(d.label).toBe(e.label);
    expect(d.score).toBeCloseTo(e.score, 9);
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(d[k] - e[k])).toBeLessThan(1e-3);
  });
}

describe('yolo detector on the fixture models', () => {
  for (const c of expected.cases) {
    const name = `${c.model} ${c.image.join('×')} ${JSON.stringify(c.options)}`;
    it(`${name}: ${c.detections.length} boxes as expected`, async () => {
      const detector = await open(c.model, c.options);
      expect(detector.layout.layout).toBe(c.layout);
      expect(detector.layout.classes).toBe(80);
      expect([detector.input.width, detector.input.height]).toEqual(c.input);
      const got = await detector.detect(synthetic(c.image[0], c.image[1]));
      expectDetections(got, c.detections);
      for (const d of got) {
        expect(d.x).toBeGreaterThanOrEqual(0);
        expect(d.y).toBeGreaterThanOrEqual(0);
        expect(d.x + d.w).toBeLessThanOrEqual(c.image[0] + 1e-9);
        expect(d.y + d.h).toBeLessThanOrEqual(c.image[1] + 1e-9);
      }
    });
  }

  it('reports identity and runtime', async () => {
    const file = expected.models.v8.file;
    const detector = await open(file, { threads: 1 });
    expect(detector.name).toBe('yolo');
    expect(detector.runtime).toEqual({ backend: 'onnxruntime-node cpu', threads: 1 });
    expect(detector.identity).toMatchObject({
      detector: 'yolo',
      model: sha256(readFileSync(join(dir, file))),
      layout: 'v8',
      classes: 80,
      input: '640x640',
      minScore: 0.001,
      iou: 0.7,
      maxDet: 300,
      multiLabel: true,
    });
    const v5 = await open(expected.models.v5.file);
    expect(v5.identity).toMatchObject({ layout: 'v5', iou: 0.6 });
    expect(v5.runtime.threads).toBeGreaterThanOrEqual(1);
    const e2e = await open(expected.models.e2e.file);
    expect(e2e.identity).toMatchObject({ layout: 'e2e' });
  });

  it('accepts grey, 16-bit and float images (converted to 8-bit RGB first)', async () => {
    const detector = await open(expected.models.v8.file);
    const want = expected.cases.find((c) => c.model === expected.models.v8.file && c.image[0] === 333 && Object.keys(c.options).length === 0)!;
    const [w, h] = want.image;
    const images: Image[] = [
      createImage(w, h, 1, new Uint8Array(w * h).fill(40)),
      createImage(w, h, 3, new Uint16Array(w * h * 3).fill(30000)),
      createImage(w, h, 3, new Float32Array(w * h * 3).fill(0.25)),
    ];
    for (const img of images) expectDetections(await detector.detect(img), want.detections);
  });

  it('runs concurrent detections on one session', async () => {
    const detector = await open(expected.models.v5.file);
    const cases = expected.cases.filter((c) => c.model === expected.models.v5.file && Object.keys(c.options).length === 0);
    const results = await Promise.all(cases.map((c) => detector.detect(synthetic(c.image[0], c.image[1]))));
    results.forEach((r, i) => expectDetections(r, cases[i].detections));
  });

  it('works through the DetectorFactory entry point', async () => {
    const detector = (await yoloFactory({ model: join(dir, expected.models.e2e.file) })) as YoloDetector;
    opened.push(detector);
    expect(detector.layout.layout).toBe('e2e');
  });
});

describe('yolo detector errors', () => {
  it('rejects a model whose output has no known layout, naming the shape', async () => {
    const err = await createYoloDetector({ model: join(dir, expected.models.bad.file) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('[1, 4, 8]');
    expect((err as UserError).message).not.toContain('\n');
  });

  it('rejects a forced layout that does not fit', async () => {
    await expect(open(expected.models.v8.file, { layout: 'e2e' })).rejects.toThrow(/does not fit the e2e layout/);
  });

  it('needs --detector-model', async () => {
    await expect(createYoloDetector({})).rejects.toBeInstanceOf(UserError);
    await expect(Promise.resolve(yoloFactory({}))).rejects.toThrow(/^the yolo detector needs --detector-model FILE\.onnx \(an Ultralytics export/);
    const missing = join(dir, 'no-such-model.onnx');
    const err = await createYoloDetector({ model: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^the yolo detector needs --detector-model/);
    expect((err as UserError).message).toContain(missing);
  });

  it('reports a file that is not an ONNX model', async () => {
    const err = await createYoloDetector({ model: join(dir, 'README.md') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^cannot load the ONNX model/);
  });

  it('rejects bad options', async () => {
    const model = join(dir, expected.models.v8.file);
    await expect(createYoloDetector({ model, imgsz: 320 })).rejects.toThrow(/fixed at \[1, 3, 640, 640\]/);
    await expect(createYoloDetector({ model, maxDet: 0 })).rejects.toBeInstanceOf(UserError);
    await expect(createYoloDetector({ model, iou: 1.5 })).rejects.toBeInstanceOf(UserError);
    await expect(createYoloDetector({ model, minScore: -1 })).rejects.toBeInstanceOf(UserError);
  });
});

describe('detectYoloLayout', () => {
  it('recognises the Ultralytics layouts', () => {
    expect(detectYoloLayout([1, 84, 8400])).toEqual({ layout: 'v8', classes: 80, boxes: 8400 });
    expect(detectYoloLayout([1, 84, 8])).toEqual({ layout: 'v8', classes: 80, boxes: 8 });
    expect(detectYoloLayout([1, 6, 8400])).toEqual({ layout: 'v8', classes: 2, boxes: 8400 });
    expect(detectYoloLayout([1, 25200, 85])).toEqual({ layout: 'v5', classes: 80, boxes: 25200 });
    expect(detectYoloLayout([1, 12, 85])).toEqual({ layout: 'v5', classes: 80, boxes: 12 });
    expect(detectYoloLayout([1, 25200, 7])).toEqual({ layout: 'v5', classes: 2, boxes: 25200 });
    expect(detectYoloLayout([1, 25200, 6])).toEqual({ layout: 'v5', classes: 1, boxes: 25200 });
    expect(detectYoloLayout([1, 300, 6])).toEqual({ layout: 'e2e', classes: 80, boxes: 300 });
  });
  it('rejects anything else with a one-line UserError naming the shape', () => {
    for (const dims of [[1, 4, 8], [1, 8, 4], [1, 84], [2, 84, 8400], [1, 1, 84, 8400], [1, 0, 6], [1, 5, 5]]) {
      let caught: unknown;
      try {
        detectYoloLayout(dims);
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(dims)).toBeInstanceOf(UserError);
      expect((caught as UserError).message).toContain(`[${dims.join(', ')}]`);
    }
  });
});

describe('decodeYoloOutput', () => {
  it('keeps only the 30000 best candidates before NMS', () => {
    // one class; the 30000 best boxes are identical (NMS keeps one of them), the 1000 worst are
    // disjoint from everything and would all survive NMS if they were not cut first
    const n = 31000;
    const data = new Float32Array(5 * n);
    for (let i = 0; i < n; i++) {
      const worst = i < 1000;
      data[i] = worst ? 1000 + (i % 40) * 20 : 100;
      data[n + i] = worst ? 1000 + Math.floor(i / 40) * 20 : 100;
      data[2 * n + i] = 10;
      data[3 * n + i] = 10;
      data[4 * n + i] = (i + 1) / (n + 1);
    }
    const info = { layout: 'v8' as const, classes: 1, boxes: n };
    const out = decodeYoloOutput(data, info, { conf: 0.001, iou: 0.7, maxDet: 300, multiLabel: true });
    expect(out.length).toBe(1);
    expect(out[0].score).toBe(data[5 * n - 1]);
    // with fewer candidates nothing is cut: the disjoint boxes come through
    const few = data.slice();
    few.fill(0, 4 * n + 1000, 4 * n + 30000);
    const kept = decodeYoloOutput(few, info, { conf: 0.001, iou: 0.7, maxDet: 300, multiLabel: true });
    expect(kept.length).toBe(1 + 299);
  });

  it('decodes the v5 and e2e layouts by hand', () => {
    const v5 = new Float32Array([10, 20, 4, 6, 0.5, 0.2, 0.8, 10, 20, 4, 6, 0.0005, 1, 1]);
    const out = decodeYoloOutput(v5, { layout: 'v5', classes: 2, boxes: 2 }, { conf: 0.001, iou: 0.6, maxDet: 300, multiLabel: true });
    expect(out).toEqual([
      { x1: 8, y1: 17, x2: 12, y2: 23, score: Math.fround(0.5 * Math.fround(0.8)), classId: 1 },
      { x1: 8, y1: 17, x2: 12, y2: 23, score: Math.fround(0.5 * Math.fround(0.2)), classId: 0 },
    ]);
    const single = decodeYoloOutput(v5, { layout: 'v5', classes: 2, boxes: 2 }, { conf: 0.001, iou: 0.6, maxDet: 300, multiLabel: false });
    expect(single.map((b) => b.classId)).toEqual([1]);
    const e2e = new Float32Array([1, 2, 3, 4, 0.5, 7, 5, 6, 7, 8, 0.9, 2, 0, 0, 0, 0, 0, 0]);
    expect(decodeYoloOutput(e2e, { layout: 'e2e', classes: 80, boxes: 3 }, { conf: 0.001, iou: 0.7, maxDet: 300, multiLabel: true })).toEqual([
      { x1: 1, y1: 2, x2: 3, y2: 4, score: 0.5, classId: 7 },
      { x1: 5, y1: 6, x2: 7, y2: 8, score: Math.fround(0.9), classId: 2 },
    ]);
  });
});

describe('letterbox', () => {
  it('matches the reference geometry table (incl. odd sizes and half-way rounding)', () => {
    expect(expected.geometry.length).toBeGreaterThan(50);
    for (const g of expected.geometry) {
      expect(letterboxGeometry(g.srcWidth, g.srcHeight, g.dstWidth, g.dstHeight)).toEqual(g);
    }
  });

  it('known cases', () => {
    expect(letterboxGeometry(1280, 720, 640)).toMatchObject({ ratio: 0.5, newWidth: 640, newHeight: 360, left: 0, right: 0, top: 140, bottom: 140 });
    expect(letterboxGeometry(333, 500, 640)).toMatchObject({ ratio: 1.28, newWidth: 426, newHeight: 640, left: 107, right: 107, top: 0, bottom: 0 });
    // 5 × 0.5 = 2.5 rounds to 2 (half to even), padding 1.5 splits 1 / 2
    expect(letterboxGeometry(5, 10, 5)).toMatchObject({ newWidth: 2, newHeight: 5, left: 1, right: 2 });
    expect(letterboxGeometry(641, 479, 640, 384)).toMatchObject({ dstWidth: 640, dstHeight: 384 });
    for (const g of expected.geometry) {
      expect(g.left + g.newWidth + g.right).toBe(g.dstWidth);
      expect(g.top + g.newHeight + g.bottom).toBe(g.dstHeight);
    }
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(2.4999)).toBe(2);
    expect(roundHalfEven(-0.6)).toBe(-1);
    expect(() => letterboxGeometry(0, 5, 640)).toThrow();
  });

  it('is bit-exact with OpenCV for 8-bit images (cv2.resize INTER_LINEAR + border 114)', () => {
    expect(cv2.cases.length).toBeGreaterThanOrEqual(8);
    for (const c of cv2.cases) {
      const name = `${c.width}x${c.height}x${c.channels} → ${c.dstWidth}x${c.dstHeight}`;
      const pixels = new Uint8Array(Buffer.from(c.pixels, 'base64'));
      const want = new Uint8Array(Buffer.from(c.letterboxed, 'base64'));
      const img = createImage(c.width, c.height, c.channels, pixels);
      const { tensor } = letterbox(img, c.dstWidth, c.dstHeight);
      expect(tensor.length, name).toBe(3 * c.dstWidth * c.dstHeight);
      const plane = c.dstWidth * c.dstHeight;
      let mismatches = 0;
      for (let p = 0; p < plane; p++) {
        for (let k = 0; k < 3; k++) {
          const ref = want[p * c.channels + (c.channels === 3 ? k : 0)];
          if (tensor[k * plane + p] !== Math.fround(ref / 255)) mismatches++;
        }
      }
      expect(mismatches, name).toBe(0);
    }
  });

  it('pads with 114/255, keeps a constant image constant, and replicates grey', () => {
    const grey = createImage(7, 3, 1, new Uint8Array(21).fill(200));
    const { tensor, geometry } = letterbox(grey, 16, 16);
    expect(geometry).toMatchObject({ newWidth: 16, newHeight: 7, top: 4, bottom: 5 });
    for (let k = 0; k < 3; k++) {
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const inside = y >= geometry.top && y < geometry.top + geometry.newHeight;
          expect(tensor[k * 256 + y * 16 + x]).toBeCloseTo(inside ? 200 / 255 : 114 / 255, 6);
        }
      }
    }
  });

  it('resizes with half-pixel centres, clamped at the edges', () => {
    // a 4-pixel ramp 0, 10, 20, 30 halved: samples at 0.5 and 2.5 → 5 and 25
    const ramp = createImage(4, 1, 1, new Float32Array([0, 10, 20, 30]));
    expect(Array.from(resizeBilinear(ramp, 2, 1).data)).toEqual([5, 25]);
    // doubled: samples at −0.25 (clamped to 0), 0.25, 0.75, 1.25, …, 3.25 (clamped to 3)
    expect(Array.from(resizeBilinear(ramp, 8, 1).data)).toEqual([0, 2.5, 7.5, 12.5, 17.5, 22.5, 27.5, 30]);
    // 8-bit results are rounded
    const u8 = createImage(2, 1, 1, new Uint8Array([0, 3]));
    expect(Array.from(resizeBilinear(u8, 4, 1).data)).toEqual([0, 1, 2, 3]);
  });

  it('maps boxes back: forward then inverse is the identity inside the image', () => {
    const sizes: [number, number][] = [[1280, 720], [333, 500], [641, 479], [7, 3], [1, 1], [1000, 3]];
    for (const [w, h] of sizes) {
      for (const [dw, dh] of [[640, 640], [320, 320], [640, 384]]) {
        const g = letterboxGeometry(w, h, dw, dh);
        const boxes = [
          { x1: 0, y1: 0, x2: w, y2: h },
          { x1: w * 0.1, y1: h * 0.2, x2: w * 0.7, y2: h * 0.9 },
          { x1: w / 3, y1: h / 7, x2: w / 2, y2: h / 3 },
        ];
        for (const b of boxes) {
          const back = boxToOriginal(boxToLetterbox(b, g), g);
          for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(back[k] - b[k])).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('the inverse mapping subtracts the padding, divides by r and clips', () => {
    const g = letterboxGeometry(1280, 720, 640);
    expect(boxToOriginal({ x1: 10, y1: 150, x2: 20, y2: 160 }, g)).toEqual({ x1: 20, y1: 20, x2: 40, y2: 40 });
    expect(boxToOriginal({ x1: -5, y1: 100, x2: 700, y2: 600 }, g)).toEqual({ x1: 0, y1: 0, x2: 1280, y2: 720 });
    const h = letterboxGeometry(333, 500, 640);
    expect(boxToOriginal({ x1: 107, y1: 0, x2: 107 + 128, y2: 64 }, h)).toEqual({ x1: 0, y1: 0, x2: 100, y2: 50 });
  });
});
