/**
 * Dependency-free ONNX model writer: typed descriptions of the parts of the ONNX schema we need
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto) serialised with
 * the wire-format encoder in proto.ts, plus {@link GraphBuilder}, which hands out unique tensor
 * names and appends nodes and initializers for the operators the DeblurGAN export uses.
 *
 * Tensor data is written as `raw_data` (little-endian) and copied once, straight from the typed
 * array into the output buffer. Layouts follow ONNX: activations NCHW; Conv weights
 * [out, in/group, kH, kW]; ConvTranspose weights [in, out/group, kH, kW].
 */
import { ProtoMessage } from './proto.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

// Field numbers from onnx.proto.
const F = {
  model: { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 },
  opset: { domain: 1, version: 2 },
  stringEntry: { key: 1, value: 2 },
  graph: { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 },
  attr: { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, type: 20 },
  tensor: { dims: 1, dataType: 2, name: 8, rawData: 9 },
  valueInfo: { name: 1, type: 2 },
  typeProto: { tensorType: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dim: { dimValue: 1, dimParam: 2 },
} as const;

export type OnnxElemType = 'float' | 'int64';

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export type OnnxAttr = { name: string } & (
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'ints'; value: number[] }
  | { type: 'floats'; value: number[] }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensor }
);

export interface OnnxNode {
  opType: string;
  /** '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Operator domain; '' (the default) is the standard ai.onnx domain. */
  domain?: string;
  attributes?: OnnxAttr[];
}

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxElemType;
  /** Fixed sizes as numbers, symbolic (dynamic) dimensions as names such as 'N', 'H', 'W'. */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
}

export interface EncodeOptions {
  /** ai.onnx opset version (default 17). */
  opset?: number;
  /** IR version (default 8 for opset ≤ 18, otherwise the IR version that introduced the opset). */
  irVersion?: number;
  producerVersion?: string;
  docString?: string;
  /** Written as ModelProto.metadata_props, in insertion order. */
  metadata?: Record<string, string>;
}

export const DEFAULT_OPSET = 17;
export const PRODUCER_NAME = 'deblurbench';

/** Protobuf messages (and hence non-external ONNX models) are limited to 2 GiB. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elemTypeCode(t: OnnxElemType): number {
  return t === 'float' ? DataType.FLOAT : DataType.INT64;
}

function defaultIrVersion(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

/** Tensor data as little-endian bytes: a view on little-endian hosts, a swapped copy otherwise. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setBigInt64(8 * i, data[i], true);
  return out;
}

function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`ONNX tensor: invalid dimension ${d}`);
    n *= d;
  }
  return n;
}

export function tensorMessage(t: OnnxTensor): ProtoMessage {
  const count = elementCount(t.dims);
  if (count !== t.data.length) throw new RangeError(`ONNX tensor '${t.name}': dims [${t.dims.join(', ')}] hold ${count} values, data has ${t.data.length}`);
  const m = new ProtoMessage().packedInts(F.tensor.dims, t.dims);
  m.int(F.tensor.dataType, t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64);
  if (t.name) m.string(F.tensor.name, t.name);
  return m.bytes(F.tensor.rawData, littleEndianBytes(t.data));
}

function attributeMessage(a: OnnxAttr): ProtoMessage {
  const m = new ProtoMessage().string(F.attr.name, a.name);
  switch (a.type) {
    case 'float':
      return m.float(F.attr.f, a.value).int(F.attr.type, AttributeType.FLOAT);
    case 'int':
      return m.int(F.attr.i, a.value).int(F.attr.type, AttributeType.INT);
    case 'string':
      return m.string(F.attr.s, a.value).int(F.attr.type, AttributeType.STRING);
    case 'tensor':
      return m.message(F.attr.t, tensorMessage(a.value)).int(F.attr.type, AttributeType.TENSOR);
    case 'floats':
      return m.packedFloats(F.attr.floats, a.value).int(F.attr.type, AttributeType.FLOATS);
    case 'ints':
      return m.packedInts(F.attr.ints, a.value).int(F.attr.type, AttributeType.INTS);
  }
}

function nodeMessage(n: OnnxNode): ProtoMessage {
  const m = new ProtoMessage();
  for (const s of n.inputs) m.string(F.node.input, s);
  for (const s of n.outputs) m.string(F.node.output, s);
  if (n.name) m.string(F.node.name, n.name);
  m.string(F.node.opType, n.opType);
  for (const a of n.attributes ?? []) m.message(F.node.attribute, attributeMessage(a));
  if (n.domain) m.string(F.node.domain, n.domain);
  return m;
}

function valueInfoMessage(v: OnnxValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.shape) {
    const dim = new ProtoMessage();
    if (typeof d === 'number') {
      if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`ONNX value '${v.name}': invalid dimension ${d}`);
      dim.int(F.dim.dimValue, d);
    } else dim.string(F.dim.dimParam, d);
    shape.message(F.shape.dim, dim);
  }
  const tensorType = new ProtoMessage().int(F.tensorType.elemType, elemTypeCode(v.elemType)).message(F.tensorType.shape, shape);
  const type = new ProtoMessage().message(F.typeProto.tensorType, tensorType);
  return new ProtoMessage().string(F.valueInfo.name, v.name).message(F.valueInfo.type, type);
}

/**
 * Structural checks ONNX runtimes would otherwise report less clearly: every tensor name is
 * defined once (graph input, initializer or node output), nodes only consume names defined
 * before them (topological order), and every graph output is defined.
 */
export function validateGraph(g: OnnxGraph): void {
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (!name) throw new Error(`ONNX graph '${g.name}': ${what} has an empty name`);
    if (defined.has(name)) throw new Error(`ONNX graph '${g.name}': '${name}' (${what}) is defined more than once`);
    defined.add(name);
  };
  for (const v of g.inputs) define(v.name, 'graph input');
  for (const t of g.initializers) define(t.name, 'initializer');
  g.nodes.forEach((n, i) => {
    const label = `node ${i} (${n.opType}${n.name ? ` '${n.name}'` : ''})`;
    for (const s of n.inputs) if (s !== '' && !defined.has(s)) throw new Error(`ONNX graph '${g.name}': ${label} reads '${s}', which is not defined before it`);
    for (const s of n.outputs) define(s, `output of ${label}`);
  });
  for (const v of g.outputs) if (!defined.has(v.name)) throw new Error(`ONNX graph '${g.name}': graph output '${v.name}' is never produced`);
}

export function graphMessage(g: OnnxGraph): ProtoMessage {
  const m = new ProtoMessage();
  for (const n of g.nodes) m.message(F.graph.node, nodeMessage(n));
  m.string(F.graph.name, g.name);
  for (const t of g.initializers) m.message(F.graph.initializer, tensorMessage(t));
  for (const v of g.inputs) m.message(F.graph.input, valueInfoMessage(v));
  for (const v of g.outputs) m.message(F.graph.output, valueInfoMessage(v));
  for (const v of g.valueInfo ?? []) m.message(F.graph.valueInfo, valueInfoMessage(v));
  return m;
}

/** Serialise a graph as an ONNX ModelProto (one allocation of the exact size; tensor data copied once). */
export function encodeModel(graph: OnnxGraph, opts: EncodeOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 1) throw new RangeError(`ONNX: invalid opset ${opset}`);
  validateGraph(graph);
  const m = new ProtoMessage().int(F.model.irVersion, opts.irVersion ?? defaultIrVersion(opset)).string(F.model.producerName, PRODUCER_NAME);
  if (opts.producerVersion !== undefined) m.string(F.model.producerVersion, opts.producerVersion);
  if (opts.docString !== undefined) m.string(F.model.docString, opts.docString);
  m.message(F.model.graph, graphMessage(graph));
  m.message(F.model.opsetImport, new ProtoMessage().string(F.opset.domain, '').int(F.opset.version, opset));
  for (const [key, value] of Object.entries(opts.metadata ?? {})) {
    m.message(F.model.metadataProps, new ProtoMessage().string(F.stringEntry.key, key).string(F.stringEntry.value, value));
  }
  if (m.byteLength > MAX_MODEL_BYTES) throw new RangeError(`ONNX model would be ${m.byteLength} bytes; protobuf models are limited to 2 GiB`);
  return m.encode();
}

// ---------------------------------------------------------------------------------------------
// Graph builder

/** Tensor data given inline; number[] becomes FLOAT. `name` is the preferred initializer name. */
export interface TensorInit {
  name?: string;
  dims: number[];
  data: Float32Array | BigInt64Array | number[];
}

/** A tensor by name (graph input, initializer or node output) or inline data (added as an initializer). */
export type TensorRef = string | TensorInit;

/** Two spatial values (H, W) or one for both. */
export type Pair = number | [number, number];

/** Spatial padding [top, left, bottom, right] or one value for all four sides. */
export type Pads2d = number | [number, number, number, number];

export type PadMode = 'constant' | 'reflect' | 'edge';

export interface ConvOptions {
  pads?: Pads2d;
  strides?: Pair;
  dilations?: Pair;
  group?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns added at the bottom/right of the output. */
  outputPadding?: Pair;
}

const pair = (p: Pair): [number, number] => (typeof p === 'number' ? [p, p] : p);
const pads4 = (p: Pads2d): [number, number, number, number] => (typeof p === 'number' ? [p, p, p, p] : p);

function toData(data: TensorInit['data']): Float32Array | BigInt64Array {
  return Array.isArray(data) ? Float32Array.from(data) : data;
}

/**
 * Builds an {@link OnnxGraph} node by node. Every op method returns the name of its output.
 * Names are unique: requested names (inputs, initializers) are kept when free and suffixed
 * otherwise; node outputs are named after their op type.
 *
 * Forms emitted are valid for opset 13 and later (Pad/Clip take tensors as inputs; Resize takes
 * an empty roi and a scales tensor).
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  readonly opset: number;
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly initDims = new Map<string, number[]>();
  private readonly constCache = new Map<string, string>();

  constructor(
    readonly name = 'graph',
    opts: { opset?: number } = {},
  ) {
    this.opset = opts.opset ?? DEFAULT_OPSET;
    if (this.opset < 13) throw new RangeError(`GraphBuilder emits opset ≥ 13 operator forms (asked for ${this.opset})`);
  }

  /** A fresh name: `hint` itself when unused, else `hint_1`, `hint_2`, … */
  uniqueName(hint: string): string {
    let name = hint;
    let k = this.counters.get(hint) ?? 0;
    while (name === '' || this.used.has(name)) name = `${hint}_${++k}`;
    this.counters.set(hint, k);
    this.used.add(name);
    return name;
  }

  input(name: string, shape: (number | string)[], elemType: OnnxElemType = 'float'): string {
    if (this.used.has(name)) throw new Error(`GraphBuilder: name '${name}' is already taken`);
    this.used.add(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  /** Declare `x` a graph output, renaming it to `name` through an Identity node when they differ. */
  output(x: string, shape: (number | string)[], name = x, elemType: OnnxElemType = 'float'): string {
    if (name !== x) {
      if (this.used.has(name)) throw new Error(`GraphBuilder: name '${name}' is already taken`);
      this.used.add(name);
      this.nodes.push({ opType: 'Identity', inputs: [x], outputs: [name], name: this.uniqueName('Identity') });
    }
    this.outputs.push({ name, elemType, shape });
    return name;
  }

  /** Add an initializer (named after `hint`) and return its name. The data is referenced, not copied. */
  initializer(hint: string, dims: number[], data: TensorInit['data']): string {
    const name = this.uniqueName(hint);
    const t: OnnxTensor = { name, dims: [...dims], data: toData(data) };
    const count = elementCount(t.dims);
    if (count !== t.data.length) throw new RangeError(`GraphBuilder: initializer '${name}' dims [${dims.join(', ')}] hold ${count} values, data has ${t.data.length}`);
    this.initializers.push(t);
    this.initDims.set(name, t.dims);
    return name;
  }

  /** A 1-D INT64 initializer; identical values share one tensor. */
  int64s(values: number[], hint = 'i64'): string {
    return this.cached(`i64:${values.join(',')}`, () => this.initializer(hint, [values.length], BigInt64Array.from(values, (v) => BigInt(v))));
  }

  /** A 1-D FLOAT initializer; identical values share one tensor. */
  floats(values: number[], hint = 'f32'): string {
    return this.cached(`f32:${values.join(',')}`, () => this.initializer(hint, [values.length], Float32Array.from(values)));
  }

  /** A 1-D FLOAT initializer of `length` copies of `value` (e.g. the unit scale of a non-affine InstanceNorm); shared. */
  filled(length: number, value: number, hint = value === 0 ? 'zeros' : value === 1 ? 'ones' : 'filled'): string {
    return this.cached(`fill:${length}:${value}`, () => this.initializer(hint, [length], new Float32Array(length).fill(value)));
  }

  /** A 0-d FLOAT initializer; identical values share one tensor. */
  scalar(value: number, hint = 'scalar'): string {
    return this.cached(`f32s:${Object.is(value, -0) ? '-0' : String(value)}`, () => this.initializer(hint, [], Float32Array.of(value)));
  }

  private cached(key: string, make: () => string): string {
    let name = this.constCache.get(key);
    if (name === undefined) {
      name = make();
      this.constCache.set(key, name);
    }
    return name;
  }

  /** Resolve a tensor reference: names pass through, inline data becomes an initializer. */
  ref(t: TensorRef, hint = 'const'): string {
    return typeof t === 'string' ? t : this.initializer(t.name ?? hint, t.dims, t.data);
  }

  /** Append a node with any op type; returns its output names. */
  node(opType: string, inputs: string[], attributes: OnnxAttr[] = [], opts: { outputs?: number; name?: string; domain?: string } = {}): string[] {
    const base = opType.toLowerCase();
    const outputs = Array.from({ length: opts.outputs ?? 1 }, () => this.uniqueName(base));
    const node: OnnxNode = { opType, inputs, outputs, name: opts.name ?? this.uniqueName(opType) };
    if (attributes.length > 0) node.attributes = attributes;
    if (opts.domain) node.domain = opts.domain;
    this.nodes.push(node);
    return outputs;
  }

  /** Single-output shorthand for {@link node}. */
  op(opType: string, inputs: string[], attributes: OnnxAttr[] = []): string {
    return this.node(opType, inputs, attributes)[0];
  }

  private convAttrs(weight: string, o: ConvOptions): OnnxAttr[] {
    const attrs: OnnxAttr[] = [];
    const dims = this.initDims.get(weight);
    if (dims && dims.length === 4) attrs.push({ name: 'kernel_shape', type: 'ints', value: dims.slice(2) });
    attrs.push({ name: 'pads', type: 'ints', value: pads4(o.pads ?? 0) });
    attrs.push({ name: 'strides', type: 'ints', value: pair(o.strides ?? 1) });
    if (o.dilations !== undefined) attrs.push({ name: 'dilations', type: 'ints', value: pair(o.dilations) });
    if (o.group !== undefined && o.group !== 1) attrs.push({ name: 'group', type: 'int', value: o.group });
    return attrs;
  }

  /** Conv; weight [out, in/group, kH, kW], bias [out]; pads [top, left, bottom, right]. */
  conv(x: string, weight: TensorRef, bias: TensorRef | undefined, opts: ConvOptions = {}): string {
    const w = this.ref(weight, 'conv_w');
    const inputs = [x, w];
    if (bias !== undefined) inputs.push(this.ref(bias, 'conv_b'));
    return this.op('Conv', inputs, this.convAttrs(w, opts));
  }

  /**
   * ConvTranspose; weight [in, out/group, kH, kW], bias [out]. Output size per axis:
   * stride·(in−1) + outputPadding + (k−1)·dilation + 1 − padBegin − padEnd. PyTorch's
   * ConvTranspose2d(k 3, stride 2, padding 1, output_padding 1) is pads 1, outputPadding 1.
   */
  convTranspose(x: string, weight: TensorRef, bias: TensorRef | undefined, opts: ConvTransposeOptions = {}): string {
    const w = this.ref(weight, 'convt_w');
    const inputs = [x, w];
    if (bias !== undefined) inputs.push(this.ref(bias, 'convt_b'));
    const attrs = this.convAttrs(w, opts);
    if (opts.outputPadding !== undefined) attrs.push({ name: 'output_padding', type: 'ints', value: pair(opts.outputPadding) });
    return this.op('ConvTranspose', inputs, attrs);
  }

  /** InstanceNormalization: per sample and channel, (x − mean) / sqrt(biased var + eps) · scale + bias. */
  instanceNorm(x: string, scale: TensorRef, bias: TensorRef, eps = 1e-5): string {
    return this.op('InstanceNormalization', [x, this.ref(scale, 'in_scale'), this.ref(bias, 'in_bias')], [{ name: 'epsilon', type: 'float', value: eps }]);
  }

  /** BatchNormalization in inference mode: (x − mean) / sqrt(var + eps) · scale + bias. */
  batchNorm(x: string, scale: TensorRef, bias: TensorRef, mean: TensorRef, variance: TensorRef, eps = 1e-5): string {
    const inputs = [x, this.ref(scale, 'bn_scale'), this.ref(bias, 'bn_bias'), this.ref(mean, 'bn_mean'), this.ref(variance, 'bn_var')];
    return this.op('BatchNormalization', inputs, [{ name: 'epsilon', type: 'float', value: eps }]);
  }

  relu(x: string): string {
    return this.op('Relu', [x]);
  }

  leakyRelu(x: string, alpha = 0.01): string {
    return this.op('LeakyRelu', [x], [{ name: 'alpha', type: 'float', value: alpha }]);
  }

  tanh(x: string): string {
    return this.op('Tanh', [x]);
  }

  sigmoid(x: string): string {
    return this.op('Sigmoid', [x]);
  }

  identity(x: string): string {
    return this.op('Identity', [x]);
  }

  /** Binary ops broadcast numpy-style; a number operand becomes a shared 0-d FLOAT initializer. */
  add(a: TensorRef | number, b: TensorRef | number): string {
    return this.binary('Add', a, b);
  }

  sub(a: TensorRef | number, b: TensorRef | number): string {
    return this.binary('Sub', a, b);
  }

  mul(a: TensorRef | number, b: TensorRef | number): string {
    return this.binary('Mul', a, b);
  }

  div(a: TensorRef | number, b: TensorRef | number): string {
    return this.binary('Div', a, b);
  }

  private operand(t: TensorRef | number): string {
    return typeof t === 'number' ? this.scalar(t) : this.ref(t);
  }

  private binary(opType: string, a: TensorRef | number, b: TensorRef | number): string {
    return this.op(opType, [this.operand(a), this.operand(b)]);
  }

  /** Clip to [min, max] (either bound optional). */
  clip(x: string, min?: number, max?: number): string {
    const inputs = [x, min === undefined ? '' : this.scalar(min), max === undefined ? '' : this.scalar(max)];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    return this.op('Clip', inputs);
  }

  /**
   * Pad with ONNX `pads` layout: all begin values (one per axis), then all end values.
   * The pads travel as a (shared) INT64 initializer input; `value` is used by 'constant' mode.
   */
  pad(x: string, pads: number[], mode: PadMode = 'constant', value = 0): string {
    if (pads.length % 2 !== 0) throw new RangeError(`GraphBuilder.pad: pads must hold begin and end values for every axis (got ${pads.length})`);
    const inputs = [x, this.int64s(pads, 'pads')];
    if (mode === 'constant' && value !== 0) inputs.push(this.scalar(value));
    return this.op('Pad', inputs, [{ name: 'mode', type: 'string', value: mode }]);
  }

  /** Spatial pad of an NCHW tensor: [top, left, bottom, right] or one value for all sides. */
  pad2d(x: string, pads: Pads2d, mode: PadMode = 'constant', value = 0): string {
    const [t, l, b, r] = pads4(pads);
    return this.pad(x, [0, 0, t, l, 0, 0, b, r], mode, value);
  }

  /**
   * Nearest-neighbour upsampling of an NCHW tensor by an integer factor: out[i] = in[floor(i / s)]
   * (Keras UpSampling2D, PyTorch Upsample(mode='nearest')). Emitted as Resize with
   * coordinate_transformation_mode 'asymmetric' and nearest_mode 'floor', roi omitted.
   */
  resizeNearest(x: string, scale: Pair = 2): string {
    const [sh, sw] = pair(scale);
    return this.op('Resize', [x, '', this.floats([1, 1, sh, sw], 'scales')], [
      { name: 'mode', type: 'string', value: 'nearest' },
      { name: 'coordinate_transformation_mode', type: 'string', value: 'asymmetric' },
      { name: 'nearest_mode', type: 'string', value: 'floor' },
    ]);
  }

  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x], [{ name: 'perm', type: 'ints', value: perm }]);
  }

  /** A Constant node holding `value` (inline data stays inside the node, not among the initializers). */
  constant(value: TensorInit): string {
    return this.op('Constant', [], [{ name: 'value', type: 'tensor', value: { name: '', dims: [...value.dims], data: toData(value.data) } }]);
  }

  build(): OnnxGraph {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }

  /** Encode as a model using this builder's opset. */
  encode(opts: Omit<EncodeOptions, 'opset'> = {}): Uint8Array {
    return encodeModel(this.build(), { ...opts, opset: this.opset });
  }
}
