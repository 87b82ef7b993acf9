import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareResults, parseTolerances } from '../../src/bench/check.js';
import { mergeResults } from '../../src/bench/merge.js';
import type { Results } from '../../src/bench/results.js';
import { type RunOptions, runBenchmark, selectPairs } from '../../src/bench/runner.js';
import { loadSynthFolder } from '../../src/bench/suites/synth.js';
import { createImage, toFloat, writeImage } from '../../src/core/image.js';
import { Rng } from '../../src/core/rng.js';
import { createMethod } from '../../src/deblur/index.js';
import type { DeblurMethod } from '../../src/deblur/types.js';
import type { Detector } from '../../src/detection/types.js';
import { UserError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

async function imageFolder(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'runner-in-'));
  const rng = new Rng(1);
  for (let i = 0; i < n; i++) {
    const d = new Uint8Array(72 * 48 * 3).map((_, j) => 128 + 90 * Math.sin(j / (11 + i)) + rng.normal() * 4);
    await writeImage(join(dir, `img${i}.png`), createImage(72, 48, 3, d));
  }
  return dir;
}

/** A blind method that counts its calls (and fails on one named pair when asked). */
function countingMethod(counter: { calls: number }, failOn?: string): DeblurMethod {
  return {
    name: 'counting',
    identity: { method: 'counting', version: 1 },
    runtime: { backend: 'js', threads: 1 },
    needsKernel: false,
    restore: async (blurred, ctx) => {
      counter.calls++;
      if (ctx.id === failOn) throw new Error('synthetic failure');
      return toFloat(blurred);
    },
  };
}

async function options(dir: string, out: string, methods: RunOptions['methods'], extra: Partial<RunOptions> = {}): Promise<RunOptions> {
  const suite = await loadSynthFolder('synth', dir, { subset: 'blur', split: 'test', seed: 3, blurModel: 'trajectory', noise: 0 });
  return { suite, methods, metrics: ['psnr', 'ssim'], ssimModes: ['basicsr'], planes: { color: 'rgb', crop: 0, quantize: 'round' }, seed: 3, out, cacheDir: join(out, 'cache'), shard: null, limit: null, gallery: 1, quiet: true, detection: null, ...extra };
}

const metricRows = (r: Results) => r.rows.filter((x) => x.kind === 'metric');

/** One box on every image; restored outputs are float images, sharp and blurred ones are 8-bit. */
function boxDetector(onCall: (restored: boolean) => void = () => undefined): Detector {
  return {
    name: 'fixed-box',
    identity: { detector: 'fixed-box', version: 1 },
    runtime: { backend: 'js', threads: 1 },
    detect: async (image) => {
      onCall(image.data instanceof Float32Array);
      return [{ x: 4, y: 4, w: 30, h: 20, score: 0.9, classId: 0, label: 'person' }];
    },
  };
}

/** Lines written to stderr while `fn` runs (and nothing printed). */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await fn();
    return spy.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runner', () => {
  it('a re-run (or a resumed run) recomputes nothing', async () => {
    const dir = await imageFolder(3);
    const out = mkdtempSync(join(tmpdir(), 'runner-out-'));
    const counter = { calls: 0 };
    const restores: string[] = [];
    const methods = [{ spec: 'counting', method: countingMethod(counter) }, { spec: 'wiener', method: await createMethod('wiener') }];
    const first = await runBenchmark({ ...(await options(dir, out, methods)), onRestore: (p, m) => restores.push(`${p}/${m}`) });
    expect(restores).toHaveLength(6);
    expect(counter.calls).toBe(4); // 3 pairs + 1 warm-up
    restores.length = 0;
    counter.calls = 0;
    const second = await runBenchmark({ ...(await options(dir, out, methods)), onRestore: (p, m) => restores.push(`${p}/${m}`) });
    expect(restores).toEqual([]);
    expect(counter.calls).toBe(0);
    expect(metricRows(second.results)).toEqual(metricRows(first.results));
    // an interrupted stream (last line cut) keeps every complete row
    const stream = join(out, 'results.jsonl');
    const text = readFileSync(stream, 'utf8');
    writeFileSync(stream, text.slice(0, text.length - 20));
    const third = await runBenchmark({ ...(await options(dir, out, methods)), onRestore: (p, m) => restores.push(`${p}/${m}`) });
    expect(restores).toEqual([]); // the cut pair is re-scored from the restore cache
    expect(metricRows(third.results)).toEqual(metricRows(first.results));
  });

  it('a resume after a batch was cut short recomputes the pair from the cache and keeps no partial rows', async () => {
    const dir = await imageFolder(2);
    const out = mkdtempSync(join(tmpdir(), 'runner-cut-'));
    const methods = [{ spec: 'wiener', method: await createMethod('wiener') }];
    const first = await runBenchmark(await options(dir, out, methods));
    // the stream ends inside the first batch: its psnr row was written, its ssim and timing rows were not
    const stream = join(out, 'results.jsonl');
    const lines = readFileSync(stream, 'utf8').split('\n').filter(Boolean);
    const cut = lines.findIndex((l) => (JSON.parse(l) as { metric?: string }).metric === 'psnr');
    writeFileSync(stream, lines.slice(0, cut + 1).map((l) => `${l}\n`).join(''));
    const restores: string[] = [];
    const second = await runBenchmark({ ...(await options(dir, out, methods)), onRestore: (p, m) => restores.push(`${p}/${m}`) });
    expect(restores).toEqual([]);
    expect(metricRows(second.results)).toEqual(metricRows(first.results));
    expect(second.results.rows.filter((r) => r.kind === 'timing').map((r) => r.pair)).toEqual(['img0', 'img1']);
    const streamed = readFileSync(stream, 'utf8').split('\n').filter(Boolean).slice(1);
    expect(streamed).toHaveLength(second.results.rows.length);
    expect(new Set(streamed).size).toBe(streamed.length);
  });

  it('a damaged first line of results.jsonl starts afresh with a one-line warning; the stream is replaced, not rewritten in place', async () => {
    const dir = await imageFolder(1);
    const out = mkdtempSync(join(tmpdir(), 'runner-header-'));
    const methods = [{ spec: 'blurred', method: await createMethod('blurred') }];
    const first = await runBenchmark(await options(dir, out, methods));
    const stream = join(out, 'results.jsonl');
    writeFileSync(stream, '{"schema":"deblurbench/res');
    const inode = statSync(stream).ino;
    let second: Awaited<ReturnType<typeof runBenchmark>> | undefined;
    const warned = await stderrOf(async () => {
      second = await runBenchmark(await options(dir, out, methods));
    });
    expect(warned.trim().split('\n')).toHaveLength(1);
    expect(warned).toMatch(/warning: .*results\.jsonl.*unreadable.*starting afresh/);
    expect(metricRows(second?.results as Results)).toEqual(metricRows(first.results));
    expect(statSync(stream).ino).not.toBe(inode);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('identical photos are separate pairs: each is blurred with its own seed and restored on its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-twins-'));
    const d = new Uint8Array(72 * 48 * 3).map((_, j) => 128 + 90 * Math.sin(j / 13));
    for (const name of ['a.png', 'b.png']) await writeImage(join(dir, name), createImage(72, 48, 3, d));
    const restores: string[] = [];
    const out = mkdtempSync(join(tmpdir(), 'runner-twins-out-'));
    const { results } = await runBenchmark({ ...(await options(dir, out, [{ spec: 'counting', method: countingMethod({ calls: 0 }) }])), onRestore: (p, m) => restores.push(`${p}/${m}`) });
    expect(restores).toEqual(['a/counting', 'b/counting']);
    const psnrOf = (pair: string) => metricRows(results).find((r) => r.pair === pair && r.kind === 'metric' && r.metric === 'psnr');
    expect(psnrOf('a')).toBeDefined();
    expect(psnrOf('b')).not.toEqual({ ...psnrOf('a'), pair: 'b' });
  });

  it('a pair that cannot be loaded counts as a failure of every method', async () => {
    const dir = await imageFolder(2);
    writeFileSync(join(dir, 'img9.png'), 'not an image');
    const out = mkdtempSync(join(tmpdir(), 'runner-unloadable-'));
    const methods = [{ spec: 'blurred', method: await createMethod('blurred') }, { spec: 'counting', method: countingMethod({ calls: 0 }) }];
    const { results, failedPairs } = await runBenchmark(await options(dir, out, methods));
    expect(failedPairs).toBe(1);
    expect(results.rows.filter((r) => r.kind === 'failure').map((r) => [r.pair, r.method])).toEqual([['img9', null]]);
    expect(results.summary.map((s) => s.failures)).toEqual([1, 1]);
  });

  it('--align realblur: the protocol scores psnr/ssim, is recorded, and never mixes with unaligned rows', async () => {
    // ECC needs 2-D texture (OpenCV's findTransformECC also gives up on the striped imageFolder)
    const dir = mkdtempSync(join(tmpdir(), 'runner-align-in-'));
    for (let i = 0; i < 2; i++) {
      const d = new Uint8Array(96 * 72 * 3).map((_, j) => {
        const [x, y, c] = [Math.floor(j / 3) % 96, Math.floor(j / 288), j % 3];
        return 128 + 60 * Math.sin(x / (5 + i)) * Math.cos(y / 7) + 30 * Math.sin((x + 2 * y) / 9 + c);
      });
      await writeImage(join(dir, `img${i}.png`), createImage(96, 72, 3, d));
    }
    const out = mkdtempSync(join(tmpdir(), 'runner-align-'));
    const methods = [{ spec: 'counting', method: countingMethod({ calls: 0 }) }];
    const plain = await runBenchmark(await options(dir, out, methods));
    const aligned = await runBenchmark(await options(dir, out, methods, { align: 'realblur', ssimModes: ['realblur'] }));
    expect(plain.results.header.conventions).toMatchObject({ ssimMode: 'basicsr', align: 'none' });
    expect(aligned.results.header.conventions).toMatchObject({ ssimMode: 'realblur', align: 'realblur' });
    expect(aligned.results.rows.filter((r) => r.kind === 'failure')).toEqual([]);
    const rows = metricRows(aligned.results);
    expect(rows.map((r) => r.metric).sort()).toEqual(['psnr', 'psnr', 'ssim', 'ssim']);
    // same out folder, other alignment: rows were recomputed, not reused from the unaligned run
    expect(rows).not.toEqual(metricRows(plain.results));
    const stream = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(stream).toHaveLength(1 + 2 * 3); // resume line + (psnr, ssim, timing) per pair, nothing left from the first run
  });

  it('one failing pair becomes a failure row and the run goes on', async () => {
    const dir = await imageFolder(3);
    const out = mkdtempSync(join(tmpdir(), 'runner-fail-'));
    const { results, failedPairs } = await runBenchmark(await options(dir, out, [{ spec: 'counting', method: countingMethod({ calls: 0 }, 'img1') }]));
    expect(failedPairs).toBe(1);
    expect(results.rows.filter((r) => r.kind === 'failure')).toEqual([{ kind: 'failure', pair: 'img1', method: 'counting', error: 'synthetic failure' }]);
    expect(results.summary[0].counts.psnr).toBe(2);
  });

  it('a detector failing on a restored image keeps its metrics; a resume retries only the detection', async () => {
    const dir = await imageFolder(3);
    const out = mkdtempSync(join(tmpdir(), 'runner-detect-'));
    const broken = { on: true };
    const calls: string[] = [];
    const detector: Detector = {
      name: 'fixed-box',
      identity: { detector: 'fixed-box', version: 1 },
      runtime: { backend: 'js', threads: 1 },
      // one box everywhere; restored outputs are float images, sharp and blurred ones are 8-bit
      detect: async (image) => {
        const restored = image.data instanceof Float32Array;
        calls.push(restored ? 'restored' : 'input');
        if (restored && broken.on) throw new Error('out of memory');
        return [{ x: 4, y: 4, w: 30, h: 20, score: 0.9, classId: 0, label: 'person' }];
      },
    };
    const counter = { calls: 0 };
    const run = async () =>
      runBenchmark(await options(dir, out, [{ spec: 'counting', method: countingMethod(counter) }], { detection: { spec: 'fixed-box', detector, gtThreshold: 0.3, scoreThreshold: 0.3 } }));
    const first = await run();
    expect(metricRows(first.results).filter((r) => r.method === 'counting')).toHaveLength(6); // psnr + ssim on 3 pairs
    expect(first.results.rows.filter((r) => r.kind === 'failure').map((r) => (r.kind === 'failure' ? r.error : ''))).toEqual(Array(3).fill('detector: out of memory'));
    expect(first.results.detections.filter((d) => d.role === 'counting')).toEqual([]);
    broken.on = false;
    calls.length = 0;
    counter.calls = 0;
    const second = await run();
    expect(counter.calls).toBe(0); // restored images come from the cache
    expect(calls).toEqual(Array(3).fill('restored'));
    expect(metricRows(second.results)).toEqual(metricRows(first.results));
    expect(second.results.rows.filter((r) => r.kind === 'failure')).toEqual([]);
    const summary = second.results.summary.find((m) => m.method === 'counting');
    expect(summary?.means.ap).toBeCloseTo(1, 12);
    expect(summary?.counts.ap).toBe(3);
  });

  it('shards partition the pairs; merging them equals the unsharded run', async () => {
    const dir = await imageFolder(5);
    const methods = [{ spec: 'blurred', method: await createMethod('blurred') }, { spec: 'wiener', method: await createMethod('wiener') }];
    const whole = await runBenchmark(await options(dir, mkdtempSync(join(tmpdir(), 'whole-')), methods));
    const parts: Results[] = [];
    for (const index of [1, 2, 3]) parts.push((await runBenchmark(await options(dir, mkdtempSync(join(tmpdir(), `shard${index}-`)), methods, { shard: { index, count: 3 } }))).results);
    expect(parts.map((p) => metricRows(p).length)).toEqual([8, 8, 4]);
    const merged = mergeResults(parts);
    expect(metricRows(merged)).toEqual(metricRows(whole.results));
    expect(merged.summary.map((s) => s.means)).toEqual(whole.results.summary.map((s) => s.means));
    expect(() => mergeResults(parts.slice(0, 2))).toThrow(/missing shard\(s\) 3\/3/);
    expect(() => mergeResults([parts[0], parts[0], parts[1]])).toThrow(/given twice/);
  });

  it('selectPairs: limit first, then every n-th pair', async () => {
    const fake = ['d', 'a', 'c', 'b', 'e'].map((id) => ({ id, load: async () => { throw new Error('unused'); } }));
    expect(selectPairs(fake, null, null).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(selectPairs(fake, 4, { index: 2, count: 2 }).map((p) => p.id)).toEqual(['b', 'd']);
  });

  it('bench check: exit codes 0, 1 and 2', async () => {
    const dir = await imageFolder(2);
    const methods = [{ spec: 'wiener', method: await createMethod('wiener') }];
    const out = mkdtempSync(join(tmpdir(), 'check-'));
    const base = (await runBenchmark(await options(dir, out, methods))).results;
    const worse: Results = structuredClone(base);
    worse.summary[0].means.psnr -= 0.2;
    const otherSsim: Results = structuredClone(base);
    otherSsim.header.conventions.ssimMode = 'matlab3d';
    expect(compareResults(base, base, parseTolerances(undefined)).deltas.every((d) => !d.regressed)).toBe(true);
    expect(compareResults(base, worse, parseTolerances(undefined)).deltas.find((d) => d.metric === 'psnr')?.regressed).toBe(true);
    expect(compareResults(base, worse, parseTolerances('psnr=0.5')).deltas.some((d) => d.regressed)).toBe(false);
    expect(compareResults(base, otherSsim, parseTolerances(undefined))).toMatchObject({ comparable: false, reasons: ['different ssimMode (basicsr vs matlab3d)'] });
    const { writeReports } = await import('../../src/bench/reporters/index.js');
    const dirs = ['base', 'worse', 'other'].map((n) => mkdtempSync(join(tmpdir(), `check-${n}-`)));
    await writeReports(base, dirs[0], ['json']);
    await writeReports(worse, dirs[1], ['json']);
    await writeReports(otherSsim, dirs[2], ['json']);
    expect(runCli(['check', join(dirs[0], 'results.json'), join(dirs[0], 'results.json')]).code).toBe(0);
    const regressed = runCli(['check', join(dirs[0], 'results.json'), join(dirs[1], 'results.json')]);
    expect(regressed.code).toBe(1);
    expect(regressed.stdout).toMatch(/REGRESSED/);
    const incomparable = runCli(['check', join(dirs[0], 'results.json'), join(dirs[2], 'results.json')]);
    expect(incomparable.code).toBe(2);
    expect(incomparable.stderr).toMatch(/not comparable: different ssimMode/);
    expect(runCli(['check', join(dirs[0], 'results.json'), '/no/such.json']).code).toBe(2);
  });
});

describe('bench check and bench merge: what makes runs comparable', () => {
  it('a method or a metric the candidate lacks makes the gate fail as not comparable (exit 2)', async () => {
    const dir = await imageFolder(2);
    const cache = join(mkdtempSync(join(tmpdir(), 'check-missing-')), 'cache');
    const both = [{ spec: 'blurred', method: await createMethod('blurred') }, { spec: 'wiener', method: await createMethod('wiener') }];
    const run = async (methods: RunOptions['methods'], extra: Partial<RunOptions> = {}) => (await runBenchmark(await options(dir, mkdtempSync(join(tmpdir(), 'check-run-')), methods, { cacheDir: cache, ...extra }))).results;
    const base = await run(both);
    const noWiener = await run(both.slice(0, 1));
    const noSsim = await run(both, { metrics: ['psnr'] });
    expect(compareResults(base, noWiener, parseTolerances(undefined))).toMatchObject({ comparable: false, reasons: ['method wiener is missing from the candidate'] });
    expect(compareResults(base, noSsim, parseTolerances(undefined))).toMatchObject({
      comparable: false,
      reasons: ['method blurred: ssim is missing from the candidate', 'method wiener: ssim is missing from the candidate'],
    });
    // a method only the candidate has is fine
    expect(compareResults(noWiener, base, parseTolerances(undefined)).comparable).toBe(true);
    const { writeReports } = await import('../../src/bench/reporters/index.js');
    const files = await Promise.all(
      [base, noWiener].map(async (r) => {
        const d = mkdtempSync(join(tmpdir(), 'check-file-'));
        await writeReports(r, d, ['json']);
        return join(d, 'results.json');
      }),
    );
    const r = runCli(['check', files[0], files[1]]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['bench: not comparable: method wiener is missing from the candidate']);
  });

  it('detection settings and the seed must match for check and merge', async () => {
    const dir = await imageFolder(2);
    const methods = [{ spec: 'blurred', method: await createMethod('blurred') }];
    const detection = { spec: 'fixed-box', detector: boxDetector(), gtThreshold: 0.3, scoreThreshold: 0.3 };
    const run = async (extra: Partial<RunOptions>) => (await runBenchmark(await options(dir, mkdtempSync(join(tmpdir(), 'det-run-')), methods, { detection, ...extra }))).results;
    const base = await run({});
    const otherGt = await run({ detection: { ...detection, gtThreshold: 0.5 } });
    const otherDetector = await run({ detection: { ...detection, detector: { ...boxDetector(), identity: { detector: 'fixed-box', version: 2 } } } });
    const noDetector = await run({ detection: null });
    const otherSeed: Results = structuredClone(base);
    otherSeed.header.seed = 4;
    const otherIou: Results = structuredClone(base);
    (otherIou.header.detectionSettings as NonNullable<Results['header']['detectionSettings']>).iou = 0.75;
    const reasons = (c: Results) => compareResults(base, c, parseTolerances(undefined)).reasons.join('; ');
    expect(reasons(otherGt)).toBe('different detection gtThreshold (0.3 vs 0.5)');
    expect(reasons(otherDetector)).toMatch(/^different detector \(detector=fixed-box, version=1 vs detector=fixed-box, version=2\)/);
    expect(reasons(noDetector)).toBe('detection in one run only (fixed-box vs none)');
    expect(reasons(otherSeed)).toBe('different seed (3 vs 4)');
    expect(reasons(otherIou)).toBe('different detection iou (0.5 vs 0.75)');
    const shards = await Promise.all([1, 2].map((index) => run({ shard: { index, count: 2 } })));
    expect(mergeResults(shards).header.detectionSettings).toEqual(base.header.detectionSettings);
    const shifted = structuredClone(shards[1]);
    (shifted.header.detectionSettings as NonNullable<Results['header']['detectionSettings']>).scoreThreshold = 0.6;
    expect(() => mergeResults([shards[0], shifted])).toThrow(/^cannot merge: different detection scoreThreshold \(0\.3 vs 0\.6\)$/);
    const reseeded = structuredClone(shards[1]);
    reseeded.header.seed = 9;
    expect(() => mergeResults([shards[0], reseeded])).toThrow(/^cannot merge: different seed \(3 vs 9\)$/);
  });

  it('--tol: an empty value or a name that is no metric is a one-line error', async () => {
    expect(() => parseTolerances('psnr=')).toThrow(UserError);
    expect(() => parseTolerances('psnr=')).toThrow(/--tol takes metric=value pairs .*got "psnr="/);
    expect(() => parseTolerances('psnr=1=2')).toThrow(/got "psnr=1=2"/);
    expect(() => parseTolerances('psrn=0.1', ['psnr', 'ssim'])).toThrow(/--tol: unknown metric "psrn" — did you mean "psnr"/);
    expect(parseTolerances('ssim_matlab3d=0.01,ap=0.02,lpips=0.1', ['lpips'])).toMatchObject({ ssim_matlab3d: 0.01, ap: 0.02, lpips: 0.1 });
    const dir = await imageFolder(1);
    const out = mkdtempSync(join(tmpdir(), 'tol-'));
    const { writeReports } = await import('../../src/bench/reporters/index.js');
    const { results } = await runBenchmark(await options(dir, out, [{ spec: 'blurred', method: await createMethod('blurred') }]));
    await writeReports(results, out, ['json']);
    const file = join(out, 'results.json');
    for (const [tol, message] of [['psnr=', /got "psnr="/], ['psnr=0.1,sssim=0.01', /unknown metric "sssim" — did you mean "ssim"/]] as const) {
      const r = runCli(['check', file, file, '--tol', tol]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(runCli(['check', file, file, '--tol', 'psnr=0.1']).code).toBe(0);
  });
});

describe('bench run (CLI)', () => {
  it.each([
    [['--suite', 'gorpo'], /unknown suite "gorpo" — did you mean "gopro"/],
    [['--methods', 'weiner'], /did you mean "wiener"/],
    [['--metrics', 'psnr,lpips'], /unknown metric "lpips"/],
    [['--ssim', 'matlab'], /did you mean "matlab3d"/],
    [['--shard', '3/2'], /--shard must be k\/n/],
    [['--detector', 'yolov9'], /unknown detector "yolov9" — did you mean "yolo"/],
    [['--detector', 'yolo'], /the yolo detector needs --detector-model/],
    [['--detector', 'coco-ssd'], /the coco-ssd detector needs --detector-model DIR/],
    [['--format', 'pdf'], /unknown report format "pdf"/],
    [['--noise', '-2'], /--noise/],
    [['--out', '/proc/forbidden/out'], /cannot write to output folder \/proc\/forbidden\/out/],
  ])('bad input %j: one line, exit 2, before any work', (extra, message) => {
    const r = runCli(['run', '--limit', '1', '--quiet', '--out', join(tmpdir(), 'never-run'), ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs the sample suite end to end and writes every report', () => {
    const out = mkdtempSync(join(tmpdir(), 'run-cli-'));
    const r = runCli(['run', '--limit', '2', '--methods', 'blurred,wiener', '--detector', 'none', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wiener\s+\d+\.\d+\s+0\.\d{4}/);
    expect(r.stdout).toMatch(/report: .*report\.html/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.header.suite.name).toBe('sample');
    expect(results.header.conventions).toMatchObject({ ssimMode: 'basicsr', color: 'rgb', crop: 0, quantize: 'round', subset: null });
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^method,/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('Pairs: 2 of 12');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('2 of 12 pairs ·');
  });

  it('bench merge takes every shard folder it is given', () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-cli-'));
    for (const k of [1, 2]) {
      const r = runCli(['run', '--limit', '2', '--methods', 'blurred', '--metrics', 'psnr', '--detector', 'none', '--shard', `${k}/2`, '--format', 'json', '--out', join(root, `s${k}`), '--quiet']);
      expect(r.code).toBe(0);
    }
    const merged = runCli(['merge', join(root, 's1'), join(root, 's2'), '--out', join(root, 'm'), '--format', 'json']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    const results = JSON.parse(readFileSync(join(root, 'm', 'results.json'), 'utf8'));
    expect(new Set(results.rows.map((r: { pair: string }) => r.pair)).size).toBe(2);
    expect(runCli(['merge', join(root, 's1'), join(root, 's1'), '--out', join(root, 'm2')]).stderr).toMatch(/given twice/);
  });
});
