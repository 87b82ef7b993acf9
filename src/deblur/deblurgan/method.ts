/**
 * `deblurgan[:model=DIR|FILE.onnx,engine=onnx|tfjs,tiling=auto|on|off,…]`: the DeblurGAN generator.
 * Default model: the checkpoint shipped in models/deblurgan/. The fast path runs its ONNX export
 * in onnxruntime-node; `engine=tfjs` runs the tfjs network (slower; the training path).
 * Dropout is off, so outputs are deterministic (the official test script leaves it on).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MethodUnavailable, UserError } from '../../core/errors.js';
import { sha256File } from '../../core/hash.js';
import { createImage, toRgb, toFloat } from '../../core/image.js';
import { packageRoot } from '../../core/paths.js';
import { describeBackend, loadTf } from '../../core/tfjs-backend.js';
import { DEFAULT_IO, loadOnnxModel, restoreWithModel } from '../onnx/model-runner.js';
import { IO_KEYS, ioFromOptions } from '../onnx/method.js';
import { checkKeys } from '../options.js';
import type { DeblurMethod, MethodFactory } from '../types.js';
import { generatorSpec } from './architecture.js';
import { loadCheckpoint } from './checkpoint.js';
import { forward, toTensors } from './network.js';

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
  const io = ioFromOptions(options, { ...DEFAULT_IO, range: '-1,1', multiple: 4 });
  const onnxFile = model.endsWith('.onnx') ? model : join(model, 'model.onnx');
  if (engine === 'onnx') {
    if (!existsSync(onnxFile)) throw new UserError(`${onnxFile} not found: export the checkpoint to ONNX or use deblurgan:engine=tfjs`);
    const session = await loadOnnxModel(onnxFile);
    return {
      name: 'deblurgan',
      identity: { method: 'deblurgan', engine, model: await sha256File(onnxFile), ...io, dropout: 'off', version: 1 },
      runtime: { backend: 'onnxruntime-node cpu', threads: session.threads },
      needsKernel: false,
      restore: async (blurred) => restoreWithModel(session, blurred, io),
    } satisfies DeblurMethod;
  }
  const checkpoint = await loadCheckpoint(model);
  const tf = await loadTf();
  const spec = generatorSpec(checkpoint.architecture);
  const weights = toTensors(tf, checkpoint.weights);
  return {
    name: 'deblurgan',
    identity: { method: 'deblurgan', engine, model: await sha256File(join(model, 'weights.bin')), multiple: spec.multiple, dropout: 'off', version: 1 },
    runtime: await describeBackend(),
    needsKernel: false,
    restore: async (blurred) => {
      // pad to the multiple with reflection, run, crop back; values mapped to [−1, 1] and back
      const img = toFloat(toRgb(blurred));
      const { width: W, height: H } = img;
      const up = (n: number): number => Math.ceil(n / spec.multiple) * spec.multiple;
      const out = tf.tidy(() => {
        const x = tf.tensor4d(img.data, [1, H, W, 3]).mul(2).sub(1) as import('@tensorflow/tfjs').Tensor4D;
        return tf.mirrorPad(x, [[0, 0], [0, up(H) - H], [0, up(W) - W], [0, 0]], 'reflect'); // same extension as the ONNX path
      });
      const y = forward(tf, spec, weights, out);
      out.dispose();
      const cropped = tf.tidy(() => tf.slice(y, [0, 0, 0, 0], [1, H, W, 3]).add(1).div(2));
      y.dispose();
      const data = new Float32Array(await cropped.data());
      cropped.dispose();
      return createImage(W, H, 3, data);
    },
  } satisfies DeblurMethod;
};
