/** `bench run --suite NAME`: the benchmark's front door. */
import { join, resolve } from 'node:path';
import type { RunOptions } from '../bench/runner.js';
import { MethodUnavailable, UserError } from '../core/errors.js';
import { displayNumber, textTable } from '../core/format.js';
import { checkWritable } from '../core/files.js';
import { unknownNameMessage } from '../core/registry.js';
import { createMethod, methods as methodRegistry } from '../deblur/index.js';
import type { ColorSpace, ScoreQuantization } from '../metrics/planes.js';
import { parseAlignment, ssimModesFor } from '../metrics/realblur.js';
import { DEFAULT_SSIM_MODE, ssimModes } from '../metrics/ssim.js';
import { noiseProblem } from '../blur-synth/noise.js';

export interface RunArgs {
  suite: string;
  data?: string;
  subset: 'blur' | 'blur_gamma';
  split: 'test' | 'train';
  list?: string;
  sharpDir?: string;
  blurredDir?: string;
  blurModel: string;
  noise: number;
  methods?: string;
  metrics: string;
  /** SSIM modes, comma-separated (default basicsr; fixed under --align realblur). */
  ssim?: string;
  color: ColorSpace;
  crop: number;
  quantize: ScoreQuantization;
  align?: string;
  detector: string;
  detectorModel?: string;
  gtThreshold: number;
  scoreThreshold: number;
  limit?: number;
  seed: number;
  out: string;
  cache?: string;
  shard?: string;
  gallery: number;
  format: string;
  quiet: boolean;
}

export const KNOWN_METRICS = ['psnr', 'ssim'] as const;

export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UserError(`--shard must be k/n with 1 ≤ k ≤ n, got "${text}"`);
  return { index, count };
}

/** Method specs are separated by commas, but a spec's own options use commas too: split before `name` or `name:`. */
export function splitMethods(text: string): string[] {
  const names = methodRegistry.names();
  const parts = text.split(',');
  const specs: string[] = [];
  for (const part of parts) {
    const head = part.split(':')[0].trim();
    if (specs.length === 0 || names.includes(head) || !part.includes('=') && !part.includes('/') && !part.endsWith('.onnx')) specs.push(part.trim());
    else specs[specs.length - 1] += `,${part}`;
  }
  return specs.filter(Boolean);
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

export async function runRun(args: RunArgs): Promise<number> {
  const [{ suites }, { runBenchmark }, { writeReports, reporters }] = await Promise.all([
    import('../bench/suites/index.js'),
    import('../bench/runner.js'),
    import('../bench/reporters/index.js'),
  ]);
  // Everything a user can get wrong is checked before any work starts.
  const loader = await suites.load(args.suite);
  const metrics = splitList(args.metrics);
  for (const m of metrics) if (!(KNOWN_METRICS as readonly string[]).includes(m)) throw new UserError(unknownNameMessage('metric', m, KNOWN_METRICS));
  const align = parseAlignment(args.align ?? 'none');
  const modes = ssimModesFor(align, args, DEFAULT_SSIM_MODE);
  if (align === 'none') for (const mode of modes) ssimModes.entry(mode);
  const formats = splitList(args.format);
  for (const f of formats) reporters.entry(f);
  const shard = parseShard(args.shard);
  if (args.limit !== undefined && !(Number.isInteger(args.limit) && args.limit > 0)) throw new UserError(`--limit must be a positive integer, got ${args.limit}`);
  const { detectors } = await import('../detection/index.js');
  if (args.detector !== 'none' && !detectors.has(args.detector)) throw new UserError(unknownNameMessage('detector', args.detector, [...detectors.names(), 'none']));
  const noise = noiseProblem('--noise', args.noise);
  if (noise) throw new UserError(noise);
  for (const [flag, v] of [['--gt-threshold', args.gtThreshold], ['--score-threshold', args.scoreThreshold]] as const) {
    if (!(v >= 0 && v <= 1)) throw new UserError(`${flag} must be in [0, 1], got ${v}`);
  }
  await checkWritable(args.out);
  if (args.cache) await checkWritable(args.cache);
  const detector = args.detector === 'none' ? null : await (await import('../detection/index.js')).createDetector(args.detector, { model: args.detectorModel });

  const suite = await loader({ data: args.data, subset: args.subset, split: args.split, seed: args.seed, blurModel: args.blurModel, noise: args.noise, list: args.list, sharpDir: args.sharpDir, blurredDir: args.blurredDir });
  // default: every registered method that can run here without options (onnx needs a file)
  const specs = args.methods ? splitMethods(args.methods) : methodRegistry.names().filter((n) => n !== 'onnx');
  const created: RunOptions['methods'] = [];
  for (const spec of specs) {
    try {
      created.push({ spec, method: await createMethod(spec) });
    } catch (err) {
      if (args.methods || !(err instanceof MethodUnavailable)) throw err;
      process.stderr.write(`bench: skipping ${spec}: ${err.message}\n`);
    }
  }
  const blindOnly = created.filter((m) => !m.method.needsKernel || suite.hasKernels);
  if (blindOnly.length < created.length) {
    const skipped = created.filter((m) => !blindOnly.includes(m)).map((m) => m.spec);
    if (args.methods) throw new UserError(`method(s) ${skipped.join(', ')} need the true blur kernel, which suite ${args.suite} does not provide`);
    process.stderr.write(`bench: skipping non-blind method(s) ${skipped.join(', ')}: suite ${args.suite} has no kernels\n`);
  }
  if (!args.quiet) {
    process.stderr.write(`${suite.description}\n`);
    for (const w of suite.warnings) process.stderr.write(`bench: warning: ${w}\n`);
    if (args.list && align === 'none') process.stderr.write('bench: note: list pairs are scored unaligned and unmasked; --align realblur applies RealBlur\'s official protocol\n');
  }

  const { results, failedPairs } = await runBenchmark({
    suite,
    methods: blindOnly,
    metrics,
    ssimModes: modes,
    align,
    planes: { color: args.color, crop: args.crop, quantize: args.quantize },
    seed: args.seed,
    out: args.out,
    cacheDir: args.cache ?? join(args.out, 'cache'),
    shard,
    limit: args.limit ?? null,
    gallery: args.gallery,
    quiet: args.quiet,
    detection: detector ? { spec: args.detector, detector, gtThreshold: args.gtThreshold, scoreThreshold: args.scoreThreshold } : null,
  });
  const written = await writeReports(results, args.out, formats);
  printSummary(results);
  for (const f of results.rows) if (f.kind === 'failure') process.stderr.write(`bench: failed ${f.pair}${f.method ? ` · ${f.method}` : ''}: ${f.error}\n`);
  process.stdout.write(`\nwrote ${written.map((w) => join(args.out, w)).join(', ')}\n`);
  if (written.includes('report.html')) process.stdout.write(`report: ${resolve(args.out, 'report.html')}\n`);
  return failedPairs > 0 ? 3 : 0;
}

export function printSummary(results: import('../bench/results.js').Results): void {
  const metricNames = results.header.metrics.flatMap((m) => (m === 'ssim' ? results.header.conventions.ssimMode.split(',').map((mode, i) => (i === 0 ? 'ssim' : `ssim_${mode}`)) : [m]));
  if (results.header.detector) metricNames.push('ap', 'ap50', 'f1', 'recovery_ap');
  const rows = results.summary.map((s) => [
    s.method,
    ...metricNames.map((m) => displayNumber(s.means[m] ?? NaN, m.startsWith('psnr') ? 2 : m.startsWith('ssim') ? 4 : 3)),
    s.timing ? s.timing.medianMs.toFixed(1) : 'n/a',
    String(s.counts[metricNames[0]] ?? 0),
    String(s.failures),
  ]);
  const c = results.header.conventions;
  process.stdout.write(`\n${results.header.suite.name} · SSIM ${c.ssimMode} · colour ${c.color} · crop ${c.crop} · quantise ${c.quantize} · align ${c.align ?? 'none'}${c.subset ? ` · subset ${c.subset}` : ''}\n\n`);
  process.stdout.write(`${textTable(['method', ...metricNames, 'median ms', 'pairs', 'failed'], rows)}\n`);
  if (results.header.detectionGroundTruth) process.stdout.write(`detection: ${results.header.detector}; ground truth ${results.header.detectionGroundTruth}\n`);
}
