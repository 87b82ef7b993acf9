/**
 * Errors a user can cause (bad flag, missing file, size mismatch, corrupt checkpoint).
 * The CLI prints `message` on one line and exits with `exitCode`; it never prints a stack.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A registered component that cannot run here (e.g. no weights shipped); default method lists skip it with a note. */
export class MethodUnavailable extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'MethodUnavailable';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** One-line description of any thrown value, for per-pair error rows and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
