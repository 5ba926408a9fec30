import { readConfig, serviceSettings, type ConfigOf } from '@credit/platform';

export const catalogConfigSpec = serviceSettings('catalog', { grpc: 50051, metrics: 9461 });

export type CatalogConfig = ConfigOf<typeof catalogConfigSpec>;

export function loadCatalogConfig(source: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return readConfig(catalogConfigSpec, source) as CatalogConfig;
}
