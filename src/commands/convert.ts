/** `bench convert-keras generator.h5 --out DIR`: Keras HDF5 DeblurGAN weights → a checkpoint folder (+ ONNX). */
import { saveCheckpoint } from '../deblur/deblurgan/checkpoint.js';
import { importKerasGenerator } from '../deblur/deblurgan/keras-h5.js';

export async function runConvertKeras(args: { file: string; out: string }): Promise<number> {
  const { architecture, weights } = await importKerasGenerator(args.file);
  await saveCheckpoint(args.out, architecture, weights, { name: `imported from ${args.file}`, notes: 'Keras HDF5 generator weights (BatchNorm, upsample + conv, (tanh + x)/2)' });
  process.stdout.write(`wrote ${args.out}/model.json, weights.bin and model.onnx (keras variant, ngf ${architecture.ngf}, ${architecture.blocks} blocks); run it with --methods deblurgan:model=${args.out}\n`);
  return 0;
}
