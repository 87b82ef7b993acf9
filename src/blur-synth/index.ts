export { type BlurOptions, DEFAULT_BLUR, blurImage, imageToPlanes, planesToImage } from './blur.js';
export { BOUNDARIES, type Boundary, type ConvolutionMethod, chooseMethod, convolveDirect, convolveFft, convolvePlanes } from './convolve.js';
export { type Kernel, type KernelStats, centerKernel, centroid, deltaKernel, flipKernel, kernelOrigin, kernelStats, kernelSum, normalizeKernel } from './kernel.js';
export { type BlurModel, type BlurModelOptions, CORRUPTION_MOTION_BLUR, blurModels, corruptionKernel, gaussianBlurKernel, linearKernel } from './models.js';
export { type Trajectory, randomTrajectory, trajectoryLength, trajectoryPsf } from './trajectory.js';
