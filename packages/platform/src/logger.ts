// Structured JSON logs. Every line carries the ids of the active OpenTelemetry span, so a log line found in the
// log store leads straight to its trace (and back).
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream } from 'pino';

export type Logger = import('pino').Logger;

export function createLogger(service: string, opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options: import('pino').LoggerOptions = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names read better than numbers in every log viewer we target.
    formatters: { level: (label) => ({ level: label }) },
    // Credentials must never reach a log store, even when someone logs a whole request.
    redact: {
      paths: ['authorization', 'token', 'password', '*.authorization', '*.token', '*.password'],
      censor: '[redacted]',
    },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const context = span.spanContext();
      if (!isSpanContextValid(context)) return {};
      return { trace_id: context.traceId, span_id: context.spanId };
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
