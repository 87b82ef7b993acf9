/** Versions, git commit and machine description for the results header. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';

function packageVersion(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

export function versions(): Record<string, string> {
  const root = packageRoot();
  const out: Record<string, string> = { deblurbench: packageVersion(root) ?? 'unknown', node: process.versions.node };
  for (const dep of ['sharp', 'ssim.js', 'onnxruntime-node', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']) {
    const v = packageVersion(join(root, 'node_modules', dep));
    if (v) out[dep] = v;
  }
  return out;
}

export function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), encoding: 'utf8' });
  if (r.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: packageRoot(), encoding: 'utf8' });
  return `${r.stdout.trim()}${dirty.stdout.trim() ? '-dirty' : ''}`;
}

export function machine() {
  const list = cpus();
  return {
    platform: process.platform,
    arch: process.arch,
    cpus: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}
