import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKernelJson } from '../../src/blur-synth/kernel-io.js';
import { UserError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kernel-io-'));

function kernelFile(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

describe('readKernelJson', () => {
  it('reads a valid kernel', async () => {
    const k = await readKernelJson(kernelFile('ok.json', { width: 3, height: 1, data: [0.25, 0.5, 0.2505] }));
    expect(k).toMatchObject({ width: 3, height: 1 });
    expect(Array.from(k.data)).toEqual([0.25, 0.5, 0.2505]);
  });

  it.each([
    ['shape.json', { width: 2, height: 2, data: [1] }, /is not \{"width","height","data"/],
    ['sum.json', { width: 2, height: 1, data: [1, 1] }, /kernel .*sum\.json sums to 2\.000, not 1$/],
    ['empty.json', { width: 0, height: 0, data: [] }, /kernel .*empty\.json sums to 0\.000, not 1$/],
    ['negative.json', { width: 3, height: 1, data: [0.6, -0.2, 0.6] }, /kernel .*negative\.json has a negative tap \(-0\.2 at row 0, column 1\)/],
    ['nan.json', { width: 2, height: 1, data: [1, 'x'] }, /kernel .*nan\.json has a non-finite tap \("x" at row 0, column 1\)/],
    ['null.json', { width: 2, height: 1, data: [1, null] }, /kernel .*null\.json has a non-finite tap \(null at row 0, column 1\)/],
    ['huge.json', '{"width":2,"height":1,"data":[1,1e999]}', /kernel .*huge\.json has a non-finite tap \(Infinity at row 0, column 1\)/],
  ])('%s is a one-line error naming the file and the problem', async (name, body, message) => {
    const err = await readKernelJson(kernelFile(name, body)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(message);
    expect((err as UserError).message).not.toContain('\n');
  });
});
