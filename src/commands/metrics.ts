/** `bench metrics <reference> <test>`: PSNR and SSIM of one image pair under named conventions. */
import { jsonNumber, displayNumber } from '../core/format.js';
import { readImage } from '../core/image.js';
import type { ColorSpace, ScoreQuantization } from '../metrics/planes.js';
import { psnr } from '../metrics/psnr.js';
import { ssimModes } from '../metrics/ssim.js';
import { ssimParallel } from '../metrics/ssim-parallel.js';

export interface MetricsArgs {
  reference: string;
  test: string;
  ssim: string;
  color: ColorSpace;
  crop: number;
  quantize: ScoreQuantization;
  json: boolean;
}

export async function runMetrics(args: MetricsArgs): Promise<number> {
  ssimModes.entry(args.ssim); // unknown mode fails before any image is read
  const [reference, test] = await Promise.all([readImage(args.reference), readImage(args.test)]);
  const conventions = { color: args.color, crop: args.crop, quantize: args.quantize };
  const psnrValue = psnr(reference, test, conventions);
  const ssimValue = await ssimParallel(reference, test, { mode: args.ssim, ...conventions });
  if (args.json) {
    const out = {
      psnr: jsonNumber(psnrValue),
      ssim: jsonNumber(ssimValue),
      ssimMode: args.ssim,
      color: args.color,
      crop: args.crop,
      quantize: args.quantize,
      width: reference.width,
      height: reference.height,
      channels: reference.channels,
      reference: args.reference,
      test: args.test,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(
      `PSNR ${displayNumber(psnrValue, 4)} dB   SSIM ${displayNumber(ssimValue, 6)}   ` +
        `(ssim ${args.ssim}, color ${args.color}, crop ${args.crop}, ${reference.width}×${reference.height}×${reference.channels})\n`,
    );
  }
  return 0;
}
