import { describe, expect, it } from 'vitest';
import { Progress, formatDuration } from '../../src/core/progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 100, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

describe('Progress', () => {
  it('plain mode prints lines with counts and ETA, not carriage returns', () => {
    const { stream, chunks } = fakeStream(false);
    const p = new Progress({ label: 'synth', total: 3, stream, plainIntervalMs: 0 });
    p.tick('a.png');
    p.tick('b.png');
    p.tick('c.png');
    p.finish();
    expect(chunks.join('')).not.toContain('\r');
    expect(chunks[0]).toMatch(/^synth 1\/3 elapsed \d+s ETA \d+s a\.png\n$/);
    expect(chunks.at(-1)).toMatch(/3\/3/);
  });

  it('TTY mode redraws one bar', () => {
    const { stream, chunks } = fakeStream(true);
    const p = new Progress({ label: 'run', total: 4, stream });
    p.tick('x');
    p.tick('y');
    expect(chunks[1].startsWith(`\r${String.fromCharCode(27)}[2Krun [`)).toBe(true);
    expect(chunks[1]).toMatch(/\[#+-+\] 2\/4/);
    p.finish();
    expect(chunks.at(-1)).toBe('\n');
  });

  it('quiet prints nothing', () => {
    const { stream, chunks } = fakeStream(true);
    const p = new Progress({ label: 'q', total: 1, stream, quiet: true });
    p.tick();
    p.finish();
    expect(chunks).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3h01m');
  });
});
