// One adapter for every kind of handler, so that each service gets the same tracing, identity, request id,
// deadline, logging, error mapping and metrics without writing any of it.
import type { Readable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { context, SpanKind, SpanStatusCode, trace, type Histogram } from '@opentelemetry/api';
import { DomainError } from '../errors.js';
import type { Caller } from '../identity.js';
import type { Logger } from '../logger.js';
import { extractTraceContext } from '../telemetry/propagation.js';
import { platformMeter, platformTracer } from '../telemetry/tracer.js';
import { resolveCaller, type CredentialsExpiry } from './caller.js';
import { abortSignalFor, deadlineOf, REQUEST_ID_KEY, requestIdOf, type SurfaceCall } from './call-scope.js';
import { toStatusError, type StatusError } from './status.js';

export interface CallContext {
  caller: Caller;
  requestId: string;
  deadline: Date | undefined;
  logger: Logger;
  /** Fires at the deadline or when the client cancels. */
  signal: AbortSignal;
  /**
   * When the caller's credentials stop holding: its bearer token's expiry or its client certificate's end of validity
   * (undefined for the public). A long-lived stream ends then.
   */
  credentialsExpire: CredentialsExpiry | undefined;
  /**
   * Fires when the server begins to shut down. Calls in flight still finish; a long-lived stream that would otherwise
   * hold the shutdown until it is cancelled ends itself, so that its client moves to another replica.
   */
  stopping: AbortSignal;
}

export interface HandlerOptions {
  /** Callable without credentials; the caller is then the anonymous public. */
  public?: boolean;
}

export interface HandlerKit {
  unary<Req, Res>(fn: (req: Req, ctx: CallContext) => Promise<Res>, opts?: HandlerOptions): grpc.handleUnaryCall<Req, Res>;
  serverStream<Req, Res>(
    fn: (req: Req, call: grpc.ServerWritableStream<Req, Res>, ctx: CallContext) => Promise<void>,
    opts?: HandlerOptions,
  ): grpc.handleServerStreamingCall<Req, Res>;
  bidi<Req, Res>(
    fn: (call: grpc.ServerDuplexStream<Req, Res>, ctx: CallContext) => Promise<void>,
    opts?: HandlerOptions,
  ): grpc.handleBidiStreamingCall<Req, Res>;
  clientStream<Req, Res>(
    fn: (call: grpc.ServerReadableStream<Req, Res>, ctx: CallContext) => Promise<Res>,
    opts?: HandlerOptions,
  ): grpc.handleClientStreamingCall<Req, Res>;
}

/** The kit as the server holds it: it also tells the handlers when the server begins to shut down. */
export interface ServerHandlerKit extends HandlerKit {
  beginShutdown(): void;
}

export interface KitOptions {
  logger: Logger;
  tokenSecret: string;
}

// Status codes that mean the server failed (OpenTelemetry RPC conventions); client mistakes are not span errors.
const SERVER_FAULTS = new Set<grpc.status>([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

type Finish<Res> = (error: StatusError | null, value?: Res) => void;

function carrierOf(metadata: grpc.Metadata): Record<string, string | undefined> {
  const carrier: Record<string, string | undefined> = {};
  for (const key of ['traceparent', 'tracestate', 'baggage']) {
    const value = metadata.get(key)[0];
    if (typeof value === 'string') carrier[key] = value;
  }
  return carrier;
}

export function createHandlerKit(opts: KitOptions): ServerHandlerKit {
  const shutdown = new AbortController();
  // Taken on first use, not at import: the meter provider is installed by startTelemetry() in main.ts.
  let duration: Histogram | undefined;
  const histogram = () =>
    (duration ??= platformMeter().createHistogram('rpc.server.duration', {
      description: 'Duration of gRPC calls handled by this server',
      unit: 'ms',
    }));

  /**
   * `headersFirst`: send the response headers (with the request id) at once, which a streaming client wants before the
   * first message; a unary call sends them with its answer, in the same write.
   */
  function run<Res>(
    call: SurfaceCall,
    isPublic: boolean,
    headersFirst: boolean,
    body: (ctx: CallContext) => Promise<Res>,
    finish: Finish<Res>,
  ): void {
    const started = performance.now();
    const method = call.getPath().replace(/^\//, '') || 'unknown';
    const requestId = requestIdOf(call.metadata);
    const parent = extractTraceContext(carrierOf(call.metadata));
    const [service, name] = method.split('/');
    const span = platformTracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': name } },
      parent,
    );
    const trailers = new grpc.Metadata();
    trailers.set(REQUEST_ID_KEY, requestId);
    if (headersFirst) call.sendMetadata(trailers.clone());

    const deadline = deadlineOf(call);
    // Made on first use, like the logger: few handlers watch the signal, and an AbortController with its deadline
    // timer and cancel listener per call is a measurable share of a fast call's allocations.
    let abort: ReturnType<typeof abortSignalFor> | undefined;
    // Made on first use: most calls never log, and a pino child per call is a measurable share of a fast call.
    let caller: Caller | undefined;
    let callLogger: Logger | undefined;
    const logger = () => (callLogger ??= opts.logger.child(caller ? { request_id: requestId, method, caller } : { request_id: requestId, method }));

    const settle = (code: grpc.status, error: StatusError | null, value?: Res) => {
      abort?.dispose();
      span.setAttribute('rpc.grpc.status_code', code);
      if (SERVER_FAULTS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: grpc.status[code] });
      span.end();
      histogram().record(performance.now() - started, { 'rpc.method': method, 'rpc.grpc.status_code': code });
      try {
        if (!headersFirst) call.sendMetadata(trailers.clone());
        finish(error, value);
      } catch (err) {
        // Sending can fail (a stream the client already closed); that must not become an unhandled rejection.
        logger().warn({ err }, 'could not send the call result');
      }
    };

    const outcome = context.with(trace.setSpan(parent, span), async () => {
      try {
        const who = resolveCaller(call, opts.tokenSecret, isPublic);
        caller = who.caller;
        const value = await body({
          caller: who.caller,
          requestId,
          deadline,
          get logger() {
            return logger();
          },
          get signal() {
            return (abort ??= abortSignalFor(call, deadline)).signal;
          },
          credentialsExpire: who.expires,
          stopping: shutdown.signal,
        });
        return { code: grpc.status.OK, error: null, value };
      } catch (err) {
        const status = toStatusError(err, trailers);
        if (err instanceof DomainError) {
          logger().info({ code: err.code, reason: err.reason }, 'call refused');
        } else {
          // The real error stays in our logs and trace; the caller only learns that it was internal.
          span.recordException(err instanceof Error ? err : new Error(String(err)));
          logger().error({ err }, 'call failed');
        }
        return { code: status.code, error: status, value: undefined };
      }
    });
    void outcome.then(({ code, error, value }) => settle(code, error, value));
  }

  // `for await (const msg of call)` destroys the stream when the loop ends; on a duplex that also destroys the
  // response side, so the status would never be sent. Iterating without destroying keeps the status path intact.
  function iterableWithoutDestroy<T extends Readable>(stream: T): T {
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: () => stream.iterator({ destroyOnReturn: false }),
      configurable: true,
    });
    return stream;
  }

  function endStream(call: grpc.ServerWritableStream<unknown, unknown>, error: StatusError | null): void {
    if (error) call.emit('error', error);
    else if (!call.writableEnded) call.end();
  }

  return {
    beginShutdown: () => shutdown.abort(new Error('the server is shutting down')),

    unary: (fn, handlerOpts = {}) => (call, callback) =>
      run(call, handlerOpts.public ?? false, false, (ctx) => fn(call.request, ctx), (error, value) =>
        error ? callback(error) : callback(null, value)),

    serverStream: (fn, handlerOpts = {}) => (call) =>
      run(call, handlerOpts.public ?? false, true, (ctx) => fn(call.request, call, ctx), (error) =>
        endStream(call as grpc.ServerWritableStream<unknown, unknown>, error)),

    bidi: (fn, handlerOpts = {}) => (call) =>
      run(call, handlerOpts.public ?? false, true, (ctx) => fn(iterableWithoutDestroy(call), ctx), (error) =>
        endStream(call as unknown as grpc.ServerWritableStream<unknown, unknown>, error)),

    clientStream: (fn, handlerOpts = {}) => (call, callback) =>
      run(call, handlerOpts.public ?? false, true, (ctx) => fn(iterableWithoutDestroy(call), ctx), (error, value) =>
        error ? callback(error) : callback(null, value)),
  };
}
