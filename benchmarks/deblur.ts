/**
 * npm run bench:deblur — inference time and peak memory of the official-size DeblurGAN generator
 * (ngf 64, 9 residual blocks, 11,378,179 parameters, random init from a fixed seed) at 256×256 and
 * 1280×720, on onnxruntime-node (the ONNX export), TensorFlow.js and, when Python has torch, PyTorch CPU.
 * Each runtime × size runs in its own process (deblur-child.js, deblur_torch.py), one after the
 * other, so peak RSS is per measurement and the runs do not compete for the cores.
 * BENCH_QUICK=1 skips tfjs at 1280×720 (~35 s, ~4 GB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textTable } from '../src/core/format.js';
import { type ChildResult, SIZES, type SizeName } from './deblur-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'deblur-child.js');
/** The Python peer is not compiled: look next to this file, then in the source tree. */
const TORCH_SCRIPT = [join(here, 'deblur_torch.py'), join(here, '..', '..', 'benchmarks', 'deblur_torch.py'), join(process.cwd(), 'benchmarks', 'deblur_torch.py')].find((p) =>
  existsSync(p),
);

type Outcome = ChildResult | { runtime: string; size: string; error: string };

function run(command: string, args: string[], runtime: string, size: string): Outcome {
  process.stderr.write(`  ${runtime} @ ${size} …\n`);
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 900_000, maxBuffer: 16 << 20 });
  if (r.error) return { runtime, size, error: r.error.message };
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as Outcome;
    if (r.status === 0) return parsed;
  } catch {
    // fall through to the error below
  }
  const reason = r.stderr.trim().split('\n').pop() || (r.signal ? `killed by ${r.signal}` : `exit ${r.status}`);
  return { runtime, size, error: reason };
}

function main(): void {
  const quick = process.env.BENCH_QUICK === '1';
  const sizes = Object.keys(SIZES) as SizeName[];
  const label = (s: SizeName): string => `${SIZES[s][0]}×${SIZES[s][1]}`;
  process.stdout.write('bench:deblur — DeblurGAN generator (official, ngf 64, 9 blocks, 11,378,179 params, random init, seed 1234)\n');
  process.stdout.write('256×256: 1 warm-up + median of 3; 1280×720: 1 warm-up + 2 runs (tfjs: 1 run); one process per row, run sequentially\n\n');

  const results: Outcome[] = [];
  for (const size of sizes) {
    results.push(TORCH_SCRIPT ? run('python3', [TORCH_SCRIPT, size], 'pytorch', size) : { runtime: 'pytorch', size, error: 'deblur_torch.py not found' });
    results.push(run(process.execPath, [CHILD, 'onnxruntime', size], 'onnxruntime', size));
    if (quick && size === '720p') results.push({ runtime: 'tfjs', size, error: 'skipped (BENCH_QUICK=1)' });
    else results.push(run(process.execPath, [CHILD, 'tfjs', size], 'tfjs', size));
  }

  const ok = (o: Outcome | undefined): o is ChildResult => !!o && !('error' in o);
  const find = (runtime: string, size: string): Outcome | undefined => results.find((r) => r.runtime === runtime && r.size === size);
  const ratio = (mine: Outcome | undefined, base: Outcome | undefined): string => {
    if (!ok(mine)) return '';
    if (!ok(base)) return `n/a (${base && 'error' in base ? base.error : 'missing'})`;
    return `${(mine.medianMs / base.medianMs).toFixed(2)}×`;
  };

  const rows = results.map((r) => {
    const size = label(r.size as SizeName);
    if (!ok(r)) return [r.runtime, size, `n/a (${r.error})`, '', '', '', ''];
    return [r.runtime, size, r.medianMs.toFixed(0), String(r.runs), r.peakRssMb.toFixed(0), r.runtime === 'pytorch' ? '1.00×' : ratio(r, find('pytorch', r.size)), `${r.backend}, ${r.threads} thr`];
  });
  process.stdout.write(`${textTable(['runtime', 'size', 'median ms', 'runs', 'peak RSS MB', 'time vs PyTorch CPU', 'backend'], rows)}\n\n`);

  for (const size of sizes) {
    const ort = find('onnxruntime', size);
    const tfjs = find('tfjs', size);
    if (ok(ort) && ok(tfjs)) {
      process.stdout.write(`${label(size)}: onnxruntime is ${(tfjs.medianMs / ort.medianMs).toFixed(1)}× faster than tfjs; peak RSS ${ort.peakRssMb.toFixed(0)} vs ${tfjs.peakRssMb.toFixed(0)} MB\n`);
    } else {
      process.stdout.write(`${label(size)}: onnxruntime vs tfjs n/a\n`);
    }
  }
  process.stdout.write('(time vs PyTorch CPU: runtime median / PyTorch median at the same size; below 1.00× is faster)\n');
  const verdicts = sizes.map((size) => {
    const ort = find('onnxruntime', size);
    const pt = find('pytorch', size);
    if (!ok(ort) || !ok(pt)) return `${label(size)} n/a`;
    return `${label(size)} ${ort.medianMs <= pt.medianMs ? 'met' : 'not met'} (${ratio(ort, pt)})`;
  });
  process.stdout.write(`Target: the ONNX path no slower than PyTorch CPU — ${verdicts.join(', ')}\n`);
}

main();
