// SDK 2.x providers take their span processors only in the constructor. Tests (and a second startTelemetry call)
// need to attach processors to the running provider, so the provider gets this one processor, which forwards to a
// list that can grow.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export class FanOutSpanProcessor implements SpanProcessor {
  private readonly processors: SpanProcessor[] = [];

  add(...processors: SpanProcessor[]): void {
    this.processors.push(...processors);
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.processors) p.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    for (const p of this.processors) p.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
