const TTY_INTERVAL_MS = 500;
const LOG_INTERVAL_MS = 5_000;

export interface ProgressOptions {
  /** A terminal: one line rewritten in place through `write`. Otherwise whole lines through `out`. */
  tty: boolean;
  out: (line: string) => void;
  write?: (text: string) => void;
  /** Milliseconds on any monotonic scale; injected so tests need not wait. */
  now?: () => number;
}

/**
 * Progress of a long command: on a terminal one line rewritten at most twice a second; in a log (CI, a pipe) a line
 * every 5 s or every tenth of the work, whichever comes first — enough to see it is alive, few enough to read.
 */
export class Progress {
  private readonly started: number;
  private last: number;
  private lastTenth = 0;
  private shown = false;
  private readonly now: () => number;
  private readonly write: (text: string) => void;

  constructor(
    private readonly options: ProgressOptions,
    /** The line to show, given the seconds since the start. */
    private readonly describe: (seconds: number) => string,
    /** How much of the work is done, 0..1. */
    private readonly fraction: () => number,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.started = this.now();
    this.last = this.started;
  }

  /** Seconds since the start. */
  elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  /** Something advanced: show it if it is time. */
  tick(): void {
    const now = this.now();
    if (this.options.tty) {
      if (now - this.last < TTY_INTERVAL_MS) return;
      this.write(`\r${this.describe(this.elapsed())}\x1b[K`);
      this.shown = true;
    } else {
      const tenth = Math.floor(this.fraction() * 10);
      if (now - this.last < LOG_INTERVAL_MS && tenth <= this.lastTenth) return;
      this.options.out(this.describe(this.elapsed()));
      this.lastTenth = tenth;
    }
    this.last = now;
  }

  /** Ends the rewritten line so that what is printed next starts on its own. */
  stop(): void {
    if (this.options.tty && this.shown) this.write('\n');
    this.shown = false;
  }
}

/** 1536 → "1.5 KB": bytes as an officer reads them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
