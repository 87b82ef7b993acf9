/**
 * Blur kernels (PSFs): row-major float64, non-negative, summing to 1. Convolution places the
 * kernel origin at (floor(h/2), floor(w/2)); `centerKernel` makes that origin the kernel's
 * centroid (to within half a pixel), so blurring does not shift the image.
 */
export interface Kernel {
  width: number;
  height: number;
  data: Float64Array;
}

export function kernelSum(k: Kernel): number {
  let s = 0;
  for (let i = 0; i < k.data.length; i++) s += k.data[i];
  return s;
}

/** Scale to sum 1; negative taps are an error (a PSF is a distribution of light). */
export function normalizeKernel(k: Kernel): Kernel {
  let sum = 0;
  for (let i = 0; i < k.data.length; i++) {
    if (!(k.data[i] >= 0)) throw new RangeError(`kernel tap ${i} is ${k.data[i]}; PSFs must be non-negative`);
    sum += k.data[i];
  }
  if (!(sum > 0)) throw new RangeError('kernel has no mass');
  return { ...k, data: k.data.map((v) => v / sum) };
}

/** Centre of mass in (x, y) pixel coordinates of the kernel grid. */
export function centroid(k: Kernel): { x: number; y: number } {
  let sx = 0, sy = 0, s = 0;
  for (let y = 0; y < k.height; y++) {
    for (let x = 0; x < k.width; x++) {
      const v = k.data[y * k.width + x];
      sx += v * x;
      sy += v * y;
      s += v;
    }
  }
  return { x: sx / s, y: sy / s };
}

/** The convolution origin of a kernel grid. */
export function kernelOrigin(k: Pick<Kernel, 'width' | 'height'>): { x: number; y: number } {
  return { x: Math.floor(k.width / 2), y: Math.floor(k.height / 2) };
}

/**
 * Crop to the support and re-pad to the smallest odd square-free grid whose centre pixel is the
 * rounded centroid. The result's centroid is within 0.5 px of its origin.
 */
export function centerKernel(k: Kernel): Kernel {
  let x0 = k.width, x1 = -1, y0 = k.height, y1 = -1;
  for (let y = 0; y < k.height; y++) {
    for (let x = 0; x < k.width; x++) {
      if (k.data[y * k.width + x] > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) throw new RangeError('kernel has no mass');
  const c = centroid(k);
  const cx = Math.round(c.x);
  const cy = Math.round(c.y);
  const rx = Math.max(cx - x0, x1 - cx);
  const ry = Math.max(cy - y0, y1 - cy);
  const width = 2 * rx + 1;
  const height = 2 * ry + 1;
  const data = new Float64Array(width * height);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) data[(y - cy + ry) * width + (x - cx + rx)] = k.data[y * k.width + x];
  }
  return { width, height, data };
}

/** Normalise and centre: the form every blur model returns. */
export function finishKernel(k: Kernel): Kernel {
  return centerKernel(normalizeKernel(k));
}

/** Kernel flipped in both axes (correlation ↔ convolution). */
export function flipKernel(k: Kernel): Kernel {
  const data = new Float64Array(k.data.length);
  for (let i = 0; i < data.length; i++) data[i] = k.data[data.length - 1 - i];
  return { ...k, data };
}

export function deltaKernel(): Kernel {
  return { width: 1, height: 1, data: Float64Array.of(1) };
}

export interface KernelStats {
  /** Number of taps with any mass. */
  support: number;
  /** Smallest number of taps holding 90 % of the mass. */
  support90: number;
  /** RMS distance of the mass from the centroid, in pixels. */
  spread: number;
  /** Bounding box of the support. */
  extentX: number;
  extentY: number;
}

export function kernelStats(k: Kernel): KernelStats {
  const c = centroid(k);
  let support = 0, m2 = 0, x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const values: number[] = [];
  for (let y = 0; y < k.height; y++) {
    for (let x = 0; x < k.width; x++) {
      const v = k.data[y * k.width + x];
      if (v <= 0) continue;
      support++;
      values.push(v);
      m2 += v * ((x - c.x) ** 2 + (y - c.y) ** 2);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  values.sort((a, b) => b - a);
  const total = values.reduce((a, b) => a + b, 0);
  let acc = 0, support90 = 0;
  for (const v of values) {
    acc += v;
    support90++;
    if (acc >= 0.9 * total) break;
  }
  return { support, support90, spread: Math.sqrt(m2 / total), extentX: x1 - x0 + 1, extentY: y1 - y0 + 1 };
}
