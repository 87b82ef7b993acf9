import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ProtoMessage, ProtoWriter, varintSize } from '../../src/deblur/onnx/proto.js';
import { AttributeType, GraphBuilder, encodeModel, tensorMessage, type OnnxGraph } from '../../src/deblur/onnx/writer.js';

// ---------------------------------------------------------------------------------------------
// Minimal wire-format reader (test only), to look inside encoded models.

interface Field {
  field: number;
  wire: number;
  value: bigint | number | Uint8Array;
}

function decode(buf: Uint8Array): Field[] {
  let p = 0;
  const varint = (): bigint => {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      if (p >= buf.length) throw new Error('truncated varint');
      const b = buf[p++];
      r |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return r;
      shift += 7n;
    }
  };
  const out: Field[] = [];
  while (p < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (p + len > buf.length) throw new Error('truncated length-delimited field');
      out.push({ field, wire, value: buf.subarray(p, p + len) });
      p += len;
    } else if (wire === 5) {
      out.push({ field, wire, value: new DataView(buf.buffer, buf.byteOffset + p, 4).getFloat32(0, true) });
      p += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const all = (buf: Uint8Array, field: number): Field[] => decode(buf).filter((f) => f.field === field);
const one = (buf: Uint8Array, field: number): Field['value'] => {
  const found = all(buf, field);
  expect(found).toHaveLength(1);
  return found[0].value;
};
const bytesOf = (v: Field['value']): Uint8Array => {
  if (!(v instanceof Uint8Array)) throw new Error('expected a length-delimited field');
  return v;
};
const text = (v: Field['value']): string => new TextDecoder().decode(bytesOf(v));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// ---------------------------------------------------------------------------------------------
// Plain-loop reference implementations (NCHW, float64 accumulation).

interface Nd {
  dims: number[];
  data: Float32Array;
}

const size = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

function random(rng: Rng, dims: number[], scale = 1, offset = 0): Nd {
  const data = new Float32Array(size(dims));
  for (let i = 0; i < data.length; i++) data[i] = offset + scale * (2 * rng.uniform() - 1);
  return { dims, data };
}

type Quad = [number, number, number, number];

interface ConvRef {
  pads?: Quad;
  strides?: [number, number];
  dilations?: [number, number];
  group?: number;
}

function conv2d(x: Nd, w: Nd, b: Float32Array | undefined, o: ConvRef = {}): Nd {
  const [N, C, H, W] = x.dims;
  const [M, Cg, KH, KW] = w.dims;
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const [sh, sw] = o.strides ?? [1, 1];
  const [dh, dw] = o.dilations ?? [1, 1];
  const g = o.group ?? 1;
  expect(Cg * g).toBe(C);
  const OH = Math.floor((H + pt + pb - ((KH - 1) * dh + 1)) / sh) + 1;
  const OW = Math.floor((W + pl + pr - ((KW - 1) * dw + 1)) / sw) + 1;
  const Mg = M / g;
  const out = new Float32Array(N * M * OH * OW);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++) {
      const grp = Math.floor(m / Mg);
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b[m] : 0;
          for (let c = 0; c < Cg; c++) {
            const ci = grp * Cg + c;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - pt + kh * dh;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * sw - pl + kw * dw;
                if (iw < 0 || iw >= W) continue;
                s += x.data[((n * C + ci) * H + ih) * W + iw] * w.data[((m * Cg + c) * KH + kh) * KW + kw];
              }
            }
          }
          out[((n * M + m) * OH + oh) * OW + ow] = s;
        }
    }
  return { dims: [N, M, OH, OW], data: out };
}

interface ConvTRef extends ConvRef {
  outputPadding?: [number, number];
}

function convTranspose2d(x: Nd, w: Nd, b: Float32Array | undefined, o: ConvTRef = {}): Nd {
  const [N, C, H, W] = x.dims;
  const [Cw, Mg, KH, KW] = w.dims;
  expect(Cw).toBe(C);
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const [sh, sw] = o.strides ?? [1, 1];
  const [dh, dw] = o.dilations ?? [1, 1];
  const [oph, opw] = o.outputPadding ?? [0, 0];
  const g = o.group ?? 1;
  const Cg = C / g;
  const M = Mg * g;
  const OH = sh * (H - 1) + oph + (KH - 1) * dh + 1 - pt - pb;
  const OW = sw * (W - 1) + opw + (KW - 1) * dw + 1 - pl - pr;
  const acc = new Float64Array(N * M * OH * OW);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++) for (let i = 0; i < OH * OW; i++) acc[(n * M + m) * OH * OW + i] = b ? b[m] : 0;
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const grp = Math.floor(c / Cg);
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++) {
          const v = x.data[((n * C + c) * H + ih) * W + iw];
          for (let mg = 0; mg < Mg; mg++) {
            const m = grp * Mg + mg;
            for (let kh = 0; kh < KH; kh++) {
              const oh = ih * sh + kh * dh - pt;
              if (oh < 0 || oh >= OH) continue;
              for (let kw = 0; kw < KW; kw++) {
                const ow = iw * sw + kw * dw - pl;
                if (ow < 0 || ow >= OW) continue;
                acc[((n * M + m) * OH + oh) * OW + ow] += v * w.data[((c * Mg + mg) * KH + kh) * KW + kw];
              }
            }
          }
        }
    }
  return { dims: [N, M, OH, OW], data: Float32Array.from(acc) };
}

function instanceNorm(x: Nd, scale: Float32Array, bias: Float32Array, eps: number): Nd {
  const [N, C, H, W] = x.dims;
  const hw = H * W;
  const out = new Float32Array(x.data.length);
  for (let nc = 0; nc < N * C; nc++) {
    const c = nc % C;
    let mean = 0;
    for (let i = 0; i < hw; i++) mean += x.data[nc * hw + i];
    mean /= hw;
    let v = 0;
    for (let i = 0; i < hw; i++) v += (x.data[nc * hw + i] - mean) ** 2;
    v /= hw;
    const inv = 1 / Math.sqrt(v + eps);
    for (let i = 0; i < hw; i++) out[nc * hw + i] = (x.data[nc * hw + i] - mean) * inv * scale[c] + bias[c];
  }
  return { dims: x.dims, data: out };
}

function batchNorm(x: Nd, scale: Float32Array, bias: Float32Array, mean: Float32Array, variance: Float32Array, eps: number): Nd {
  const [, C, H, W] = x.dims;
  const hw = H * W;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor(i / hw) % C;
    out[i] = ((x.data[i] - mean[c]) / Math.sqrt(variance[c] + eps)) * scale[c] + bias[c];
  }
  return { dims: x.dims, data: out };
}

function pad2d(x: Nd, [pt, pl, pb, pr]: Quad, mode: 'constant' | 'reflect' | 'edge', value = 0): Nd {
  const [N, C, H, W] = x.dims;
  const OH = H + pt + pb;
  const OW = W + pl + pr;
  const src = (i: number, n: number): number => {
    if (i >= 0 && i < n) return i;
    if (mode === 'edge') return i < 0 ? 0 : n - 1;
    if (mode === 'reflect') return i < 0 ? -i : 2 * (n - 1) - i;
    return -1;
  };
  const out = new Float32Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const ih = src(oh - pt, H);
        const iw = src(ow - pl, W);
        out[(nc * OH + oh) * OW + ow] = ih < 0 || iw < 0 ? value : x.data[(nc * H + ih) * W + iw];
      }
  return { dims: [N, C, OH, OW], data: out };
}

function resizeNearest(x: Nd, s: number): Nd {
  const [N, C, H, W] = x.dims;
  const OH = H * s;
  const OW = W * s;
  const out = new Float32Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) out[(nc * OH + oh) * OW + ow] = x.data[(nc * H + Math.floor(oh / s)) * W + Math.floor(ow / s)];
  return { dims: [N, C, OH, OW], data: out };
}

function transpose(x: Nd, perm: number[]): Nd {
  const dims = perm.map((p) => x.dims[p]);
  const inStrides = x.dims.map((_, i) => size(x.dims.slice(i + 1)));
  const out = new Float32Array(x.data.length);
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let rem = o;
    for (let d = dims.length - 1; d >= 0; d--) {
      idx[d] = rem % dims[d];
      rem = Math.floor(rem / dims[d]);
    }
    let src = 0;
    for (let d = 0; d < dims.length; d++) src += idx[d] * inStrides[perm[d]];
    out[o] = x.data[src];
  }
  return { dims, data: out };
}

const map = (x: Nd, f: (v: number) => number): Nd => ({ dims: x.dims, data: x.data.map(f) });

/** Numpy-style broadcasting binary op. */
function zip(a: Nd, b: Nd, f: (u: number, v: number) => number): Nd {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...new Array<number>(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...new Array<number>(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => Math.max(d, pb[i]));
  const strides = (ds: number[]): number[] => ds.map((d, i) => (d === 1 ? 0 : size(ds.slice(i + 1))));
  const sa = strides(pa);
  const sb = strides(pb);
  const out = new Float32Array(size(dims));
  for (let o = 0; o < out.length; o++) {
    let rem = o;
    let ia = 0;
    let ib = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % dims[d];
      rem = Math.floor(rem / dims[d]);
      ia += i * sa[d];
      ib += i * sb[d];
    }
    out[o] = f(a.data[ia], b.data[ib]);
  }
  return { dims, data: out };
}

const relu = (v: number): number => Math.max(0, v);
const leaky = (alpha: number) => (v: number) => (v >= 0 ? v : Math.fround(alpha) * v);

// ---------------------------------------------------------------------------------------------
// onnxruntime helpers

const sessionOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };

function expectClose(actual: Nd, expected: Nd, tol = 1e-5): void {
  expect(actual.dims).toEqual(expected.dims);
  expect(actual.data.length).toBe(expected.data.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const err = Math.abs(actual.data[i] - expected.data[i]) / Math.max(1, Math.abs(expected.data[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `worst relative error at ${at}: got ${actual.data[at]}, want ${expected.data[at]}`).toBeLessThanOrEqual(tol);
}

async function runSession(session: ort.InferenceSession, feeds: Record<string, Nd>): Promise<Nd> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', t.data, t.dims);
  const result = await session.run(ortFeeds);
  const out = result[session.outputNames[0]];
  return { dims: [...out.dims], data: out.data as Float32Array };
}

/** Build a one-input graph, run it in onnxruntime and compare with the reference. */
async function check(inputDims: number[], build: (g: GraphBuilder, x: string) => string, reference: (x: Nd) => Nd, seed = 1, tol = 1e-5): Promise<void> {
  const rng = new Rng(seed);
  const input = random(rng, inputDims);
  const expected = reference(input);
  const g = new GraphBuilder('case');
  const x = g.input('x', inputDims);
  g.output(build(g, x), expected.dims, 'y');
  const session = await ort.InferenceSession.create(g.encode(), sessionOptions);
  try {
    expectClose(await runSession(session, { x: input }), expected, tol);
  } finally {
    await session.release();
  }
}

// ---------------------------------------------------------------------------------------------

describe('protobuf wire-format encoder', () => {
  const varintBytes = (v: number | bigint): string => hex(new ProtoWriter(1).varint(v).finish());

  it('encodes varints (int64 two’s complement for negatives)', () => {
    expect(varintBytes(0)).toBe('00');
    expect(varintBytes(1)).toBe('01');
    expect(varintBytes(127)).toBe('7f');
    expect(varintBytes(128)).toBe('8001');
    expect(varintBytes(300)).toBe('ac02');
    expect(varintBytes(2 ** 31)).toBe('8080808008');
    expect(varintBytes(2 ** 32)).toBe('8080808010');
    expect(varintBytes(Number.MAX_SAFE_INTEGER)).toBe('ffffffffffffff0f');
    expect(varintBytes(-1)).toBe('ffffffffffffffffff01');
    expect(varintBytes(-1n)).toBe('ffffffffffffffffff01');
    expect(varintBytes(-2)).toBe('feffffffffffffffff01');
    expect(varintBytes(-(2 ** 31))).toBe('80808080f8ffffffff01');
    expect(varintBytes(-(2 ** 32) - 1)).toBe('ffffffffefffffffff01');
    expect(varintBytes(2n ** 63n - 1n)).toBe('ffffffffffffffff7f');
    for (const v of [0, 1, 127, 128, 300, 2 ** 21, 2 ** 28, 2 ** 35, -1, -(2 ** 40), Number.MAX_SAFE_INTEGER]) expect(varintSize(v)).toBe(varintBytes(v).length / 2);
    expect(() => new ProtoWriter().varint(0.5)).toThrow(/safe integer/);
    expect(() => new ProtoWriter().varint(2 ** 60)).toThrow(/safe integer/);
  });

  it('encodes keys, floats, strings, packed fields and nested messages with exact sizes', () => {
    const inner = new ProtoMessage().int(1, 150);
    const m = new ProtoMessage()
      .float(2, 1)
      .string(3, 'é')
      .packedInts(4, [3, 270, -1])
      .packedFloats(5, new Float32Array([0.5]))
      .packedFloats(6, [])
      .message(7, inner)
      .int(16, 1);
    const bytes = m.encode();
    expect(bytes.length).toBe(m.byteLength);
    expect(hex(bytes)).toBe(
      ['150000803f', '1a02c3a9', '220d' + '038e02' + 'ffffffffffffffffff01', '2a040000003f', '3a03089601', '800101'].join(''),
    );
    expect(() => inner.int(2, 1)).toThrow(/nested/);
    expect(() => new ProtoMessage().int(0, 1)).toThrow(/field number/);
  });

  it('grows the writer buffer as needed', () => {
    const w = new ProtoWriter(16);
    for (let i = 0; i < 1000; i++) w.varint(i * 1000);
    w.float32s([1, 2, 3]);
    const big = new Uint8Array(5000).fill(7);
    w.raw(big);
    const out = w.finish();
    expect(out.length).toBe(w.length);
    expect(out.subarray(out.length - 5000).every((b) => b === 7)).toBe(true);
  });

  it('writes a TensorProto field by field (dims, data_type, name, little-endian raw_data)', () => {
    const t = tensorMessage({ name: 'w', dims: [2], data: new Float32Array([1, -2]) }).encode();
    expect(hex(t)).toBe('0a0102' + '1001' + '420177' + '4a08' + '0000803f' + '000000c0');
    const i = tensorMessage({ name: '', dims: [1, 2], data: new BigInt64Array([-1n, 258n]) }).encode();
    expect(hex(i)).toBe('0a020102' + '1007' + '4a10' + 'ffffffffffffffff' + '0201000000000000');
    expect(() => tensorMessage({ name: 'bad', dims: [3], data: new Float32Array(2) })).toThrow(/hold 3 values/);
  });
});

describe('ONNX model structure', () => {
  const tiny = (): GraphBuilder => {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', ['N', 3, 'H', 'W']);
    g.output(g.leakyRelu(g.transpose(x, [0, 1, 3, 2]), 0.25), ['N', 3, 'W', 'H'], 'y');
    return g;
  };

  it('writes ir_version, producer, opset_import, graph and metadata_props', () => {
    const metadata = { model: 'deblurgan', weights: 'sha256:abc', 'ключ': 'значение ✓' };
    const bytes = tiny().encode({ producerVersion: '0.1.0', metadata });
    expect(one(bytes, 1)).toBe(8n);
    expect(text(one(bytes, 2))).toBe('deblurbench');
    expect(text(one(bytes, 3))).toBe('0.1.0');
    const opset = bytesOf(one(bytes, 8));
    expect(text(one(opset, 1))).toBe('');
    expect(one(opset, 2)).toBe(17n);
    const entries = all(bytes, 14).map((f) => [text(one(bytesOf(f.value), 1)), text(one(bytesOf(f.value), 2))]);
    expect(Object.fromEntries(entries)).toEqual(metadata);
    expect(entries.map((e) => e[0])).toEqual(Object.keys(metadata));

    const graph = bytesOf(one(bytes, 7));
    expect(text(one(graph, 2))).toBe('tiny');
    const nodes = all(graph, 1).map((f) => bytesOf(f.value));
    expect(nodes.map((n) => text(one(n, 4)))).toEqual(['Transpose', 'LeakyRelu', 'Identity']);
    const [perm, alpha] = [nodes[0], nodes[1]].map((n) => bytesOf(one(n, 5)));
    expect(text(one(perm, 1))).toBe('perm');
    expect(one(perm, 20)).toBe(BigInt(AttributeType.INTS));
    expect(one(alpha, 20)).toBe(BigInt(AttributeType.FLOAT));
    expect(one(alpha, 2)).toBe(0.25);
    // graph input: ValueInfoProto.type.tensor_type.{elem_type, shape.dim[*].dim_param|dim_value}
    const input = bytesOf(one(graph, 11));
    expect(text(one(input, 1))).toBe('x');
    const tensorType = bytesOf(one(bytesOf(one(input, 2)), 1));
    expect(one(tensorType, 1)).toBe(1n);
    const dims = all(bytesOf(one(tensorType, 2)), 1).map((d) => decode(bytesOf(d.value))[0]);
    expect(dims.map((d) => [d.field, d.field === 2 ? text(d.value) : d.value])).toEqual([
      [2, 'N'],
      [1, 3n],
      [2, 'H'],
      [2, 'W'],
    ]);
  });

  it('onnxruntime reads the symbolic input/output shapes (it does not expose metadata_props)', async () => {
    const session = await ort.InferenceSession.create(tiny().encode({ metadata: { a: 'b' } }), sessionOptions);
    try {
      expect(session.inputMetadata[0]).toMatchObject({ name: 'x', isTensor: true, type: 'float32', shape: ['N', 3, 'H', 'W'] });
      expect(session.outputMetadata[0]).toMatchObject({ name: 'y', shape: ['N', 3, 'W', 'H'] });
      expect('metadata' in session).toBe(false);
    } finally {
      await session.release();
    }
  });

  it('picks the IR version for the opset and honours an override', () => {
    const g = tiny().build();
    expect(one(encodeModel(g, { opset: 13 }), 1)).toBe(8n);
    expect(one(encodeModel(g, { opset: 19 }), 1)).toBe(9n);
    expect(one(encodeModel(g, { opset: 21 }), 1)).toBe(10n);
    expect(one(encodeModel(g, { irVersion: 7, opset: 13 }), 1)).toBe(7n);
  });

  it('rejects malformed graphs before encoding', () => {
    const base = (): OnnxGraph => ({ name: 'g', nodes: [], initializers: [], inputs: [{ name: 'x', elemType: 'float', shape: [1] }], outputs: [] });
    expect(() => encodeModel({ ...base(), nodes: [{ opType: 'Relu', inputs: ['z'], outputs: ['y'] }] })).toThrow(/'z', which is not defined before it/);
    expect(() => encodeModel({ ...base(), nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['x'] }] })).toThrow(/defined more than once/);
    expect(() => encodeModel({ ...base(), outputs: [{ name: 'y', elemType: 'float', shape: [1] }] })).toThrow(/never produced/);
    expect(() => encodeModel({ ...base(), initializers: [{ name: 'w', dims: [2, 2], data: new Float32Array(3) }] })).toThrow(/hold 4 values/);
  });

  it('hands out unique names and shares identical constants', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [1, 1, 4, 4]);
    const a = g.pad2d(x, 1, 'reflect');
    const b = g.pad2d(a, 1, 'reflect');
    const c = g.add(b, 0.5);
    const d = g.mul(c, 0.5);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(g.initializers.map((t) => t.name)).toEqual(['pads', 'scalar']);
    expect(g.initializer('pads', [1], [1])).toBe('pads_1');
    g.conv(d, { name: 'enc/kernel', dims: [1, 1, 1, 1], data: [2] }, { name: 'enc/bias', dims: [1], data: [0] });
    expect(g.initializers.map((t) => t.name).slice(-2)).toEqual(['enc/kernel', 'enc/bias']);
    expect(g.uniqueName('x')).toBe('x_1');
    expect(() => g.input('x', [1])).toThrow(/already taken/);
    expect(() => new GraphBuilder('g', { opset: 11 })).toThrow(/opset ≥ 13/);
  });
});

describe('ONNX operators in onnxruntime-node match plain-loop references', () => {
  const rng = new Rng(7);
  const w = (dims: number[], scale = 0.3): Nd => random(rng, dims, scale);

  it('Conv: padding, stride, dilation, groups, no bias', async () => {
    const cases: { x: number[]; w: number[]; bias: boolean; o: ConvRef }[] = [
      { x: [1, 3, 9, 8], w: [4, 3, 3, 3], bias: true, o: { pads: [1, 1, 1, 1] } },
      { x: [2, 3, 9, 8], w: [5, 3, 3, 3], bias: true, o: { pads: [1, 1, 1, 1], strides: [2, 2] } },
      { x: [1, 2, 10, 9], w: [3, 2, 3, 3], bias: false, o: { pads: [0, 0, 1, 1], strides: [2, 2] } },
      { x: [1, 4, 11, 10], w: [6, 2, 3, 2], bias: true, o: { pads: [2, 1, 0, 3], strides: [1, 2], dilations: [2, 3], group: 2 } },
      { x: [1, 3, 8, 8], w: [2, 3, 4, 4], bias: true, o: { pads: [2, 2, 2, 2], strides: [2, 2] } },
    ];
    for (const [i, c] of cases.entries()) {
      const weight = w(c.w);
      const bias = c.bias ? w([c.w[0]]) : undefined;
      await check(
        c.x,
        (g, x) => g.conv(x, weight, bias, { pads: c.o.pads, strides: c.o.strides, dilations: c.o.dilations, group: c.o.group }),
        (x) => conv2d(x, weight, bias?.data, c.o),
        10 + i,
      );
    }
  });

  it('ConvTranspose: PyTorch-style ×2 (k3 s2 p1 op1), k4 s2 p1, asymmetric pads, output padding, dilation, groups', async () => {
    const cases: { x: number[]; w: number[]; o: ConvTRef }[] = [
      { x: [1, 4, 5, 6], w: [4, 3, 3, 3], o: { pads: [1, 1, 1, 1], strides: [2, 2], outputPadding: [1, 1] } },
      { x: [2, 3, 4, 4], w: [3, 2, 4, 4], o: { pads: [1, 1, 1, 1], strides: [2, 2] } },
      { x: [1, 2, 4, 5], w: [2, 3, 3, 3], o: { pads: [0, 1, 2, 0], strides: [2, 3], outputPadding: [1, 2] } },
      { x: [1, 4, 5, 4], w: [4, 2, 3, 2], o: { pads: [1, 0, 1, 0], strides: [2, 1], dilations: [2, 1], group: 2 } },
      { x: [1, 3, 4, 4], w: [3, 2, 3, 3], o: {} },
    ];
    for (const [i, c] of cases.entries()) {
      const weight = w(c.w);
      const bias = w([c.w[1] * (c.o.group ?? 1)]);
      await check(
        c.x,
        (g, x) => g.convTranspose(x, weight, bias, { pads: c.o.pads, strides: c.o.strides, dilations: c.o.dilations, group: c.o.group, outputPadding: c.o.outputPadding }),
        (x) => convTranspose2d(x, weight, bias.data, c.o),
        20 + i,
      );
    }
  });

  it('InstanceNormalization (biased variance, epsilon attribute) and the non-affine form', async () => {
    const scale = w([3], 1);
    const bias = w([3], 1);
    await check([2, 3, 5, 7], (g, x) => g.instanceNorm(x, scale, bias, 1e-3), (x) => instanceNorm(x, scale.data, bias.data, Math.fround(1e-3)));
    await check([1, 3, 4, 4], (g, x) => g.instanceNorm(x, g.filled(3, 1), g.filled(3, 0)), (x) => instanceNorm(x, new Float32Array(3).fill(1), new Float32Array(3), Math.fround(1e-5)), 2);
  });

  it('BatchNormalization (inference)', async () => {
    const [scale, bias, mean] = [w([4], 1), w([4], 1), w([4], 1)];
    const variance = random(rng, [4], 0.4, 0.6);
    await check([2, 4, 3, 5], (g, x) => g.batchNorm(x, scale, bias, mean, variance, 1e-3), (x) => batchNorm(x, scale.data, bias.data, mean.data, variance.data, Math.fround(1e-3)));
  });

  it('Pad: reflect, edge, constant (zero and non-zero), asymmetric', async () => {
    await check([1, 2, 5, 6], (g, x) => g.pad2d(x, 3, 'reflect'), (x) => pad2d(x, [3, 3, 3, 3], 'reflect'));
    await check([2, 2, 4, 5], (g, x) => g.pad2d(x, [1, 2, 3, 0], 'reflect'), (x) => pad2d(x, [1, 2, 3, 0], 'reflect'));
    await check([1, 2, 3, 4], (g, x) => g.pad2d(x, [2, 0, 1, 3], 'edge'), (x) => pad2d(x, [2, 0, 1, 3], 'edge'));
    await check([1, 2, 3, 4], (g, x) => g.pad2d(x, 2), (x) => pad2d(x, [2, 2, 2, 2], 'constant'));
    await check([1, 2, 3, 4], (g, x) => g.pad2d(x, [0, 1, 2, 1], 'constant', -0.75), (x) => pad2d(x, [0, 1, 2, 1], 'constant', -0.75));
  });

  it('Relu, LeakyRelu, Tanh, Sigmoid, Clip', async () => {
    const dims = [1, 3, 4, 5];
    await check(dims, (g, x) => g.relu(x), (x) => map(x, relu));
    await check(dims, (g, x) => g.leakyRelu(x, 0.2), (x) => map(x, leaky(0.2)));
    await check(dims, (g, x) => g.leakyRelu(x), (x) => map(x, leaky(0.01)));
    await check(dims, (g, x) => g.tanh(g.mul(x, 3)), (x) => map(x, (v) => Math.tanh(3 * v)));
    await check(dims, (g, x) => g.sigmoid(g.mul(x, 3)), (x) => map(x, (v) => 1 / (1 + Math.exp(-3 * v))));
    await check(dims, (g, x) => g.clip(x, -0.5, 0.25), (x) => map(x, (v) => Math.min(0.25, Math.max(-0.5, v))));
    await check(dims, (g, x) => g.clip(x, undefined, 0.25), (x) => map(x, (v) => Math.min(0.25, v)));
  });

  it('Add, Sub, Mul, Div with scalars, broadcast initializers and Constant nodes', async () => {
    const dims = [2, 3, 4, 5];
    const perChannel = w([1, 3, 1, 1], 1);
    const positive = random(rng, [1, 3, 1, 1], 0.5, 1);
    const constant = w([5], 1);
    await check(dims, (g, x) => g.add(x, g.mul(x, 2)), (x) => map(x, (v) => v + Math.fround(2 * v)));
    await check(dims, (g, x) => g.add(x, perChannel), (x) => zip(x, perChannel, (a, b) => a + b));
    await check(dims, (g, x) => g.sub(0.5, x), (x) => map(x, (v) => 0.5 - v));
    await check(dims, (g, x) => g.mul(x, perChannel), (x) => zip(x, perChannel, (a, b) => a * b));
    await check(dims, (g, x) => g.div(x, positive), (x) => zip(x, positive, (a, b) => a / b));
    await check(dims, (g, x) => g.add(x, g.constant(constant)), (x) => zip(x, constant, (a, b) => a + b));
  });

  it('Resize nearest ×2 (asymmetric, floor) and Transpose', async () => {
    await check([2, 3, 4, 5], (g, x) => g.resizeNearest(x), (x) => resizeNearest(x, 2));
    await check([1, 2, 3, 3], (g, x) => g.resizeNearest(x, 3), (x) => resizeNearest(x, 3));
    await check([2, 3, 4, 5], (g, x) => g.transpose(x, [0, 2, 3, 1]), (x) => transpose(x, [0, 2, 3, 1]));
  });

  it('generic nodes with negative int attributes (ReduceMean axes [-1])', async () => {
    await check(
      [2, 3, 4],
      (g, x) => g.op('ReduceMean', [x], [{ name: 'axes', type: 'ints', value: [-1] }, { name: 'keepdims', type: 'int', value: 0 }]),
      (x) => {
        const out = new Float32Array(6);
        for (let i = 0; i < 6; i++) out[i] = (x.data[4 * i] + x.data[4 * i + 1] + x.data[4 * i + 2] + x.data[4 * i + 3]) / 4;
        return { dims: [2, 3], data: out };
      },
    );
  });

  it('INT64 inputs, initializers and outputs', async () => {
    const g = new GraphBuilder('ints');
    const x = g.input('x', [3], 'int64');
    const k = g.initializer('k', [3], new BigInt64Array([-5n, 2n ** 40n, 7n]));
    g.output(g.op('Add', [x, k]), [3], 'y', 'int64');
    const session = await ort.InferenceSession.create(g.encode(), sessionOptions);
    try {
      const r = await session.run({ x: new ort.Tensor('int64', new BigInt64Array([1n, -1n, -(2n ** 50n)]), [3]) });
      expect(Array.from(r.y.data as BigInt64Array)).toEqual([-4n, 2n ** 40n - 1n, 7n - 2n ** 50n]);
    } finally {
      await session.release();
    }
  });
});

describe('ONNX graphs end to end', () => {
  it('chain: reflect pad → conv 7×7 → instance norm → relu → conv s2 → conv-transpose s2 → tanh → add input, at two dynamic sizes', async () => {
    const rng = new Rng(42);
    const w0 = random(rng, [4, 3, 7, 7], 0.15);
    const b0 = random(rng, [4], 0.1);
    const gamma = random(rng, [4], 0.3, 1);
    const beta = random(rng, [4], 0.2);
    const w1 = random(rng, [6, 4, 3, 3], 0.3);
    const b1 = random(rng, [6], 0.1);
    const w2 = random(rng, [6, 3, 3, 3], 0.3);
    const b2 = random(rng, [3], 0.1);

    const g = new GraphBuilder('chain');
    const x = g.input('input', ['N', 3, 'H', 'W']);
    let y = g.pad2d(x, 3, 'reflect');
    y = g.conv(y, w0, b0);
    y = g.instanceNorm(y, gamma, beta);
    y = g.relu(y);
    y = g.conv(y, w1, b1, { pads: 1, strides: 2 });
    y = g.convTranspose(y, w2, b2, { pads: 1, strides: 2, outputPadding: 1 });
    y = g.tanh(y);
    y = g.add(y, x);
    g.output(y, ['N', 3, 'H', 'W'], 'output');

    const reference = (input: Nd): Nd => {
      let r = pad2d(input, [3, 3, 3, 3], 'reflect');
      r = conv2d(r, w0, b0.data);
      r = instanceNorm(r, gamma.data, beta.data, Math.fround(1e-5));
      r = map(r, relu);
      r = conv2d(r, w1, b1.data, { pads: [1, 1, 1, 1], strides: [2, 2] });
      r = convTranspose2d(r, w2, b2.data, { pads: [1, 1, 1, 1], strides: [2, 2], outputPadding: [1, 1] });
      r = map(r, Math.tanh);
      return zip(r, input, (a, b) => a + b);
    };

    const session = await ort.InferenceSession.create(g.encode({ producerVersion: 'test' }), sessionOptions);
    try {
      for (const dims of [
        [1, 3, 12, 16],
        [2, 3, 10, 6],
      ]) {
        const input = random(rng, dims);
        expectClose(await runSession(session, { input }), reference(input));
      }
    } finally {
      await session.release();
    }
  });

  it('a 10.8 MB initializer survives byte for byte', async () => {
    const n = 2_700_000;
    const big = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      big[i] = (s / 2 ** 32 - 0.5) * 1000;
    }
    const g = new GraphBuilder('big');
    const x = g.input('x', [n]);
    g.output(g.add(x, g.initializer('big', [n], big)), [n], 'y');
    const bytes = g.encode();
    expect(bytes.length).toBeGreaterThan(4 * n);
    const session = await ort.InferenceSession.create(bytes, sessionOptions);
    try {
      const input = new Float32Array(n);
      for (let i = 0; i < n; i++) input[i] = (i % 7) - 3;
      const out = await runSession(session, { x: { dims: [n], data: input } });
      let mismatches = 0;
      for (let i = 0; i < n; i++) if (out.data[i] !== Math.fround(big[i] + input[i])) mismatches++;
      expect(mismatches).toBe(0);
    } finally {
      await session.release();
    }
  });

  it('encodes a 45 MB DeblurGAN-sized generator in well under a second, and onnxruntime runs it', async () => {
    let s = 99;
    const weights = (dims: number[], scale = 0.02): Float32Array => {
      const a = new Float32Array(size(dims));
      for (let i = 0; i < a.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        a[i] = (s / 2 ** 32 - 0.5) * scale;
      }
      return a;
    };
    const g = new GraphBuilder('deblurgan_generator');
    const input = g.input('input', ['N', 3, 'H', 'W']);
    const norm = (x: string, c: number): string => g.instanceNorm(x, g.filled(c, 1), g.filled(c, 0));
    const conv = (x: string, name: string, k: number, inC: number, outC: number, o: { pads?: number; strides?: number } = {}): string =>
      g.conv(x, g.initializer(`${name}/kernel`, [outC, inC, k, k], weights([outC, inC, k, k])), g.initializer(`${name}/bias`, [outC], weights([outC])), o);
    let y = g.relu(norm(conv(g.pad2d(input, 3, 'reflect'), 'in_conv', 7, 3, 64), 64));
    y = g.relu(norm(conv(y, 'down0', 3, 64, 128, { pads: 1, strides: 2 }), 128));
    y = g.relu(norm(conv(y, 'down1', 3, 128, 256, { pads: 1, strides: 2 }), 256));
    for (let b = 0; b < 9; b++) {
      let r = g.relu(norm(conv(g.pad2d(y, 1, 'reflect'), `res${b}_conv0`, 3, 256, 256), 256));
      r = norm(conv(g.pad2d(r, 1, 'reflect'), `res${b}_conv1`, 3, 256, 256), 256);
      y = g.add(y, r);
    }
    for (const [i, c] of [256, 128].entries()) {
      const wt = g.initializer(`up${i}/kernel`, [c, c / 2, 3, 3], weights([c, c / 2, 3, 3]));
      y = g.relu(norm(g.convTranspose(y, wt, g.initializer(`up${i}/bias`, [c / 2], weights([c / 2])), { pads: 1, strides: 2, outputPadding: 1 }), c / 2));
    }
    y = g.tanh(conv(g.pad2d(y, 3, 'reflect'), 'out_conv', 7, 64, 3));
    g.output(g.clip(g.add(y, input), -1, 1), ['N', 3, 'H', 'W'], 'output');

    const params = g.initializers.reduce((n, t) => n + t.data.length, 0);
    expect(params).toBeGreaterThan(11_300_000);
    const t0 = performance.now();
    const bytes = g.encode({ producerVersion: 'test', metadata: { variant: 'official' } });
    const ms = performance.now() - t0;
    expect(bytes.length).toBeGreaterThan(45_000_000);
    expect(ms).toBeLessThan(1000);

    const session = await ort.InferenceSession.create(bytes, sessionOptions);
    try {
      const x = random(new Rng(3), [1, 3, 16, 12]);
      const out = await runSession(session, { input: x });
      expect(out.dims).toEqual([1, 3, 16, 12]);
      expect(out.data.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
    } finally {
      await session.release();
    }
  });
});
