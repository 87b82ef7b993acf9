/**
 * COCO box evaluation speed: deblurbench's evaluateCoco vs pycocotools on the same seeded
 * synthetic set (5,000 images, 80 categories, ~7 ground-truth boxes and ~20 detections per
 * image, score ties, some crowd boxes), both measured in this run.
 *
 * pycocotools time = evaluate() + accumulate() + summarize() on already loaded COCO objects
 * (JSON loading and loadRes excluded). Ours is reported both from the JSON text (parse,
 * validation, evaluation) and for the evaluation alone (the comparable number). The 12 stats of
 * the two must agree to 1e-9.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { type CocoAnnotation, type CocoDetection, type CocoGroundTruth, parseDetections, parseGroundTruth } from '../src/detection/coco-json.js';
import { evaluateCoco } from '../src/detection/cocoeval.js';
import { COCO80, COCO80_TO_91 } from '../src/detection/types.js';
import { runPython, timeIt } from './python.js';

export interface CocoEvalBenchOptions {
  images?: number;
  /** Runs of our evaluation (median). Default 3. */
  runs?: number;
  /** Runs of pycocotools (median); each takes tens of seconds on 5,000 images. Default 1. */
  pythonRuns?: number;
}

export interface CocoEvalBenchResult {
  /** Ours from the JSON text: parse + validate + evaluate (median ms). */
  oursMs: number;
  /** Ours, evaluation only (median ms): the number comparable to pycocotoolsMs. */
  oursEvalMs: number;
  /** pycocotools evaluate() + accumulate() + summarize() (median ms), null when not measured. */
  pycocotoolsMs: number | null;
  /** pycocotoolsMs / oursEvalMs. */
  speedup: number | null;
  /** Largest |Δ| over the 12 stats; null when pycocotools did not run. */
  maxAbsDiff: number | null;
  agree: boolean | null;
  images: number;
  annotations: number;
  detections: number;
  reason?: string;
}

const PYCOCOTOOLS = `
import sys, json, time, io, contextlib
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[1])
    dt = gt.loadRes(sys.argv[2])
times, stats = [], None
for _ in range(int(sys.argv[3])):
    ev = COCOeval(gt, dt, 'bbox')
    with contextlib.redirect_stdout(io.StringIO()):
        t = time.perf_counter()
        ev.evaluate(); ev.accumulate(); ev.summarize()
        times.append((time.perf_counter() - t) * 1000)
    stats = [float(s) for s in ev.stats]
print(json.dumps({"ms": sorted(times)[len(times) // 2], "stats": stats}))
`;

/** A seeded synthetic COCO set: jittered detections around the GT plus false positives. */
export function syntheticCocoSet(images: number, seed = 7): { gt: CocoGroundTruth; dets: CocoDetection[] } {
  const rng = new Rng(seed);
  const W = 640;
  const H = 480;
  const round2 = (v: number): number => Math.round(v * 100) / 100;
  const score = (): number => Math.round(rng.uniform() * 100) / 100; // ties
  const randomBox = (): [number, number, number, number] => {
    const w = Math.exp(Math.log(4) + rng.uniform() * (Math.log(400) - Math.log(4)));
    const h = w * Math.exp((rng.uniform() - 0.5) * 1.2);
    return [round2(rng.uniform() * Math.max(1, W - w)), round2(rng.uniform() * Math.max(1, H - h)), round2(w), round2(h)];
  };
  const annotations: CocoAnnotation[] = [];
  const dets: CocoDetection[] = [];
  for (let i = 1; i <= images; i++) {
    const nGt = rng.int(15); // mean 7
    const ownStart = annotations.length;
    for (let g = 0; g < nGt; g++) {
      const bbox = randomBox();
      const crowd = rng.uniform() < 0.01 ? 1 : 0;
      annotations.push({ id: annotations.length + 1, image_id: i, category_id: COCO80_TO_91[rng.int(80)], bbox, area: bbox[2] * bbox[3] * (0.6 + 0.4 * rng.uniform()), iscrowd: crowd });
    }
    const nDet = 20 + rng.int(5) - 2;
    for (let d = 0; d < nDet; d++) {
      if (nGt > 0 && rng.uniform() < 0.6) {
        const g = annotations[ownStart + rng.int(nGt)];
        const [x, y, w, h] = g.bbox;
        const s = 0.12;
        const cat = rng.uniform() < 0.9 ? g.category_id : COCO80_TO_91[rng.int(80)];
        dets.push({
          image_id: i,
          category_id: cat,
          bbox: [round2(x + rng.normal() * s * w), round2(y + rng.normal() * s * h), round2(Math.max(1, w * Math.exp(rng.normal() * s))), round2(Math.max(1, h * Math.exp(rng.normal() * s)))],
          score: score(),
        });
      } else {
        dets.push({ image_id: i, category_id: COCO80_TO_91[rng.int(80)], bbox: randomBox(), score: score() });
      }
    }
  }
  const gt: CocoGroundTruth = {
    images: Array.from({ length: images }, (_, i) => ({ id: i + 1, width: W, height: H, file_name: `${i + 1}.jpg` })),
    annotations,
    categories: COCO80.map((name, k) => ({ id: COCO80_TO_91[k], name })),
  };
  return { gt, dets };
}

export async function benchCocoEval(options: CocoEvalBenchOptions = {}): Promise<CocoEvalBenchResult> {
  const images = options.images ?? 5000;
  const runs = options.runs ?? 3;
  const { gt, dets } = syntheticCocoSet(images);
  const dir = mkdtempSync(join(tmpdir(), 'bench-cocoeval-'));
  try {
    const gtPath = join(dir, 'gt.json');
    const dtPath = join(dir, 'dt.json');
    const gtText = JSON.stringify(gt);
    const dtText = JSON.stringify(dets);
    writeFileSync(gtPath, gtText);
    writeFileSync(dtPath, dtText);

    const parsedGt = parseGroundTruth(gtText, gtPath);
    const parsedDt = parseDetections(dtText, dtPath);
    const ours = evaluateCoco(parsedGt, parsedDt);
    const oursEvalMs = await timeIt(() => evaluateCoco(parsedGt, parsedDt), runs, 1);
    const oursMs = await timeIt(() => evaluateCoco(parseGroundTruth(gtText, gtPath), parseDetections(dtText, dtPath)), runs, 0);

    const base = { oursMs, oursEvalMs, images, annotations: gt.annotations.length, detections: dets.length };
    const py = runPython(PYCOCOTOOLS, [gtPath, dtPath, String(options.pythonRuns ?? 1)]);
    if (!py.ok) return { ...base, pycocotoolsMs: null, speedup: null, maxAbsDiff: null, agree: null, reason: `pycocotools not measured: ${py.reason}` };
    const pyStats = (py.output as unknown as { stats: number[] }).stats;
    const maxAbsDiff = Math.max(...ours.stats.map((v, i) => Math.abs(v - pyStats[i])));
    const agree = maxAbsDiff <= 1e-9;
    return {
      ...base,
      pycocotoolsMs: py.output.ms,
      speedup: py.output.ms / oursEvalMs,
      maxAbsDiff,
      agree,
      ...(agree ? {} : { reason: `stats differ from pycocotools by up to ${maxAbsDiff}` }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Standalone: `node dist/benchmarks/detect-eval.js [images]`. */
async function main(): Promise<void> {
  const images = Number(process.argv[2] ?? 5000);
  const r = await benchCocoEval({ images });
  const f = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(0));
  process.stdout.write(
    `COCO bbox evaluation, ${r.images} images, ${r.annotations} GT boxes, ${r.detections} detections\n` +
      `  deblurbench evaluation only  ${f(r.oursEvalMs)} ms (median of 3)\n` +
      `  deblurbench incl. JSON parse ${f(r.oursMs)} ms\n` +
      `  pycocotools eval+acc+summ    ${f(r.pycocotoolsMs)} ms\n` +
      `  speed-up ${r.speedup === null ? 'n/a' : `${r.speedup.toFixed(1)}×`}; max |Δ stats| ${r.maxAbsDiff ?? 'n/a'}${r.reason ? `; ${r.reason}` : ''}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

