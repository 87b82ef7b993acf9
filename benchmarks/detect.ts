/**
 * npm run bench:detect — CenterNet median ms per image on the tfjs backend in use, with all threads
 * and with one (target ≤ 200 ms threaded),
 * and COCO evaluation time on a 5,000-image synthetic set against pycocotools in the same run
 * (target ≥ 3× faster).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readImage } from '../src/core/image.js';
import { packageRoot } from '../src/core/paths.js';
import { createDetector } from '../src/detection/index.js';
import { benchCocoEval } from './detect-eval.js';
import { median } from './python.js';

interface CenterNetTiming {
  backend: string;
  threads: number;
  medianMs: number;
  runs: number;
  images: number;
}

/** Time CenterNet over the sample photos (two rounds after one warm-up), in this process. */
async function timeCenterNet(): Promise<CenterNetTiming> {
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
  return { ...detector.runtime, medianMs: median(times), runs: times.length, images: images.length };
}

/** Each thread setting in its own process: the wasm backend is configured once per process. */
function timeCenterNetIn(threads: string): CenterNetTiming {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--centernet-only'], {
    encoding: 'utf8',
    env: { ...process.env, DEBLURBENCH_THREADS: threads },
  });
  if (r.status !== 0) throw new Error(`CenterNet timing child failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(r.stdout) as CenterNetTiming;
}

async function main(): Promise<void> {
  if (process.argv.includes('--centernet-only')) {
    process.stdout.write(JSON.stringify(await timeCenterNet()));
    return;
  }
  const single = timeCenterNetIn('1');
  const threaded = timeCenterNetIn('');
  process.stdout.write('bench:detect\n\n');
  for (const t of [threaded, single]) {
    process.stdout.write(`CenterNet (${t.backend}, ${t.threads} thread(s)): median ${t.medianMs.toFixed(1)} ms per image over ${t.runs} runs on the ${t.images} sample photos (input resized to 512×512)\n`);
  }
  process.stdout.write(`threads speed-up ${(single.medianMs / threaded.medianMs).toFixed(2)}×; target ≤ 200 ms per image with threads on: ${threaded.medianMs <= 200 ? 'met' : 'NOT met'}\n`);
  const coco = await benchCocoEval();
  const ratio = coco.pycocotoolsMs ? `${(coco.pycocotoolsMs / coco.oursMs).toFixed(2)}× faster than pycocotools (${coco.pycocotoolsMs.toFixed(0)} ms)` : `pycocotools not measured: ${coco.reason ?? 'unavailable'}`;
  process.stdout.write(`COCO box evaluation, 5,000 synthetic images: ${coco.oursMs.toFixed(0)} ms; ${ratio}; target ≥ 3×\n`);
}

await main();
