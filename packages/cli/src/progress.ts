const TTY_INTERVAL_MS = 500;
const LOG_INTERVAL_MS = 5_000;

/**
 * Progress of a long command: on a terminal one line rewritten at most twice a second; in a log (CI, a pipe) a line
 * every 5 s or every tenth of the work, whichever comes first.
 */
export class Progress {
  private last = 0;
  private lastTenth = 0;
  private shown = false;

  constructor(
    private readonly tty: boolean,
    private readonly out: (line: string) => void,
    private readonly describe: () => string,
    private readonly fraction: () => number,
  ) {}

  tick(): void {
    const now = performance.now();
    const tenth = Math.floor(this.fraction() * 10);
    if (this.tty) {
      if (now - this.last < TTY_INTERVAL_MS) return;
      process.stdout.write(`\r${this.describe()}\x1b[K`);
      this.shown = true;
    } else {
      if (now - this.last < LOG_INTERVAL_MS && tenth <= this.lastTenth) return;
      this.out(this.describe());
      this.lastTenth = tenth;
    }
    this.last = now;
  }

  stop(): void {
    if (this.tty && this.shown) process.stdout.write('\n');
  }
}
