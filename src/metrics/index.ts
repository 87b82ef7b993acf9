export { MetricAccumulator, type MetricValue } from './accumulator.js';
export { COLOR_SPACES, type ColorSpace, type PlaneOptions, SCORE_QUANTIZATIONS, type ScoreQuantization } from './planes.js';
export { DEFAULT_PLANE_OPTIONS, psnr } from './psnr.js';
export { DEFAULT_SSIM_MODE, SSIM_MODES, type SsimMode, type SsimOptions, ssim, ssimModes } from './ssim.js';
export { ssimParallel } from './ssim-parallel.js';
