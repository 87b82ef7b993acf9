/**
 * Shared frequency-domain machinery of the non-blind baselines. Border handling: each plane is
 * extended by reflection (edge repeated) to the FFT size and, beyond a margin of the kernel size
 * around the image, faded with a raised cosine to the plane's mean at the periodic seam. The
 * circular model the FFT assumes then sees a continuous image, so no ringing starts at the borders.
 */
import { boundaryIndex } from '../../blur-synth/convolve.js';
import { Fft2d, nextFastSize } from '../../blur-synth/fft.js';
import { type Kernel, kernelOrigin } from '../../blur-synth/kernel.js';

export interface PaddedDomain {
  fft: Fft2d;
  /** Image offset inside the padded grid. */
  left: number;
  top: number;
  width: number;
  height: number;
}

export function paddedDomain(w: number, h: number, k: Kernel): PaddedDomain {
  const margin = (n: number): number => 2 * n + 8;
  const fw = nextFastSize(w + 2 * margin(k.width));
  const fh = nextFastSize(h + 2 * margin(k.height));
  return { fft: new Fft2d(fw, fh), left: Math.floor((fw - w) / 2), top: Math.floor((fh - h) / 2), width: w, height: h };
}

/** Weight of an extended coordinate: 1 over the image and the first `keep` pixels, cosine to 0 at the seam. */
function taper(size: number, start: number, n: number, keep: number): Float64Array {
  const wts = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const d = i < start ? start - i : i >= start + n ? i - (start + n - 1) : 0; // distance outside the image
    const seam = i < start ? start : size - (start + n); // pad length on that side
    const fadeLen = Math.max(1, seam - keep);
    const t = Math.min(1, Math.max(0, (d - keep) / fadeLen));
    wts[i] = d <= keep ? 1 : 0.5 * (1 + Math.cos(Math.PI * t));
  }
  return wts;
}

/** Extend `plane` (w×h) into the padded grid; returns a fresh Float64Array of the FFT size. */
export function extend(plane: Float64Array, dom: PaddedDomain, keep: number): Float64Array {
  const { width: w, height: h, left, top } = dom;
  const fw = dom.fft.width;
  const fh = dom.fft.height;
  let mean = 0;
  for (let i = 0; i < plane.length; i++) mean += plane[i];
  mean /= plane.length;
  const wx = taper(fw, left, w, keep);
  const wy = taper(fh, top, h, keep);
  const out = new Float64Array(fw * fh);
  const cols = new Int32Array(fw);
  for (let x = 0; x < fw; x++) cols[x] = boundaryIndex(x - left, w, 'reflect');
  for (let y = 0; y < fh; y++) {
    const sy = boundaryIndex(y - top, h, 'reflect') * w;
    const row = y * fw;
    for (let x = 0; x < fw; x++) out[row + x] = mean + wy[y] * wx[x] * (plane[sy + cols[x]] - mean);
  }
  return out;
}

/** Crop the image region back out of the padded grid. */
export function crop(padded: Float64Array, dom: PaddedDomain): Float64Array {
  const fw = dom.fft.width;
  const out = new Float64Array(dom.width * dom.height);
  for (let y = 0; y < dom.height; y++) {
    const from = (y + dom.top) * fw + dom.left;
    out.set(padded.subarray(from, from + dom.width), y * dom.width);
  }
  return out;
}

/** Kernel spectrum with the kernel origin at (0, 0), so filtering does not shift the image. */
export function kernelSpectrum(k: Kernel, fft: Fft2d): { re: Float64Array; im: Float64Array } {
  const fw = fft.width;
  const fh = fft.height;
  const re = new Float64Array(fw * fh);
  const im = new Float64Array(fw * fh);
  const o = kernelOrigin(k);
  for (let i = 0; i < k.height; i++) {
    for (let j = 0; j < k.width; j++) {
      const y = (((i - o.y) % fh) + fh) % fh;
      const x = (((j - o.x) % fw) + fw) % fw;
      re[y * fw + x] += k.data[i * k.width + j];
    }
  }
  fft.forward(re, im);
  return { re, im };
}

/**
 * Apply a Hermitian filter H (given by its real and imaginary parts, or `conj` of the kernel
 * spectrum) to up to two real planes at once: they ride as the real and imaginary parts of one
 * complex transform, which is exact because H has a real impulse response.
 */
export function filterPair(a: Float64Array, b: Float64Array | null, fft: Fft2d, hre: Float64Array, him: Float64Array): [Float64Array, Float64Array | null] {
  const { re, im } = fft.workspace(); // transformed in place, no copies into the engine
  re.set(a);
  if (b) im.set(b);
  else im.fill(0);
  fft.forward(re, im);
  for (let i = 0; i < re.length; i++) {
    const r = re[i] * hre[i] - im[i] * him[i];
    im[i] = re[i] * him[i] + im[i] * hre[i];
    re[i] = r;
  }
  fft.inverse(re, im);
  return [Float64Array.from(re), b ? Float64Array.from(im) : null];
}

/** Apply a filter to every plane, two at a time. */
export function filterPlanes(planes: Float64Array[], fft: Fft2d, hre: Float64Array, him: Float64Array): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < planes.length; c += 2) {
    const [x, y] = filterPair(planes[c], planes[c + 1] ?? null, fft, hre, him);
    out.push(x);
    if (y) out.push(y);
  }
  return out;
}
