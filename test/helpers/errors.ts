import { expect } from 'vitest';
import { UserError } from '../../src/core/errors.js';

/** The promise rejects with a one-line UserError matching `pattern`. */
export async function expectOneLineUserError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const message = (err as UserError).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(pattern);
}
