import { UserError } from '../core/errors.js';
import type { MethodOptions } from './types.js';

/**
 * Parse `name:key=value,key=value` into the name and its options (`name:PATH,…` sets `path`).
 */
export function parseMethodSpec(spec: string): { name: string; options: MethodOptions } {
  const colon = spec.indexOf(':');
  if (colon < 0) return { name: spec, options: {} };
  const name = spec.slice(0, colon);
  const options: MethodOptions = {};
  for (const [i, part] of spec.slice(colon + 1).split(',').entries()) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0 && i === 0) {
      options.path = part; // `onnx:FILE.onnx` — a leading bare value is the model path
      continue;
    }
    if (eq <= 0) throw new UserError(`method option "${part}" in "${spec}" is not key=value`);
    options[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { name, options };
}

// plain decimal only: Number() would also take '' (as 0), '0x10', '0b1' and ' 5 '
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A numeric option with a default and a validity check; unknown keys are rejected by `checkKeys`. */
export function numberOption(options: MethodOptions, key: string, fallback: number, valid: (v: number) => boolean, what: string): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  if (!DECIMAL.test(raw)) throw new UserError(`option ${key}=${raw} is invalid: not a decimal number (${what})`);
  const v = Number(raw);
  if (!Number.isFinite(v) || !valid(v)) throw new UserError(`option ${key}=${raw} is invalid: ${what}`);
  return v;
}

/** A true/false option with a default; anything else is an error rather than a silent false. */
export function booleanOption(options: MethodOptions, key: string, fallback: boolean): boolean {
  const raw = options[key];
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new UserError(`option ${key}=${raw} is invalid: use true or false`);
  return raw === 'true';
}

/** Unknown keys and empty values (`model=`) are errors: an empty value would read as "not given". */
export function checkKeys(method: string, options: MethodOptions, allowed: readonly string[]): void {
  for (const [key, value] of Object.entries(options)) {
    if (!allowed.includes(key)) throw new UserError(`method ${method} has no option "${key}" (options: ${allowed.join(', ') || 'none'})`);
    if (value === '') throw new UserError(`option ${key}= needs a value`);
  }
}
