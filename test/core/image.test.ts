import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createImage, readImage, readImageWithInfo, toFloat, toUint8, writeImage } from '../../src/core/image.js';

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

  it('unreadable files are one-line UserErrors', async () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'not an image');
    await expect(readImage(bad)).rejects.toThrow(UserError);
    await expect(readImage(join(dir, 'missing.png'))).rejects.toThrow(/cannot read image/);
  });

  it('float ↔ uint8 conversion clamps and rounds half up', () => {
    const f = createImage(4, 1, 1, new Float32Array([-0.1, 0.5, 1.2, 0.2]));
    expect(Array.from(toUint8(f).data)).toEqual([0, 128, 255, 51]);
    expect(Array.from(toUint8(f, 'truncate').data)).toEqual([0, 127, 255, 51]);
    const back = toFloat(createImage(2, 1, 1, new Uint8Array([0, 255])));
    expect(Array.from(back.data)).toEqual([0, 1]);
  });
});
