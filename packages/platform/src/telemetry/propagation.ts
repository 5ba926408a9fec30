// W3C trace context in and out of carriers (gRPC metadata, NATS headers), through the global propagator that
// startTelemetry() installs.
import { context, propagation, type Context } from '@opentelemetry/api';

/** Writes traceparent (and tracestate) of the active context into the carrier. */
export function injectTraceContext(carrier: Record<string, string>): void {
  propagation.inject(context.active(), carrier);
}

/** A context whose parent is the span named in the carrier, or the active context when there is none. */
export function extractTraceContext(carrier: Record<string, string | undefined>): Context {
  return propagation.extract(context.active(), carrier);
}
