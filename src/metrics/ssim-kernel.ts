/**
 * The SSIM inner loops shared by every Gaussian/uniform mode: separable filtering of
 * a, b, a²+b² and ab in 'valid' mode, fused with the SSIM map and its sum.
 *
 * Inputs arrive one row at a time from a `RowFiller` (so crops, colour conversion, channel mixing
 * and padding never materialise whole float64 planes). Only four filtered maps are needed because
 * the SSIM denominator uses σa² + σb² together. Everything is float64 (parity with
 * scikit-image/OpenCV to ~1e-12).
 */
export interface SsimConstants {
  c1: number;
  c2: number;
  /** Factor on (co)variances: NP/(NP−1) for sample covariance, 1 for population. */
  covNorm: number;
}

/** Writes input row `y` of a, b, a²+b², ab (each `width` long). */
export type RowFiller = (y: number, a: Float64Array, b: Float64Array, s: Float64Array, p: Float64Array) => void;

export interface RowInput {
  width: number;
  height: number;
  fill: RowFiller;
}

/** Gaussian taps at offsets −r..r, normalised to sum 1 (same as cv2.getGaussianKernel / scipy). */
export function gaussianKernel(radius: number, sigma: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

export function uniformKernel(size: number): Float64Array {
  return new Float64Array(size).fill(1 / size);
}

/** Number of output rows of the valid region. */
export function validRows(input: RowInput, kernel: Float64Array): number {
  return input.height - kernel.length + 1;
}

export function validCount(input: RowInput, kernel: Float64Array): number {
  return (input.width - kernel.length + 1) * (input.height - kernel.length + 1);
}

/**
 * Sum of the SSIM map over output rows [rowStart, rowEnd) of the valid region. Picks the fastest
 * exact loop: running box sums (uniform window), a hand-specialised 11-tap loop, or the generic one.
 */
export function ssimSum(input: RowInput, kernel: Float64Array, consts: SsimConstants, rowStart = 0, rowEnd = validRows(input, kernel)): number {
  const k = kernel.length;
  if (input.width < k || input.height < k) throw new RangeError(`image ${input.width}×${input.height} is smaller than the ${k}×${k} SSIM window`);
  if (rowEnd <= rowStart) return 0;
  if (kernel.every((v) => v === kernel[0])) return sumBox(input, k, consts, rowStart, rowEnd);
  return sumSeparable(input, kernel, consts, rowStart, rowEnd);
}

function rowBuffers(w: number): [Float64Array, Float64Array, Float64Array, Float64Array] {
  return [new Float64Array(w), new Float64Array(w), new Float64Array(w), new Float64Array(w)];
}

/** Horizontal pass into `out` (4 maps interleaved per output x). */
type HorizontalPass = (src: Float64Array[], out: Float64Array, ow: number) => void;


function horizontal11(kernel: Float64Array): HorizontalPass {
  const k0 = kernel[0], k1 = kernel[1], k2 = kernel[2], k3 = kernel[3], k4 = kernel[4], k5 = kernel[5];
  return (src, out, ow) => {
    const a = src[0], b = src[1], s = src[2], p = src[3];
    for (let i = 0, o = 0; i < ow; i++, o += 4) {
      out[o] = k5 * a[i + 5] + k0 * (a[i] + a[i + 10]) + k1 * (a[i + 1] + a[i + 9]) + k2 * (a[i + 2] + a[i + 8]) + k3 * (a[i + 3] + a[i + 7]) + k4 * (a[i + 4] + a[i + 6]);
      out[o + 1] = k5 * b[i + 5] + k0 * (b[i] + b[i + 10]) + k1 * (b[i + 1] + b[i + 9]) + k2 * (b[i + 2] + b[i + 8]) + k3 * (b[i + 3] + b[i + 7]) + k4 * (b[i + 4] + b[i + 6]);
      out[o + 2] = k5 * s[i + 5] + k0 * (s[i] + s[i + 10]) + k1 * (s[i + 1] + s[i + 9]) + k2 * (s[i + 2] + s[i + 8]) + k3 * (s[i + 3] + s[i + 7]) + k4 * (s[i + 4] + s[i + 6]);
      out[o + 3] = k5 * p[i + 5] + k0 * (p[i] + p[i + 10]) + k1 * (p[i + 1] + p[i + 9]) + k2 * (p[i + 2] + p[i + 8]) + k3 * (p[i + 3] + p[i + 7]) + k4 * (p[i + 4] + p[i + 6]);
    }
  };
}

function horizontalGeneric(kernel: Float64Array): HorizontalPass {
  const k = kernel.length;
  const half = k >> 1;
  return (src, out, ow) => {
    for (let m = 0; m < 4; m++) {
      const r = src[m];
      for (let x = 0, o = m; x < ow; x++, o += 4) {
        let acc = kernel[half] * r[x + half];
        for (let j = 0; j < half; j++) acc += kernel[j] * (r[x + j] + r[x + k - 1 - j]);
        out[o] = acc;
      }
    }
  };
}

/** Symmetric odd-length kernel: horizontal rows in a ring of k, vertical pass fused with the map. */
function sumSeparable(input: RowInput, kernel: Float64Array, consts: SsimConstants, rowStart: number, rowEnd: number): number {
  const k = kernel.length;
  const half = k >> 1;
  const w = input.width;
  const ow = w - k + 1;
  const rows = rowBuffers(w);
  if (k === 11) return sumSeparable11(input, kernel, consts, rowStart, rowEnd);
  const hpass = horizontalGeneric(kernel);
  const ring = Array.from({ length: k }, () => new Float64Array(4 * ow));
  const load = (y: number): void => {
    input.fill(y, rows[0], rows[1], rows[2], rows[3]);
    hpass(rows, ring[y % k], ow);
  };
  const { c1, c2, covNorm } = consts;
  const v = new Float64Array(4 * ow);
  const kc = kernel[half];
  let total = 0;
  for (let y = rowStart; y < rowStart + k - 1; y++) load(y);
  for (let oy = rowStart; oy < rowEnd; oy++) {
    load(oy + k - 1);
    const centre = ring[(oy + half) % k];
    for (let x = 0; x < 4 * ow; x++) v[x] = kc * centre[x];
    for (let j = 0; j < half; j++) {
      const top = ring[(oy + j) % k];
      const bottom = ring[(oy + k - 1 - j) % k];
      const wj = kernel[j];
      for (let x = 0; x < 4 * ow; x++) v[x] += wj * (top[x] + bottom[x]);
    }
    for (let o = 0; o < 4 * ow; o += 4) {
      const mu1 = v[o];
      const mu2 = v[o + 1];
      const mu11 = mu1 * mu1;
      const mu22 = mu2 * mu2;
      const mu12 = mu1 * mu2;
      total += ((2 * mu12 + c1) * (2 * covNorm * (v[o + 3] - mu12) + c2)) / ((mu11 + mu22 + c1) * (covNorm * (v[o + 2] - mu11 - mu22) + c2));
    }
  }
  return total;
}

/**
 * The 11-tap hot path (`gaussian`/`basicsr`): taps in locals, one ring buffer (a single typed array,
 * which V8 bounds-checks far better than eleven), vertical pass fused with the map.
 */
function sumSeparable11(input: RowInput, kernel: Float64Array, consts: SsimConstants, rowStart: number, rowEnd: number): number {
  const k0 = kernel[0], k1 = kernel[1], k2 = kernel[2], k3 = kernel[3], k4 = kernel[4], k5 = kernel[5];
  const ow = input.width - 10;
  const stride = 4 * ow;
  const rows = rowBuffers(input.width);
  const hpass = horizontal11(kernel);
  const ring = new Float64Array(11 * stride);
  const load = (y: number): void => {
    input.fill(y, rows[0], rows[1], rows[2], rows[3]);
    hpass(rows, ring.subarray((y % 11) * stride, ((y % 11) + 1) * stride), ow);
  };
  const { c1, c2, covNorm } = consts;
  const v = ring; // alias for readability below
  let total = 0;
  for (let y = rowStart; y < rowStart + 10; y++) load(y);
  for (let oy = rowStart; oy < rowEnd; oy++) {
    load(oy + 10);
    const q0 = (oy % 11) * stride, q1 = ((oy + 1) % 11) * stride, q2 = ((oy + 2) % 11) * stride, q3 = ((oy + 3) % 11) * stride;
    const q4 = ((oy + 4) % 11) * stride, q5 = ((oy + 5) % 11) * stride, q6 = ((oy + 6) % 11) * stride, q7 = ((oy + 7) % 11) * stride;
    const q8 = ((oy + 8) % 11) * stride, q9 = ((oy + 9) % 11) * stride, q10 = ((oy + 10) % 11) * stride;
    let rowSum = 0;
    for (let o = 0; o < stride; o += 4) {
      const mu1 = k5 * v[q5 + o] + k0 * (v[q0 + o] + v[q10 + o]) + k1 * (v[q1 + o] + v[q9 + o]) + k2 * (v[q2 + o] + v[q8 + o]) + k3 * (v[q3 + o] + v[q7 + o]) + k4 * (v[q4 + o] + v[q6 + o]);
      const o1 = o + 1, o2 = o + 2, o3 = o + 3;
      const mu2 = k5 * v[q5 + o1] + k0 * (v[q0 + o1] + v[q10 + o1]) + k1 * (v[q1 + o1] + v[q9 + o1]) + k2 * (v[q2 + o1] + v[q8 + o1]) + k3 * (v[q3 + o1] + v[q7 + o1]) + k4 * (v[q4 + o1] + v[q6 + o1]);
      const ss = k5 * v[q5 + o2] + k0 * (v[q0 + o2] + v[q10 + o2]) + k1 * (v[q1 + o2] + v[q9 + o2]) + k2 * (v[q2 + o2] + v[q8 + o2]) + k3 * (v[q3 + o2] + v[q7 + o2]) + k4 * (v[q4 + o2] + v[q6 + o2]);
      const pp = k5 * v[q5 + o3] + k0 * (v[q0 + o3] + v[q10 + o3]) + k1 * (v[q1 + o3] + v[q9 + o3]) + k2 * (v[q2 + o3] + v[q8 + o3]) + k3 * (v[q3 + o3] + v[q7 + o3]) + k4 * (v[q4 + o3] + v[q6 + o3]);
      const mu11 = mu1 * mu1;
      const mu22 = mu2 * mu2;
      const mu12 = mu1 * mu2;
      rowSum += ((2 * mu12 + c1) * (2 * covNorm * (pp - mu12) + c2)) / ((mu11 + mu22 + c1) * (covNorm * (ss - mu11 - mu22) + c2));
    }
    total += rowSum;
  }
  return total;
}

/** k×k uniform window with running sums: O(1) per pixel whatever k is (scikit-image's 7×7 default). */
function sumBox(input: RowInput, k: number, consts: SsimConstants, rowStart: number, rowEnd: number): number {
  const w = input.width;
  const ow = w - k + 1;
  const norm = 1 / (k * k);
  // raw input rows of the current window (to subtract the row leaving it) and column sums
  const raw = Array.from({ length: k }, () => rowBuffers(w));
  const col = new Float64Array(4 * w);
  const addRow = (y: number, sign: number): void => {
    const r = raw[y % k];
    if (sign > 0) input.fill(y, r[0], r[1], r[2], r[3]);
    for (let m = 0; m < 4; m++) {
      const src = r[m];
      for (let x = 0, o = m; x < w; x++, o += 4) col[o] += sign * src[x];
    }
  };
  for (let y = rowStart; y < rowStart + k; y++) addRow(y, 1);
  const { c1, c2, covNorm } = consts;
  let total = 0;
  for (let oy = rowStart; oy < rowEnd; oy++) {
    if (oy > rowStart) {
      addRow(oy - 1, -1);
      addRow(oy + k - 1, 1);
    }
    let sa = 0, sb = 0, ss = 0, sp = 0;
    for (let x = 0; x < k; x++) {
      sa += col[4 * x];
      sb += col[4 * x + 1];
      ss += col[4 * x + 2];
      sp += col[4 * x + 3];
    }
    for (let x = 0; ; x++) {
      const mu1 = sa * norm;
      const mu2 = sb * norm;
      const mu11 = mu1 * mu1;
      const mu22 = mu2 * mu2;
      const mu12 = mu1 * mu2;
      total += ((2 * mu12 + c1) * (2 * covNorm * (sp * norm - mu12) + c2)) / ((mu11 + mu22 + c1) * (covNorm * (ss * norm - mu11 - mu22) + c2));
      if (x + 1 >= ow) break;
      const out = 4 * x, inn = 4 * (x + k);
      sa += col[inn] - col[out];
      sb += col[inn + 1] - col[out + 1];
      ss += col[inn + 2] - col[out + 2];
      sp += col[inn + 3] - col[out + 3];
    }
  }
  return total;
}

/** Row input over two whole planes (products computed per row). */
export function planeInput(a: Float64Array, b: Float64Array, width: number, height: number): RowInput {
  return {
    width,
    height,
    fill: (y, ra, rb, rs, rp) => {
      const base = y * width;
      for (let x = 0; x < width; x++) {
        const va = a[base + x];
        const vb = b[base + x];
        ra[x] = va;
        rb[x] = vb;
        rs[x] = va * va + vb * vb;
        rp[x] = va * vb;
      }
    },
  };
}
