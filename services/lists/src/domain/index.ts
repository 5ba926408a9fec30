export * from './definitions.js';
export * from './entry.js';
export * from './proposal.js';
export * from './feedback.js';
export { defaultListTypes, defaultMeasures } from './defaults.js';
