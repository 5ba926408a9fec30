// Telemetry entry point ('@credit/platform/telemetry'). Not re-exported from the package root, because it must be
// imported and started before anything loads `pg`.
export { startTelemetry, type Telemetry, type TelemetryOptions } from './start.js';
export { injectTraceContext, extractTraceContext } from './propagation.js';
export { platformTracer, platformMeter } from './tracer.js';
export { tally, type Tally } from './tally.js';
