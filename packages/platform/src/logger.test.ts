import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { platformTracer } from './telemetry/tracer.js';
import { installTestTracing } from './testing/tracing.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  installTestTracing();

  it('writes JSON lines with the service name and a level name', () => {
    const { lines, destination } = capture();
    createLogger('registry', { destination }).info({ uscc: '91540000MA6T000000' }, 'entity registered');
    expect(lines[0]).toMatchObject({ service: 'registry', level: 'info', msg: 'entity registered' });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('carries the trace and span ids of the active span', () => {
    const { lines, destination } = capture();
    const logger = createLogger('registry', { destination });
    const ids = platformTracer.startActiveSpan('work', (span) => {
      logger.info('inside a span');
      span.end();
      return span.spanContext();
    });
    expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('redacts credentials even when a whole object is logged', () => {
    const { lines, destination } = capture();
    createLogger('registry', { destination }).info({ metadata: { authorization: 'Bearer abc' }, token: 'abc' }, 'call');
    expect(JSON.stringify(lines[0])).not.toContain('abc');
  });

  it('drops lines below the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger('registry', { destination, level: 'warn' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});
