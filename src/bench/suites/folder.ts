/**
 * `folder` suite: a sharp folder and a blurred folder paired by file name (`--sharp-dir`,
 * `--blurred-dir`), or a list file with one `<gt path> <blurred path>` pair per line, GT first
 * (RealBlur's format), paths relative to `--data` or to the list file's folder. How pairs are
 * scored (as they are, or with RealBlur's official alignment: `--align realblur`) is a scoring
 * convention, recorded with the others in the results header, not a property of the suite.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { fileListHash, filePair, isDir } from './common.js';
import { pairByName } from './gopro.js';
import type { LoadedSuite, SuiteArgs } from './types.js';

export async function loadFolderSuite(args: SuiteArgs): Promise<LoadedSuite> {
  if (args.list) return loadList(args.list, args.data);
  if (!args.sharpDir || !args.blurredDir) throw new UserError('the folder suite needs --sharp-dir and --blurred-dir, or --list FILE');
  for (const d of [args.sharpDir, args.blurredDir]) if (!(await isDir(d))) throw new UserError(`folder ${d} does not exist`);
  const entries = await pairByName(args.sharpDir, args.blurredDir, '', null);
  if (entries.length === 0) throw new UserError(`no images in ${args.sharpDir}`);
  return {
    identity: {
      name: 'folder',
      params: { sharpDir: args.sharpDir, blurredDir: args.blurredDir },
      fileListHash: await fileListHash(entries.map((e) => ({ id: e.id, files: [e.sharp, e.blurred] }))),
      pairCount: entries.length,
    },
    subset: null,
    hasKernels: false,
    pairs: entries.map((e) => filePair(e.id, e.sharp, e.blurred)),
    description: `folder: ${entries.length} pairs (${args.sharpDir} ↔ ${args.blurredDir})`,
    warnings: [],
  };
}

async function loadList(listPath: string, data: string | undefined): Promise<LoadedSuite> {
  let text: string;
  try {
    text = await readFile(listPath, 'utf8');
  } catch {
    throw new UserError(`cannot read list file ${listPath}`);
  }
  const base = data ?? dirname(resolve(listPath));
  const entries: { id: string; sharp: string; blurred: string }[] = [];
  const seen = new Map<string, { line: number; blur: string }>();
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    // a third column is no RealBlur list (or a path with a space): refuse rather than guess
    if (parts.length !== 2) throw new UserError(`${listPath}:${n + 1}: expected "<gt path> <blurred path>", found ${parts.length} column${parts.length === 1 ? '' : 's'}`);
    const [gt, blur] = parts;
    const id = blur.slice(0, blur.length - extname(blur).length);
    const earlier = seen.get(id);
    if (earlier) {
      const what = earlier.blur === blur ? `${blur} is listed twice (line ${earlier.line})` : `${blur} and ${earlier.blur} (line ${earlier.line}) give the same pair id ${id}`;
      throw new UserError(`${listPath}:${n + 1}: ${what}`);
    }
    seen.set(id, { line: n + 1, blur });
    // relative paths are read from the base folder; absolute ones as they are
    entries.push({ id, sharp: resolve(base, gt), blurred: resolve(base, blur) });
  }
  if (entries.length === 0) throw new UserError(`list file ${listPath} holds no pairs`);
  for (const e of entries) {
    for (const f of [e.sharp, e.blurred]) {
      try {
        await readFile(f, { flag: 'r' }).then(() => undefined);
      } catch {
        throw new UserError(`list file ${listPath} names ${f}, which does not exist`);
      }
    }
  }
  return {
    identity: { name: 'folder', params: { list: listPath, data: base }, fileListHash: await fileListHash(entries.map((e) => ({ id: e.id, files: [e.sharp, e.blurred] }))), pairCount: entries.length },
    subset: null,
    hasKernels: false,
    pairs: entries.map((e) => filePair(e.id, e.sharp, e.blurred)),
    description: `folder (list ${listPath}): ${entries.length} pairs`,
    warnings: [],
  };
}
