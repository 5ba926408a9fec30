import { env, readConfig } from '@credit/platform';

export const catalogConfigSpec = {
  databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
  natsUrl: env.url('NATS_URL', { protocols: ['nats:', 'tls:'] }),
  natsPrefix: env.string('NATS_SUBJECT_PREFIX', { default: '' }),
  grpcPort: env.int('CATALOG_GRPC_PORT', { default: 50051, min: 0, max: 65535 }),
  metricsPort: env.int('CATALOG_METRICS_PORT', { default: 9461, min: 0, max: 65535 }),
  tokenSecret: env.string('AUTH_TOKEN_SECRET', { secret: true }),
  tlsCaFile: env.string('TLS_CA_FILE', { default: '' }),
  tlsCertFile: env.string('TLS_CERT_FILE', { default: '' }),
  tlsKeyFile: env.string('TLS_KEY_FILE', { default: '' }),
  otlpEndpoint: env.string('OTEL_EXPORTER_OTLP_ENDPOINT', { default: '' }),
  // Per cent of new traces recorded (a whole per cent keeps config integers).
  traceSamplePercent: env.int('TRACE_SAMPLE_PERCENT', { default: 100, min: 0, max: 100 }),
  logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, { default: 'info' }),
};

export type CatalogConfig = { [K in keyof typeof catalogConfigSpec]: ReturnType<(typeof catalogConfigSpec)[K]['read']> };

export function loadCatalogConfig(source: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return readConfig(catalogConfigSpec, source) as CatalogConfig;
}
