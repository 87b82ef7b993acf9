/**
 * GoPro (Nah et al. 2017): `GOPRO_Large/{train,test}/GOPRnnnn_xx_xx/{blur,blur_gamma,sharp}/NNNNNN.png`,
 * or the flattened forms other repositories use (`{blur,sharp}/<seq>_<frame>.png`,
 * `GoPro/{input,target}`, `data/gopro/test/{blur,sharp}`). A `bench synth` tree is the nested form
 * with a `kernel/` folder beside `blur/`, and its kernels are loaded. Pairs are matched by
 * sequence + frame name, never by sorted index; a missing or extra file, a sequence without its
 * sharp folder, or a `--data` folder that holds the other split is an error naming it.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { isImageFile } from '../../core/files.js';
import { fileListHash, filePair, imagesByStem, isDir } from './common.js';
import type { LoadedSuite, SuiteArgs, SuitePair } from './types.js';

/** Frames per test sequence in the official split (11 sequences, 1111 pairs). */
export const GOPRO_TEST_PAIRS = 1111;
export const GOPRO_TRAIN_PAIRS = 2103;

type Layout = { kind: 'nested'; root: string; sequences: string[] } | { kind: 'flat'; root: string; blurDir: string; sharpDir: string };

const BLUR_NAMES = { blur: ['blur', 'input'], blur_gamma: ['blur_gamma'] } as const;
const SHARP_NAMES = ['sharp', 'target', 'gt'];

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function firstExisting(dir: string, names: readonly string[]): Promise<string | null> {
  for (const n of names) if (await isDir(join(dir, n))) return join(dir, n);
  return null;
}

const PAIR_FOLDERS = [...BLUR_NAMES.blur, ...BLUR_NAMES.blur_gamma, ...SHARP_NAMES];
const SPLITS = ['train', 'test'];

/**
 * Finds the pairs for `split`. `data` itself is a candidate (a split folder, one sequence, or a
 * `bench synth` tree), so a folder that names the other split is refused rather than loaded and
 * labelled as the asked one.
 */
async function detectLayout(data: string, split: string, subset: 'blur' | 'blur_gamma'): Promise<Layout | null> {
  const candidates = [join(data, split), data, join(data, split, 'GoPro'), join(data, 'GoPro'), join(data, 'GOPRO', split), join(data, 'gopro', split), join(data, 'data', 'gopro', split)];
  for (const root of candidates) {
    if (!(await isDir(root))) continue;
    const blurDir = await firstExisting(root, BLUR_NAMES[subset]);
    const sharpDir = await firstExisting(root, SHARP_NAMES);
    const sequences: string[] = [];
    if (!(blurDir && sharpDir)) {
      for (const s of await subdirs(root)) if (await firstExisting(join(root, s), PAIR_FOLDERS)) sequences.push(s);
      if (sequences.length === 0) continue;
    }
    const named = basename(resolve(root)).toLowerCase();
    if (root === data && SPLITS.includes(named) && named !== split) throw new UserError(`${data} holds the ${named} split, but the ${split} split was asked (--split for bench run; bench train reads train pairs from --data, test pairs from --val)`);
    // a flattened GOPRO/{train,test}/{blur,sharp} without the asked split
    const other = sequences.find((s) => SPLITS.includes(s.toLowerCase()) && s.toLowerCase() !== split);
    if (other) throw new UserError(`${data} holds only the ${other.toLowerCase()} split (${join(root, other)}), but the ${split} split was asked (--split for bench run; bench train reads train pairs from --data, test pairs from --val)`);
    return blurDir && sharpDir ? { kind: 'flat', root, blurDir, sharpDir } : { kind: 'nested', root, sequences };
  }
  return null;
}

async function images(dir: string): Promise<Map<string, string>> {
  return imagesByStem(dir, (await readdir(dir)).filter(isImageFile));
}

/** Pair two folders by file stem; a file on one side only is an error naming it. */
export async function pairByName(sharpDir: string, blurDir: string, idPrefix: string, kernelDir: string | null): Promise<{ id: string; sharp: string; blurred: string; kernel?: string }[]> {
  const sharp = await images(sharpDir);
  const blurred = await images(blurDir);
  for (const [stem, path] of sharp) if (!blurred.has(stem)) throw new UserError(`missing blurred image for ${path} (expected ${join(blurDir, `${stem}.png`)})`);
  for (const [stem, path] of blurred) if (!sharp.has(stem)) throw new UserError(`missing sharp image for ${path} (expected ${join(sharpDir, `${stem}.png`)})`);
  const kernels = kernelDir ? await readdir(kernelDir).catch(() => [] as string[]) : [];
  return [...sharp.keys()].map((stem) => ({
    id: `${idPrefix}${stem}`,
    sharp: sharp.get(stem) as string,
    blurred: blurred.get(stem) as string,
    kernel: kernelDir && kernels.includes(`${stem}.json`) ? join(kernelDir, `${stem}.json`) : undefined,
  }));
}

export async function loadGoproSuite(args: SuiteArgs): Promise<LoadedSuite> {
  const where = `GOPRO_Large, its ${args.split} folder or a bench synth tree`;
  if (!args.data) throw new UserError(`the gopro suite needs --data DIR pointing at ${where}; it cannot be downloaded here`);
  if (!(await isDir(args.data))) {
    const exists = await stat(args.data).then(() => true, () => false);
    throw new UserError(`GoPro folder ${args.data} ${exists ? 'is not a folder' : 'does not exist'} (point it at ${where})`);
  }
  const layout = await detectLayout(args.data, args.split, args.subset);
  if (!layout) {
    throw new UserError(`no GoPro layout found under ${args.data}: expected ${args.split}/<sequence>/{${args.subset},sharp}/ or {${args.subset},sharp}/ folders`);
  }
  const entries: { id: string; sharp: string; blurred: string; kernel?: string }[] = [];
  if (layout.kind === 'flat') {
    entries.push(...(await pairByName(layout.sharpDir, layout.blurDir, '', null)));
  } else {
    for (const seq of layout.sequences) {
      const dir = join(layout.root, seq);
      const blurDir = await firstExisting(dir, BLUR_NAMES[args.subset]);
      if (!blurDir) throw new UserError(`sequence ${dir} has no ${args.subset}/ folder`);
      const sharpDir = await firstExisting(dir, SHARP_NAMES);
      if (!sharpDir) throw new UserError(`sequence ${dir} has no sharp/ folder (nor target/ or gt/)`);
      const kernelDir = (await isDir(join(dir, 'kernel'))) ? join(dir, 'kernel') : null;
      entries.push(...(await pairByName(sharpDir, blurDir, `${seq}/`, kernelDir)));
    }
  }
  if (entries.length === 0) throw new UserError(`no image pairs found under ${layout.root}`);
  const warnings: string[] = [];
  const expected = args.split === 'test' ? GOPRO_TEST_PAIRS : GOPRO_TRAIN_PAIRS;
  if (entries.length !== expected) warnings.push(`found ${entries.length} pairs; the full GoPro ${args.split} split has ${expected}`);
  const hasKernels = entries.every((e) => e.kernel);
  const pairs: SuitePair[] = entries.map((e) => filePair(e.id, e.sharp, e.blurred, e.kernel));
  return {
    identity: {
      name: 'gopro',
      params: { data: args.data, split: args.split, subset: args.subset, layout: layout.kind },
      fileListHash: await fileListHash(entries.map((e) => ({ id: e.id, files: [e.sharp, e.blurred] }))),
      pairCount: pairs.length,
    },
    subset: args.subset,
    hasKernels,
    pairs,
    description: `GoPro ${args.split}: ${pairs.length} pairs (subset ${args.subset}, ${layout.kind} layout at ${layout.root})`,
    warnings,
  };
}
