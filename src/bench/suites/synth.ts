/**
 * `synth` suite: any folder of sharp images, blurred in memory with a blur model and a seed
 * (kernels known, so non-blind methods run). `sample` is this suite on the shipped photographs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blurImage } from '../../blur-synth/blur.js';
import { blurModels, modelBoundary } from '../../blur-synth/models.js';
import { UserError } from '../../core/errors.js';
import { listImages } from '../../core/files.js';
import { sha256 } from '../../core/hash.js';
import { decodeImage, toUint8 } from '../../core/image.js';
import { packageRoot } from '../../core/paths.js';
import { Rng } from '../../core/rng.js';
import { fileListHash, imagesByStem } from './common.js';
import type { LoadedSuite, SuiteArgs, SuitePair } from './types.js';

/**
 * Bump when the blur synthesis changes its output for the same seed (invalidates caches).
 * 2: the corruption model blurs with replicated borders, as imagecorruptions does.
 */
const SYNTH_VERSION = 2;

export async function loadSynthFolder(name: string, dir: string, args: SuiteArgs): Promise<LoadedSuite> {
  const model = await blurModels.load(args.blurModel);
  const files = imagesByStem(dir, await listImages(dir, `${name} suite`));
  if (files.size === 0) throw new UserError(`no images in ${dir} for the ${name} suite`);
  const pairs: SuitePair[] = [...files].map(([id, path]) => ({
    id,
    load: async () => {
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        throw new UserError(`cannot read sharp image ${path}`);
      }
      const sharp = toUint8(await decodeImage(bytes).catch((err: Error) => Promise.reject(new UserError(`cannot read image ${path}: ${err.message}`))));
      const stream = `${args.seed}:${id}`;
      const rng = new Rng(stream);
      const { kernel } = model(rng.fork('kernel'), {});
      const blurred = blurImage(sharp, kernel, rng.fork('noise'), { gaussianSigma: args.noise, boundary: modelBoundary(args.blurModel) });
      // everything the blurred image depends on: the bytes, the pair's random stream and the blur settings
      const inputHash = sha256(JSON.stringify([sha256(bytes), stream, args.blurModel, args.noise, `synth-v${SYNTH_VERSION}`]));
      return { sharp, blurred, kernel, inputHash };
    },
  }));
  const listHash = await fileListHash([...files].map(([id, path]) => ({ id, files: [path] })));
  return {
    identity: {
      name,
      params: { blurModel: args.blurModel, seed: args.seed, noise: args.noise, synthVersion: SYNTH_VERSION, ...(name === 'sample' ? {} : { data: dir }) },
      fileListHash: listHash,
      pairCount: pairs.length,
    },
    subset: null,
    hasKernels: true,
    pairs,
    description: `${name}: ${pairs.length} photographs blurred with the ${args.blurModel} model (seed ${args.seed}${args.noise ? `, noise σ ${args.noise}` : ''})`,
    warnings: [],
  };
}

export async function loadSampleSuite(args: SuiteArgs): Promise<LoadedSuite> {
  return loadSynthFolder('sample', join(packageRoot(), 'datasets', 'sample'), args);
}

export async function loadSynthSuite(args: SuiteArgs): Promise<LoadedSuite> {
  if (!args.data) throw new UserError('the synth suite needs --data DIR (a folder of sharp images)');
  return loadSynthFolder('synth', args.data, args);
}
