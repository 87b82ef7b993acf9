/**
 * npm run bench:train — wall time of one full DeblurGAN training step (5 critic steps with
 * gradient penalty on the same batch + 1 generator step; batch 1, 128×128 crops) for the official
 * generator at ngf 16/32/64 (9 blocks) with the paper's critic (ndf 64), on tfjs (the backend in
 * use, with this project's wasm gradient kernels) and on PyTorch CPU (2 threads) when Python has
 * torch. Each measurement runs in its own process, one after the other. Target: tfjs within 2×.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textTable } from '../src/core/format.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'train-child.js');
const TORCH_SCRIPT = [join(here, 'train_torch.py'), join(here, '..', '..', 'benchmarks', 'train_torch.py'), join(process.cwd(), 'benchmarks', 'train_torch.py')].find((p) => existsSync(p));
const NGFS = [16, 32, 64];

type Outcome = { runtime: string; ngf: number; medianMs: number; runs: number; threads?: number; backend?: string } | { runtime: string; ngf: number; error: string };

function run(command: string, args: string[], runtime: string, ngf: number): Outcome {
  process.stderr.write(`  ${runtime} ngf ${ngf} …\n`);
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 16 << 20 });
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
  process.stdout.write('official generator (9 blocks) at ngf 16/32/64, critic ndf 64; 1 warm-up step + median of 3; one process per row\n\n');
  const rows: string[][] = [];
  for (const ngf of NGFS) {
    const torch = TORCH_SCRIPT ? run('python3', [TORCH_SCRIPT, String(ngf)], 'pytorch', ngf) : { runtime: 'pytorch', ngf, error: 'train_torch.py not found' };
    const tfjs = run(process.execPath, [CHILD, String(ngf)], 'tfjs', ngf);
    const ms = (o: Outcome): string => ('error' in o ? `n/a (${o.error})` : `${(o.medianMs / 1000).toFixed(2)} s`);
    const ratio = 'error' in tfjs || 'error' in torch ? 'n/a' : `${(tfjs.medianMs / torch.medianMs).toFixed(2)}×`;
    const tfjsName = 'error' in tfjs ? 'tfjs' : `${tfjs.backend} ×${tfjs.threads}`;
    rows.push([String(ngf), `${ms(tfjs)} (${tfjsName})`, ms(torch), ratio]);
  }
  process.stdout.write(`${textTable(['ngf', 'tfjs step', 'PyTorch CPU step (2 threads)', 'tfjs / PyTorch'], rows)}\n`);
  process.stdout.write('target: tfjs within 2× of PyTorch\n');
}

main();
