// `npm ci` builds the optional native convolution kernels (native/conv.cc, OpenBLAS) used to train
// DeblurGAN on the wasm backend. Without a compiler or libopenblas-dev the build is skipped with a
// one-line notice: everything works, training just uses the slower wasm kernels.
import { spawnSync } from 'node:child_process';

if (process.env.DEBLURBENCH_NATIVE === '0') process.exit(0);
const result = spawnSync('node-gyp', ['rebuild'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', shell: process.platform === 'win32' });
if (result.status === 0) {
  process.stdout.write('deblurbench: native convolution kernels built (OpenBLAS)\n');
} else {
  const why = /cblas\.h|lopenblas/.test(`${result.stdout}${result.stderr}`) ? 'libopenblas-dev is not installed' : result.error ? String(result.error.message) : 'node-gyp failed';
  process.stdout.write(`deblurbench: native convolution kernels not built (${why}); training uses the tfjs-wasm kernels. Install libopenblas-dev and run npm rebuild to add them.\n`);
}
