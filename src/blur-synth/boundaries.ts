/**
 * Boundary modes, named by what happens at the edge `a b c | …` (kept apart from convolve.ts so
 * the CLI can list them without loading any numeric code):
 * - `reflect`   … c b a | a b c (edge repeated; scipy.ndimage 'reflect', numpy/MATLAB 'symmetric')
 * - `mirror`    … c b | a b c (edge not repeated; scipy 'mirror', OpenCV BORDER_REFLECT_101)
 * - `replicate` … a a a | a b c (scipy 'nearest', OpenCV BORDER_REPLICATE)
 * - `zero`      … 0 0 0 | a b c (scipy 'constant' 0, the DeblurGAN reference's fftconvolve)
 * - `wrap`      periodic
 */
export type Boundary = 'reflect' | 'mirror' | 'replicate' | 'zero' | 'wrap';
export const BOUNDARIES: readonly Boundary[] = ['reflect', 'mirror', 'replicate', 'zero', 'wrap'];
