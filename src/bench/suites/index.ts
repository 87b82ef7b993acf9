/** Suites are data: each is a loader registered by name. */
import { Registry } from '../../core/registry.js';
import type { SuiteLoader } from './types.js';

export const suites = new Registry<SuiteLoader>('suite')
  .register('sample', 'the shipped photographs with seeded trajectory blur (kernels known)', async () => (await import('./synth.js')).loadSampleSuite)
  .register('gopro', 'GoPro (GOPRO_Large, --data DIR, --subset blur|blur_gamma, --split test|train)', async () => (await import('./gopro.js')).loadGoproSuite)
  .register('folder', 'sharp and blurred folders paired by name, or a list file (RealBlur format)', async () => (await import('./folder.js')).loadFolderSuite)
  .register('synth', 'any folder of sharp images + a blur model and seed (--data DIR)', async () => (await import('./synth.js')).loadSynthSuite);

export type { LoadedSuite, PairData, SuiteArgs, SuitePair } from './types.js';
