#!/usr/bin/env node
import { ConfigError, createLogger, onShutdown } from '@credit/platform';
import { startTelemetry } from '@credit/platform/telemetry';
import { loadRegistryConfig } from './config.js';
import { startRegistryService } from './service.js';

// Telemetry starts before anything opens a database connection, so PostgreSQL calls are traced.
const config = (() => {
  try {
    return loadRegistryConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Fail fast with every problem listed, and no stack trace to read through.
    console.error(err.message);
    process.exit(2);
  }
})();
const telemetry = startTelemetry({
  serviceName: 'registry',
  metricsPort: config.metricsPort,
  otlpEndpoint: config.otlpEndpoint || undefined,
  sampleRatio: config.traceSamplePercent / 100,
});
const logger = createLogger('registry', { level: config.logLevel });
const service = await startRegistryService(config, logger);
onShutdown(
  [
    { name: 'registry', run: () => service.stop() },
    { name: 'telemetry', run: () => telemetry.shutdown() },
  ],
  logger,
);
