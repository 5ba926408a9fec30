import { env, readConfig, serviceSettings, type ConfigOf } from '@credit/platform';

export const disclosuresConfigSpec = {
  ...serviceSettings('disclosures', { grpc: 50053, metrics: 9463 }),
  catalogAddress: env.string('CATALOG_ADDRESS', { default: '127.0.0.1:50051' }),
  ingestConcurrency: env.int('DISCLOSURES_INGEST_CONCURRENCY', { default: 2, min: 1, max: 8 }),
  // Threads that validate stream batches beside the main thread; 0 validates on the main thread (tests run from the
  // TypeScript source, where the compiled worker file does not exist).
  validationThreads: env.int('DISCLOSURES_VALIDATION_THREADS', { default: 1, min: 0, max: 8 }),
  // How often public penalties whose period ran out leave publicity (they also do at start).
  publicitySweepMinutes: env.int('DISCLOSURES_PUBLICITY_SWEEP_MINUTES', { default: 60, min: 1, max: 1440 }),
};

export type DisclosuresConfig = ConfigOf<typeof disclosuresConfigSpec>;

export function loadDisclosuresConfig(source: NodeJS.ProcessEnv = process.env): DisclosuresConfig {
  return readConfig(disclosuresConfigSpec, source) as DisclosuresConfig;
}
