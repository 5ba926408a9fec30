import { env, readConfig, serviceSettings, type ConfigOf } from '@credit/platform';

export const listsConfigSpec = {
  ...serviceSettings('lists', { grpc: 50054, metrics: 9464 }),
  // How often notice periods and validities are checked. An entry takes effect or expires at most this late.
  sweepSeconds: env.int('LISTS_SWEEP_SECONDS', { default: 30, min: 1, max: 3600 }),
};

export type ListsConfig = ConfigOf<typeof listsConfigSpec>;

export function loadListsConfig(source: NodeJS.ProcessEnv = process.env): ListsConfig {
  return readConfig(listsConfigSpec, source) as ListsConfig;
}
