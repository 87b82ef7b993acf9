/**
 * Dependency-free mixed-radix complex FFT (radices 2, 3, 4, 5, 7, 8) in 1-D and 2-D.
 *
 * Algorithm: a self-sorting (Stockham) decimation-in-frequency FFT. For a length N = p·m the stage
 * with radix p maps
 *
 *   y[q + s·(p·j + k)] = w_N^{j·k} · Σ_{r<p} x[q + s·(j + r·m)] · ω_p^{r·k}     (0 ≤ q < s, j < m, k < p)
 *
 * (w_N = ω_N = e^{−2πi/N}) and the next stage works on length m with s·p in place of s. The result
 * ends up in natural order, so no digit-reversal permutation is needed. Because the innermost loop
 * runs over q (contiguous memory, constant twiddle), the same code transforms `b` interleaved vectors
 * at once when it starts with s = b instead of 1 (element e of vector c at c + b·e); the 2-D
 * transform uses this for blocks of adjacent columns.
 *
 * The inverse transform reuses the forward kernels: exchanging the real and imaginary parts before
 * and after a forward transform yields the unscaled inverse.
 *
 * Two implementations share that algorithm:
 *  - plain TypeScript over split re/im Float64Arrays (Fft1d, and Fft2d when WebAssembly is missing);
 *  - a WebAssembly SIMD module generated at run time by the code below (no external files), used by
 *    Fft2d. On a 1344×784 grid it is 1.5–2× faster than the TypeScript path (one f64x2 vector holds
 *    a whole complex number, and there are no typed-array bounds checks).
 */

/** Smallest m ≥ n whose prime factors are all in {2, 3, 5, 7}. */
export function nextFastSize(n: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`nextFastSize: invalid size ${n}`);
  let m = Math.max(1, Math.ceil(n));
  while (!isFastSize(m)) m++;
  return m;
}

function isFastSize(n: number): boolean {
  let r = n;
  for (const p of [2, 3, 5, 7]) {
    while (r % p === 0) r /= p;
  }
  return r === 1;
}

/**
 * Radix of each stage, in execution order: odd radices first (3, 5, 7), then the power of two as
 * radix-4 and radix-8 stages (a radix-2 stage only when n has a single factor 2). Fewer, larger
 * stages mean fewer passes over the data; this order was the fastest of those measured for the
 * padded frame sizes (e.g. 1344 → 3·7·8·8, 784 → 7·7·4·4, 800 → 5·5·4·8).
 */
function factorize(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT size must be a positive integer, got ${n}`);
  let r = n;
  const radices: number[] = [];
  for (const p of [3, 5, 7]) {
    while (r % p === 0) {
      r /= p;
      radices.push(p);
    }
  }
  let twos = 0;
  while (r % 2 === 0) {
    r /= 2;
    twos++;
  }
  if (r !== 1) {
    throw new RangeError(`FFT size ${n} has a prime factor other than 2, 3, 5, 7 (see nextFastSize)`);
  }
  if (twos === 1) {
    radices.push(2);
  } else if (twos > 1) {
    const fours = [0, 2, 1][twos % 3];
    for (let i = 0; i < fours; i++) radices.push(4);
    for (let i = 0; i < (twos - 2 * fours) / 3; i++) radices.push(8);
  }
  return radices;
}

// ---------------------------------------------------------------------------------------------
// TypeScript butterfly stages (loop q < s inside j < m):
//   input element r of butterfly (q, j) at xo + q + xm·(j + r·m), output k at yo + q + ym·(p·j + k);
//   twiddles w_{p·m}^{j·k} (k = 1 … p−1) at to + j·(p−1) + k − 1 of (twr, twi).
// A normal stage has xm = ym = s; other values let a stage read or write strided data directly.
// ---------------------------------------------------------------------------------------------

function pass2(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const w1r = twr[to + j], w1i = twi[to + j];
    const x0 = xo + xm * j, y0 = yo + 2 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs;
      const ar = xr[i0], ai = xi[i0], br = xr[i1], bi = xi[i1];
      const o0 = y0 + q, o1 = o0 + ym;
      yr[o0] = ar + br;
      yi[o0] = ai + bi;
      const dr = ar - br, di = ai - bi;
      yr[o1] = dr * w1r - di * w1i;
      yi[o1] = dr * w1i + di * w1r;
    }
  }
}

function pass3(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const c = 0.8660254037844386; // sin(2π/3)
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const t = to + 2 * j;
    const w1r = twr[t], w1i = twi[t], w2r = twr[t + 1], w2i = twi[t + 1];
    const x0 = xo + xm * j, y0 = yo + 3 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs, i2 = i1 + xs;
      const a0r = xr[i0], a0i = xi[i0];
      const a1r = xr[i1], a1i = xi[i1];
      const a2r = xr[i2], a2i = xi[i2];
      const tr = a1r + a2r, ti = a1i + a2i;
      const dr = c * (a1r - a2r), di = c * (a1i - a2i);
      const mr = a0r - 0.5 * tr, mi = a0i - 0.5 * ti;
      const o0 = y0 + q, o1 = o0 + ym, o2 = o1 + ym;
      yr[o0] = a0r + tr;
      yi[o0] = a0i + ti;
      const b1r = mr + di, b1i = mi - dr;
      const b2r = mr - di, b2i = mi + dr;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
    }
  }
}

function pass4(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const t = to + 3 * j;
    const w1r = twr[t], w1i = twi[t], w2r = twr[t + 1], w2i = twi[t + 1], w3r = twr[t + 2], w3i = twi[t + 2];
    const x0 = xo + xm * j, y0 = yo + 4 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs, i2 = i1 + xs, i3 = i2 + xs;
      const a0r = xr[i0], a0i = xi[i0];
      const a1r = xr[i1], a1i = xi[i1];
      const a2r = xr[i2], a2i = xi[i2];
      const a3r = xr[i3], a3i = xi[i3];
      const t0r = a0r + a2r, t0i = a0i + a2i;
      const t1r = a0r - a2r, t1i = a0i - a2i;
      const t2r = a1r + a3r, t2i = a1i + a3i;
      // (a1 - a3)·(−i)
      const t3r = a1i - a3i, t3i = a3r - a1r;
      const o0 = y0 + q, o1 = o0 + ym, o2 = o1 + ym, o3 = o2 + ym;
      yr[o0] = t0r + t2r;
      yi[o0] = t0i + t2i;
      const b1r = t1r + t3r, b1i = t1i + t3i;
      const b2r = t0r - t2r, b2i = t0i - t2i;
      const b3r = t1r - t3r, b3i = t1i - t3i;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
    }
  }
}

function pass5(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const c1 = 0.30901699437494745; // cos(2π/5)
  const c2 = -0.8090169943749475; // cos(4π/5)
  const s1 = 0.9510565162951535; // sin(2π/5)
  const s2 = 0.5877852522924731; // sin(4π/5)
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const t = to + 4 * j;
    const w1r = twr[t], w1i = twi[t], w2r = twr[t + 1], w2i = twi[t + 1];
    const w3r = twr[t + 2], w3i = twi[t + 2], w4r = twr[t + 3], w4i = twi[t + 3];
    const x0 = xo + xm * j, y0 = yo + 5 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs, i2 = i1 + xs, i3 = i2 + xs, i4 = i3 + xs;
      const a0r = xr[i0], a0i = xi[i0];
      const a1r = xr[i1], a1i = xi[i1];
      const a2r = xr[i2], a2i = xi[i2];
      const a3r = xr[i3], a3i = xi[i3];
      const a4r = xr[i4], a4i = xi[i4];
      const t1r = a1r + a4r, t1i = a1i + a4i;
      const t2r = a2r + a3r, t2i = a2i + a3i;
      const d1r = a1r - a4r, d1i = a1i - a4i;
      const d2r = a2r - a3r, d2i = a2i - a3i;
      const o0 = y0 + q, o1 = o0 + ym, o2 = o1 + ym, o3 = o2 + ym, o4 = o3 + ym;
      yr[o0] = a0r + t1r + t2r;
      yi[o0] = a0i + t1i + t2i;
      // Y1,4 = a0 + c1·t1 + c2·t2 ∓ i(s1·d1 + s2·d2); Y2,3 = a0 + c2·t1 + c1·t2 ∓ i(s2·d1 − s1·d2)
      const m1r = a0r + c1 * t1r + c2 * t2r, m1i = a0i + c1 * t1i + c2 * t2i;
      const m2r = a0r + c2 * t1r + c1 * t2r, m2i = a0i + c2 * t1i + c1 * t2i;
      const n1r = s1 * d1r + s2 * d2r, n1i = s1 * d1i + s2 * d2i;
      const n2r = s2 * d1r - s1 * d2r, n2i = s2 * d1i - s1 * d2i;
      const b1r = m1r + n1i, b1i = m1i - n1r;
      const b4r = m1r - n1i, b4i = m1i + n1r;
      const b2r = m2r + n2i, b2i = m2i - n2r;
      const b3r = m2r - n2i, b3i = m2i + n2r;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
      yr[o4] = b4r * w4r - b4i * w4i;
      yi[o4] = b4r * w4i + b4i * w4r;
    }
  }
}

function pass7(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const c1 = 0.6234898018587336; // cos(2π/7)
  const c2 = -0.22252093395631434; // cos(4π/7)
  const c3 = -0.9009688679024191; // cos(6π/7)
  const s1 = 0.7818314824680298; // sin(2π/7)
  const s2 = 0.9749279121818236; // sin(4π/7)
  const s3 = 0.43388373911755823; // sin(6π/7)
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const t = to + 6 * j;
    const w1r = twr[t], w1i = twi[t], w2r = twr[t + 1], w2i = twi[t + 1], w3r = twr[t + 2], w3i = twi[t + 2];
    const w4r = twr[t + 3], w4i = twi[t + 3], w5r = twr[t + 4], w5i = twi[t + 4], w6r = twr[t + 5], w6i = twi[t + 5];
    const x0 = xo + xm * j, y0 = yo + 7 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs, i2 = i1 + xs, i3 = i2 + xs, i4 = i3 + xs, i5 = i4 + xs, i6 = i5 + xs;
      const a0r = xr[i0], a0i = xi[i0];
      const a1r = xr[i1], a1i = xi[i1];
      const a2r = xr[i2], a2i = xi[i2];
      const a3r = xr[i3], a3i = xi[i3];
      const a4r = xr[i4], a4i = xi[i4];
      const a5r = xr[i5], a5i = xi[i5];
      const a6r = xr[i6], a6i = xi[i6];
      const t1r = a1r + a6r, t1i = a1i + a6i, d1r = a1r - a6r, d1i = a1i - a6i;
      const t2r = a2r + a5r, t2i = a2i + a5i, d2r = a2r - a5r, d2i = a2i - a5i;
      const t3r = a3r + a4r, t3i = a3i + a4i, d3r = a3r - a4r, d3i = a3i - a4i;
      const o0 = y0 + q, o1 = o0 + ym, o2 = o1 + ym, o3 = o2 + ym, o4 = o3 + ym, o5 = o4 + ym, o6 = o5 + ym;
      yr[o0] = a0r + t1r + t2r + t3r;
      yi[o0] = a0i + t1i + t2i + t3i;
      // Y_k, Y_{7−k} = a0 + Σ_r cos(2πrk/7)·t_r ∓ i Σ_r sin(2πrk/7)·d_r
      const m1r = a0r + c1 * t1r + c2 * t2r + c3 * t3r, m1i = a0i + c1 * t1i + c2 * t2i + c3 * t3i;
      const m2r = a0r + c2 * t1r + c3 * t2r + c1 * t3r, m2i = a0i + c2 * t1i + c3 * t2i + c1 * t3i;
      const m3r = a0r + c3 * t1r + c1 * t2r + c2 * t3r, m3i = a0i + c3 * t1i + c1 * t2i + c2 * t3i;
      const n1r = s1 * d1r + s2 * d2r + s3 * d3r, n1i = s1 * d1i + s2 * d2i + s3 * d3i;
      const n2r = s2 * d1r - s3 * d2r - s1 * d3r, n2i = s2 * d1i - s3 * d2i - s1 * d3i;
      const n3r = s3 * d1r - s1 * d2r + s2 * d3r, n3i = s3 * d1i - s1 * d2i + s2 * d3i;
      const b1r = m1r + n1i, b1i = m1i - n1r, b6r = m1r - n1i, b6i = m1i + n1r;
      const b2r = m2r + n2i, b2i = m2i - n2r, b5r = m2r - n2i, b5i = m2i + n2r;
      const b3r = m3r + n3i, b3i = m3i - n3r, b4r = m3r - n3i, b4i = m3i + n3r;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
      yr[o4] = b4r * w4r - b4i * w4i;
      yi[o4] = b4r * w4i + b4i * w4r;
      yr[o5] = b5r * w5r - b5i * w5i;
      yi[o5] = b5r * w5i + b5i * w5r;
      yr[o6] = b6r * w6r - b6i * w6i;
      yi[o6] = b6r * w6i + b6i * w6r;
    }
  }
}

function pass8(
  s: number, m: number,
  xr: Float64Array, xi: Float64Array, xo: number, xm: number,
  yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  twr: Float64Array, twi: Float64Array, to: number,
): void {
  const h = 0.7071067811865476; // √½
  const xs = xm * m;
  for (let j = 0; j < m; j++) {
    const t = to + 7 * j;
    const w1r = twr[t], w1i = twi[t], w2r = twr[t + 1], w2i = twi[t + 1], w3r = twr[t + 2], w3i = twi[t + 2];
    const w4r = twr[t + 3], w4i = twi[t + 3], w5r = twr[t + 4], w5i = twi[t + 4];
    const w6r = twr[t + 5], w6i = twi[t + 5], w7r = twr[t + 6], w7i = twi[t + 6];
    const x0 = xo + xm * j, y0 = yo + 8 * ym * j;
    for (let q = 0; q < s; q++) {
      const i0 = x0 + q, i1 = i0 + xs, i2 = i1 + xs, i3 = i2 + xs, i4 = i3 + xs, i5 = i4 + xs, i6 = i5 + xs, i7 = i6 + xs;
      // Radix-2 step: u_r = a_r + a_{r+4}, v_r = (a_r − a_{r+4})·ω8^r.
      const a0r = xr[i0], a0i = xi[i0], a4r = xr[i4], a4i = xi[i4];
      const u0r = a0r + a4r, u0i = a0i + a4i, v0r = a0r - a4r, v0i = a0i - a4i;
      const a1r = xr[i1], a1i = xi[i1], a5r = xr[i5], a5i = xi[i5];
      const u1r = a1r + a5r, u1i = a1i + a5i, e1r = a1r - a5r, e1i = a1i - a5i;
      const v1r = h * (e1r + e1i), v1i = h * (e1i - e1r);
      const a2r = xr[i2], a2i = xi[i2], a6r = xr[i6], a6i = xi[i6];
      const u2r = a2r + a6r, u2i = a2i + a6i, v2r = a2i - a6i, v2i = a6r - a2r;
      const a3r = xr[i3], a3i = xi[i3], a7r = xr[i7], a7i = xi[i7];
      const u3r = a3r + a7r, u3i = a3i + a7i, e3r = a3r - a7r, e3i = a3i - a7i;
      const v3r = h * (e3i - e3r), v3i = -h * (e3r + e3i);
      // Two radix-4 DFTs: even outputs from u, odd outputs from v.
      const p0r = u0r + u2r, p0i = u0i + u2i, p1r = u0r - u2r, p1i = u0i - u2i;
      const p2r = u1r + u3r, p2i = u1i + u3i, p3r = u1i - u3i, p3i = u3r - u1r;
      const q0r = v0r + v2r, q0i = v0i + v2i, q1r = v0r - v2r, q1i = v0i - v2i;
      const q2r = v1r + v3r, q2i = v1i + v3i, q3r = v1i - v3i, q3i = v3r - v1r;
      const o0 = y0 + q, o1 = o0 + ym, o2 = o1 + ym, o3 = o2 + ym, o4 = o3 + ym, o5 = o4 + ym, o6 = o5 + ym, o7 = o6 + ym;
      yr[o0] = p0r + p2r;
      yi[o0] = p0i + p2i;
      const b1r = q0r + q2r, b1i = q0i + q2i;
      const b2r = p1r + p3r, b2i = p1i + p3i;
      const b3r = q1r + q3r, b3i = q1i + q3i;
      const b4r = p0r - p2r, b4i = p0i - p2i;
      const b5r = q0r - q2r, b5i = q0i - q2i;
      const b6r = p1r - p3r, b6i = p1i - p3i;
      const b7r = q1r - q3r, b7i = q1i - q3i;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
      yr[o4] = b4r * w4r - b4i * w4i;
      yi[o4] = b4r * w4i + b4i * w4r;
      yr[o5] = b5r * w5r - b5i * w5i;
      yi[o5] = b5r * w5i + b5i * w5r;
      yr[o6] = b6r * w6r - b6i * w6i;
      yi[o6] = b6r * w6i + b6i * w6r;
      yr[o7] = b7r * w7r - b7i * w7i;
      yi[o7] = b7r * w7i + b7i * w7r;
    }
  }
}

/** 1-D plan (TypeScript), also the fallback engine of Fft2d. */
export class Fft1d {
  readonly n: number;
  /** Radix of each stage, in execution order. */
  private readonly radices: Int32Array;
  /** Sub-length m = (length of the stage) / radix, per stage. */
  private readonly ms: Int32Array;
  /** Product of the radices of the earlier stages (the stride multiplier), per stage. */
  private readonly strides: Int32Array;
  /** Offset of each stage's twiddle table in twr / twi. */
  private readonly twOffsets: Int32Array;
  private readonly twr: Float64Array;
  private readonly twi: Float64Array;
  private readonly bufR0: Float64Array;
  private readonly bufI0: Float64Array;
  private readonly bufR1: Float64Array;
  private readonly bufI1: Float64Array;

  constructor(n: number) {
    const radices = factorize(n);
    this.n = n;
    const k = radices.length;
    this.radices = Int32Array.from(radices);
    this.ms = new Int32Array(k);
    this.strides = new Int32Array(k);
    this.twOffsets = new Int32Array(k);
    let len = n;
    let stride = 1;
    let twCount = 0;
    for (let i = 0; i < k; i++) {
      const p = radices[i];
      const m = len / p;
      this.ms[i] = m;
      this.strides[i] = stride;
      this.twOffsets[i] = twCount;
      twCount += m * (p - 1);
      len = m;
      stride *= p;
    }
    this.twr = new Float64Array(twCount);
    this.twi = new Float64Array(twCount);
    len = n;
    for (let i = 0; i < k; i++) {
      const p = radices[i];
      const m = this.ms[i];
      const base = this.twOffsets[i];
      for (let j = 0; j < m; j++) {
        for (let kk = 1; kk < p; kk++) {
          const idx = base + j * (p - 1) + kk - 1;
          [this.twr[idx], this.twi[idx]] = twiddle(j * kk, len);
        }
      }
      len = m;
    }
    this.bufR0 = new Float64Array(n);
    this.bufI0 = new Float64Array(n);
    this.bufR1 = new Float64Array(n);
    this.bufI1 = new Float64Array(n);
  }

  /**
   * In-place transform of one complex vector given as (re, im) with element stride `stride` starting at
   * `offset`. The forward transform is X[k] = Σ x[n]·e^{−2πi·kn/N}; the inverse includes the 1/N scale.
   */
  transform(re: Float64Array, im: Float64Array, inverse: boolean, offset = 0, stride = 1): void {
    const n = this.n;
    if (!Number.isInteger(offset) || !Number.isInteger(stride) || offset < 0 || stride < 1) {
      throw new RangeError(`Fft1d.transform: invalid offset ${offset} / stride ${stride}`);
    }
    const last = offset + (n - 1) * stride;
    if (last >= re.length || last >= im.length) {
      throw new RangeError(`Fft1d.transform: vector of length ${n} (stride ${stride}, offset ${offset}) exceeds the arrays`);
    }
    // The inverse is the forward transform with real and imaginary parts exchanged.
    const xr = inverse ? im : re;
    const xi = inverse ? re : im;
    if (stride === 1) this.execute(xr, xi, offset, 1, this.bufR0, this.bufI0, this.bufR1, this.bufI1);
    else this.executeStrided(xr, xi, offset, stride, 1, this.bufR0, this.bufI0, this.bufR1, this.bufI1);
    if (inverse) {
      const f = 1 / n;
      for (let i = 0, p = offset; i < n; i++, p += stride) {
        re[p] *= f;
        im[p] *= f;
      }
    }
  }

  /**
   * Unscaled forward transform, in place, of `batch` interleaved vectors: element e of vector c is at
   * off + c + batch·e of (xr, xi). Each scratch array must hold batch·n values.
   * @internal
   */
  execute(
    xr: Float64Array, xi: Float64Array, off: number, batch: number,
    ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array,
  ): void {
    const k = this.radices.length;
    if (k === 0) return;
    if (k === 1) {
      // A single stage has m = 1: every butterfly reads and writes the same positions, so it runs in place.
      this.stage(0, batch, xr, xi, off, batch, xr, xi, off, batch);
      return;
    }
    this.stage(0, batch, xr, xi, off, batch, ar, ai, 0, batch);
    let inR = ar, inI = ai;
    for (let i = 1; i < k - 1; i++) {
      const s = batch * this.strides[i];
      const outR = (i & 1) === 0 ? ar : br;
      const outI = (i & 1) === 0 ? ai : bi;
      this.stage(i, s, inR, inI, 0, s, outR, outI, 0, s);
      inR = outR;
      inI = outI;
    }
    const s = batch * this.strides[k - 1];
    this.stage(k - 1, s, inR, inI, 0, s, xr, xi, off, s);
  }

  /**
   * Unscaled forward transform, in place, of `batch` adjacent vectors stored with element stride
   * `elementStride` (e.g. `batch` adjacent columns of a row-major grid): element e of vector c is at
   * off + c + elementStride·e. Each scratch array must hold batch·n values.
   * @internal
   */
  executeStrided(
    xr: Float64Array, xi: Float64Array, off: number, elementStride: number, batch: number,
    ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array,
  ): void {
    const k = this.radices.length;
    if (k === 0) return;
    if (k === 1) {
      this.stage(0, batch, xr, xi, off, elementStride, xr, xi, off, elementStride);
      return;
    }
    // First stage reads the strided data into a contiguous batch-interleaved buffer.
    this.stage(0, batch, xr, xi, off, elementStride, ar, ai, 0, batch);
    let inR = ar, inI = ai;
    for (let i = 1; i < k - 1; i++) {
      const s = batch * this.strides[i];
      const outR = (i & 1) === 0 ? ar : br;
      const outI = (i & 1) === 0 ? ai : bi;
      this.stage(i, s, inR, inI, 0, s, outR, outI, 0, s);
      inR = outR;
      inI = outI;
    }
    // Last stage (m = 1): buffer index c + batch·(g + S·r) holds element g + S·r of vector c
    // (S = product of the earlier radices); write output element g + S·k back with the data's stride.
    const big = this.strides[k - 1];
    const s = batch * big;
    for (let g = 0; g < big; g++) {
      this.stage(k - 1, batch, inR, inI, batch * g, s, xr, xi, off + elementStride * g, elementStride * big);
    }
  }

  private stage(
    i: number, s: number,
    xr: Float64Array, xi: Float64Array, xo: number, xm: number,
    yr: Float64Array, yi: Float64Array, yo: number, ym: number,
  ): void {
    const m = this.ms[i];
    const to = this.twOffsets[i];
    switch (this.radices[i]) {
      case 8:
        pass8(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
      case 4:
        pass4(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
      case 2:
        pass2(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
      case 3:
        pass3(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
      case 5:
        pass5(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
      default:
        pass7(s, m, xr, xi, xo, xm, yr, yi, yo, ym, this.twr, this.twi, to);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// WebAssembly (SIMD) back end for the 2-D transform.
//
// The same Stockham stages as above, emitted as a small WebAssembly module at run time. Each complex
// value is one f64x2 vector [re, im]. A stage reads either the split re/im planes ("split": real part
// at byte address a, imaginary part at a + imOff) or an interleaved buffer ("inter"), and writes
// either form. Per radix the module has five stage functions:
//   ST  split → inter, with twiddles   (first stage of a row transform)
//   TT  inter → inter, with twiddles   (middle stages; all but the last stage of a column transform)
//   TS  inter → split, no twiddles     (last stage of a row transform, m = 1)
//   SS  split → split, no twiddles     (single-stage row transform, in place)
//   TN  inter → inter, no twiddles     (last stage of a column transform, m = 1)
// All take (s, m, x, xm, y, ym, tw, imOff): input r of butterfly (q, j) at x + E·(q + xm·(j + r·m)),
// output k at y + E·(q + ym·(p·j + k)) with E = 8 (split) or 16 (inter) bytes; the twiddle
// w^{j·k} at tw + 32·((p−1)·j + k − 1) as two vectors [wr, wr], [−wi, wi].
//
// Rows are transformed one at a time straight from the split planes. Columns go in blocks of
// WASM_COLUMN_BLOCK adjacent columns: `gather` copies the block into interleaved scratch (row by row,
// which the hardware prefetcher handles well), the stages run on the block in cache with
// s = block·(product of earlier radices), and `scatter` writes it back (scaled, for the inverse).
// Reading the columns directly with a large stride was measured slower: the p inputs of a butterfly
// then sit a power-of-two multiple of 4 KiB apart for many sizes and thrash the cache sets.
// ---------------------------------------------------------------------------------------------

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}
type StageFn = (s: number, m: number, x: number, xm: number, y: number, ym: number, tw: number, imOff: number) => void;
type GatherFn = (split: number, imOff: number, splitStride: number, rows: number, b: number, inter: number) => void;
type ScatterFn = (
  split: number, imOff: number, splitStride: number, rows: number, b: number, inter: number, factor: number,
) => void;

const WASM_RADICES = [2, 3, 4, 5, 7, 8] as const;
const VARIANT_ST = 0, VARIANT_TT = 1, VARIANT_TS = 2, VARIANT_SS = 3, VARIANT_TN = 4;
const VARIANT_COUNT = 5;

const T_I32 = 0x7f, T_F64 = 0x7c, T_V128 = 0x7b;
// Core opcodes.
const OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_END = 0x0b, OP_BR_IF = 0x0d, VOID = 0x40;
const OP_GET = 0x20, OP_SET = 0x21, OP_TEE = 0x22;
const OP_F64_LOAD = 0x2b, OP_F64_STORE = 0x39, OP_I32_CONST = 0x41;
const OP_IF = 0x04, OP_I32_LT_U = 0x49, OP_I32_GE_U = 0x4f, OP_I32_ADD = 0x6a, OP_I32_MUL = 0x6c, OP_I32_AND = 0x71;
// SIMD opcodes (after the 0xfd prefix).
const V_LOAD = 0x00, V_STORE = 0x0b, V_CONST = 0x0c, V_SHUFFLE = 0x0d, V_F64_SPLAT = 0x14;
const V_F64_EXTRACT = 0x21, V_F64_REPLACE = 0x22, V_XOR = 0x51;
const V_F64_ADD = 0xf0, V_F64_SUB = 0xf1, V_F64_MUL = 0xf2;
/** Byte lanes of i8x16.shuffle that swap the two f64 lanes. */
const SWAP_LANES = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  while (true) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function f64Bytes(values: readonly number[]): number[] {
  return Array.from(new Uint8Array(Float64Array.from(values).buffer));
}

function wasmVector(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function wasmSection(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function wasmName(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** Body of one WebAssembly function under construction; values are held in locals. */
class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(private readonly paramCount: number) {}

  local(type: number): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...immediates);
  }

  get(index: number): this {
    return this.op(OP_GET, ...uleb(index));
  }

  set(index: number): this {
    return this.op(OP_SET, ...uleb(index));
  }

  tee(index: number): this {
    return this.op(OP_TEE, ...uleb(index));
  }

  i32(value: number): this {
    return this.op(OP_I32_CONST, ...sleb(value));
  }

  /** local = a + b (i32). */
  addI32(target: number, a: number, b: number): this {
    return this.get(a).get(b).op(OP_I32_ADD).set(target);
  }

  /** Encoded function body (local declarations, code, end). */
  encode(): number[] {
    const groups: number[][] = [];
    let i = 0;
    while (i < this.localTypes.length) {
      let j = i;
      while (j < this.localTypes.length && this.localTypes[j] === this.localTypes[i]) j++;
      groups.push([...uleb(j - i), this.localTypes[i]]);
      i = j;
    }
    const body = [...wasmVector(groups), ...this.code, OP_END];
    return [...uleb(body.length), ...body];
  }
}

/** Emits one Stockham stage of radix p (see the section comment for the layout). */
function buildStage(p: number, variant: number): FunctionBuilder {
  const splitIn = variant === VARIANT_ST || variant === VARIANT_SS;
  const splitOut = variant === VARIANT_TS || variant === VARIANT_SS;
  const twiddled = variant === VARIANT_ST || variant === VARIANT_TT;
  const inBytes = splitIn ? 8 : 16;
  const outBytes = splitOut ? 8 : 16;
  const P_S = 0, P_M = 1, P_X = 2, P_XM = 3, P_Y = 4, P_YM = 5, P_TW = 6, P_IM = 7;
  const f = new FunctionBuilder(8);
  const i32 = (): number => f.local(T_I32);
  const j = i32(), xj = i32(), yj = i32(), xq = i32(), yq = i32(), qEnd = i32();
  const xStride = i32(), yStride = i32(), xStepJ = i32(), yStepJ = i32(), tw = i32(), addr = i32();

  // Vector constants and helpers.
  const signHi = f.local(T_V128); // [+0, −0]: xor flips the sign of the imaginary lane
  f.simd(V_CONST, ...f64Bytes([0, -0])).set(signHi);
  const constCache = new Map<number, number>();
  const splat = (c: number): number => {
    const hit = constCache.get(c);
    if (hit !== undefined) return hit;
    const l = f.local(T_V128);
    f.simd(V_CONST, ...f64Bytes([c, c])).set(l);
    constCache.set(c, l);
    return l;
  };
  const vec = (): number => f.local(T_V128);
  const bin = (opcode: number, a: number, b: number): number => {
    const r = vec();
    f.get(a).get(b).simd(opcode).set(r);
    return r;
  };
  const add = (a: number, b: number): number => bin(V_F64_ADD, a, b);
  const sub = (a: number, b: number): number => bin(V_F64_SUB, a, b);
  const scale = (a: number, c: number): number => bin(V_F64_MUL, a, splat(c));
  /** a·(−i) = [a.im, −a.re]. */
  const mulNegI = (a: number): number => {
    const r = vec();
    f.get(a).get(a).simd(V_SHUFFLE, ...SWAP_LANES).get(signHi).simd(V_XOR).set(r);
    return r;
  };
  /** Σ c_t·v_t for real constants c_t. */
  const combo = (terms: readonly [number, number][]): number => {
    let acc = -1;
    for (const [c, v] of terms) {
      f.get(v).get(splat(c)).simd(V_F64_MUL);
      if (acc >= 0) f.get(acc).simd(V_F64_ADD);
      acc = vec();
      f.set(acc);
    }
    return acc;
  };

  // Precompute strides in bytes.
  f.get(P_XM).get(P_M).op(OP_I32_MUL).i32(inBytes).op(OP_I32_MUL).set(xStride);
  f.get(P_YM).i32(outBytes).op(OP_I32_MUL).set(yStride);
  f.get(P_XM).i32(inBytes).op(OP_I32_MUL).set(xStepJ);
  f.get(P_YM).i32(p * outBytes).op(OP_I32_MUL).set(yStepJ);
  f.get(P_X).set(xj).get(P_Y).set(yj).get(P_TW).set(tw).i32(0).set(j);

  const wr: number[] = [], wi: number[] = [];
  for (let k = 1; k < p; k++) {
    wr.push(vec());
    wi.push(vec());
  }

  const load = (r: number): number => {
    // addr = xq + r·xStride (computed incrementally: r = 0, 1, 2, …)
    if (r === 0) f.get(xq).set(addr);
    else f.addI32(addr, addr, xStride);
    const v = vec();
    if (splitIn) {
      f.get(addr).op(OP_F64_LOAD, 3, 0).simd(V_F64_SPLAT);
      f.get(addr).get(P_IM).op(OP_I32_ADD).op(OP_F64_LOAD, 3, 0).simd(V_F64_REPLACE, 1).set(v);
    } else {
      f.get(addr).simd(V_LOAD, 3, 0).set(v);
    }
    return v;
  };
  const store = (k: number, v: number): void => {
    let value = v;
    if (twiddled && k > 0) {
      // v·w = v·[wr, wr] + swap(v)·[−wi, wi]
      value = vec();
      f.get(v).get(wr[k - 1]).simd(V_F64_MUL);
      f.get(v).get(v).simd(V_SHUFFLE, ...SWAP_LANES).get(wi[k - 1]).simd(V_F64_MUL);
      f.simd(V_F64_ADD).set(value);
    }
    if (k === 0) f.get(yq).set(addr);
    else f.addI32(addr, addr, yStride);
    if (splitOut) {
      f.get(addr).get(value).simd(V_F64_EXTRACT, 0).op(OP_F64_STORE, 3, 0);
      f.get(addr).get(P_IM).op(OP_I32_ADD).get(value).simd(V_F64_EXTRACT, 1).op(OP_F64_STORE, 3, 0);
    } else {
      f.get(addr).get(value).simd(V_STORE, 3, 0);
    }
  };

  // for j in [0, m): (do … while, m ≥ 1)
  f.op(OP_LOOP, VOID);
  if (twiddled) {
    for (let k = 0; k < p - 1; k++) {
      f.get(tw).simd(V_LOAD, 3, ...uleb(32 * k)).set(wr[k]);
      f.get(tw).simd(V_LOAD, 3, ...uleb(32 * k + 16)).set(wi[k]);
    }
  }
  f.get(xj).set(xq).get(yj).set(yq);
  f.get(xj).get(P_S).i32(inBytes).op(OP_I32_MUL).op(OP_I32_ADD).set(qEnd);
  // for q in [0, s): (do … while, s ≥ 1)
  f.op(OP_LOOP, VOID);
  const a: number[] = [];
  for (let r = 0; r < p; r++) a.push(load(r));
  const y = butterfly(p, a, add, sub, scale, mulNegI, combo);
  for (let k = 0; k < p; k++) store(k, y[k]);
  f.get(xq).i32(inBytes).op(OP_I32_ADD).tee(xq).get(yq).i32(outBytes).op(OP_I32_ADD).set(yq);
  f.get(qEnd).op(OP_I32_LT_U, OP_BR_IF, 0, OP_END);
  // next j
  f.addI32(xj, xj, xStepJ).addI32(yj, yj, yStepJ);
  if (twiddled) f.get(tw).i32(32 * (p - 1)).op(OP_I32_ADD).set(tw);
  f.get(j).i32(1).op(OP_I32_ADD).tee(j).get(P_M).op(OP_I32_LT_U, OP_BR_IF, 0, OP_END);
  return f;
}

/** A vector value in generated code: the index of the WebAssembly local that holds it. */
type V = number;
/** Radix-p DFT Y_k = Σ_r a_r·ω_p^{rk} (ω_p = e^{−2πi/p}) expressed with the vector helpers. */
function butterfly(
  p: number, a: readonly V[],
  add: (x: V, y: V) => V, sub: (x: V, y: V) => V, scale: (x: V, c: number) => V,
  mulNegI: (x: V) => V, combo: (terms: readonly [number, V][]) => V,
): V[] {
  switch (p) {
    case 2:
      return [add(a[0], a[1]), sub(a[0], a[1])];
    case 3: {
      const t = add(a[1], a[2]);
      const d = mulNegI(scale(sub(a[1], a[2]), Math.sin((2 * Math.PI) / 3)));
      const m = sub(a[0], scale(t, 0.5));
      return [add(a[0], t), add(m, d), sub(m, d)];
    }
    case 4: {
      const t0 = add(a[0], a[2]), t1 = sub(a[0], a[2]);
      const t2 = add(a[1], a[3]), t3 = mulNegI(sub(a[1], a[3]));
      return [add(t0, t2), add(t1, t3), sub(t0, t2), sub(t1, t3)];
    }
    case 8: {
      const h = Math.SQRT1_2;
      const u = [0, 1, 2, 3].map((r) => add(a[r], a[r + 4]));
      const e = [0, 1, 2, 3].map((r) => sub(a[r], a[r + 4]));
      // v_r = e_r·ω8^r: ω8 = h(1 − i), ω8² = −i, ω8³ = −h(1 + i)
      const v = [e[0], scale(add(e[1], mulNegI(e[1])), h), mulNegI(e[2]), scale(sub(mulNegI(e[3]), e[3]), h)];
      const dft4 = (z: readonly V[]): V[] => {
        const t0 = add(z[0], z[2]), t1 = sub(z[0], z[2]);
        const t2 = add(z[1], z[3]), t3 = mulNegI(sub(z[1], z[3]));
        return [add(t0, t2), add(t1, t3), sub(t0, t2), sub(t1, t3)];
      };
      const even = dft4(u), odd = dft4(v);
      return [even[0], odd[0], even[1], odd[1], even[2], odd[2], even[3], odd[3]];
    }
    default: {
      // Odd p (5, 7): Y_k, Y_{p−k} = a0 + Σ_r cos(2πrk/p)·t_r ∓ i·Σ_r sin(2πrk/p)·d_r,
      // with t_r = a_r + a_{p−r}, d_r = a_r − a_{p−r} (r = 1 … (p−1)/2).
      const half = (p - 1) / 2;
      const t: V[] = [], d: V[] = [];
      for (let r = 1; r <= half; r++) {
        t.push(add(a[r], a[p - r]));
        d.push(sub(a[r], a[p - r]));
      }
      const y: V[] = new Array<V>(p);
      y[0] = a[0];
      for (const tr of t) y[0] = add(y[0], tr);
      for (let k = 1; k <= half; k++) {
        const c = combo(t.map((tr, i): [number, V] => [Math.cos((2 * Math.PI * (i + 1) * k) / p), tr]));
        const m = add(a[0], c);
        const n = mulNegI(combo(d.map((dr, i): [number, V] => [Math.sin((2 * Math.PI * (i + 1) * k) / p), dr])));
        y[k] = add(m, n);
        y[p - k] = sub(m, n);
      }
      return y;
    }
  }
}

/**
 * Block copy between the split planes and interleaved scratch. Parameters
 * (split, imOff, splitStride, rows, b, inter[, factor]): split element (row, c) at
 * split + row·splitStride + 8c (imaginary part at + imOff), interleaved element at
 * inter + 16·(row·b + c). gather: split → inter; scatter: inter → split, multiplied by factor.
 */
function buildBlockCopy(gather: boolean): FunctionBuilder {
  const P_SPLIT = 0, P_IM = 1, P_STRIDE = 2, P_ROWS = 3, P_B = 4, P_INTER = 5, P_FACTOR = 6;
  const f = new FunctionBuilder(gather ? 6 : 7);
  const row = f.local(T_I32), p = f.local(T_I32), pEnd = f.local(T_I32), q = f.local(T_I32);
  const rowPtr = f.local(T_I32), pairBytes = f.local(T_I32);
  const v0 = f.local(T_V128), v1 = f.local(T_V128), factor = f.local(T_V128);
  const LO = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  const HI = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];
  if (!gather) f.get(P_FACTOR).simd(V_F64_SPLAT).set(factor);
  f.get(P_B).i32(-2).op(OP_I32_AND).i32(8).op(OP_I32_MUL).set(pairBytes);
  f.get(P_SPLIT).set(rowPtr).get(P_INTER).set(q).i32(0).set(row);
  // for each row (rows ≥ 1)
  f.op(OP_LOOP, VOID);
  f.get(rowPtr).set(p).get(rowPtr).get(pairBytes).op(OP_I32_ADD).set(pEnd);
  // pairs of columns: [re0, re1], [im0, im1] ↔ [re0, im0], [re1, im1]
  f.op(OP_BLOCK, VOID).get(p).get(pEnd).op(OP_I32_GE_U, OP_BR_IF, 0);
  f.op(OP_LOOP, VOID);
  if (gather) {
    f.get(p).simd(V_LOAD, 3, 0).set(v0);
    f.get(p).get(P_IM).op(OP_I32_ADD).simd(V_LOAD, 3, 0).set(v1);
    f.get(q).get(v0).get(v1).simd(V_SHUFFLE, ...LO).simd(V_STORE, 3, 0);
    f.get(q).get(v0).get(v1).simd(V_SHUFFLE, ...HI).simd(V_STORE, 3, 16);
  } else {
    f.get(q).simd(V_LOAD, 3, 0).get(factor).simd(V_F64_MUL).set(v0);
    f.get(q).simd(V_LOAD, 3, 16).get(factor).simd(V_F64_MUL).set(v1);
    f.get(p).get(v0).get(v1).simd(V_SHUFFLE, ...LO).simd(V_STORE, 3, 0);
    f.get(p).get(P_IM).op(OP_I32_ADD).get(v0).get(v1).simd(V_SHUFFLE, ...HI).simd(V_STORE, 3, 0);
  }
  f.get(q).i32(32).op(OP_I32_ADD).set(q);
  f.get(p).i32(16).op(OP_I32_ADD).tee(p).get(pEnd).op(OP_I32_LT_U, OP_BR_IF, 0, OP_END);
  f.op(OP_END);
  // odd b: the last column of the row
  f.get(P_B).i32(1).op(OP_I32_AND).op(OP_IF, VOID);
  if (gather) {
    f.get(q).get(p).op(OP_F64_LOAD, 3, 0).simd(V_F64_SPLAT);
    f.get(p).get(P_IM).op(OP_I32_ADD).op(OP_F64_LOAD, 3, 0).simd(V_F64_REPLACE, 1).simd(V_STORE, 3, 0);
  } else {
    f.get(q).simd(V_LOAD, 3, 0).get(factor).simd(V_F64_MUL).set(v0);
    f.get(p).get(v0).simd(V_F64_EXTRACT, 0).op(OP_F64_STORE, 3, 0);
    f.get(p).get(P_IM).op(OP_I32_ADD).get(v0).simd(V_F64_EXTRACT, 1).op(OP_F64_STORE, 3, 0);
  }
  f.get(q).i32(16).op(OP_I32_ADD).set(q);
  f.op(OP_END);
  f.addI32(rowPtr, rowPtr, P_STRIDE);
  f.get(row).i32(1).op(OP_I32_ADD).tee(row).get(P_ROWS).op(OP_I32_LT_U, OP_BR_IF, 0, OP_END);
  return f;
}

function buildModuleBytes(): Uint8Array {
  const i32s = (count: number): number[][] => new Array<number[]>(count).fill([T_I32]);
  const types = [
    [0x60, ...wasmVector(i32s(8)), 0x00], // stage
    [0x60, ...wasmVector(i32s(6)), 0x00], // gather
    [0x60, ...wasmVector([...i32s(6), [T_F64]]), 0x00], // scatter
  ];
  const functionTypes: number[][] = [];
  const bodies: number[][] = [];
  const exports: number[][] = [];
  const add = (name: string, type: number, body: FunctionBuilder): void => {
    exports.push([...wasmName(name), 0x00, ...uleb(bodies.length)]);
    functionTypes.push(uleb(type));
    bodies.push(body.encode());
  };
  for (const p of WASM_RADICES) {
    for (let variant = 0; variant < VARIANT_COUNT; variant++) add(`s${p}_${variant}`, 0, buildStage(p, variant));
  }
  add('gather', 1, buildBlockCopy(true));
  add('scatter', 2, buildBlockCopy(false));
  const importMemory = [...wasmName('env'), ...wasmName('mem'), 0x02, 0x00, ...uleb(1)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...wasmSection(1, wasmVector(types)),
    ...wasmSection(2, wasmVector([importMemory])),
    ...wasmSection(3, wasmVector(functionTypes)),
    ...wasmSection(7, wasmVector(exports)),
    ...wasmSection(10, wasmVector(bodies)),
  ]);
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

let wasmModule: object | null | undefined;

/** The compiled module, or null when WebAssembly (with SIMD) is unavailable. Built once, on first use. */
function getWasmModule(): object | null {
  if (wasmModule !== undefined) return wasmModule;
  wasmModule = null;
  const api = wasmApi();
  if (api) {
    try {
      const bytes = buildModuleBytes();
      if (api.validate(bytes)) wasmModule = new api.Module(bytes);
    } catch {
      wasmModule = null;
    }
  }
  return wasmModule;
}

interface WasmStage {
  fn: StageFn;
  m: number;
  /** Product of the radices of the earlier stages. */
  stride: number;
  /** Byte address of the stage's twiddles. */
  tw: number;
}

/** A 1-D plan whose twiddles live in WebAssembly memory. */
class WasmPlan {
  private readonly stages: WasmStage[];
  /** Row transform: first stage (split → inter), last stage (inter → split), or the only stage. */
  private readonly rowFirst: StageFn | null;
  private readonly rowLast: StageFn | null;
  private readonly rowSingle: StageFn | null;
  /** Column transform: last (or only) stage, inter → inter. */
  private readonly interLast: StageFn | null;

  constructor(n: number, exported: Record<string, unknown>, f64: Float64Array, twAddress: number) {
    const radices = factorize(n);
    const fn = (p: number, variant: number): StageFn => exported[`s${p}_${variant}`] as StageFn;
    this.stages = [];
    let len = n, stride = 1, tw = twAddress;
    for (const p of radices) {
      const m = len / p;
      this.stages.push({ fn: fn(p, VARIANT_TT), m, stride, tw });
      for (let j = 0; j < m; j++) {
        for (let k = 1; k < p; k++) {
          const [c, s] = twiddle(j * k, len);
          const at = tw / 8 + 4 * ((p - 1) * j + k - 1);
          f64[at] = c;
          f64[at + 1] = c;
          f64[at + 2] = -s;
          f64[at + 3] = s;
        }
      }
      tw += 32 * m * (p - 1);
      len = m;
      stride *= p;
    }
    const k = radices.length;
    this.rowSingle = k === 1 ? fn(radices[0], VARIANT_SS) : null;
    this.rowFirst = k > 1 ? fn(radices[0], VARIANT_ST) : null;
    this.rowLast = k > 1 ? fn(radices[k - 1], VARIANT_TS) : null;
    this.interLast = k > 0 ? fn(radices[k - 1], VARIANT_TN) : null;
  }

  /** Bytes of twiddle storage a plan of size n needs. */
  static twiddleBytes(n: number): number {
    let len = n, total = 0;
    for (const p of factorize(n)) {
      len /= p;
      total += 32 * len * (p - 1);
    }
    return total;
  }

  /**
   * Forward-transforms, in place, one contiguous vector of the split planes (real part at byte
   * address x, imaginary part at x + imOff), using interleaved scratch a and b (n values each).
   */
  runRow(x: number, imOff: number, a: number, b: number): void {
    if (this.rowSingle) {
      this.rowSingle(1, 1, x, 1, x, 1, 0, imOff);
      return;
    }
    const stages = this.stages;
    const k = stages.length;
    if (k === 0) return;
    (this.rowFirst as StageFn)(1, stages[0].m, x, 1, a, 1, stages[0].tw, imOff);
    let src = a, dst = b;
    for (let i = 1; i < k - 1; i++) {
      const { fn, m, stride, tw } = stages[i];
      fn(stride, m, src, stride, dst, stride, tw, 0);
      [src, dst] = [dst, src];
    }
    const s = stages[k - 1].stride;
    (this.rowLast as StageFn)(s, 1, src, s, x, s, 0, imOff);
  }

  /**
   * Forward-transforms `batch` interleaved vectors held in scratch c (element e of vector v at byte
   * c + 16·(v + batch·e)), ping-ponging with scratch a (same size). Returns the address (c or a)
   * that holds the result, in the same layout.
   */
  runBlock(c: number, batch: number, a: number): number {
    const stages = this.stages;
    const k = stages.length;
    if (k === 0) return c;
    let src = c, dst = a;
    for (let i = 0; i < k - 1; i++) {
      const { fn, m, stride, tw } = stages[i];
      const s = batch * stride;
      fn(s, m, src, s, dst, s, tw, 0);
      [src, dst] = [dst, src];
    }
    // The last stage has m = 1; with a single stage it runs in place.
    const s = batch * stages[k - 1].stride;
    const out = k === 1 ? src : dst;
    (this.interLast as StageFn)(s, 1, src, s, out, s, 0, 0);
    return out;
  }
}

/** Number of adjacent columns the WebAssembly 2-D transform processes together (measured). */
const WASM_COLUMN_BLOCK = 32;
/** Number of adjacent columns the TypeScript 2-D transform processes together (measured). */
const JS_COLUMN_BLOCK = 16;

/**
 * WebAssembly engine for one 2-D size. Its memory holds the split re/im planes (width·height
 * values each, row-major), two interleaved scratch buffers and the twiddles of both plans.
 */
class WasmEngine {
  readonly re: Float64Array;
  readonly im: Float64Array;
  private readonly buffer: ArrayBuffer;
  private readonly rowPlan: WasmPlan;
  private readonly colPlan: WasmPlan;
  private readonly gather: GatherFn;
  private readonly scatter: ScatterFn;
  private readonly reAddr: number;
  private readonly imAddr: number;
  private readonly scratchA: number;
  private readonly scratchB: number;
  private readonly block: number;

  constructor(module: object, api: WasmApi, private readonly width: number, private readonly height: number) {
    const n = width * height;
    this.block = Math.min(WASM_COLUMN_BLOCK, width);
    const scratchBytes = 16 * Math.max(width, this.block * height);
    this.reAddr = 0;
    this.imAddr = align64(8 * n);
    this.scratchA = align64(this.imAddr + 8 * n);
    this.scratchB = align64(this.scratchA + scratchBytes);
    const rowTw = align64(this.scratchB + scratchBytes);
    const colTw = align64(rowTw + WasmPlan.twiddleBytes(width));
    const end = colTw + WasmPlan.twiddleBytes(height);
    if (end > 2 ** 31) throw new RangeError(`Fft2d: ${width}×${height} is too large for the WebAssembly engine`);
    const memory = new api.Memory({ initial: Math.ceil(end / 65536) });
    const { exports } = new api.Instance(module, { env: { mem: memory } });
    this.buffer = memory.buffer;
    const f64 = new Float64Array(memory.buffer);
    this.re = f64.subarray(this.reAddr / 8, this.reAddr / 8 + n);
    this.im = f64.subarray(this.imAddr / 8, this.imAddr / 8 + n);
    this.rowPlan = new WasmPlan(width, exports, f64, rowTw);
    this.colPlan = new WasmPlan(height, exports, f64, colTw);
    this.gather = exports.gather as GatherFn;
    this.scatter = exports.scatter as ScatterFn;
  }

  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    // Which plane holds the real part. The inverse is the forward transform with real and
    // imaginary parts exchanged, i.e. with the planes' roles swapped.
    let swapped = inverse;
    let copy = true;
    if (re === this.re && im === this.im) {
      copy = false;
    } else if (re === this.im && im === this.re) {
      copy = false;
      swapped = !swapped;
    } else if (re.buffer === this.buffer || im.buffer === this.buffer) {
      throw new RangeError('Fft2d: pass either both workspace arrays (in any order) or arrays outside the workspace');
    }
    if (copy) {
      this.re.set(re);
      this.im.set(im);
    }
    const w = this.width, h = this.height;
    const x = swapped ? this.imAddr : this.reAddr;
    const imOff = swapped ? this.reAddr - this.imAddr : this.imAddr - this.reAddr;
    const a = this.scratchA, b = this.scratchB;
    for (let y = 0; y < h; y++) this.rowPlan.runRow(x + 8 * w * y, imOff, a, b);
    const factor = inverse ? 1 / (w * h) : 1;
    for (let x0 = 0; x0 < w; x0 += this.block) {
      const count = Math.min(this.block, w - x0);
      this.gather(x + 8 * x0, imOff, 8 * w, h, count, a);
      const out = this.colPlan.runBlock(a, count, b);
      this.scatter(x + 8 * x0, imOff, 8 * w, h, count, out, factor);
    }
    if (copy) {
      re.set(this.re);
      im.set(this.im);
    }
  }
}

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** [cos, sin] of −2π·e/len, with e reduced modulo len first for accuracy. */
function twiddle(e: number, len: number): [number, number] {
  const angle = (-2 * Math.PI * (e % len)) / len;
  return [Math.cos(angle), Math.sin(angle)];
}

// ---------------------------------------------------------------------------------------------

/** Which implementation an Fft2d uses. */
export type FftEngine = 'wasm' | 'js';

/**
 * In-place 2-D complex FFT over a row-major (height × width) grid held as separate re/im
 * Float64Arrays of length width*height. Plans (twiddles, scratch) are built once in the constructor
 * and reused; forward/inverse allocate nothing. Both sizes must be products of 2, 3, 5 and 7 (see
 * nextFastSize).
 *
 * The WebAssembly engine (the default when available) works on its own memory: forward/inverse copy
 * the arrays in and out, unless they are the two `workspace()` arrays, which are transformed where
 * they are.
 */
export class Fft2d {
  readonly width: number;
  readonly height: number;
  /** The implementation in use: 'wasm' (WebAssembly SIMD) when available, otherwise 'js'. */
  readonly engine: FftEngine;
  private readonly wasm: WasmEngine | null;
  private readonly rowPlan: Fft1d | null;
  private readonly colPlan: Fft1d | null;
  private readonly scratch: Float64Array[];
  private workRe: Float64Array | null = null;
  private workIm: Float64Array | null = null;

  /**
   * @param options.engine force an implementation ('js' for the plain TypeScript one; 'wasm' throws
   *   if WebAssembly SIMD is unavailable). Default: 'wasm' when available.
   */
  constructor(width: number, height: number, options: { engine?: FftEngine } = {}) {
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Fft2d: ${name} must be a positive integer, got ${v}`);
      factorize(v); // throws on unsupported sizes
    }
    this.width = width;
    this.height = height;
    const module = options.engine === 'js' ? null : getWasmModule();
    const api = wasmApi();
    if (options.engine === 'wasm' && !module) throw new Error('Fft2d: WebAssembly SIMD is not available');
    this.wasm = module && api ? new WasmEngine(module, api, width, height) : null;
    this.engine = this.wasm ? 'wasm' : 'js';
    if (this.wasm) {
      this.rowPlan = null;
      this.colPlan = null;
      this.scratch = [];
    } else {
      this.rowPlan = new Fft1d(width);
      this.colPlan = new Fft1d(height);
      const size = Math.max(width, Math.min(JS_COLUMN_BLOCK, width) * height);
      this.scratch = [0, 1, 2, 3].map(() => new Float64Array(size));
    }
  }

  /**
   * A pair of arrays (length width·height) owned by this instance. Transforming exactly these
   * arrays (as (re, im) or (im, re)) skips the copies into and out of the engine's memory. They stay
   * valid for the lifetime of the instance and are shared by all calls.
   */
  workspace(): { re: Float64Array; im: Float64Array } {
    if (this.wasm) return { re: this.wasm.re, im: this.wasm.im };
    if (!this.workRe || !this.workIm) {
      this.workRe = new Float64Array(this.width * this.height);
      this.workIm = new Float64Array(this.width * this.height);
    }
    return { re: this.workRe, im: this.workIm };
  }

  /** X[ky, kx] = Σ x[y, x]·e^{−2πi(ky·y/height + kx·x/width)}, in place. */
  forward(re: Float64Array, im: Float64Array): void {
    this.check(re, im);
    if (this.wasm) this.wasm.transform(re, im, false);
    else this.runJs(re, im);
  }

  /** Inverse transform, in place, including the 1/(width·height) scale. */
  inverse(re: Float64Array, im: Float64Array): void {
    this.check(re, im);
    if (this.wasm) {
      this.wasm.transform(re, im, true);
      return;
    }
    this.runJs(im, re);
    const f = 1 / (this.width * this.height);
    for (let i = 0, n = re.length; i < n; i++) {
      re[i] *= f;
      im[i] *= f;
    }
  }

  private check(re: Float64Array, im: Float64Array): void {
    const n = this.width * this.height;
    if (re.length !== n || im.length !== n) {
      throw new RangeError(`Fft2d: expected arrays of length ${n} (${this.width}×${this.height}), got ${re.length} and ${im.length}`);
    }
    if (re === im) throw new RangeError('Fft2d: re and im must be different arrays');
  }

  private runJs(xr: Float64Array, xi: Float64Array): void {
    const w = this.width, h = this.height;
    const rowPlan = this.rowPlan as Fft1d, colPlan = this.colPlan as Fft1d;
    const [r1, i1, r2, i2] = this.scratch;
    for (let y = 0; y < h; y++) rowPlan.execute(xr, xi, y * w, 1, r1, i1, r2, i2);
    const block = Math.min(JS_COLUMN_BLOCK, w);
    for (let x0 = 0; x0 < w; x0 += block) {
      colPlan.executeStrided(xr, xi, x0, w, Math.min(block, w - x0), r1, i1, r2, i2);
    }
  }
}
