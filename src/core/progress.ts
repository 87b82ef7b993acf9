/**
 * Progress for long work on stderr: a redrawn bar with ETA on a TTY, plain lines otherwise
 * (at most one line every few seconds, plus the final one), nothing with `quiet`.
 */
export interface ProgressOptions {
  label: string;
  total: number;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between plain-line updates. */
  plainIntervalMs?: number;
}

export class Progress {
  private done = 0;
  private readonly start = Date.now();
  private lastPlain = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY) && !opts.quiet;
  }

  /** Advance by `n` and show `detail` (e.g. the current pair and method). */
  tick(detail = '', n = 1): void {
    this.done = Math.min(this.opts.total, this.done + n);
    this.render(detail);
  }

  /** Update the detail text without advancing. */
  note(detail: string): void {
    this.render(detail);
  }

  finish(detail = ''): void {
    if (this.opts.quiet) return;
    if (this.tty) {
      this.render(detail, true);
      this.stream.write('\n');
    } else {
      this.stream.write(`${this.line(detail)}\n`);
    }
  }

  private render(detail: string, force = false): void {
    if (this.opts.quiet) return;
    if (this.tty) {
      const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 60));
      const frac = this.opts.total > 0 ? this.done / this.opts.total : 1;
      const filled = Math.round(frac * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      const text = `${this.opts.label} ${bar} ${this.line(detail, false)}`;
      this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 120) - 1)}`);
      return;
    }
    const now = Date.now();
    if (force || now - this.lastPlain >= (this.opts.plainIntervalMs ?? 2000) || this.done === this.opts.total) {
      this.lastPlain = now;
      this.stream.write(`${this.line(detail)}\n`);
    }
  }

  private line(detail: string, withLabel = true): string {
    const elapsed = (Date.now() - this.start) / 1000;
    const rate = this.done > 0 ? elapsed / this.done : 0;
    const eta = this.done > 0 ? rate * (this.opts.total - this.done) : NaN;
    const parts = [
      withLabel ? this.opts.label : '',
      `${this.done}/${this.opts.total}`,
      `elapsed ${formatDuration(elapsed)}`,
      Number.isFinite(eta) ? `ETA ${formatDuration(eta)}` : 'ETA --',
      detail,
    ];
    return parts.filter(Boolean).join(' ');
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
