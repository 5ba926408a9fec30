#!/usr/bin/env node
import { ConfigError, createLogger, onShutdown } from '@credit/platform';
import { startTelemetry } from '@credit/platform/telemetry';
import { loadCatalogConfig } from './config.js';
import { startCatalogService } from './service.js';

// Telemetry starts before anything opens a database connection, so PostgreSQL calls are traced.
const config = (() => {
  try {
    return loadCatalogConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Fail fast with every problem listed, and no stack trace to read through.
    console.error(err.message);
    process.exit(2);
  }
})();
const telemetry = startTelemetry({
  serviceName: 'catalog',
  metricsPort: config.metricsPort,
  otlpEndpoint: config.otlpEndpoint || undefined,
  sampleRatio: config.traceSamplePercent / 100,
});
const logger = createLogger('catalog', { level: config.logLevel });
const service = await startCatalogService(config, logger);
onShutdown(
  [
    { name: 'catalog', run: () => service.stop() },
    { name: 'telemetry', run: () => telemetry.shutdown() },
  ],
  logger,
);
