import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { threadsFromEnv } from '../../src/core/threads.js';
import { threadCount } from '../../src/metrics/ssim-parallel.js';

describe('DEBLURBENCH_THREADS', () => {
  const saved = process.env.DEBLURBENCH_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.DEBLURBENCH_THREADS;
    else process.env.DEBLURBENCH_THREADS = saved;
  });
  const withEnv = (value: string | undefined) => {
    if (value === undefined) delete process.env.DEBLURBENCH_THREADS;
    else process.env.DEBLURBENCH_THREADS = value;
    return threadsFromEnv();
  };

  it('unset or empty: every core; a positive integer, capped at the core count', () => {
    const cores = availableParallelism();
    expect(withEnv(undefined)).toBe(cores);
    expect(withEnv('')).toBe(cores);
    expect(withEnv('1')).toBe(1);
    expect(withEnv(String(cores + 5))).toBe(cores);
  });

  it.each(['abc', '0', '-2', '1.5', '0x2', '2e0'])('%s is a one-line error naming the variable', (value) => {
    expect(() => withEnv(value)).toThrow(UserError);
    expect(() => withEnv(value)).toThrow(`DEBLURBENCH_THREADS=${value} is invalid: use a positive integer`);
  });

  it('SSIM workers read the same variable, uncapped (so the worker path can be forced), with the same errors', () => {
    const cores = availableParallelism();
    withEnv(String(cores + 3));
    expect(threadCount()).toBe(cores + 3);
    delete process.env.DEBLURBENCH_THREADS;
    expect(threadCount()).toBe(cores);
    process.env.DEBLURBENCH_THREADS = 'abc';
    expect(() => threadCount()).toThrow('DEBLURBENCH_THREADS=abc is invalid: use a positive integer');
  });
});
