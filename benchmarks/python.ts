/** Runs a peer measurement in Python when it is installed (benchmarks only; the product never needs Python). */
import { spawnSync } from 'node:child_process';

export interface PythonResult {
  ok: boolean;
  output: Record<string, number>;
  reason?: string;
}

/** Run `code` with python3; it must print one JSON object on its last stdout line. */
export function runPython(code: string, args: string[] = []): PythonResult {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8', timeout: 600_000 });
  if (r.error || r.status !== 0) {
    const reason = r.error?.message ?? r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
    return { ok: false, output: {}, reason };
  }
  const last = r.stdout.trim().split('\n').pop() ?? '{}';
  return { ok: true, output: JSON.parse(last) as Record<string, number> };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall times in ms of `runs` runs of `fn` after `warmup` untimed runs. */
export async function measureRuns(fn: () => unknown, warmup: number, runs: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

/** Median wall time in ms of `fn` over `runs` runs after `warmup` runs. */
export async function timeIt(fn: () => unknown, runs = 7, warmup = 2): Promise<number> {
  return median(await measureRuns(fn, warmup, runs));
}
