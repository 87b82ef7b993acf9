import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { runMap } from '../../src/commands/map.js';
import { pyFixed } from '../../src/detection/cocoeval.js';

const dir = join(import.meta.dirname, '../fixtures/cocoeval');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { sets: Record<string, { stats: number[] }> };
const gtPath = join(dir, 'mixed.gt.json');
const dtPath = join(dir, 'mixed.dt.json');
const tmp = mkdtempSync(join(tmpdir(), 'map-cli-'));

async function capture(args: { gt: string; dt: string; json: boolean }): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await runMap(args);
    return { code, stdout };
  } finally {
    spy.mockRestore();
  }
}

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

async function userError(args: { gt: string; dt: string; json: boolean }): Promise<UserError> {
  try {
    await capture(args);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('runMap did not fail');
}

afterEach(() => vi.restoreAllMocks());

describe('bench map (runMap)', () => {
  it('--json: the 12 stats in pycocotools order, named, with counts', async () => {
    const { code, stdout } = await capture({ gt: gtPath, dt: dtPath, json: true });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as Record<string, number | number[]>;
    expect(Object.keys(out)).toEqual(['stats', 'AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl', 'images', 'annotations', 'detections']);
    const want = expected.sets.mixed.stats;
    const stats = out.stats as number[];
    expect(stats).toHaveLength(12);
    stats.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-9));
    expect(out.AP).toBe(stats[0]);
    expect(out.AR100).toBe(stats[8]);
    expect(out.ARl).toBe(stats[11]);
    const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as { images: unknown[]; annotations: unknown[] };
    const dt = JSON.parse(readFileSync(dtPath, 'utf8')) as unknown[];
    expect([out.images, out.annotations, out.detections]).toEqual([gt.images.length, gt.annotations.length, dt.length]);
  });

  it('text: pycocotools summarize() layout', async () => {
    const { stdout } = await capture({ gt: gtPath, dt: dtPath, json: false });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    const want = expected.sets.mixed.stats;
    expect(lines[0]).toBe(` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${pyFixed(want[0], 3)}`);
    expect(lines[8]).toBe(` Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${pyFixed(want[8], 3)}`);
  });

  it('an empty detection list (pycocotools would crash) gives zeros', async () => {
    const { stdout } = await capture({ gt: gtPath, dt: file('empty.json', '[]'), json: true });
    expect((JSON.parse(stdout) as { stats: number[] }).stats).toEqual(Array(12).fill(0));
  });

  it('accepts {"annotations": [...]} detections', async () => {
    const wrapped = file('wrapped.json', JSON.stringify({ annotations: JSON.parse(readFileSync(dtPath, 'utf8')) }));
    const { stdout } = await capture({ gt: gtPath, dt: wrapped, json: true });
    expect((JSON.parse(stdout) as { stats: number[] }).stats[0]).toBeCloseTo(expected.sets.mixed.stats[0], 12);
  });

  it('malformed JSON is a one-line UserError naming the file', async () => {
    const bad = file('bad.json', '[{"image_id": 1,');
    expect((await userError({ gt: gtPath, dt: bad, json: false })).message).toMatch(/bad\.json: not valid JSON/);
    expect((await userError({ gt: file('badgt.json', '{"images": [}'), dt: dtPath, json: false })).message).toMatch(/badgt\.json: not valid JSON/);
  });

  it('unknown image ids in the detections are a UserError', async () => {
    const dt = file('unknown.json', JSON.stringify([{ image_id: 17, category_id: 1, bbox: [0, 0, 5, 5], score: 0.5 }]));
    const e = await userError({ gt: gtPath, dt, json: true });
    expect(e.message).toMatch(/unknown image id 17 in detections/);
    expect(e.message).toContain('unknown.json');
  });

  it.each([
    ['detections[0] has no "score"', [{ image_id: 1000, category_id: 1, bbox: [0, 0, 1, 1] }]],
    ['detections[0].bbox must be 4 numbers', [{ image_id: 1000, category_id: 1, bbox: [0, 0, '1', 1], score: 1 }]],
    ['detections[0].bbox has a negative width', [{ image_id: 1000, category_id: 1, bbox: [0, 0, -1, 1], score: 1 }]],
    ['detections[0].image_id must be an integer', [{ image_id: 'a', category_id: 1, bbox: [0, 0, 1, 1], score: 1 }]],
    ['detections must be a JSON list', { results: [] }],
  ])('bad detections: %s', async (message, content) => {
    const e = await userError({ gt: gtPath, dt: file('d.json', JSON.stringify(content)), json: false });
    expect(e.message).toContain(message);
  });

  it.each([
    ['has no "categories" list', { images: [], annotations: [] }],
    ['annotations[0].id must be non-zero', { images: [{ id: 1 }], categories: [], annotations: [{ id: 0, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }] }],
    ['duplicate annotation id 3', { images: [{ id: 1 }], categories: [], annotations: [3, 3].map((id) => ({ id, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] })) }],
    ['annotations[0] has no "bbox"', { images: [{ id: 1 }], categories: [], annotations: [{ id: 1, image_id: 1, category_id: 1 }] }],
    ['annotations[0].iscrowd must be 0 or 1', { images: [{ id: 1 }], categories: [], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], iscrowd: 2 }] }],
  ])('bad ground truth: %s', async (message, content) => {
    const e = await userError({ gt: file('g.json', JSON.stringify(content)), dt: file('d0.json', '[]'), json: false });
    expect(e.message).toContain(message);
  });

  it('a missing file is a UserError', async () => {
    expect((await userError({ gt: join(tmp, 'nope.json'), dt: dtPath, json: false })).message).toMatch(/ground-truth file .*nope\.json does not exist/);
  });
});
