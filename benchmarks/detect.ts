/**
 * npm run bench:detect — CenterNet median ms per image on the tfjs backend in use (target ≤ 200 ms),
 * and COCO evaluation time on a 5,000-image synthetic set against pycocotools in the same run
 * (target ≥ 3× faster).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '../src/core/image.js';
import { packageRoot } from '../src/core/paths.js';
import { createDetector } from '../src/detection/index.js';
import { benchCocoEval } from './detect-eval.js';
import { median } from './python.js';

async function main(): Promise<void> {
  const dir = join(packageRoot(), 'datasets', 'sample');
  const files = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
  const detector = await createDetector('centernet');
  const images = await Promise.all(files.map((f) => readImage(join(dir, f))));
  await detector.detect(images[0]); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const img of images) {
      const t = performance.now();
      await detector.detect(img);
      times.push(performance.now() - t);
    }
  }
  process.stdout.write(`bench:detect\n\nCenterNet (${detector.runtime.backend}, ${detector.runtime.threads} thread(s)): median ${median(times).toFixed(1)} ms per image over ${times.length} runs on the ${images.length} sample photos (input resized to 512×512); target ≤ 200 ms\n`);
  const coco = await benchCocoEval();
  const ratio = coco.pycocotoolsMs ? `${(coco.pycocotoolsMs / coco.oursMs).toFixed(2)}× faster than pycocotools (${coco.pycocotoolsMs.toFixed(0)} ms)` : `pycocotools not measured: ${coco.reason ?? 'unavailable'}`;
  process.stdout.write(`COCO box evaluation, 5,000 synthetic images: ${coco.oursMs.toFixed(0)} ms; ${ratio}; target ≥ 3×\n`);
}

await main();
