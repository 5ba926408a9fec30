// The platform's own tracer and meter. The tracer looks the global provider up on every use, so it keeps working
// when telemetry is started after import or restarted (tests). A meter is not proxied by the API, so
// platformMeter() must be called after startTelemetry().
import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';

export const PLATFORM_SCOPE = '@credit/platform';

const current = (): Tracer => trace.getTracer(PLATFORM_SCOPE);

export const platformTracer: Tracer = {
  startSpan: (name, options, context) => current().startSpan(name, options, context),
  startActiveSpan: ((...args: Parameters<Tracer['startActiveSpan']>) =>
    (current().startActiveSpan as (...a: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'],
};

export function platformMeter(): Meter {
  return metrics.getMeter(PLATFORM_SCOPE);
}
