import { env, readConfig } from '@credit/platform';

export const registryConfigSpec = {
  databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
  natsUrl: env.url('NATS_URL', { protocols: ['nats:', 'tls:'] }),
  natsPrefix: env.string('NATS_SUBJECT_PREFIX', { default: '' }),
  grpcPort: env.int('REGISTRY_GRPC_PORT', { default: 50052, min: 0, max: 65535 }),
  metricsPort: env.int('REGISTRY_METRICS_PORT', { default: 9462, min: 0, max: 65535 }),
  tokenSecret: env.string('AUTH_TOKEN_SECRET', { secret: true }),
  tlsCaFile: env.string('TLS_CA_FILE', { default: '' }),
  tlsCertFile: env.string('TLS_CERT_FILE', { default: '' }),
  tlsKeyFile: env.string('TLS_KEY_FILE', { default: '' }),
  importBatchSize: env.int('REGISTRY_IMPORT_BATCH_SIZE', { default: 1000, min: 1, max: 5000 }),
  importLingerMs: env.int('REGISTRY_IMPORT_LINGER_MS', { default: 5, min: 0, max: 1000 }),
  importConcurrency: env.int('REGISTRY_IMPORT_CONCURRENCY', { default: 2, min: 1, max: 8 }),
  otlpEndpoint: env.string('OTEL_EXPORTER_OTLP_ENDPOINT', { default: '' }),
  // Per cent of new traces recorded (OTEL_TRACES_SAMPLER_ARG holds a ratio; a whole per cent keeps config integers).
  traceSamplePercent: env.int('TRACE_SAMPLE_PERCENT', { default: 100, min: 0, max: 100 }),
  logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, { default: 'info' }),
};

export type RegistryConfig = { [K in keyof typeof registryConfigSpec]: ReturnType<(typeof registryConfigSpec)[K]['read']> };

export function loadRegistryConfig(source: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return readConfig(registryConfigSpec, source) as RegistryConfig;
}
