/**
 * The one in-memory image type (HWC, interleaved) and its sharp-based file I/O.
 * sharp is imported lazily so commands that never touch files start fast.
 *
 * Decisions (also in the README):
 * - Alpha is dropped explicitly (`removeAlpha`), never composited.
 * - EXIF orientation is NOT applied: pixels are used as stored, so a sharp/blurred pair is never
 *   rotated differently; `orientation` is reported so callers can warn.
 * - 16-bit PNG/TIFF stay 16-bit (Uint16Array); everything else decodes to 8 bits.
 * - Float images hold [0,1] values (restored outputs before quantisation).
 */
import { extname } from 'node:path';
import { UserError, describeError } from './errors.js';
import { roundHalfEven } from './round.js';

export type PixelData = Uint8Array | Uint16Array | Float32Array;
export type Channels = 1 | 3;

export interface Image<D extends PixelData = PixelData> {
  width: number;
  height: number;
  channels: Channels;
  data: D;
}

export interface ImageFileInfo {
  /** EXIF orientation tag as stored (1 = upright); not applied to the pixels. */
  orientation: number;
  format: string;
  bitDepth: 8 | 16;
  hadAlpha: boolean;
}

/** Largest value of the data type: 255 for uint8, 65535 for uint16, 1 for float. */
export function peakValue(data: PixelData): number {
  if (data instanceof Uint8Array) return 255;
  if (data instanceof Uint16Array) return 65535;
  return 1;
}

export function createImage<D extends PixelData>(width: number, height: number, channels: Channels, data: D): Image<D> {
  if (data.length !== width * height * channels) {
    throw new Error(`image data has ${data.length} values, expected ${width}×${height}×${channels}`);
  }
  return { width, height, channels, data };
}

export function sameSize(a: Image, b: Image): boolean {
  return a.width === b.width && a.height === b.height && a.channels === b.channels;
}

export function describeSize(img: Image): string {
  return `${img.width}×${img.height}×${img.channels}`;
}

/** Float copy in [0,1] (integer data divided by its peak). */
export function toFloat(img: Image): Image<Float32Array> {
  if (img.data instanceof Float32Array) return img as Image<Float32Array>;
  const peak = peakValue(img.data);
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i] / peak;
  return { ...img, data: out };
}

export type Quantization = 'round' | 'truncate';

/**
 * Integer copy of a float image as BasicSR's `tensor2img` makes it: clamp to [0,1], multiply in
 * float32, then round half to even (numpy) or truncate. NaN becomes 0.
 */
function quantizeFloat<D extends Uint8Array | Uint16Array>(src: Float32Array, out: D, peak: number, mode: Quantization): D {
  for (let i = 0; i < out.length; i++) {
    const v = src[i];
    const c = v > 1 ? 1 : v < 0 || Number.isNaN(v) ? 0 : v;
    const scaled = Math.fround(c * peak);
    out[i] = mode === 'round' ? roundHalfEven(scaled) : Math.floor(scaled);
  }
  return out;
}

/** 8-bit copy: floats as `quantizeFloat`; 16-bit values scaled by 1/257, rounded half up (or truncated). */
export function toUint8(img: Image, mode: Quantization = 'round'): Image<Uint8Array> {
  if (img.data instanceof Uint8Array) return img as Image<Uint8Array>;
  const src = img.data;
  const out = new Uint8Array(src.length);
  if (src instanceof Uint16Array) {
    for (let i = 0; i < out.length; i++) out[i] = mode === 'round' ? Math.floor(src[i] / 257 + 0.5) : Math.floor(src[i] / 257);
    return { ...img, data: out };
  }
  return { ...img, data: quantizeFloat(src, out, 255, mode) };
}

/** 16-bit copy of a float image (as `quantizeFloat`, on 0–65535), for scoring against 16-bit references. */
export function floatToUint16(img: Image<Float32Array>, mode: Quantization = 'round'): Image<Uint16Array> {
  return { ...img, data: quantizeFloat(img.data, new Uint16Array(img.data.length), 65535, mode) };
}

/** RGB copy (grey is replicated to three channels). */
export function toRgb<D extends PixelData>(img: Image<D>): Image<D> {
  if (img.channels === 3) return img;
  const Ctor = img.data.constructor as { new (n: number): D };
  const out = new Ctor(img.width * img.height * 3);
  for (let i = 0, n = img.width * img.height; i < n; i++) {
    const v = img.data[i];
    out[3 * i] = v;
    out[3 * i + 1] = v;
    out[3 * i + 2] = v;
  }
  return { width: img.width, height: img.height, channels: 3, data: out };
}

type SharpModule = typeof import('sharp');
let sharpPromise: Promise<SharpModule> | null = null;
async function loadSharp(): Promise<SharpModule> {
  sharpPromise ??= import('sharp').then((m) => (m as unknown as { default: SharpModule }).default ?? m);
  return sharpPromise;
}

export interface ReadResult {
  image: Image<Uint8Array | Uint16Array>;
  info: ImageFileInfo;
}

/** Decode an image file (PNG 8/16-bit, JPEG, TIFF, WebP, …). Unreadable files raise a UserError. */
export async function readImageWithInfo(path: string): Promise<ReadResult> {
  try {
    return await decode(path);
  } catch (err) {
    throw new UserError(`cannot read image ${path}: ${describeError(err)}`);
  }
}

/** Decode an encoded image held in memory (same rules as `readImage`). */
export async function decodeImage(encoded: Buffer): Promise<Image<Uint8Array | Uint16Array>> {
  return (await decode(encoded)).image;
}

async function decode(input: string | Buffer): Promise<ReadResult> {
  const sharp = await loadSharp();
  // samples as stored, as OpenCV / Pillow / scikit-image read them: no colour management through
  // an embedded ICC profile (a Display-P3 PNG would otherwise be converted to sRGB values)
  const meta = await sharp(input, { ignoreIcc: true }).metadata();
  const grey = meta.channels === 1 || (meta.channels === 2 && meta.hasAlpha) || meta.space === 'b-w' || meta.space === 'grey16';
  const sixteen = meta.depth === 'ushort';
  const space = grey ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
  const pipeline = sharp(input, { ignoreIcc: true }).removeAlpha().toColourspace(space);
  const { data, info } = await (sixteen ? pipeline.raw({ depth: 'ushort' }) : pipeline.raw()).toBuffer({ resolveWithObject: true });
  const channels = info.channels as number;
  if (channels !== 1 && channels !== 3) throw new Error(`unexpected ${channels} channels after decoding`);
  const pixels = sixteen
    ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return {
    image: createImage(info.width, info.height, channels, pixels),
    info: {
      orientation: meta.orientation ?? 1,
      format: meta.format ?? 'unknown',
      bitDepth: sixteen ? 16 : 8,
      hadAlpha: Boolean(meta.hasAlpha),
    },
  };
}

export async function readImage(path: string): Promise<Image<Uint8Array | Uint16Array>> {
  return (await readImageWithInfo(path)).image;
}

export interface WriteOptions {
  /** JPEG/WebP quality (default 95). */
  quality?: number;
  /** PNG zlib level (default 6). */
  compressionLevel?: number;
  /** How float images become 8-bit. */
  quantization?: Quantization;
}

const WRITABLE = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp'];

/** Encode by file extension. uint16 data is written as 16-bit PNG/TIFF; floats are quantised to 8 bits. */
export async function writeImage(path: string, img: Image, opts: WriteOptions = {}): Promise<void> {
  const buffer = await encodeImage(img, extname(path).toLowerCase(), opts);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, buffer);
}

export async function encodeImage(img: Image, ext: string, opts: WriteOptions = {}): Promise<Buffer> {
  if (!WRITABLE.includes(ext)) throw new UserError(`cannot write "${ext}" images (supported: ${WRITABLE.join(', ')})`);
  const sharp = await loadSharp();
  const sixteen = img.data instanceof Uint16Array && (ext === '.png' || ext === '.tif' || ext === '.tiff');
  const pixels = sixteen ? img.data : img.data instanceof Uint8Array ? img.data : toUint8(img, opts.quantization).data;
  let pipeline = sharp(pixels, { raw: { width: img.width, height: img.height, channels: img.channels } });
  // Without an explicit colour space sharp would write grey input as RGB.
  if (sixteen) pipeline = pipeline.toColourspace(img.channels === 1 ? 'grey16' : 'rgb16');
  else if (img.channels === 1) pipeline = pipeline.toColourspace('b-w');
  const quality = opts.quality ?? 95;
  switch (ext) {
    case '.png':
      return pipeline.png({ compressionLevel: opts.compressionLevel ?? 6 }).toBuffer();
    case '.jpg':
    case '.jpeg':
      return pipeline.jpeg({ quality }).toBuffer();
    case '.tif':
    case '.tiff':
      return pipeline.tiff({ compression: 'lzw' }).toBuffer();
    default:
      return pipeline.webp({ quality }).toBuffer();
  }
}

/** Encoded thumbnail no larger than `maxSide` on its longer side (JPEG quality 85). */
export async function encodeThumbnail(img: Image, maxSide: number): Promise<Buffer> {
  const sharp = await loadSharp();
  const pixels = img.data instanceof Uint8Array ? img.data : toUint8(img).data;
  return sharp(pixels, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}
