/**
 * npm run bench:train — wall time of one full DeblurGAN training step (5 critic steps with
 * gradient penalty on the same batch + 1 generator step; batch 1, 128×128 crops) for the official
 * generator at ngf 16/32/64 (9 blocks) with the paper's critic (ndf 64), on tfjs (the backend in
 * use: with the native OpenBLAS convolutions when they are built, and again with the tfjs-wasm
 * kernels alone) and on PyTorch CPU (2 threads) when Python has torch. Each measurement runs in
 * its own process, one after the other. Target: tfjs within 2×.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textTable } from '../src/core/format.js';
import { nativeConv } from '../src/core/native.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'train-child.js');
const TORCH_SCRIPT = [join(here, 'train_torch.py'), join(here, '..', '..', 'benchmarks', 'train_torch.py'), join(process.cwd(), 'benchmarks', 'train_torch.py')].find((p) => existsSync(p));
const NGFS = [16, 32, 64];

type Outcome = { runtime: string; ngf: number; medianMs: number; runs: number; threads?: number; backend?: string; kernels?: string } | { runtime: string; ngf: number; error: string };

function run(command: string, args: string[], runtime: string, ngf: number, env: Record<string, string> = {}): Outcome {
  process.stderr.write(`  ${runtime} ngf ${ngf} …\n`);
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 16 << 20, env: { ...process.env, ...env } });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as Outcome;
    if (r.status === 0) return parsed;
  } catch {
    // reported below
  }
  return { runtime, ngf, error: r.error?.message ?? (r.stderr.trim().split('\n').pop() || `exit ${r.status}`) };
}

function main(): void {
  process.stdout.write('bench:train — one DeblurGAN training step: 5 critic steps (WGAN-GP) + 1 generator step, batch 1, 128×128 crops\n');
  process.stdout.write('official generator (9 blocks) at ngf 16/32/64, critic ndf 64; 1 warm-up step + median of 7; one process per cell\n\n');
  const rows: string[][] = [];
  const withNative = nativeConv() !== null;
  const ms = (o: Outcome): string => ('error' in o ? `n/a (${o.error})` : `${(o.medianMs / 1000).toFixed(2)} s`);
  const ratio = (a: Outcome, b: Outcome): string => ('error' in a || 'error' in b ? 'n/a' : `${(a.medianMs / b.medianMs).toFixed(2)}×`);
  let name = 'tfjs';
  for (const ngf of NGFS) {
    const torch = TORCH_SCRIPT ? run('python3', [TORCH_SCRIPT, String(ngf)], 'pytorch', ngf) : { runtime: 'pytorch', ngf, error: 'train_torch.py not found' };
    const tfjs = run(process.execPath, [CHILD, String(ngf)], 'tfjs', ngf);
    const wasmOnly = withNative ? run(process.execPath, [CHILD, String(ngf)], 'tfjs (wasm kernels only)', ngf, { DEBLURBENCH_NATIVE: '0' }) : null;
    if (!('error' in tfjs)) name = `${tfjs.backend} ×${tfjs.threads}, ${tfjs.kernels}`;
    rows.push([String(ngf), ms(tfjs), ms(torch), ratio(tfjs, torch), ...(wasmOnly ? [ms(wasmOnly), ratio(wasmOnly, torch)] : [])]);
  }
  process.stdout.write(`tfjs: ${name}${withNative ? '' : ' (native kernels not built: install libopenblas-dev, npm rebuild)'}\n`);
  const head = ['ngf', 'tfjs step', 'PyTorch CPU step (2 threads)', 'tfjs / PyTorch', ...(withNative ? ['tfjs-wasm kernels only', 'wasm only / PyTorch'] : [])];
  process.stdout.write(`${textTable(head, rows)}\n`);
  process.stdout.write('target: tfjs within 2× of PyTorch\n');
}

main();
