import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { platformTracer, startTelemetry } from '../src/telemetry/index.js';

describe('startTelemetry after shutdown', () => {
  it('closes the metrics endpoint and lets a new start receive the spans', async () => {
    const first = new InMemorySpanExporter();
    const telemetry = startTelemetry({ serviceName: 'restart-1', metricsPort: 0, spanProcessors: [new SimpleSpanProcessor(first)] });
    await telemetry.ready;
    const port = telemetry.metricsPort;
    expect(port).toBeGreaterThan(0);
    platformTracer.startSpan('one').end();
    expect(first.getFinishedSpans().map((s) => s.name)).toEqual(['one']);
    await telemetry.shutdown();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();

    const second = new InMemorySpanExporter();
    const again = startTelemetry({ serviceName: 'restart-2', spanProcessors: [new SimpleSpanProcessor(second)] });
    try {
      expect(again).not.toBe(telemetry);
      expect(again.metricsPort).toBeUndefined();
      platformTracer.startSpan('two').end();
      expect(first.getFinishedSpans().map((s) => s.name)).not.toContain('two');
      expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['two']);
    } finally {
      await again.shutdown();
    }
  });
});
