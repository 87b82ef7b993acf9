/**
 * `onnx:FILE.onnx[,range=signed|unit,residual=true|false,multiple=8,tile=512,overlap=32,tiling=auto|on|off]`:
 * any image-to-image ONNX deblurring model (NCHW RGB) — DeblurGAN-v2, NAFNet, MIMO-UNet … exported
 * by their authors' tools — run with onnxruntime-node. Defaults suit models trained on [0, 1]
 * images that predict the sharp image directly, padded to a multiple of 8. `tiling=auto` tiles
 * above 1280×720 pixels, or whenever `tile=`/`overlap=` is given.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { sha256File } from '../../core/hash.js';
import { booleanOption, checkKeys, numberOption } from '../options.js';
import type { DeblurMethod, MethodFactory, MethodOptions } from '../types.js';
import { DEFAULT_IO, type ModelIo, loadOnnxModel, restoreWithModel } from './model-runner.js';

/**
 * Value range, padding and tiling from the options over `defaults`. `netMultiple`: the size
 * multiple the network itself needs, which `multiple` must be a multiple of.
 */
export function ioFromOptions(options: MethodOptions, defaults: ModelIo, netMultiple = 1): ModelIo {
  const range = options.range === undefined ? defaults.range : options.range === 'signed' ? '-1,1' : options.range === 'unit' ? '0,1' : null;
  if (range === null) throw new UserError(`option range=${options.range} is invalid: use signed ([−1, 1]) or unit ([0, 1])`);
  const residual = booleanOption(options, 'residual', defaults.residual);
  const multipleRule = netMultiple > 1 ? `a positive multiple of ${netMultiple} (the network's own)` : 'a positive integer';
  const multiple = numberOption(options, 'multiple', defaults.multiple, (v) => Number.isInteger(v) && v >= 1 && v % netMultiple === 0, multipleRule);
  const tile = numberOption(options, 'tile', defaults.tile, (v) => Number.isInteger(v) && v >= 64, 'an integer ≥ 64');
  // the tile in effect, given or default, must suit the multiple (tiles are padded to it)
  if (tile % multiple !== 0) {
    if (options.tile !== undefined) throw new UserError(`option tile=${tile} is invalid: it must be a multiple of ${multiple}`);
    throw new UserError(`option multiple=${multiple} is invalid: the default tile (${tile}) is not a multiple of it; give tile= too`);
  }
  const overlap = numberOption(options, 'overlap', defaults.overlap, (v) => Number.isInteger(v) && v >= 0 && v < tile / 2, 'an integer below tile/2');
  // a default overlap (e.g. from a model card) must also suit a tile given as an option
  if (overlap >= tile / 2) throw new UserError(`option tile=${tile} is invalid: it must be more than twice the overlap (${overlap}); give overlap= too`);
  const tiling = options.tiling ?? 'auto';
  if (!['auto', 'on', 'off'].includes(tiling)) throw new UserError(`option tiling=${tiling} is invalid: use auto, on or off`);
  // a tile or overlap given explicitly asks for tiles; the pixel budget only guards the defaults
  const sizeGiven = options.tile !== undefined || options.overlap !== undefined;
  const tileAbovePixels = tiling === 'off' ? 0 : tiling === 'on' || sizeGiven ? 1 : defaults.tileAbovePixels;
  return { range, residual, multiple, tile, overlap, tileAbovePixels };
}

export const IO_KEYS = ['range', 'residual', 'multiple', 'tile', 'overlap', 'tiling'] as const;

export const onnxFactory: MethodFactory = async (options) => {
  checkKeys('onnx', options, ['path', ...IO_KEYS]);
  const path = options.path;
  if (!path) throw new UserError('the onnx method needs a model file: onnx:FILE.onnx');
  if (!existsSync(path)) throw new UserError(`ONNX model ${path} does not exist`);
  const io = ioFromOptions(options, { ...DEFAULT_IO, range: '0,1', multiple: 8 });
  const model = await loadOnnxModel(path);
  const method: DeblurMethod = {
    name: 'onnx',
    identity: { method: 'onnx', model: await sha256File(path), ...io, version: 2 },
    runtime: { backend: 'onnxruntime-node cpu', threads: model.threads },
    needsKernel: false,
    restore: async (blurred) => restoreWithModel(model, blurred, io),
  };
  return method;
};
