// The published catalog (公共信用信息目录) in memory, for services that check records against it.
export { CatalogView, VERSION_PUBLISHED_SUBJECT, type CatalogViewOptions } from './catalog-view.js';
export { fromPublishedCatalog } from './from-message.js';
export type * from './types.js';
