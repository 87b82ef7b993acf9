import { describe, expect, it } from 'vitest';
import { Fft1d, Fft2d, nextFastSize, type FftEngine } from '../../src/blur-synth/fft.js';
import { Rng } from '../../src/core/rng.js';

const ENGINES: FftEngine[] = ['wasm', 'js'];

/** Sizes covering every radix (2, 3, 4, 5, 7, 8) as first, middle and last stage. */
const SIZES_1D = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 20, 21, 25, 27, 28, 30, 32, 35, 45, 49, 56, 60, 64, 81,
  98, 100, 120, 125, 128, 243, 256, 343, 1000,
];

function randomArray(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform() * 2 - 1;
  return a;
}

/** Naive O(N²) DFT of a strided complex vector (sign −1 forward, +1 inverse, unscaled). */
function naiveDft(
  re: Float64Array, im: Float64Array, n: number, sign: number, offset = 0, stride = 1,
): [Float64Array, Float64Array] {
  const outRe = new Float64Array(n), outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle), s = Math.sin(angle);
      const xr = re[offset + j * stride], xi = im[offset + j * stride];
      sr += xr * c - xi * s;
      si += xr * s + xi * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

/** Separable naive 2-D DFT of a row-major width × height grid (forward). */
function naiveDft2d(re: Float64Array, im: Float64Array, width: number, height: number): [Float64Array, Float64Array] {
  const r = re.slice(), i = im.slice();
  for (let y = 0; y < height; y++) {
    const [a, b] = naiveDft(r, i, width, -1, y * width, 1);
    r.set(a, y * width);
    i.set(b, y * width);
  }
  for (let x = 0; x < width; x++) {
    const [a, b] = naiveDft(r, i, height, -1, x, width);
    for (let y = 0; y < height; y++) {
      r[y * width + x] = a[y];
      i[y * width + x] = b[y];
    }
  }
  return [r, i];
}

/** max |a − b| / max |b| over complex values. */
function relativeError(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array): number {
  let err = 0, scale = 0;
  for (let k = 0; k < bRe.length; k++) {
    err = Math.max(err, Math.hypot(aRe[k] - bRe[k], aIm[k] - bIm[k]));
    scale = Math.max(scale, Math.hypot(bRe[k], bIm[k]));
  }
  return err / (scale || 1);
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

function factorsOf(n: number): number[] {
  const out: number[] = [];
  let r = n;
  for (let p = 2; p * p <= r; p++) {
    while (r % p === 0) {
      out.push(p);
      r /= p;
    }
  }
  if (r > 1) out.push(r);
  return out;
}

describe('nextFastSize', () => {
  it('returns the smallest 7-smooth size ≥ n', () => {
    expect(nextFastSize(0)).toBe(1);
    expect(nextFastSize(1)).toBe(1);
    expect(nextFastSize(7)).toBe(7);
    expect(nextFastSize(11)).toBe(12);
    expect(nextFastSize(13)).toBe(14);
    expect(nextFastSize(17)).toBe(18);
    expect(nextFastSize(97)).toBe(98);
    expect(nextFastSize(1343)).toBe(1344); // 2^6·3·7
    expect(nextFastSize(783)).toBe(784); // 2^4·7^2
    expect(nextFastSize(1024)).toBe(1024);
    expect(nextFastSize(2.5)).toBe(3);
  });

  it('is always ≥ n, has only factors 2, 3, 5, 7, and skips no smaller candidate', () => {
    for (let n = 1; n <= 3000; n++) {
      const m = nextFastSize(n);
      expect(m).toBeGreaterThanOrEqual(n);
      expect(factorsOf(m).every((p) => p <= 7)).toBe(true);
      for (let c = n; c < m; c++) expect(factorsOf(c).some((p) => p > 7)).toBe(true);
    }
  });
});

describe('Fft1d', () => {
  it('matches a naive DFT for every supported radix combination', () => {
    const rng = new Rng('fft1d');
    for (const n of SIZES_1D) {
      const re = randomArray(rng, n), im = randomArray(rng, n);
      const [er, ei] = naiveDft(re, im, n, -1);
      const plan = new Fft1d(n);
      expect(plan.n).toBe(n);
      const r = re.slice(), i = im.slice();
      plan.transform(r, i, false);
      expect(relativeError(r, i, er, ei), `n = ${n}`).toBeLessThan(1e-9);
      // The inverse includes the 1/n scale.
      const [ir, ii] = naiveDft(re, im, n, 1);
      const r2 = re.slice(), i2 = im.slice();
      plan.transform(r2, i2, true);
      for (let k = 0; k < n; k++) {
        ir[k] /= n;
        ii[k] /= n;
      }
      expect(relativeError(r2, i2, ir, ii), `inverse n = ${n}`).toBeLessThan(1e-9);
    }
  });

  it('round-trips inverse(forward(x)) to 1e-12', () => {
    const rng = new Rng('roundtrip1d');
    for (const n of [...SIZES_1D, 1344, 784, 2048, 2401]) {
      const re = randomArray(rng, n), im = randomArray(rng, n);
      const r = re.slice(), i = im.slice();
      const plan = new Fft1d(n);
      plan.transform(r, i, false);
      plan.transform(r, i, true);
      expect(Math.max(maxAbsDiff(r, re), maxAbsDiff(i, im)), `n = ${n}`).toBeLessThan(1e-12);
    }
  });

  it('transforms a strided vector with an offset and leaves the other elements alone', () => {
    const rng = new Rng('strided');
    for (const n of [1, 7, 12, 60, 64]) {
      const stride = 3, offset = 5;
      const len = offset + (n - 1) * stride + 4;
      const re = randomArray(rng, len), im = randomArray(rng, len);
      const [er, ei] = naiveDft(re, im, n, -1, offset, stride);
      const r = re.slice(), i = im.slice();
      new Fft1d(n).transform(r, i, false, offset, stride);
      const gotRe = new Float64Array(n), gotIm = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        gotRe[k] = r[offset + k * stride];
        gotIm[k] = i[offset + k * stride];
      }
      expect(relativeError(gotRe, gotIm, er, ei), `n = ${n}`).toBeLessThan(1e-9);
      for (let p = 0; p < len; p++) {
        if (p >= offset && (p - offset) % stride === 0 && (p - offset) / stride < n) continue;
        expect(r[p]).toBe(re[p]);
        expect(i[p]).toBe(im[p]);
      }
    }
  });

  it('rejects unsupported sizes and out-of-range vectors', () => {
    expect(() => new Fft1d(11)).toThrow(RangeError);
    expect(() => new Fft1d(0)).toThrow(RangeError);
    expect(() => new Fft1d(2.5)).toThrow(RangeError);
    const plan = new Fft1d(8);
    expect(() => plan.transform(new Float64Array(7), new Float64Array(8), false)).toThrow(RangeError);
    expect(() => plan.transform(new Float64Array(16), new Float64Array(16), false, 2, 2)).toThrow(RangeError);
  });
});

describe('Fft2d', () => {
  it('uses the WebAssembly engine by default on this platform', () => {
    expect(new Fft2d(4, 4).engine).toBe('wasm');
    expect(new Fft2d(4, 4, { engine: 'js' }).engine).toBe('js');
  });

  for (const engine of ENGINES) {
    describe(`${engine} engine`, () => {
      it('matches a separable naive DFT on small non-square grids', () => {
        const rng = new Rng(`small-${engine}`);
        const sizes: [number, number][] = [
          [1, 1], [6, 10], [15, 8], [12, 20], [7, 3], [1, 5], [5, 1], [2, 9], [64, 27], [35, 98], [45, 4], [63, 5], [49, 16],
        ];
        for (const n of SIZES_1D) {
          sizes.push([n, 3], [3, n]);
        }
        for (const [w, h] of sizes) {
          const re = randomArray(rng, w * h), im = randomArray(rng, w * h);
          const [er, ei] = naiveDft2d(re, im, w, h);
          const fft = new Fft2d(w, h, { engine });
          expect([fft.width, fft.height]).toEqual([w, h]);
          const r = re.slice(), i = im.slice();
          fft.forward(r, i);
          expect(relativeError(r, i, er, ei), `${w}×${h}`).toBeLessThan(1e-9);
          fft.inverse(r, i);
          expect(Math.max(maxAbsDiff(r, re), maxAbsDiff(i, im)), `${w}×${h} round trip`).toBeLessThan(1e-12);
        }
      });

      it('round-trips a full-size padded frame to 1e-10 and satisfies Parseval', () => {
        const w = nextFastSize(1280 + 64 - 1), h = nextFastSize(720 + 64 - 1);
        const rng = new Rng(`big-${engine}`);
        const re = randomArray(rng, w * h), im = randomArray(rng, w * h);
        const fft = new Fft2d(w, h, { engine });
        const r = re.slice(), i = im.slice();
        fft.forward(r, i);
        let energyX = 0, energyF = 0;
        for (let k = 0; k < w * h; k++) {
          energyX += re[k] * re[k] + im[k] * im[k];
          energyF += r[k] * r[k] + i[k] * i[k];
        }
        expect(Math.abs(energyF / (w * h) - energyX) / energyX).toBeLessThan(1e-12);
        fft.inverse(r, i);
        expect(Math.max(maxAbsDiff(r, re), maxAbsDiff(i, im))).toBeLessThan(1e-10);
      });

      it('maps a delta at the origin to all ones and a shifted delta to a phase ramp', () => {
        const w = 12, h = 10;
        const fft = new Fft2d(w, h, { engine });
        const re = new Float64Array(w * h), im = new Float64Array(w * h);
        re[0] = 1;
        fft.forward(re, im);
        for (let k = 0; k < w * h; k++) {
          expect(re[k]).toBeCloseTo(1, 14);
          expect(im[k]).toBeCloseTo(0, 14);
        }
        const x0 = 3, y0 = 2;
        re.fill(0);
        im.fill(0);
        re[y0 * w + x0] = 1;
        fft.forward(re, im);
        for (let ky = 0; ky < h; ky++) {
          for (let kx = 0; kx < w; kx++) {
            const angle = -2 * Math.PI * ((kx * x0) / w + (ky * y0) / h);
            expect(re[ky * w + kx]).toBeCloseTo(Math.cos(angle), 12);
            expect(im[ky * w + kx]).toBeCloseTo(Math.sin(angle), 12);
          }
        }
      });

      it('is linear', () => {
        const w = 20, h = 14;
        const rng = new Rng(`linear-${engine}`);
        const fft = new Fft2d(w, h, { engine });
        const [ar, ai, br, bi] = [0, 1, 2, 3].map(() => randomArray(rng, w * h));
        const alpha = 0.7, beta = -1.3;
        const cr = ar.map((v, k) => alpha * v + beta * br[k]);
        const ci = ai.map((v, k) => alpha * v + beta * bi[k]);
        fft.forward(ar, ai);
        fft.forward(br, bi);
        fft.forward(cr, ci);
        const er = ar.map((v, k) => alpha * v + beta * br[k]);
        const ei = ai.map((v, k) => alpha * v + beta * bi[k]);
        expect(relativeError(cr, ci, er, ei)).toBeLessThan(1e-12);
      });

      it('transforms the workspace arrays in place, in either order', () => {
        const w = 30, h = 16;
        const rng = new Rng(`workspace-${engine}`);
        const re = randomArray(rng, w * h), im = randomArray(rng, w * h);
        const fft = new Fft2d(w, h, { engine });
        const expected = [re.slice(), im.slice()];
        fft.forward(expected[0], expected[1]);

        const ws = fft.workspace();
        expect(fft.workspace().re).toBe(ws.re);
        ws.re.set(re);
        ws.im.set(im);
        fft.forward(ws.re, ws.im);
        expect(maxAbsDiff(ws.re, expected[0])).toBeLessThan(1e-12);
        expect(maxAbsDiff(ws.im, expected[1])).toBeLessThan(1e-12);
        fft.inverse(ws.re, ws.im);
        expect(Math.max(maxAbsDiff(ws.re, re), maxAbsDiff(ws.im, im))).toBeLessThan(1e-12);

        // (im, re) order: the real part lives in ws.im.
        ws.re.set(im);
        ws.im.set(re);
        fft.forward(ws.im, ws.re);
        expect(maxAbsDiff(ws.im, expected[0])).toBeLessThan(1e-12);
        expect(maxAbsDiff(ws.re, expected[1])).toBeLessThan(1e-12);
        fft.inverse(ws.im, ws.re);
        expect(Math.max(maxAbsDiff(ws.im, re), maxAbsDiff(ws.re, im))).toBeLessThan(1e-12);
      });

      it('rejects bad sizes and arrays', () => {
        expect(() => new Fft2d(11, 4, { engine })).toThrow(RangeError);
        expect(() => new Fft2d(4, 0, { engine })).toThrow(RangeError);
        const fft = new Fft2d(4, 6, { engine });
        expect(() => fft.forward(new Float64Array(24), new Float64Array(23))).toThrow(RangeError);
        const a = new Float64Array(24);
        expect(() => fft.forward(a, a)).toThrow(RangeError);
      });
    });
  }

  it('the two engines agree', () => {
    const w = 120, h = 84;
    const rng = new Rng('engines');
    const re = randomArray(rng, w * h), im = randomArray(rng, w * h);
    const a = [re.slice(), im.slice()], b = [re.slice(), im.slice()];
    new Fft2d(w, h, { engine: 'wasm' }).forward(a[0], a[1]);
    new Fft2d(w, h, { engine: 'js' }).forward(b[0], b[1]);
    expect(relativeError(a[0], a[1], b[0], b[1])).toBeLessThan(1e-13);
  });

  it('rejects mixing one workspace array with a foreign array', () => {
    const fft = new Fft2d(8, 8);
    const ws = fft.workspace();
    expect(() => fft.forward(ws.re, new Float64Array(64))).toThrow(RangeError);
  });
});
