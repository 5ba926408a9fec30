export { createGrpcServer, type GrpcServer, type GrpcServerOptions } from './server.js';
export type { CallContext, HandlerKit, HandlerOptions } from './kit.js';
export type { CredentialsExpiry } from './caller.js';
export { createClient, callUnary, clientInterceptor, type ClientOptions } from './client.js';
export { violationsOf, reasonOf } from './status.js';
export type { TlsFiles } from './credentials.js';
export { answerInOrder } from './answer-in-order.js';
export { answerWhileOpen } from './answer-while-open.js';
