/**
 * npm run bench:metrics — PSNR and SSIM (basicsr, skimage modes) on one 1280×720 RGB pair:
 * median ms, and ratios to ssim.js at the comparable setting (full resolution, Gaussian window)
 * and to scikit-image on the same pair when Python has it, all measured in this run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ssim as ssimJsPackage } from 'ssim.js';
import { textTable } from '../src/core/format.js';
import { type Image, createImage, writeImage } from '../src/core/image.js';
import { Rng } from '../src/core/rng.js';
import { psnr } from '../src/metrics/psnr.js';
import { ssim } from '../src/metrics/ssim.js';
import { ssimParallel, threadCount } from '../src/metrics/ssim-parallel.js';
import { runPython, timeIt } from './python.js';

const W = 1280;
const H = 720;

/** A photo-like test pair: smooth structure plus texture, and a noisy, slightly shifted copy. */
function makePair(): [Image<Uint8Array>, Image<Uint8Array>] {
  const rng = new Rng(2024);
  const a = new Uint8Array(W * H * 3);
  const b = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 128 + 60 * Math.sin(x / (40 + 10 * c)) * Math.cos(y / 33) + 30 * Math.sin((x + y) / 7) + rng.normal() * 6;
        const i = (y * W + x) * 3 + c;
        a[i] = Math.max(0, Math.min(255, Math.round(v)));
        b[i] = Math.max(0, Math.min(255, Math.round(v + 2 * Math.sin(x / 5) + rng.normal() * 9)));
      }
    }
  }
  return [createImage(W, H, 3, a), createImage(W, H, 3, b)];
}

function rgba(img: Image<Uint8Array>): { data: Uint8ClampedArray; width: number; height: number } {
  const d = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    d[4 * i] = img.data[3 * i];
    d[4 * i + 1] = img.data[3 * i + 1];
    d[4 * i + 2] = img.data[3 * i + 2];
    d[4 * i + 3] = 255;
  }
  return { data: d, width: W, height: H };
}

const SKIMAGE = `
import sys, json, time, numpy as np
from skimage.io import imread
from skimage.metrics import structural_similarity as S, peak_signal_noise_ratio as P
a = imread(sys.argv[1]).astype(np.float64); b = imread(sys.argv[2]).astype(np.float64)
def med(f, n=7):
    f(); f(); t = []
    for _ in range(n):
        s = time.perf_counter(); f(); t.append((time.perf_counter() - s) * 1000)
    return sorted(t)[n // 2]
print(json.dumps({
  "skimage": med(lambda: S(a, b, data_range=255, channel_axis=-1)),
  "gaussian": med(lambda: S(a, b, data_range=255, channel_axis=-1, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)),
  "psnr": med(lambda: P(a, b, data_range=255)),
  "value_skimage": S(a, b, data_range=255, channel_axis=-1),
}))
`;

async function main(): Promise<void> {
  const [a, b] = makePair();
  const threads = threadCount();
  process.stdout.write(`bench:metrics — one ${W}×${H} RGB pair, median of 7 runs after warm-up, ${threads} thread(s)\n\n`);

  const ours = {
    psnr: await timeIt(() => psnr(a, b)),
    basicsr: await timeIt(() => ssimParallel(a, b, { mode: 'basicsr' })),
    skimage: await timeIt(() => ssimParallel(a, b, { mode: 'skimage' })),
    basicsr1: await timeIt(() => ssim(a, b, { mode: 'basicsr' })),
  };
  const ra = rgba(a);
  const rb = rgba(b);
  const ssimjsOriginal = await timeIt(() => ssimJsPackage(ra, rb, { ssim: 'original', downsample: false }), 3, 1);
  const ssimjsDefault = await timeIt(() => ssimJsPackage(ra, rb), 5, 1);

  const dir = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
  await writeImage(join(dir, 'a.png'), a);
  await writeImage(join(dir, 'b.png'), b);
  const py = runPython(SKIMAGE, [join(dir, 'a.png'), join(dir, 'b.png')]);

  const fmt = (v: number): string => v.toFixed(1);
  const ratio = (peer: number | undefined, mine: number): string => (peer ? `${(peer / mine).toFixed(2)}×` : 'n/a');
  const rows = [
    ['SSIM basicsr (11×11 Gaussian)', fmt(ours.basicsr), fmt(ssimjsOriginal), ratio(ssimjsOriginal, ours.basicsr), py.ok ? fmt(py.output.gaussian) : 'n/a', ratio(py.output.gaussian, ours.basicsr)],
    ['SSIM basicsr, one thread', fmt(ours.basicsr1), fmt(ssimjsOriginal), ratio(ssimjsOriginal, ours.basicsr1), py.ok ? fmt(py.output.gaussian) : 'n/a', ratio(py.output.gaussian, ours.basicsr1)],
    ['SSIM skimage (7×7 uniform)', fmt(ours.skimage), '', '', py.ok ? fmt(py.output.skimage) : 'n/a', ratio(py.output.skimage, ours.skimage)],
    ['PSNR rgb', fmt(ours.psnr), '', '', py.ok ? fmt(py.output.psnr) : 'n/a', ratio(py.output.psnr, ours.psnr)],
  ];
  process.stdout.write(`${textTable(['metric', 'deblurbench ms', 'ssim.js ms', 'speed-up', 'scikit-image ms', 'speed-up'], rows)}\n\n`);
  process.stdout.write(`ssim.js column: {ssim:'original', downsample:false} (full-resolution Gaussian, grey). Its default (grey, downsampled, a different metric): ${fmt(ssimjsDefault)} ms.\n`);
  if (py.ok) {
    const same = Math.abs(py.output.value_skimage - (await ssim(a, b, { mode: 'skimage' })));
    process.stdout.write(`scikit-image on the same pair (RGB, float64); |Δ SSIM skimage mode| = ${same.toExponential(2)}\n`);
  } else {
    process.stdout.write(`scikit-image not measured: ${py.reason}\n`);
  }
  process.stdout.write('Targets: ≥ 10× faster than ssim.js (comparable setting), ≥ 2× faster than scikit-image.\n');
}

await main();
