/**
 * Ultralytics-style letterbox: scale the image to fit the network input while keeping its aspect
 * ratio, pad the rest with grey 114, and map boxes back to the original pixels.
 *
 * Geometry (for an image of w×h going into a W×H input):
 *   r = min(H/h, W/w); new size = (round(w·r), round(h·r));
 *   dw = (W − newW)/2, dh = (H − newH)/2;
 *   left = round(dw − 0.1), right = round(dw + 0.1), top = round(dh − 0.1), bottom = round(dh + 0.1).
 * `round` is round-half-to-even here, like Python's `round`, so sizes such as 2.5 → 2 match the
 * reference exactly (dw ± 0.1 is never a tie).
 *
 * The resize is bilinear with half-pixel centres and clamp-to-edge: source coordinate
 * (x + 0.5)·(w/newW) − 0.5, no antialiasing when shrinking. That is what OpenCV's
 * cv2.INTER_LINEAR is, the interpolation Ultralytics uses in its letterbox. For 8-bit images the
 * arithmetic of OpenCV's vectorised 8-bit path is reproduced, so the result is bit-exact with
 * cv2.resize (checked against OpenCV on random sizes; test/fixtures/yolo/letterbox-cv2.json):
 * - coordinates in float32; weights rounded (half to even) to 11-bit fixed point (×2048);
 * - columns outside the image are clamped with the weight moved to the edge pixel; rows outside
 *   keep their fractional weights and read the edge row twice;
 * - horizontal sums S are exact integers; the vertical blend is
 *   ((S0 >> 4)·b0 >> 16) + ((S1 >> 4)·b1 >> 16), then (v + 2) >> 2, saturated to 0–255.
 * 16-bit and float images are interpolated in double precision without rounding.
 *
 * This is the preprocessing Ultralytics applies in `predict` (and to exported models) with a
 * fixed square input; its dataset `val` loader resizes differently (rectangular batch shapes).
 */
import { type Image, peakValue } from '../core/image.js';
import { roundHalfEven } from '../core/round.js';

export interface LetterboxGeometry {
  /** Original image size. */
  srcWidth: number;
  srcHeight: number;
  /** Network input size. */
  dstWidth: number;
  dstHeight: number;
  /** Scale factor r = min(dstHeight/srcHeight, dstWidth/srcWidth). */
  ratio: number;
  /** Size of the resized image inside the padding. */
  newWidth: number;
  newHeight: number;
  /** Padding on each side (left + newWidth + right = dstWidth, top + newHeight + bottom = dstHeight). */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** An axis-aligned box by its corners. */
export interface Corners {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface LetterboxResult {
  geometry: LetterboxGeometry;
  /** NCHW [1, 3, dstHeight, dstWidth], RGB in [0, 1]. */
  tensor: Float32Array;
}

/** Default padding value (on the 0–255 scale), as Ultralytics. */
export const LETTERBOX_FILL = 114;

export { roundHalfEven };

/** Where an image of srcWidth×srcHeight lands inside a dstWidth×dstHeight input. */
export function letterboxGeometry(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number = dstWidth): LetterboxGeometry {
  for (const [name, v] of [['source width', srcWidth], ['source height', srcHeight], ['input width', dstWidth], ['input height', dstHeight]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`letterbox: ${name} must be a positive integer, got ${v}`);
  }
  const ratio = Math.min(dstHeight / srcHeight, dstWidth / srcWidth);
  const newWidth = roundHalfEven(srcWidth * ratio);
  const newHeight = roundHalfEven(srcHeight * ratio);
  const dw = (dstWidth - newWidth) / 2;
  const dh = (dstHeight - newHeight) / 2;
  const left = roundHalfEven(dw - 0.1);
  const right = roundHalfEven(dw + 0.1);
  const top = roundHalfEven(dh - 0.1);
  const bottom = roundHalfEven(dh + 0.1);
  return { srcWidth, srcHeight, dstWidth, dstHeight, ratio, newWidth, newHeight, left, right, top, bottom };
}

interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  /** Weight of i1 (double precision path). */
  w1: Float64Array;
  /** 11-bit fixed-point weights of i0 and i1 (8-bit path). */
  a0: Int32Array;
  a1: Int32Array;
}

const COEF_SCALE = 2048;

/**
 * Source taps per destination coordinate (half-pixel centres). `clampWeight`: an out-of-range
 * coordinate puts all weight on the edge pixel (OpenCV's columns); otherwise the fractional
 * weights stay and both taps are clamped to the edge (OpenCV's rows). Both are the same
 * interpolation; they differ only in fixed-point rounding.
 */
function axisTaps(src: number, dst: number, clampWeight: boolean): AxisTaps {
  const scale = 1 / (dst / src);
  const taps: AxisTaps = {
    i0: new Int32Array(dst),
    i1: new Int32Array(dst),
    w1: new Float64Array(dst),
    a0: new Int32Array(dst),
    a1: new Int32Array(dst),
  };
  for (let d = 0; d < dst; d++) {
    const f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    let t = Math.fround(f - s);
    if (clampWeight) {
      if (s < 0) {
        s = 0;
        t = 0;
      }
      if (s >= src - 1) {
        s = src - 1;
        t = 0;
      }
    }
    taps.i0[d] = Math.min(Math.max(s, 0), src - 1);
    taps.i1[d] = Math.min(Math.max(s + 1, 0), src - 1);
    taps.w1[d] = t;
    taps.a0[d] = roundHalfEven(Math.fround(1 - t) * COEF_SCALE);
    taps.a1[d] = roundHalfEven(t * COEF_SCALE);
  }
  return taps;
}

/** 8-bit resize with OpenCV's fixed-point arithmetic (see the file comment). */
function resizeUint8(data: Uint8Array, sw: number, sh: number, c: number, width: number, height: number): Float32Array {
  const xs = axisTaps(sw, width, true);
  const ys = axisTaps(sh, height, false);
  const rowLength = width * c;
  const rows = new Map<number, Int32Array>();
  const horizontal = (sy: number): Int32Array => {
    let row = rows.get(sy);
    if (row) return row;
    row = new Int32Array(rowLength);
    const base = sy * sw * c;
    for (let x = 0, o = 0; x < width; x++) {
      const p0 = base + xs.i0[x] * c;
      const p1 = base + xs.i1[x] * c;
      const a0 = xs.a0[x];
      const a1 = xs.a1[x];
      for (let k = 0; k < c; k++) row[o++] = data[p0 + k] * a0 + data[p1 + k] * a1;
    }
    rows.set(sy, row);
    return row;
  };
  const out = new Float32Array(height * rowLength);
  for (let y = 0; y < height; y++) {
    // rows are visited in order: forget the ones no longer needed
    for (const key of rows.keys()) if (key < ys.i0[y]) rows.delete(key);
    const s0 = horizontal(ys.i0[y]);
    const s1 = horizontal(ys.i1[y]);
    const b0 = ys.a0[y];
    const b1 = ys.a1[y];
    const o = y * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const v = (((s0[i] >> 4) * b0) >> 16) + (((s1[i] >> 4) * b1) >> 16);
      const r = (v + 2) >> 2;
      out[o + i] = r > 255 ? 255 : r < 0 ? 0 : r;
    }
  }
  return out;
}

/**
 * Bilinear resize (cv2.INTER_LINEAR semantics, see the file comment). Returns HWC float values on
 * the scale of the input data: 0–255 integers for uint8 (bit-exact with OpenCV), 0–65535 for
 * uint16, 0–1 for float.
 */
export function resizeBilinear(image: Image, width: number, height: number): Image<Float32Array> {
  const { width: sw, height: sh, channels: c, data } = image;
  if (sw === width && sh === height) return { width, height, channels: c, data: Float32Array.from(data) };
  if (data instanceof Uint8Array) return { width, height, channels: c, data: resizeUint8(data, sw, sh, c, width, height) };
  const out = new Float32Array(width * height * c);
  const xs = axisTaps(sw, width, true);
  const ys = axisTaps(sh, height, true);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y] * sw * c;
    const r1 = ys.i1[y] * sw * c;
    const wy = ys.w1[y];
    let o = y * width * c;
    for (let x = 0; x < width; x++) {
      const c0 = xs.i0[x] * c;
      const c1 = xs.i1[x] * c;
      const wx = xs.w1[x];
      for (let k = 0; k < c; k++) {
        const top = data[r0 + c0 + k] * (1 - wx) + data[r0 + c1 + k] * wx;
        const bottom = data[r1 + c0 + k] * (1 - wx) + data[r1 + c1 + k] * wx;
        out[o++] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return { width, height, channels: c, data: out };
}

/**
 * Letterbox an image into a dstWidth×dstHeight network input: NCHW float32 RGB in [0, 1]
 * (value / peak, so 8-bit pixels are divided by 255), padding `fill`/255. Grey images are
 * replicated to three channels.
 */
export function letterbox(image: Image, dstWidth: number, dstHeight: number = dstWidth, fill: number = LETTERBOX_FILL): LetterboxResult {
  const g = letterboxGeometry(image.width, image.height, dstWidth, dstHeight);
  const resized = resizeBilinear(image, g.newWidth, g.newHeight);
  const peak = peakValue(image.data);
  const plane = dstWidth * dstHeight;
  const tensor = new Float32Array(3 * plane).fill(fill / 255);
  const c = image.channels;
  const src = resized.data;
  for (let y = 0; y < g.newHeight; y++) {
    const rowOut = (y + g.top) * dstWidth + g.left;
    const rowIn = y * g.newWidth * c;
    for (let x = 0; x < g.newWidth; x++) {
      const i = rowIn + x * c;
      const o = rowOut + x;
      if (c === 3) {
        tensor[o] = src[i] / peak;
        tensor[plane + o] = src[i + 1] / peak;
        tensor[2 * plane + o] = src[i + 2] / peak;
      } else {
        const v = src[i] / peak;
        tensor[o] = v;
        tensor[plane + o] = v;
        tensor[2 * plane + o] = v;
      }
    }
  }
  return { geometry: g, tensor };
}

/**
 * Map a box from network-input pixels back to original pixels: subtract the left/top padding,
 * divide by r, clip to [0, srcWidth] × [0, srcHeight]. The result may be empty (x2 ≤ x1) for a box
 * that lies in the padding.
 */
export function boxToOriginal(box: Corners, g: LetterboxGeometry): Corners {
  const clip = (v: number, hi: number): number => (v < 0 ? 0 : v > hi ? hi : v);
  return {
    x1: clip((box.x1 - g.left) / g.ratio, g.srcWidth),
    y1: clip((box.y1 - g.top) / g.ratio, g.srcHeight),
    x2: clip((box.x2 - g.left) / g.ratio, g.srcWidth),
    y2: clip((box.y2 - g.top) / g.ratio, g.srcHeight),
  };
}

/** The forward mapping: original pixels → network-input pixels (multiply by r, add the padding). */
export function boxToLetterbox(box: Corners, g: LetterboxGeometry): Corners {
  return {
    x1: box.x1 * g.ratio + g.left,
    y1: box.y1 * g.ratio + g.top,
    x2: box.x2 * g.ratio + g.left,
    y2: box.y2 * g.ratio + g.top,
  };
}
