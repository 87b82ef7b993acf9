import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
const cli = join(repoRoot, 'dist/src/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the compiled `bench` CLI (npm test builds it first). */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = repoRoot): CliResult {
  if (!existsSync(cli)) throw new Error('dist/src/cli.js is missing: run `npm run build` (npm test does it)');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
