/** Worker thread for ssim-parallel.ts: sums the SSIM map over one band of output rows. */
import { parentPort } from 'node:worker_threads';
import { describeError } from '../core/errors.js';
import type { BandReply, BandRequest } from './ssim-parallel.js';
import { ssimModes } from './ssim.js';

parentPort?.on('message', (request: BandRequest) => {
  void (async (): Promise<BandReply> => {
    try {
      const impl = await ssimModes.load(request.mode);
      if (!impl.plan) throw new Error(`SSIM mode ${request.mode} cannot be split into bands`);
      const plan = impl.plan(request.reference, request.test, request.opts);
      return { id: request.id, sum: plan.sum(request.start, request.end) };
    } catch (err) {
      return { id: request.id, error: describeError(err) };
    }
  })().then((reply) => parentPort?.postMessage(reply));
});
