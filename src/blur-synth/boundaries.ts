/**
 * Boundary modes, named by what happens at the edge `a b c | …` (kept apart from convolve.ts so
 * the CLI and the metrics can use them without loading any numeric code):
 * - `reflect`   … c b a | a b c (edge repeated; scipy.ndimage 'reflect', numpy/MATLAB 'symmetric')
 * - `mirror`    … c b | a b c (edge not repeated; scipy 'mirror', OpenCV BORDER_REFLECT_101)
 * - `replicate` … a a a | a b c (scipy 'nearest', OpenCV BORDER_REPLICATE)
 * - `zero`      … 0 0 0 | a b c (scipy 'constant' 0, the DeblurGAN reference's fftconvolve)
 * - `wrap`      periodic
 */
export type Boundary = 'reflect' | 'mirror' | 'replicate' | 'zero' | 'wrap';
export const BOUNDARIES: readonly Boundary[] = ['reflect', 'mirror', 'replicate', 'zero', 'wrap'];

/** Index into [0, n) for a coordinate outside it; -1 means "zero". */
export function boundaryIndex(i: number, n: number, mode: Boundary): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'zero':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * n;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - 1 - m;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - m;
    }
  }
}
