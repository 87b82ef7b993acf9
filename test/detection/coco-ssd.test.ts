import { describe, expect, it } from 'vitest';
import { decodeSsdOutputs } from '../../src/detection/coco-ssd.js';
import { COCO80 } from '../../src/detection/types.js';

// two boxes, normalised (y1, x1, y2, x2)
const boxes = [0.1, 0.2, 0.5, 0.6, 0.0, 0.0, 0.25, 0.5];
const W = 200, H = 100;

function scoresFor(classes: number, hits: [box: number, column: number, score: number][]): Float32Array {
  const s = new Float32Array(2 * classes);
  for (const [b, c, v] of hits) s[b * classes + c] = v;
  return s;
}

describe('coco-ssd output decoding', () => {
  it('reads 90 score columns as COCO ids 1…90, as the published graph and its npm wrapper do', () => {
    // column 0 = id 1 person, column 11 = id 12 (unused in COCO), column 12 = id 13 stop sign
    const out = decodeSsdOutputs(scoresFor(90, [[0, 0, 0.9], [1, 11, 0.8], [1, 12, 0.7]]), boxes, 2, 90, W, H, 0.5);
    expect(out.map((d) => d.label)).toEqual(['person', 'stop sign']);
    expect(out[1].classId).toBe(COCO80.indexOf('stop sign'));
    expect(out[0]).toMatchObject({ x: 40, y: 10, w: 80, h: 40, score: expect.closeTo(0.9, 6) });
    expect(out[1]).toMatchObject({ x: 0, y: 0, w: 100, h: 25 });
  });

  it('skips the background column when an export keeps it (91 columns)', () => {
    const out = decodeSsdOutputs(scoresFor(91, [[0, 0, 0.99], [0, 1, 0.7], [1, 90, 0.6]]), boxes, 2, 91, W, H, 0.5);
    expect(out.map((d) => d.label)).toEqual(['person', 'toothbrush']);
  });

  it('drops scores below the threshold and empty boxes, and refuses other class counts', () => {
    const flat = [0.1, 0.2, 0.1, 0.6, ...boxes.slice(4)];
    expect(decodeSsdOutputs(scoresFor(90, [[0, 0, 0.9], [1, 0, 0.4]]), flat, 2, 90, W, H, 0.5)).toEqual([]);
    expect(() => decodeSsdOutputs(new Float32Array(160), boxes, 2, 80, W, H, 0.5)).toThrow(/80 classes/);
  });
});
