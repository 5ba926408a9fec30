// Clients for calls between services: every call carries the trace context (under a CLIENT span), the caller's
// token, a request id, and a deadline, so nobody has to remember them per call.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { platformTracer } from '../telemetry/tracer.js';
import { REQUEST_ID_KEY } from './call-scope.js';
import { channelCredentials, type TlsFiles } from './credentials.js';

export interface ClientOptions {
  /** Sent as `authorization: Bearer <token>` unless a call sets its own. */
  token?: string;
  tls?: TlsFiles;
  /** Deadline for unary calls that set none; streams have none by default (an import may run for minutes). */
  deadlineMs?: number;
  /** Expected server name in its certificate when it differs from the address host. */
  serverName?: string;
}

const DEFAULT_DEADLINE_MS = 10_000;

export function clientInterceptor(opts: Pick<ClientOptions, 'token' | 'deadlineMs'> = {}): grpc.Interceptor {
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return (options, nextCall) => {
    const definition = options.method_definition;
    const method = definition.path.replace(/^\//, '');
    const streaming = definition.requestStream || definition.responseStream;
    const callOptions =
      options.deadline === undefined && !streaming ? { ...options, deadline: Date.now() + deadlineMs } : options;

    const [service, name] = method.split('/');
    const span = platformTracer.startSpan(method, {
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': name },
    });
    const spanContext = trace.setSpan(context.active(), span);

    return new grpc.InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        const carrier: Record<string, string> = {};
        propagation.inject(spanContext, carrier);
        for (const [key, value] of Object.entries(carrier)) metadata.set(key, value);
        if (opts.token && metadata.get('authorization').length === 0) metadata.set('authorization', `Bearer ${opts.token}`);
        if (metadata.get(REQUEST_ID_KEY).length === 0) metadata.set(REQUEST_ID_KEY, randomUUID());
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            span.setAttribute('rpc.grpc.status_code', status.code);
            if (status.code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: status.details });
            span.end();
            nextStatus(status);
          },
        });
      },
    });
  };
}

export function createClient<C extends grpc.Client>(
  Ctor: new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>) => C,
  address: string,
  opts: ClientOptions = {},
): C {
  const options: Partial<grpc.ClientOptions> = { interceptors: [clientInterceptor(opts)] };
  if (opts.serverName) options['grpc.ssl_target_name_override'] = opts.serverName;
  return new Ctor(address, channelCredentials(opts.tls), options);
}

type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  callback: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

/** A unary call as a promise; `method` is the client's method name ('registerEntity' or 'RegisterEntity'). */
export function callUnary<Req, Res>(client: grpc.Client, method: string, req: Req, metadata?: grpc.Metadata): Promise<Res> {
  const methods = client as unknown as Record<string, unknown>;
  const name = method in methods ? method : method.charAt(0).toLowerCase() + method.slice(1);
  const fn = methods[name];
  if (typeof fn !== 'function') return Promise.reject(new TypeError(`the client has no method "${method}"`));
  return new Promise<Res>((resolve, reject) => {
    (fn as UnaryMethod<Req, Res>).call(client, req, metadata ?? new grpc.Metadata(), (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}
