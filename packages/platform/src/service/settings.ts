import { env, type Setting } from '../config.js';

/** The type a config spec reads to. */
export type ConfigOf<S> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/**
 * The settings every service reads: where its database and NATS are, its ports (under its own names, e.g.
 * REGISTRY_GRPC_PORT, so that services on one host do not collide), identity, TLS, telemetry and logging.
 * A service adds its own settings beside these.
 */
export function serviceSettings(name: string, ports: { grpc: number; metrics: number }) {
  const NAME = name.toUpperCase();
  return {
    databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
    natsUrl: env.url('NATS_URL', { protocols: ['nats:', 'tls:'] }),
    natsPrefix: env.string('NATS_SUBJECT_PREFIX', { default: '' }),
    // The service's own NATS user (production runs NATS with one user per service and sector system); '' = none.
    natsUser: env.string('NATS_USER', { default: '' }),
    natsPassword: env.string('NATS_PASSWORD', { default: '', secret: true }),
    grpcPort: env.int(`${NAME}_GRPC_PORT`, { default: ports.grpc, min: 0, max: 65535 }),
    metricsPort: env.int(`${NAME}_METRICS_PORT`, { default: ports.metrics, min: 0, max: 65535 }),
    tokenSecret: env.string('AUTH_TOKEN_SECRET', { secret: true }),
    tlsCaFile: env.string('TLS_CA_FILE', { default: '' }),
    tlsCertFile: env.string('TLS_CERT_FILE', { default: '' }),
    tlsKeyFile: env.string('TLS_KEY_FILE', { default: '' }),
    otlpEndpoint: env.string('OTEL_EXPORTER_OTLP_ENDPOINT', { default: '' }),
    // Per cent of new traces recorded (OTEL_TRACES_SAMPLER_ARG holds a ratio; a whole per cent keeps config integers).
    traceSamplePercent: env.int('TRACE_SAMPLE_PERCENT', { default: 100, min: 0, max: 100 }),
    logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, { default: 'info' }),
  };
}

export type ServiceSettings = ConfigOf<ReturnType<typeof serviceSettings>>;
