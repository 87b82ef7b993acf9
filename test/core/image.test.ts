import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createImage, floatToUint16, readImage, readImageWithInfo, toFloat, toUint8, writeImage } from '../../src/core/image.js';

const dir = mkdtempSync(join(tmpdir(), 'deblurbench-image-'));

function gradient(w: number, h: number, c: 1 | 3): Uint8Array {
  const d = new Uint8Array(w * h * c);
  for (let i = 0; i < d.length; i++) d[i] = (i * 37) % 256;
  return d;
}

describe('image I/O', () => {
  it('PNG 8-bit RGB and grey round-trip exactly', async () => {
    for (const c of [1, 3] as const) {
      const img = createImage(13, 7, c, gradient(13, 7, c));
      const path = join(dir, `g${c}.png`);
      await writeImage(path, img);
      const back = await readImage(path);
      expect(back.channels).toBe(c);
      expect(back.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(back.data)).toEqual(Array.from(img.data));
    }
  });

  it('PNG 16-bit stays 16-bit', async () => {
    const data = new Uint16Array(5 * 4 * 3).map((_, i) => (i * 2731) % 65536);
    const path = join(dir, 'w16.png');
    await writeImage(path, createImage(5, 4, 3, data));
    const { image, info } = await readImageWithInfo(path);
    expect(info.bitDepth).toBe(16);
    expect(image.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(image.data)).toEqual(Array.from(data));
  });

  it('TIFF and WebP (lossless) round-trip; JPEG decodes to the same size', async () => {
    const img = createImage(16, 9, 3, gradient(16, 9, 3));
    await writeImage(join(dir, 'x.tiff'), img);
    expect(Array.from((await readImage(join(dir, 'x.tiff'))).data)).toEqual(Array.from(img.data));
    await sharp(img.data, { raw: { width: 16, height: 9, channels: 3 } }).webp({ lossless: true }).toFile(join(dir, 'x.webp'));
    expect(Array.from((await readImage(join(dir, 'x.webp'))).data)).toEqual(Array.from(img.data));
    await writeImage(join(dir, 'x.jpg'), img);
    const jpg = await readImage(join(dir, 'x.jpg'));
    expect([jpg.width, jpg.height, jpg.channels]).toEqual([16, 9, 3]);
  });

  it('drops alpha explicitly and does not apply EXIF orientation', async () => {
    const rgba = new Uint8Array(4 * 3 * 2).map((_, i) => (i % 4 === 3 ? 10 : i * 9));
    const path = join(dir, 'alpha.png');
    await sharp(rgba, { raw: { width: 3, height: 2, channels: 4 } }).withMetadata({ orientation: 6 }).png().toFile(path);
    const { image, info } = await readImageWithInfo(path);
    expect(info.hadAlpha).toBe(true);
    expect(image.channels).toBe(3);
    expect([image.width, image.height]).toEqual([3, 2]); // orientation 6 would swap them if applied
    expect(Array.from(image.data.slice(0, 3))).toEqual([0, 9, 18]); // colour untouched by alpha
  });

  it('returns the samples as stored, without colour management through an embedded ICC profile', async () => {
    const raw = Buffer.from([200, 30, 30, 30, 200, 30, 30, 30, 200, 128, 128, 128]);
    const plain = await sharp(raw, { raw: { width: 4, height: 1, channels: 3 } }).png().toBuffer();
    const tagged = await sharp(raw, { raw: { width: 4, height: 1, channels: 3 } }).png().withIccProfile('p3', { attach: true }).toBuffer();
    // the plain file's pixels with the tagged file's Display-P3 iCCP chunk put in after IHDR
    const chunkAt = (png: Buffer, type: string): [number, number] => {
      for (let o = 8; o < png.length; ) {
        const len = png.readUInt32BE(o);
        if (png.toString('latin1', o + 4, o + 8) === type) return [o, o + 12 + len];
        o += 12 + len;
      }
      throw new Error(`no ${type} chunk`);
    };
    const [is, ie] = chunkAt(tagged, 'iCCP');
    const ihdrEnd = chunkAt(plain, 'IHDR')[1];
    const path = join(dir, 'p3.png');
    writeFileSync(path, Buffer.concat([plain.subarray(0, ihdrEnd), tagged.subarray(is, ie), plain.subarray(ihdrEnd)]));
    expect((await sharp(path).metadata()).icc).toBeDefined();
    expect(Array.from((await readImage(path)).data)).toEqual(Array.from(raw));
  });

  it('unreadable files are one-line UserErrors', async () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'not an image');
    await expect(readImage(bad)).rejects.toThrow(UserError);
    await expect(readImage(join(dir, 'missing.png'))).rejects.toThrow(/cannot read image/);
  });

  it('float ↔ uint8 conversion clamps, multiplies in float32 and rounds half to even (BasicSR tensor2img)', () => {
    const f = createImage(4, 1, 1, new Float32Array([-0.1, 0.5, 1.2, 0.2]));
    expect(Array.from(toUint8(f).data)).toEqual([0, 128, 255, 51]);
    expect(Array.from(toUint8(f, 'truncate').data)).toEqual([0, 127, 255, 51]);
    // float32(k/255)·255 is exactly k in float32 (not in float64): numpy rounds 0.5→0, 1.5→2, 2.5→2
    const halves = createImage(4, 1, 1, new Float32Array([0.5, 1.5, 2.5, 3.5].map((k) => k / 255)));
    expect(Array.from(toUint8(halves).data)).toEqual([0, 2, 2, 4]);
    expect(Array.from(floatToUint16(createImage(3, 1, 1, new Float32Array([0, 0.5, 1]))).data)).toEqual([0, 32768, 65535]);
    const back = toFloat(createImage(2, 1, 1, new Uint8Array([0, 255])));
    expect(Array.from(back.data)).toEqual([0, 1]);
  });
});
