/**
 * `deblurgan[:model=DIR|FILE.onnx,engine=onnx|tfjs,tiling=auto|on|off,…]`: the DeblurGAN generator.
 * Default model: the checkpoint shipped in models/deblurgan/. The fast path runs its ONNX export
 * in onnxruntime-node; `engine=tfjs` runs the tfjs network (slower; the training path). Both tile
 * as the checkpoint's card says (`inference`), unless the options say otherwise.
 * Dropout is off, so outputs are deterministic (the official test script leaves it on).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MethodUnavailable, UserError } from '../../core/errors.js';
import { sha256File } from '../../core/hash.js';
import { packageRoot } from '../../core/paths.js';
import { describeBackend, loadTf } from '../../core/tfjs-backend.js';
import { DEFAULT_IO, type ModelIo, loadOnnxModel, restoreWithModel } from '../onnx/model-runner.js';
import { IO_KEYS, ioFromOptions } from '../onnx/method.js';
import { checkKeys } from '../options.js';
import type { DeblurMethod, MethodFactory } from '../types.js';
import { generatorSpec } from './architecture.js';
import { loadCheckpoint, readModelCard } from './checkpoint.js';
import { generatorRunner, toTensors } from './network.js';
import { restoreTiled, tilingFor } from '../tiling.js';

export function defaultModelDir(): string {
  return join(packageRoot(), 'models', 'deblurgan');
}

export const deblurganFactory: MethodFactory = async (options) => {
  checkKeys('deblurgan', options, ['model', 'engine', ...IO_KEYS]);
  const engine = options.engine ?? 'onnx';
  if (engine !== 'onnx' && engine !== 'tfjs') throw new UserError(`option engine=${engine} is invalid: use onnx or tfjs`);
  const model = options.model ?? defaultModelDir();
  if (!existsSync(model)) {
    if (options.model) throw new UserError(`DeblurGAN model ${model} does not exist`);
    throw new MethodUnavailable(
      'no DeblurGAN checkpoint is shipped yet (models/deblurgan/ is empty): pass deblurgan:model=DIR (a checkpoint folder or a .onnx export) or benchmark any export with onnx:FILE.onnx',
    );
  }
  if (engine === 'tfjs') {
    const ignored = (['range', 'residual', 'multiple'] as const).filter((k) => options[k] !== undefined);
    if (ignored.length) throw new UserError(`deblurgan:engine=tfjs takes no ${ignored.join('/')} option (the checkpoint defines them)`);
  }
  // both variants downsample twice: the network needs sides that are multiples of 4
  const netMultiple = generatorSpec().multiple;
  // a checkpoint folder's card may name the tiling it was validated with; it is the default
  const card = existsSync(join(model, 'model.json')) ? await readModelCard(model) : {};
  const defaults: ModelIo = { ...DEFAULT_IO, range: '-1,1', multiple: netMultiple, ...(card.inference ? tilingFor(netMultiple, card.inference) : {}) };
  const io = ioFromOptions(options, defaults, netMultiple);
  const onnxFile = model.endsWith('.onnx') ? model : join(model, 'model.onnx');
  if (engine === 'onnx') {
    if (!existsSync(onnxFile)) throw new UserError(`${onnxFile} not found: export the checkpoint to ONNX or use deblurgan:engine=tfjs`);
    const session = await loadOnnxModel(onnxFile);
    return {
      name: 'deblurgan',
      identity: { method: 'deblurgan', engine, model: await sha256File(onnxFile), ...io, dropout: 'off', version: 2 },
      runtime: { backend: 'onnxruntime-node cpu', threads: session.threads },
      needsKernel: false,
      restore: async (blurred) => restoreWithModel(session, blurred, io),
    } satisfies DeblurMethod;
  }
  const checkpoint = await loadCheckpoint(model);
  const tf = await loadTf();
  const spec = generatorSpec(checkpoint.architecture);
  const run = generatorRunner(tf, spec, toTensors(tf, checkpoint.weights));
  const tiling = { ...io, multiple: spec.multiple };
  return {
    name: 'deblurgan',
    identity: { method: 'deblurgan', engine, model: await sha256File(join(model, 'weights.bin')), architecture: JSON.stringify(checkpoint.architecture), backend: tf.getBackend(), ...tiling, dropout: 'off', version: 3 },
    runtime: await describeBackend(),
    needsKernel: false,
    restore: async (blurred) => restoreTiled(blurred, tiling, run),
  } satisfies DeblurMethod;
};
