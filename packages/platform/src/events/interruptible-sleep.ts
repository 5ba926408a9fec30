/** A timed wait that another part of the same loop can cut short (a wake-up, a stop). */
export class InterruptibleSleep {
  private interrupt?: () => void;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }

  /** Ends the current sleep at once; does nothing when nobody sleeps. */
  wake(): void {
    this.interrupt?.();
  }
}
