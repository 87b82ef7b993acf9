import type { Kernel } from '../../blur-synth/kernel.js';
import type { Image } from '../../core/image.js';
import type { SuiteIdentity } from '../results.js';

export interface PairData {
  sharp: Image;
  blurred: Image;
  kernel?: Kernel;
  /** Hash of everything that determines this pair's inputs (file bytes, blur seed …): the cache key. */
  inputHash: string;
}

export interface SuitePair {
  id: string;
  load(): Promise<PairData>;
}

export interface LoadedSuite {
  identity: SuiteIdentity;
  /** GoPro subset when the suite has one. */
  subset: string | null;
  /** Whether pairs carry the true kernel (non-blind methods can run). */
  hasKernels: boolean;
  pairs: SuitePair[];
  /** One line for the console, e.g. "GoPro test: 1111 pairs (subset blur)". */
  description: string;
  warnings: string[];
}

export interface SuiteArgs {
  data?: string;
  subset: 'blur' | 'blur_gamma';
  split: 'test' | 'train';
  seed: number;
  blurModel: string;
  noise: number;
  list?: string;
  sharpDir?: string;
  blurredDir?: string;
}

export type SuiteLoader = (args: SuiteArgs) => Promise<LoadedSuite>;
