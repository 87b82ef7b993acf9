/**
 * DeblurGAN checkpoints: a folder with `model.json` (architecture, weight manifest, model card)
 * and `weights.bin` (float32, little-endian, concatenated in manifest order), plus `model.onnx`
 * exported beside them for fast inference (absent when saved without an export, e.g. in training).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { StagedWrites, makeDirectory } from '../../core/files.js';
import { type TileSize, tileSizeProblem } from '../tiling.js';
import { type GeneratorConfig, generatorSpec, countParameters } from './architecture.js';
import { exportOnnx } from './onnx-export.js';
import { type Weights, checkWeights } from './weights.js';

export const CHECKPOINT_FORMAT = 'deblurbench-deblurgan@1';

/** What is known about how a checkpoint was made (all optional; written as given). */
export interface ModelCard {
  name?: string;
  contentLoss?: string;
  trainingData?: string;
  recipe?: Record<string, string | number | boolean>;
  seed?: number;
  steps?: number;
  wallTimeSeconds?: number;
  validation?: Record<string, number>;
  /**
   * Tiling the checkpoint was validated with, and the deblurgan method's default for it: tiles of
   * about the training crop keep instance norm's statistics near those it was trained on.
   * Absent: whole images.
   */
  inference?: TileSize;
  notes?: string;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  offset: number;
}

export interface CheckpointJson {
  format: typeof CHECKPOINT_FORMAT;
  architecture: GeneratorConfig;
  parameters: number;
  weights: ManifestEntry[];
  card: ModelCard;
}

export async function saveCheckpoint(dir: string, architecture: GeneratorConfig, weights: Weights, card: ModelCard, opts: { onnx?: boolean; staged?: StagedWrites } = {}): Promise<void> {
  const spec = generatorSpec(architecture);
  checkWeights(spec, weights, 'checkpoint');
  await makeDirectory(dir);
  const entries: ManifestEntry[] = [];
  let offset = 0;
  for (const [name, w] of weights) {
    entries.push({ name, shape: w.shape, offset });
    offset += w.data.length * 4;
  }
  const bin = Buffer.alloc(offset);
  for (const e of entries) {
    const w = weights.get(e.name) as { data: Float32Array };
    Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).copy(bin, e.offset);
  }
  const json: CheckpointJson = { format: CHECKPOINT_FORMAT, architecture, parameters: countParameters(spec), weights: entries, card };
  // An export of the previous weights must not outlive them: the onnx engine would run it under
  // the new card. Removing it first (rather than comparing file times, which copies and checkouts
  // reset) also covers a save interrupted before its new export is written.
  await rm(join(dir, 'model.onnx'), { force: true });
  // temporary names renamed together (now, or with the caller's other files), so an interrupted
  // save never leaves a torn checkpoint
  const staged = opts.staged ?? new StagedWrites();
  await staged.write(join(dir, 'weights.bin'), bin);
  await staged.write(join(dir, 'model.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (opts.onnx !== false) {
    const onnx = exportOnnx(spec, weights, { metadata: { architecture: JSON.stringify(architecture), card: JSON.stringify(card) } });
    await staged.write(join(dir, 'model.onnx'), onnx);
  }
  if (!opts.staged) await staged.commit();
}

export interface LoadedCheckpoint {
  architecture: GeneratorConfig;
  weights: Weights;
  card: ModelCard;
}

async function readCheckpointJson(dir: string): Promise<CheckpointJson> {
  try {
    return JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as CheckpointJson;
  } catch (err) {
    throw new UserError(`cannot read DeblurGAN checkpoint ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The card of the checkpoint in `dir` without its weights; a bad inference tiling is a UserError. */
export async function readModelCard(dir: string): Promise<ModelCard> {
  const json = await readCheckpointJson(dir);
  const card = json.card ?? {};
  const problem = card.inference ? tileSizeProblem(card.inference, generatorSpec(json.architecture).multiple) : null;
  if (problem) throw new UserError(`${dir}/model.json: card.inference: ${problem}`);
  return card;
}

/** The generator architecture of the checkpoint in `dir`, without its weights. */
export async function readArchitecture(dir: string): Promise<GeneratorConfig> {
  return (await readCheckpointJson(dir)).architecture;
}

export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  let json: CheckpointJson;
  let bin: Buffer;
  try {
    json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as CheckpointJson;
    bin = await readFile(join(dir, 'weights.bin'));
  } catch (err) {
    throw new UserError(`cannot read DeblurGAN checkpoint ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (json.format !== CHECKPOINT_FORMAT) throw new UserError(`${dir}/model.json is not a DeblurGAN checkpoint (format ${String(json.format)}, expected ${CHECKPOINT_FORMAT})`);
  const weights: Weights = new Map();
  for (const e of json.weights) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + 4 * n > bin.length) throw new UserError(`checkpoint ${dir} is truncated: ${e.name} lies past the end of weights.bin`);
    const data = new Float32Array(bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + 4 * n));
    weights.set(e.name, { shape: e.shape, data });
  }
  try {
    checkWeights(generatorSpec(json.architecture), weights, dir);
  } catch (err) {
    throw new UserError(`corrupt DeblurGAN checkpoint: ${(err as Error).message}`);
  }
  return { architecture: json.architecture, weights, card: json.card ?? {} };
}
