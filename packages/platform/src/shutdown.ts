// Graceful shutdown: the steps run in the order given (health NOT_SERVING, stop the gRPC server, stop consumers,
// drain NATS, close the database, flush telemetry), each exactly once, and a failing or hanging step never keeps
// the later ones from running.
import type { Logger } from './logger.js';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface ShutdownOptions {
  signals?: NodeJS.Signals[];
  /** Budget for all steps together; a step still running when it is spent is abandoned. Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Returns a function that runs the steps (once) without exiting; a signal runs them and then exits. */
export function onShutdown(steps: ShutdownStep[], logger: Logger, opts: ShutdownOptions = {}): () => Promise<void> {
  const signals = opts.signals ?? DEFAULT_SIGNALS;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let running: Promise<boolean> | undefined;

  const runAll = async (): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    let clean = true;
    for (const step of steps) {
      const started = Date.now();
      const remaining = Math.max(0, deadline - started);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step.run(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${remaining} ms`)), remaining);
          }),
        ]);
        logger.info({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
      } catch (err) {
        clean = false;
        logger.error({ step: step.name, err }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    for (const signal of signals) process.off(signal, onSignal);
    return clean;
  };

  const start = (): Promise<boolean> => {
    running ??= runAll();
    return running;
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (running) {
      // A second Ctrl-C means "stop now".
      logger.warn({ signal }, 'second signal during shutdown, exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    void start().then((clean) => process.exit(clean ? 0 : 1));
  }

  for (const signal of signals) process.on(signal, onSignal);

  return async () => {
    await start();
  };
}
