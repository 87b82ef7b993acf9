/**
 * Keeps every per-image value of one metric; the dataset score is the mean of per-image values
 * (never PSNR of a pooled MSE). A single identical pair makes mean PSNR +Infinity, which is
 * reported as such rather than hidden; `finiteMean` is offered beside it.
 */
export interface MetricValue {
  id: string;
  value: number;
}

export class MetricAccumulator {
  private readonly values: MetricValue[] = [];

  constructor(readonly metric: string) {}

  add(id: string, value: number): void {
    if (Number.isNaN(value)) throw new Error(`${this.metric} of ${id} is NaN`);
    this.values.push({ id, value });
  }

  get count(): number {
    return this.values.length;
  }

  perImage(): readonly MetricValue[] {
    return this.values;
  }

  mean(): number {
    if (this.values.length === 0) return NaN;
    return this.values.reduce((acc, v) => acc + v.value, 0) / this.values.length;
  }

  /** Mean over the finite values only (e.g. PSNR excluding identical pairs). */
  finiteMean(): number {
    const finite = this.values.filter((v) => Number.isFinite(v.value));
    if (finite.length === 0) return NaN;
    return finite.reduce((acc, v) => acc + v.value, 0) / finite.length;
  }
}
