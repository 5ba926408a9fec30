#!/usr/bin/env node
import { createLogger, onShutdown } from '@credit/platform';
import { startTelemetry } from '@credit/platform/telemetry';
import { loadRegistryConfig } from './config.js';
import { startRegistryService } from './service.js';

// Telemetry starts before anything opens a database connection, so PostgreSQL calls are traced.
const config = loadRegistryConfig();
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
