// gRPC to the lists service: every call carries the sector's bearer token and a deadline, and every failure comes
// back as a SectorError.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { CreditCheckServiceClient, ListsServiceClient } from './gen/credit/lists/v1/lists.js';
import { toSectorError } from './errors.js';

export interface ListsConnection {
  /** host:port of the lists service. */
  address: string;
  /** The sector system's bearer token (sent as `authorization: Bearer <token>`). */
  token: string;
  /** Mutual TLS with the platform CA. Absent = plaintext (only inside a trusted network or in tests). */
  tls?: { rootCert: Buffer; certChain?: Buffer; privateKey?: Buffer; serverName?: string };
  /** Deadline of each call (default 10 s). */
  deadlineMs?: number;
}

export interface Rpc {
  lists: ListsServiceClient;
  creditCheck: CreditCheckServiceClient;
  deadlineMs: number;
  close(): void;
}

const DEFAULT_DEADLINE_MS = 10_000;

function authInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        // The platform logs it with the call, so a sector's log line and the platform's can be matched.
        if (metadata.get('x-request-id').length === 0) metadata.set('x-request-id', randomUUID());
        next(metadata, listener);
      },
    });
}

export function openRpc(conn: ListsConnection): Rpc {
  const credentials = conn.tls
    ? grpc.credentials.createSsl(conn.tls.rootCert, conn.tls.privateKey ?? null, conn.tls.certChain ?? null)
    : grpc.credentials.createInsecure();
  const options: Partial<grpc.ClientOptions> = { interceptors: [authInterceptor(conn.token)] };
  if (conn.tls?.serverName) options['grpc.ssl_target_name_override'] = conn.tls.serverName;
  const lists = new ListsServiceClient(conn.address, credentials, options);
  // One channel for both services: they are served by the same process.
  const creditCheck = new CreditCheckServiceClient(conn.address, credentials, { ...options, channelOverride: lists.getChannel() });
  return {
    lists,
    creditCheck,
    deadlineMs: conn.deadlineMs ?? DEFAULT_DEADLINE_MS,
    close() {
      lists.close();
    },
  };
}

type Unary<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

/** One unary call with a deadline; rejects with a SectorError naming the operation in English and Chinese. */
export function unary<Req, Res>(
  rpc: Rpc,
  call: Unary<Req, Res>,
  req: Req,
  operation: { en: string; zh: string },
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    call(req, new grpc.Metadata(), { deadline: Date.now() + rpc.deadlineMs }, (err, res) =>
      err ? reject(toSectorError(err, operation.en, operation.zh)) : resolve(res),
    );
  });
}
