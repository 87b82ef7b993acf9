import type { Results } from '../results.js';

/** One output format. Reporters read only the results document. */
export interface Reporter {
  format: string;
  /** Files written, relative to outDir. */
  write(results: Results, outDir: string): Promise<string[]>;
}
