#!/usr/bin/env node
/**
 * The `bench` command line: parse with yargs, then lazily import the command module so each
 * command loads only what it needs. User errors print one line and exit non-zero; never a stack.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError, describeError, isUserError } from './core/errors.js';
import { COLOR_SPACES, SCORE_QUANTIZATIONS } from './metrics/planes.js';
import { DEFAULT_SSIM_MODE, SSIM_MODES } from './metrics/ssim.js';

type Handler = () => Promise<number>;

function conventionOptions<T>(y: Argv<T>) {
  return y
    .option('ssim', { type: 'string', default: DEFAULT_SSIM_MODE, describe: `SSIM convention (${SSIM_MODES.join(', ')})` })
    .option('color', { choices: COLOR_SPACES, default: 'rgb' as const, describe: 'rgb, y (BT.601 studio) or yfull (full-range luma)' })
    .option('crop', { type: 'number', default: 0, describe: 'pixels cut from every edge before colour conversion' })
    .option('quantize', { choices: SCORE_QUANTIZATIONS, default: 'round' as const, describe: 'how float outputs are scored' });
}

async function main(argv: string[]): Promise<number> {
  let handler: Handler | null = null;
  await yargs(argv)
    .scriptName('bench')
    .usage('$0 <command> [options]')
    .command(
      'metrics <reference> <test>',
      'PSNR and SSIM of one image pair under named conventions',
      (y) => conventionOptions(y.positional('reference', { type: 'string', demandOption: true }).positional('test', { type: 'string', demandOption: true })).option('json', { type: 'boolean', default: false }),
      (a) => {
        handler = async () => (await import('./commands/metrics.js')).runMetrics({ ...a, reference: a.reference, test: a.test, ssim: a.ssim });
      },
    )
    .command(
      'demo',
      'metrics demo on the shipped sample photographs (each degraded by blur and by JPEG)',
      (y) => y.option('dir', { type: 'string', default: 'datasets/sample', describe: 'folder of sharp images' }),
      (a) => {
        handler = async () => (await import('./commands/demo.js')).runDemo({ dir: a.dir });
      },
    )
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .parseAsync();
  if (!handler) return 0; // --help
  return await (handler as Handler)();
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isUserError(err)) {
      process.stderr.write(`bench: error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`bench: internal error: ${describeError(err)}\n`);
      if (process.env.DEBLURBENCH_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
      else process.stderr.write('bench: set DEBLURBENCH_DEBUG=1 to see the stack trace\n');
      process.exitCode = 1;
    }
  },
);
