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

/** A numeric option with a default and a validity check; unknown keys are rejected by `checkKeys`. */
export function numberOption(options: MethodOptions, key: string, fallback: number, valid: (v: number) => boolean, what: string): number {
  if (options[key] === undefined) return fallback;
  const v = Number(options[key]);
  if (!Number.isFinite(v) || !valid(v)) throw new UserError(`option ${key}=${options[key]} is invalid: ${what}`);
  return v;
}

export function checkKeys(method: string, options: MethodOptions, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new UserError(`method ${method} has no option "${key}" (options: ${allowed.join(', ') || 'none'})`);
  }
}
