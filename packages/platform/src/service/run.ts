import { setFlagsFromString } from 'node:v8';
import { ConfigError } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { onShutdown } from '../shutdown.js';
import { startTelemetry } from '../telemetry/start.js';
import type { ServiceSettings } from './settings.js';

/**
 * A service's main: read the config (failing fast with every problem listed), start telemetry before anything opens
 * a database connection, start the service, and stop it in order on SIGTERM/SIGINT.
 */
export async function runService<C extends ServiceSettings>(opts: {
  name: string;
  loadConfig: () => C;
  start: (config: C, logger: Logger) => Promise<{ stop(): Promise<void> }>;
}): Promise<void> {
  // V8 allocation-site pretenuring off. Under load a request's objects outlive a scavenge or two, so V8 starts
  // allocating from their allocation sites straight into the old generation; those old, soon-dead objects then hold the
  // next requests' young objects alive until a full collection, and every scavenge promotes nearly all it copies. Seen
  // on the credit check stream after a burst of unary calls: ~1.1 MB promoted per scavenge at 99 % promotion, 8–16 ms
  // pauses; with pretenuring off nothing promoted and 1.3–5 ms pauses (BENCHMARKS.md, eighth session). Set here, before
  // the service allocates anything, because NODE_OPTIONS does not take V8 flags of this kind.
  setFlagsFromString('--no-allocation-site-pretenuring');
  let config: C;
  try {
    config = opts.loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const telemetry = startTelemetry({
    serviceName: opts.name,
    metricsPort: config.metricsPort,
    otlpEndpoint: config.otlpEndpoint || undefined,
    sampleRatio: config.traceSamplePercent / 100,
  });
  const logger = createLogger(opts.name, { level: config.logLevel });
  const service = await opts.start(config, logger);
  onShutdown(
    [
      { name: opts.name, run: () => service.stop() },
      { name: 'telemetry', run: () => telemetry.shutdown() },
    ],
    logger,
  );
}
