// Process-wide telemetry. Start it first thing in main.ts, before anything loads `pg`: the PostgreSQL
// instrumentation patches the module when it is first required, and typeorm requires it lazily.
import { createServer, type Server } from 'node:http';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { FanOutSpanProcessor } from './fan-out-processor.js';

export interface Telemetry {
  shutdown(): Promise<void>;
  /** The bound Prometheus port; undefined when metrics are off or (with port 0) until `ready` resolves. */
  readonly metricsPort: number | undefined;
  /** Resolves when the /metrics endpoint listens (immediately when metrics are off). */
  readonly ready: Promise<void>;
}

export interface TelemetryOptions {
  serviceName: string;
  /** Prometheus /metrics port; 0 = a free port; undefined = no metrics endpoint. */
  metricsPort?: number;
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended unless present); traces are exported when set. */
  otlpEndpoint?: string;
  spanProcessors?: SpanProcessor[];
  /** Share of new traces recorded, 0..1 (default 1); a trace continued from a caller follows the caller's decision. */
  sampleRatio?: number;
}

interface Running {
  telemetry: Telemetry;
  fanOut: FanOutSpanProcessor;
}

// Kept on globalThis so that two copies of this module (source and built, or two test transforms) still share
// one provider: OpenTelemetry's globals can be set only once per process.
const STATE = Symbol.for('@credit/platform/telemetry');
const holder = globalThis as { [STATE]?: Running };

export function startTelemetry(opts: TelemetryOptions): Telemetry {
  const running = holder[STATE];
  if (running) {
    running.fanOut.add(...(opts.spanProcessors ?? []));
    return running.telemetry;
  }

  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': opts.serviceName }));
  const fanOut = new FanOutSpanProcessor();
  fanOut.add(...(opts.spanProcessors ?? []));
  if (opts.otlpEndpoint) fanOut.add(new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(opts.otlpEndpoint) })));

  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [fanOut],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(opts.sampleRatio ?? 1) }),
  });
  tracerProvider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });

  const unregister = registerInstrumentations({
    tracerProvider,
    instrumentations: [
      // Only queries inside a traced operation: background polling (outbox relay) would otherwise flood traces.
      // Parameter values are never recorded: they carry personal information.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });

  const metricsEndpoint = opts.metricsPort === undefined ? undefined : prometheusEndpoint(opts.metricsPort);
  const meterProvider = new MeterProvider({ resource, readers: metricsEndpoint ? [metricsEndpoint.exporter] : [] });
  metrics.setGlobalMeterProvider(meterProvider);

  const telemetry: Telemetry = {
    get metricsPort() {
      return metricsEndpoint?.port();
    },
    ready: metricsEndpoint?.listening ?? Promise.resolve(),
    async shutdown() {
      if (holder[STATE]?.telemetry !== telemetry) return;
      delete holder[STATE];
      unregister();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), metricsEndpoint?.close()]);
      // Free the globals so a later startTelemetry (tests) can install a fresh provider.
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
  holder[STATE] = { telemetry, fanOut };
  return telemetry;
}

function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

// Our own HTTP server instead of the exporter's, so port 0 works and the bound port can be reported.
function prometheusEndpoint(port: number) {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      exporter.getMetricsRequestHandler(req, res);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  // A taken port must not crash the service: metrics are secondary to serving requests.
  listening.catch((err: unknown) => process.emitWarning(`metrics endpoint not started: ${String(err)}`));
  server.unref();
  return {
    exporter,
    listening,
    port(): number | undefined {
      const address = server.address();
      return address && typeof address === 'object' ? address.port : undefined;
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
