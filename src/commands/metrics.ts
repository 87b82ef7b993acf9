/** `bench metrics <reference> <test>`: PSNR and SSIM of one image pair under named conventions. */
import { UserError } from '../core/errors.js';
import { jsonNumber, displayNumber } from '../core/format.js';
import { readImage } from '../core/image.js';
import type { ColorSpace, ScoreQuantization } from '../metrics/planes.js';
import { psnr } from '../metrics/psnr.js';
import { parseAlignment, realblurScores, ssimModesFor } from '../metrics/realblur.js';
import { DEFAULT_SSIM_MODE, ssimModes } from '../metrics/ssim.js';
import { ssimParallel } from '../metrics/ssim-parallel.js';

export interface MetricsArgs {
  reference: string;
  test: string;
  /** SSIM mode (default basicsr; fixed under --align realblur). */
  ssim?: string;
  color: ColorSpace;
  crop: number;
  quantize: ScoreQuantization;
  align?: string;
  json: boolean;
}

export async function runMetrics(args: MetricsArgs): Promise<number> {
  // bad flags and unknown modes fail before any image is read
  const align = parseAlignment(args.align ?? 'none');
  if (args.ssim !== undefined && args.ssim.includes(',')) throw new UserError('bench metrics takes one --ssim mode');
  const [mode] = ssimModesFor(align, args, DEFAULT_SSIM_MODE);
  if (align === 'none') ssimModes.entry(mode);
  const [reference, test] = await Promise.all([readImage(args.reference), readImage(args.test)]);
  const conventions = { color: args.color, crop: args.crop, quantize: args.quantize };
  const aligned = align === 'realblur' ? realblurScores(reference, test, args.quantize) : null;
  const psnrValue = aligned ? aligned.psnr : psnr(reference, test, conventions);
  const ssimValue = aligned ? aligned.ssim : await ssimParallel(reference, test, { mode, ...conventions });
  if (args.json) {
    const out = {
      psnr: jsonNumber(psnrValue),
      ssim: jsonNumber(ssimValue),
      ssimMode: mode,
      color: args.color,
      crop: args.crop,
      quantize: args.quantize,
      align,
      ...(aligned ? { scale: aligned.scale, warp: [0, 3, 6].map((r) => Array.from(aligned.warp.subarray(r, r + 3))), eccRho: aligned.rho } : {}),
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
        `(ssim ${mode}, color ${args.color}, crop ${args.crop}, align ${align}, ${reference.width}×${reference.height}×${reference.channels})\n`,
    );
  }
  return 0;
}
