/**
 * The one seam to the optional native kernels: convolutions (native/conv.cc: im2col + OpenBLAS
 * sgemm, NHWC float32) and the fused Adam update (native/adam.cc), built by `npm ci` when a C++
 * compiler and libopenblas-dev are present. Training registers them on the wasm backend (they read
 * and write its heap in place); null when they were not built or DEBLURBENCH_NATIVE=0.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

export interface ConvGeometry {
  n: number; h: number; w: number; cin: number;
  kh: number; kw: number; cout: number;
  sh: number; sw: number; dh: number; dw: number;
  /** padding before the first row / column */
  pt: number; pl: number;
  ho: number; wo: number;
}

type NativeCall = (a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array) => void;

interface NativeModule {
  conv2d: NativeCall;
  conv2dInputGradient: NativeCall;
  conv2dFilterGradient: NativeCall;
  adamUpdate(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, xOut: Float32Array, mOut: Float32Array, vOut: Float32Array, step: Float64Array): void;
}

export interface NativeConv {
  /** y [n, ho, wo, cout] = conv(x [n, h, w, cin], w [kh, kw, cin, cout]) */
  forward(x: Float32Array, w: Float32Array, y: Float32Array, g: ConvGeometry): void;
  /** dx [n, h, w, cin] from dy [n, ho, wo, cout] and w */
  inputGradient(dy: Float32Array, w: Float32Array, dx: Float32Array, g: ConvGeometry): void;
  /** dw [kh, kw, cin, cout] from x and dy */
  filterGradient(x: Float32Array, dy: Float32Array, dw: Float32Array, g: ConvGeometry): void;
}

/** One Adam step's constants: rate, β₁, β₂, ε and the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ. */
export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

export interface NativeAdam {
  /** xOut, mOut, vOut = one Adam step from weights x, gradient g and moments m, v (all one length) */
  update(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: { x: Float32Array; m: Float32Array; v: Float32Array }, step: AdamStep): void;
}

export const NATIVE_ADDON = join('build', 'Release', 'deblurbench_native.node');

let addon: NativeModule | null | undefined;

function pack(g: ConvGeometry): Int32Array {
  return Int32Array.of(g.n, g.h, g.w, g.cin, g.kh, g.kw, g.cout, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.ho, g.wo);
}

function loadAddon(): NativeModule | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.DEBLURBENCH_NATIVE === '0') return null;
  try {
    addon = createRequire(import.meta.url)(join(packageRoot(), NATIVE_ADDON)) as NativeModule;
  } catch {
    addon = null;
  }
  return addon;
}

/** The native convolution kernels, or null when they are not built or are switched off. */
export function nativeConv(): NativeConv | null {
  const mod = loadAddon();
  if (!mod) return null;
  return {
    forward: (x, w, y, g) => mod.conv2d(x, w, y, pack(g)),
    inputGradient: (dy, w, dx, g) => mod.conv2dInputGradient(dy, w, dx, pack(g)),
    filterGradient: (x, dy, dw, g) => mod.conv2dFilterGradient(x, dy, dw, pack(g)),
  };
}

/** The native Adam update, or null when the addon is not built (or predates it) or is switched off. */
export function nativeAdam(): NativeAdam | null {
  const mod = loadAddon();
  if (!mod || typeof mod.adamUpdate !== 'function') return null;
  return {
    update: (x, g, m, v, out, s) => mod.adamUpdate(x, g, m, v, out.x, out.m, out.v, Float64Array.of(s.learningRate, s.beta1, s.beta2, s.epsilon, s.correction1, s.correction2)),
  };
}
