/**
 * Runs an image-to-image ONNX model (NCHW RGB float) on an image of any size with onnxruntime-node;
 * padding and tiling are tiling.ts's.
 */
import { UserError } from '../../core/errors.js';
import type { Image } from '../../core/image.js';
import { threadsFromEnv } from '../../core/threads.js';
import { DEFAULT_TILING, type Tiling, restoreTiled } from '../tiling.js';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

export interface ModelIo extends Tiling {
  /** Value range the model expects and returns: [−1, 1] (DeblurGAN) or [0, 1] (NAFNet, MIMO-UNet …). */
  range: '-1,1' | '0,1';
  /** Add the input to the model output (for models that predict a residual). */
  residual: boolean;
}

export const DEFAULT_IO: ModelIo = { range: '-1,1', residual: false, multiple: 4, ...DEFAULT_TILING };

let ortPromise: Promise<Ort> | null = null;
async function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node') as Promise<Ort>;
  return ortPromise;
}

export interface LoadedModel {
  session: Session;
  inputName: string;
  outputName: string;
  threads: number;
}

export async function loadOnnxModel(source: string | Uint8Array): Promise<LoadedModel> {
  const threads = threadsFromEnv();
  const ort = await loadOrt();
  let session: Session;
  try {
    const options = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
  } catch (err) {
    throw new UserError(`cannot load ONNX model${typeof source === 'string' ? ` ${source}` : ''}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { session, inputName: session.inputNames[0], outputName: session.outputNames[0], threads };
}

/** One NCHW forward pass on a planar [0,1] RGB crop; returns planar [0,1] output of the same size. */
async function runPlanes(model: LoadedModel, planes: Float32Array, w: number, h: number, io: ModelIo): Promise<Float32Array> {
  const ort = await loadOrt();
  const input = new Float32Array(planes.length);
  const toModel = io.range === '-1,1' ? (v: number) => v * 2 - 1 : (v: number) => v;
  for (let i = 0; i < planes.length; i++) input[i] = toModel(planes[i]);
  const feeds = { [model.inputName]: new ort.Tensor('float32', input, [1, 3, h, w]) };
  const result = await model.session.run(feeds);
  const out = result[model.outputName];
  const dims = out.dims;
  if (dims.length !== 4 || dims[1] !== 3 || dims[2] !== h || dims[3] !== w) {
    throw new Error(`model output has shape [${dims.join(', ')}], expected [1, 3, ${h}, ${w}]`);
  }
  const data = out.data as Float32Array;
  const res = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (io.residual) v += input[i];
    res[i] = io.range === '-1,1' ? (v + 1) / 2 : v;
  }
  out.dispose?.();
  return res;
}

/** Restore a whole image (padded to the multiple, tiled above the pixel budget); output float [0,1]-ish, HWC, the input's channels. */
export async function restoreWithModel(model: LoadedModel, image: Image, io: ModelIo): Promise<Image<Float32Array>> {
  return restoreTiled(image, io, (planes, w, h) => runPlanes(model, planes, w, h, io));
}
