/** The method registry: one line per method; heavy implementations load lazily. */
import { Registry } from '../core/registry.js';
import type { MethodFactory } from './types.js';

export const methods = new Registry<MethodFactory>('method')
  .register('blurred', 'no deblurring (the blurred input)', async () => (await import('./identity.js')).identityFactory)
  .register('wiener', 'non-blind Wiener deconvolution with the true kernel (options: nsr)', async () => (await import('./classical/wiener.js')).wienerFactory)
  .register('deblurgan', 'DeblurGAN generator (options: model=DIR|FILE.onnx, engine=onnx|tfjs, tiling=auto|on|off)', async () => (await import('./deblurgan/method.js')).deblurganFactory)
  .register('onnx', 'any image-to-image ONNX deblurring model: onnx:FILE.onnx[,range=unit|signed,residual=true|false,multiple=8]', async () => (await import('./onnx/method.js')).onnxFactory)
  .register('richardson-lucy', 'non-blind Richardson–Lucy with the true kernel (options: iterations, damping)', async () => (await import('./classical/richardson-lucy.js')).richardsonLucyFactory);

export { parseMethodSpec } from './options.js';
export type { DeblurMethod, MethodFactory, RestoreContext } from './types.js';

/** Build a method from a spec such as `wiener:nsr=0.005`. */
export async function createMethod(spec: string) {
  const { parseMethodSpec } = await import('./options.js');
  const { name, options } = parseMethodSpec(spec);
  const factory = await methods.load(name);
  return await factory(options);
}
