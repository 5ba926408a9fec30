// Helpers for tests ('@credit/platform/testing'): real PostgreSQL and NATS, isolated per test file.
export * from './tracing.js';
export * from './identity.js';
export { testDatabase } from './database.js';
export { cleanupBus, freePort, type NatsServerHandle, startNatsServer, testNatsUrl, uniquePrefix } from './nats.js';
export { waitFor } from './wait-for.js';
export { readEvents, recordEvents } from './events.js';
export * from './rejection.js';
export { type BenchRow, openLoop, printBenchTable, rawPublishPerSecond, rssOf } from './bench.js';
