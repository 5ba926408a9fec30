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
