import { env, readConfig, serviceSettings, type ConfigOf } from '@credit/platform';

export const registryConfigSpec = {
  ...serviceSettings('registry', { grpc: 50052, metrics: 9462 }),
  importBatchSize: env.int('REGISTRY_IMPORT_BATCH_SIZE', { default: 1000, min: 1, max: 5000 }),
  importLingerMs: env.int('REGISTRY_IMPORT_LINGER_MS', { default: 5, min: 0, max: 1000 }),
  importConcurrency: env.int('REGISTRY_IMPORT_CONCURRENCY', { default: 2, min: 1, max: 8 }),
};

export type RegistryConfig = ConfigOf<typeof registryConfigSpec>;

export function loadRegistryConfig(source: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return readConfig(registryConfigSpec, source) as RegistryConfig;
}
