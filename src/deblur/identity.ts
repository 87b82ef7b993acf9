/** The "no deblurring" method: the blurred input itself, the floor every method must beat. */
import { toFloat } from '../core/image.js';
import { checkKeys } from './options.js';
import type { MethodFactory } from './types.js';

export const identityFactory: MethodFactory = (options) => {
  checkKeys('blurred', options, []);
  return {
    name: 'blurred',
    identity: { method: 'blurred', version: 1 },
    runtime: { backend: 'js', threads: 1 },
    needsKernel: false,
    restore: async (blurred) => toFloat(blurred),
  };
};
