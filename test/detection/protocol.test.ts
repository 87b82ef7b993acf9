import { describe, expect, it } from 'vitest';
import type { DetectionRecord, DetectionSettings } from '../../src/bench/results.js';
import { evaluateDetectionRecords } from '../../src/detection/protocol.js';

const settings: DetectionSettings = { identity: { detector: 'test' }, gtThreshold: 0.3, scoreThreshold: 0.3, iou: 0.5 };
type Box = [number, number, number, number];
const box = (bbox: Box, classId = 0, score = 0.9) => ({ bbox, score, classId, label: String(classId) });
const rec = (pair: string, role: string, boxes: ReturnType<typeof box>[]): DetectionRecord => ({ pair, role, boxes });

// one true positive per recall step at precision 1: AP = share of the 101 recall points reached
const apAtRecall = (recall: number): number => (Math.floor(recall * 100 + 1e-9) + 1) / 101;

describe('detection protocol (pseudo ground truth)', () => {
  it('scores a method on the pairs it restored, and its recovery on the pairs all roles share', () => {
    const a1: Box = [10, 10, 40, 40], a2: Box = [100, 100, 50, 30], b1: Box = [20, 30, 60, 60];
    const records = [
      rec('a', 'sharp', [box(a1), box(a2)]),
      rec('b', 'sharp', [box(b1)]),
      rec('a', 'blurred', [box(a1)]),
      rec('b', 'blurred', [box(b1)]),
      rec('a', 'method', [box(a1), box(a2)]), // restoring pair b failed: no record
    ];
    const ev = evaluateDetectionRecords(records, settings);
    expect(ev.groundTruthBoxes).toBe(3);
    expect(ev.roles.sharp).toMatchObject({ ap: 1, recall: 1, pairs: 2 });
    expect(ev.roles.blurred.pairs).toBe(2);
    expect(ev.roles.blurred.ap).toBeCloseTo(apAtRecall(2 / 3), 12);
    expect(ev.roles.blurred.recall).toBeCloseTo(2 / 3, 12);
    // not "missed pair b's box": pair b is not scored for this method
    expect(ev.roles.method).toMatchObject({ ap: 1, recall: 1, precision: 1, pairs: 1 });
    // on pair a: sharp 1, blurred AP at recall 1/2, method 1 → all of the lost AP won back
    expect(ev.recoveryAp.method).toBeCloseTo(1, 12);
    expect(ev.recoveryAp.blurred).toBe(0);
  });

  it('keeps the recovery ratio on all pairs when every role has them', () => {
    const a1: Box = [10, 10, 40, 40], a2: Box = [100, 100, 50, 30];
    const records = [rec('a', 'sharp', [box(a1), box(a2)]), rec('a', 'blurred', []), rec('a', 'method', [box(a1)])];
    const ev = evaluateDetectionRecords(records, settings);
    expect(ev.roles.blurred.ap).toBe(0);
    expect(ev.recoveryAp.method).toBeCloseTo(apAtRecall(0.5), 12);
  });

  it('counts classes beyond the 80 COCO ones in AP and in precision/recall alike', () => {
    const p: Box = [10, 10, 40, 40], q: Box = [100, 100, 50, 30];
    const records = [rec('a', 'sharp', [box(p, 0), box(q, 85)]), rec('a', 'blurred', [box(p, 0)])];
    const ev = evaluateDetectionRecords(records, settings);
    expect(ev.groundTruthBoxes).toBe(2);
    expect(ev.roles.blurred.recall).toBeCloseTo(0.5, 12);
    // category 1 found (AP 1), category 86 missed (AP 0): mean 0.5, not 1
    expect(ev.roles.blurred.ap).toBeCloseTo(0.5, 12);
    expect(ev.roles.sharp.ap).toBeCloseTo(1, 12);
  });

  it('leaves the recovery ratio undefined when blur cost no AP', () => {
    const a1: Box = [10, 10, 40, 40];
    const records = [rec('a', 'sharp', [box(a1)]), rec('a', 'blurred', [box(a1)]), rec('a', 'method', [])];
    const ev = evaluateDetectionRecords(records, settings);
    expect(ev.recoveryAp.method).toBeNull();
    expect(ev.roles.method).toMatchObject({ ap: 0, recall: 0, pairs: 1 });
  });
});
