/**
 * npm run bench:synth — blurring one 1280×720 RGB frame with a 64×64 kernel: ms per frame for
 * FFT and direct convolution, and the ratio to scipy.signal.fftconvolve on the same data when
 * Python has scipy. Also prints the direct/FFT timings behind the cost model's crossover.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseMethod, convolveDirect, convolveFft } from '../src/blur-synth/convolve.js';
import type { Kernel } from '../src/blur-synth/kernel.js';
import { linearKernel } from '../src/blur-synth/models.js';
import { textTable } from '../src/core/format.js';
import { Rng } from '../src/core/rng.js';
import { runPython, timeIt } from './python.js';

const W = 1280;
const H = 720;

function denseKernel(size: number, rng: Rng): Kernel {
  const data = Float64Array.from({ length: size * size }, () => rng.uniform());
  const s = data.reduce((a, b) => a + b, 0);
  return { width: size, height: size, data: data.map((v) => v / s) };
}

const SCIPY = `
import sys, json, time, numpy as np
from scipy.signal import fftconvolve
img = np.fromfile(sys.argv[1], dtype=np.float64).reshape(3, ${H}, ${W})
k = np.fromfile(sys.argv[2], dtype=np.float64).reshape(64, 64)
def run():
    return [fftconvolve(img[c], k, mode='same') for c in range(3)]
run(); run(); t = []
for _ in range(7):
    s = time.perf_counter(); run(); t.append((time.perf_counter() - s) * 1000)
print(json.dumps({"ms": sorted(t)[3]}))
`;

async function main(): Promise<void> {
  const rng = new Rng(1);
  const planes = [0, 1, 2].map(() => Float64Array.from({ length: W * H }, () => rng.uniform()));
  const k64 = denseKernel(64, rng);
  process.stdout.write(`bench:synth — one ${W}×${H} RGB frame (3 float64 planes), median of 7 runs\n\n`);

  const fft = await timeIt(() => convolveFft(planes, W, H, k64, 'reflect'));
  const direct = await timeIt(() => planes.map((p) => convolveDirect(p, W, H, k64, 'reflect')), 1, 0);
  const dir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const imgFile = join(dir, 'img.f64');
  const kFile = join(dir, 'k.f64');
  const all = new Float64Array(3 * W * H);
  planes.forEach((p, c) => all.set(p, c * W * H));
  writeFileSync(imgFile, new Uint8Array(all.buffer));
  writeFileSync(kFile, new Uint8Array(k64.data.buffer));
  const py = runPython(SCIPY, [imgFile, kFile]);
  const scipyMs = py.ok ? py.output.ms : undefined;
  const ratio = (mine: number): string => (scipyMs ? `${(scipyMs / mine).toFixed(2)}×` : 'n/a');
  process.stdout.write(
    `${textTable(
      ['64×64 dense kernel', 'ms / frame', 'speed vs scipy fftconvolve'],
      [
        ['deblurbench FFT (reflect boundary)', fft.toFixed(1), ratio(fft)],
        ['deblurbench direct (reflect boundary)', direct.toFixed(0), ratio(direct)],
        ['scipy.signal.fftconvolve (zero boundary)', scipyMs ? scipyMs.toFixed(1) : `n/a (${py.reason})`, ''],
      ],
    )}\n\n`,
  );

  // Crossover: sparse motion kernels of growing length, where direct convolution skips zero taps.
  const rows: string[][] = [];
  for (const len of [3, 7, 15, 31, 61]) {
    const k = linearKernel(len, 30);
    const taps = k.data.filter((v) => v > 0).length;
    const d = await timeIt(() => planes.map((p) => convolveDirect(p, W, H, k, 'reflect')), 2, 1);
    const f = await timeIt(() => convolveFft(planes, W, H, k, 'reflect'), 2, 1);
    rows.push([`line ${len} px (${k.width}×${k.height}, ${taps} taps)`, d.toFixed(0), f.toFixed(0), d < f ? 'direct' : 'fft', chooseMethod(W, H, k, 3)]);
  }
  process.stdout.write(`${textTable(['kernel', 'direct ms', 'FFT ms', 'faster', 'cost model picks'], rows)}\n`);
  process.stdout.write('\nTarget: FFT convolution no slower than scipy (ratio ≥ 1.00×).\n');
}

await main();
