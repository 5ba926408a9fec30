export { serviceSettings, type ConfigOf, type ServiceSettings } from './settings.js';
export { startServiceHost, type ServiceHost, type ServiceHostOptions } from './host.js';
