/** Programmatic API: the CLI is a thin shell over these. */
export { UserError } from './core/errors.js';
export { type Image, type PixelData, createImage, decodeImage, encodeImage, readImage, readImageWithInfo, toFloat, toUint8, writeImage } from './core/image.js';
export { Progress } from './core/progress.js';
export { Registry } from './core/registry.js';
export { Rng } from './core/rng.js';
export * from './metrics/index.js';
