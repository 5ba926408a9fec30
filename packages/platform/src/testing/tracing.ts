// Tests that assert on spans share one in-memory exporter per process: OpenTelemetry's globals can be set only
// once, so a second "install" must reuse the first.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '../telemetry/start.js';

const EXPORTER = Symbol.for('@credit/platform/testing/span-exporter');
const holder = globalThis as { [EXPORTER]?: InMemorySpanExporter };

/** Starts telemetry (once per process) and returns the exporter that receives every finished span. */
export function installTestTracing(): InMemorySpanExporter {
  const existing = holder[EXPORTER];
  if (existing) return existing;
  const exporter = new InMemorySpanExporter();
  startTelemetry({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  holder[EXPORTER] = exporter;
  return exporter;
}
