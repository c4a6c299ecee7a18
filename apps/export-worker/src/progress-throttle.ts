/**
 * Progress percentages written at most once per interval and only forward, so a raw export of
 * millions of rows costs a handful of UPDATEs. Writes are chained (never two at once) and a failed
 * write is dropped: progress is a hint, the render must not fail for it.
 */
export class ProgressThrottle {
  private last = -1;
  private lastAt = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (percent: number) => Promise<void>,
    private readonly intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(percent: number): void {
    const value = Math.floor(percent);
    if (value <= this.last) return;
    const at = this.now();
    if (this.last >= 0 && at - this.lastAt < this.intervalMs) return;
    this.last = value;
    this.lastAt = at;
    this.chain = this.chain.then(() => this.write(value)).catch(() => undefined);
  }

  /** Resolves once every accepted write has been made. */
  settled(): Promise<void> {
    return this.chain;
  }
}
