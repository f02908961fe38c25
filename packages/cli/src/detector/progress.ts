/**
 * A one-line progress display for long replays on a terminal: events processed, rate, and the
 * share of the file read when its size is known (plain captures). Redrawn at most 4 times a second.
 */
export class Progress {
  private lastDraw = 0;
  private readonly start = Date.now();

  constructor(
    private readonly write: (text: string) => void,
    private readonly totalBytes: number | undefined,
  ) {}

  update(events: number, bytes: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 250) return;
    this.lastDraw = now;
    const secs = Math.max((now - this.start) / 1000, 0.001);
    const rate = Math.round(events / secs);
    let bar = '';
    if (this.totalBytes) {
      const frac = Math.min(bytes / this.totalBytes, 1);
      const width = 30;
      const filled = Math.round(frac * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% `;
    }
    this.write(`\r${bar}${events} events, ${rate} events/s`);
  }

  done(events: number): void {
    if (this.lastDraw === 0) return;
    const secs = Math.max((Date.now() - this.start) / 1000, 0.001);
    this.write(`\r${events} events in ${secs.toFixed(1)} s${' '.repeat(30)}\n`);
  }
}
