/** `bench deblur IN OUT [--model SPEC]`: restore one image (or every image of a folder) with a method. */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { listImages, makeOutputFolder } from '../core/files.js';
import { type Quantization, readImage, writeImage } from '../core/image.js';
import { Progress } from '../core/progress.js';
import { createMethod } from '../deblur/index.js';

export async function runDeblur(args: { input: string; output: string; model: string; quantization: Quantization; quiet: boolean }): Promise<number> {
  // `--model` takes a method spec, a checkpoint folder or an .onnx file
  const spec = /^[a-z-]+(:|$)/.test(args.model) ? args.model : args.model.endsWith('.onnx') ? `onnx:${args.model}` : `deblurgan:model=${args.model}`;
  const method = await createMethod(spec);
  const isDir = await stat(args.input).then((s) => s.isDirectory(), () => false);
  const files = isDir ? (await listImages(args.input, 'input')).map((f) => join(args.input, f)) : [args.input];
  // a single output file's folder is made too, before any work
  await makeOutputFolder(isDir ? args.output : dirname(resolve(args.output)));
  const progress = new Progress({ label: 'deblur', total: files.length, quiet: args.quiet || files.length === 1 });
  for (const file of files) {
    const blurred = await readImage(file);
    if (method.needsKernel) throw new UserError(`${spec} needs the true blur kernel; use it through bench run on a suite with kernels`);
    const t = performance.now();
    const restored = await method.restore(blurred, { id: basename(file) });
    const ms = performance.now() - t;
    const target = isDir ? join(args.output, `${basename(file, extname(file))}.png`) : args.output;
    await writeImage(target, restored, { quantization: args.quantization });
    if (!isDir && !args.quiet) process.stderr.write(`${file} → ${target}: ${restored.width}×${restored.height}, ${ms.toFixed(0)} ms (${method.runtime.backend}, ${method.runtime.threads} thread(s))\n`);
    progress.tick(basename(file));
  }
  progress.finish();
  return 0;
}
