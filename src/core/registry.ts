import { UserError } from './errors.js';

/** name → lazy loader. Loading is deferred so heavy dependencies are imported only when used. */
export type Loader<T> = () => T | Promise<T>;

export interface RegistryEntry<T> {
  name: string;
  description: string;
  load: Loader<T>;
}

export class Registry<T> {
  private readonly entries = new Map<string, RegistryEntry<T>>();

  /** `kind` names what is registered ("method", "SSIM mode" …) for error messages. */
  constructor(readonly kind: string) {}

  register(name: string, description: string, load: Loader<T>): this {
    if (this.entries.has(name)) throw new Error(`duplicate ${this.kind} "${name}" in registry`);
    this.entries.set(name, { name, description, load });
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  list(): RegistryEntry<T>[] {
    return [...this.entries.values()];
  }

  /** The entry for `name`, or a UserError that suggests the closest known names. */
  entry(name: string): RegistryEntry<T> {
    const found = this.entries.get(name);
    if (found) return found;
    throw new UserError(unknownNameMessage(this.kind, name, this.names()));
  }

  async load(name: string): Promise<T> {
    return await this.entry(name).load();
  }
}

export function unknownNameMessage(kind: string, name: string, known: readonly string[]): string {
  const close = closestNames(name, known);
  const hint = close.length > 0 ? ` — did you mean ${close.map((n) => `"${n}"`).join(' or ')}?` : '';
  return `unknown ${kind} "${name}"${hint} (known: ${known.join(', ') || 'none'})`;
}

/** Known names within an edit distance that scales with the name's length, best first. */
export function closestNames(name: string, known: readonly string[], max = 2): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= limit || k.toLowerCase().startsWith(name.toLowerCase()))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map(({ k }) => k);
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}
