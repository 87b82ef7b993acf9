/**
 * A minimal protocol-buffers wire-format encoder: just enough to serialise ONNX models.
 *
 * Wire format recap: every field is a key varint `(fieldNumber << 3) | wireType` followed by its
 * payload. Wire type 0 is a base-128 varint (int32/int64/uint64/bool/enum; negative int32 and
 * int64 values are sign-extended to 64 bits, i.e. always 10 bytes), 2 is a length-delimited run
 * (string, bytes, nested message, packed repeated scalars), 5 is a little-endian 32-bit value
 * (float, fixed32). Wire type 1 (64-bit) is not needed here.
 *
 * Encoding is two-stage so that large payloads are copied exactly once:
 *  1. {@link ProtoMessage} records fields and keeps a running byte count. Byte payloads (tensor
 *     raw data) are held by reference, never copied; nested messages contribute their final size.
 *  2. {@link ProtoMessage.encode} allocates one buffer of exactly that size and writes every field
 *     into it with {@link ProtoWriter}; each byte payload is copied once with `Uint8Array#set`.
 *
 * {@link ProtoWriter} is also usable on its own as a growable output buffer.
 */

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** Largest field number protobuf allows. */
const MAX_FIELD = 2 ** 29 - 1;
const TWO_32 = 4294967296;

// Scratch halves of the last int64 split (avoids allocating a tuple per varint).
let splitLo = 0;
let splitHi = 0;

/** Split an integer into unsigned 32-bit halves of its 64-bit two's-complement form. */
function split64(value: number | bigint): void {
  if (typeof value === 'bigint') {
    const u = BigInt.asUintN(64, value);
    splitLo = Number(u & 0xffffffffn);
    splitHi = Number(u >> 32n);
    return;
  }
  if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer (pass a bigint)`);
  if (value >= 0) {
    splitLo = value % TWO_32;
    splitHi = (value - splitLo) / TWO_32;
  } else {
    const hi = Math.floor(value / TWO_32);
    splitLo = value - hi * TWO_32;
    splitHi = hi >>> 0;
  }
}

function varintSize64(lo: number, hi: number): number {
  if (hi === 0) return lo < 0x80 ? 1 : lo < 0x4000 ? 2 : lo < 0x200000 ? 3 : lo < 0x10000000 ? 4 : 5;
  return hi < 0x8 ? 5 : hi < 0x400 ? 6 : hi < 0x20000 ? 7 : hi < 0x1000000 ? 8 : hi < 0x80000000 ? 9 : 10;
}

/** Encoded size of an int32/int64/uint64/enum varint (negative values take 10 bytes). */
export function varintSize(value: number | bigint): number {
  if (typeof value === 'number' && (value & 0x7f) === value) return 1;
  split64(value);
  return varintSize64(splitLo, splitHi);
}

function checkField(field: number): void {
  if (!Number.isInteger(field) || field < 1 || field > MAX_FIELD) throw new RangeError(`protobuf: invalid field number ${field}`);
}

/** Size of the key varint for a field. */
function tagSize(field: number): number {
  return varintSize(field * 8);
}

/** Size of a length-delimited field (key + length + payload). */
function delimitedSize(field: number, payload: number): number {
  return tagSize(field) + varintSize(payload) + payload;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A growable output buffer with primitive wire-format writes. */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Raw varint (int32/int64/uint64/enum/bool); negative numbers are written as 64-bit two's complement. */
  varint(value: number | bigint): this {
    if (typeof value === 'number' && (value & 0x7f) === value) {
      this.ensure(1);
      this.buf[this.pos++] = value;
      return this;
    }
    split64(value);
    let lo = splitLo;
    let hi = splitHi;
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
    return this;
  }

  /** Field key. */
  tag(field: number, wireType: WireType): this {
    checkField(field);
    return this.varint(field * 8 + wireType);
  }

  /** Little-endian IEEE-754 single (no key). */
  float32(value: number): this {
    this.ensure(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  /** Raw bytes (no key, no length). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Floats back to back, little-endian (no key, no length). */
  float32s(values: ArrayLike<number>): this {
    const n = values.length;
    this.ensure(4 * n);
    if (values instanceof Float32Array && LITTLE_ENDIAN_HOST) {
      this.buf.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), this.pos);
      this.pos += 4 * n;
      return this;
    }
    const view = this.view;
    let p = this.pos;
    for (let i = 0; i < n; i++, p += 4) view.setFloat32(p, values[i], true);
    this.pos = p;
    return this;
  }

  /** The bytes written (a view of the internal buffer when it is not exactly full). */
  finish(): Uint8Array {
    return this.pos === this.buf.length ? this.buf : this.buf.subarray(0, this.pos);
  }
}

type Part =
  | { kind: 'varint'; field: number; value: number | bigint }
  | { kind: 'float'; field: number; value: number }
  | { kind: 'bytes'; field: number; data: Uint8Array }
  | { kind: 'message'; field: number; message: ProtoMessage }
  | { kind: 'packedVarint'; field: number; values: ArrayLike<number> | ArrayLike<bigint>; payload: number }
  | { kind: 'packedFloat'; field: number; values: ArrayLike<number> };

const utf8 = new TextEncoder();

/**
 * One protobuf message under construction. Fields are written in the order they are added.
 * A message becomes read-only once it is nested in another (its size is then part of the parent).
 * Byte payloads are referenced, not copied: do not mutate them before {@link encode}.
 */
export class ProtoMessage {
  private readonly parts: Part[] = [];
  private size = 0;
  private sealed = false;

  /** Encoded size in bytes. */
  get byteLength(): number {
    return this.size;
  }

  private add(part: Part, bytes: number): this {
    if (this.sealed) throw new Error('protobuf: message already nested in a parent; it can no longer change');
    checkField(part.field);
    this.parts.push(part);
    this.size += bytes;
    return this;
  }

  /** int32 / int64 / uint64 / enum field (wire type 0). */
  int(field: number, value: number | bigint): this {
    return this.add({ kind: 'varint', field, value }, tagSize(field) + varintSize(value));
  }

  bool(field: number, value: boolean): this {
    return this.int(field, value ? 1 : 0);
  }

  /** float field (wire type 5). */
  float(field: number, value: number): this {
    return this.add({ kind: 'float', field, value }, tagSize(field) + 4);
  }

  /** string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** bytes field; the payload is referenced until {@link encode} copies it. */
  bytes(field: number, data: ArrayBufferView): this {
    const view = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return this.add({ kind: 'bytes', field, data: view }, delimitedSize(field, view.byteLength));
  }

  /** Nested message field. Seals `message`. */
  message(field: number, message: ProtoMessage): this {
    if (message === this) throw new Error('protobuf: a message cannot contain itself');
    this.add({ kind: 'message', field, message }, delimitedSize(field, message.size));
    message.sealed = true;
    return this;
  }

  /** Packed repeated int32/int64/enum field; nothing is written for an empty list. */
  packedInts(field: number, values: ArrayLike<number> | ArrayLike<bigint>): this {
    if (values.length === 0) return this;
    let payload = 0;
    for (let i = 0; i < values.length; i++) payload += varintSize(values[i]);
    return this.add({ kind: 'packedVarint', field, values, payload }, delimitedSize(field, payload));
  }

  /** Packed repeated float field; nothing is written for an empty list. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    return this.add({ kind: 'packedFloat', field, values }, delimitedSize(field, 4 * values.length));
  }

  /** Write this message's fields (without its own key/length) to `w`. */
  writeTo(w: ProtoWriter): void {
    for (const part of this.parts) {
      switch (part.kind) {
        case 'varint':
          w.tag(part.field, WireType.Varint).varint(part.value);
          break;
        case 'float':
          w.tag(part.field, WireType.Fixed32).float32(part.value);
          break;
        case 'bytes':
          w.tag(part.field, WireType.LengthDelimited).varint(part.data.byteLength).raw(part.data);
          break;
        case 'message':
          w.tag(part.field, WireType.LengthDelimited).varint(part.message.size);
          part.message.writeTo(w);
          break;
        case 'packedVarint': {
          w.tag(part.field, WireType.LengthDelimited).varint(part.payload);
          const values = part.values;
          for (let i = 0; i < values.length; i++) w.varint(values[i]);
          break;
        }
        case 'packedFloat':
          w.tag(part.field, WireType.LengthDelimited).varint(4 * part.values.length).float32s(part.values);
          break;
      }
    }
  }

  /** Serialise into a freshly allocated buffer of exactly {@link byteLength} bytes. */
  encode(): Uint8Array {
    const w = new ProtoWriter(this.size);
    this.writeTo(w);
    if (w.length !== this.size) throw new Error(`protobuf: size mismatch (computed ${this.size}, wrote ${w.length})`);
    return w.finish();
  }
}
