export { runCli, USAGE } from './cli.js';
export { checkCodesCommand } from './codes.js';
