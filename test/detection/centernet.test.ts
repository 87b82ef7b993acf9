import { describe, expect, it } from 'vitest';
import { readImage } from '../../src/core/image.js';
import { createDetector } from '../../src/detection/index.js';

describe('CenterNet (weights from the @vladmandic/human npm package, tfjs)', async () => {
  const detector = await createDetector('centernet', { minScore: 0.3 });

  it.each([
    ['astronaut.png', 'person'],
    ['chelsea-cat.png', null], // the cat: the model's best guess may be cat or dog; a large animal box either way
    ['horses.png', 'horse'],
    ['coffee-cup.png', 'cup'],
    ['bicycle.png', null],
  ])('finds the obvious object in %s with a sane box', async (file, label) => {
    const image = await readImage(`datasets/sample/${file}`);
    const boxes = await detector.detect(image);
    expect(boxes.length).toBeGreaterThan(0);
    const top = [...boxes].sort((a, b) => b.score - a.score)[0];
    if (label) expect(boxes.some((b) => b.label === label)).toBe(true);
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(image.width + 1e-6);
      expect(b.y + b.h).toBeLessThanOrEqual(image.height + 1e-6);
      expect(b.score).toBeGreaterThanOrEqual(0.3);
      expect(b.score).toBeLessThanOrEqual(1);
    }
    // the main object covers a good part of these photographs
    expect(top.w * top.h).toBeGreaterThan(0.05 * image.width * image.height);
  });

  it('the astronaut is one person box covering most of the frame', async () => {
    const image = await readImage('datasets/sample/astronaut.png');
    const person = (await detector.detect(image)).filter((b) => b.label === 'person').sort((a, b) => b.score - a.score)[0];
    expect(person.w).toBeGreaterThan(250);
    expect(person.h).toBeGreaterThan(400);
  });

  it('reports its backend', () => {
    expect(detector.runtime.backend).toMatch(/^tfjs-(wasm|cpu|tensorflow)$/);
    expect(detector.identity.detector).toBe('centernet');
  });
});
