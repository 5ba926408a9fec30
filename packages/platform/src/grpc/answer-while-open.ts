import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../errors.js';
import { credentialsExpired } from './caller.js';
import { MAX_TIMER_MS } from './call-scope.js';
import type { CallContext } from './kit.js';

/**
 * For a long-lived request/answer stream (many small questions over one call, answered synchronously from memory).
 * Answers each message as it comes, in order, until the client half-closes (resolves) or the stream must end: the
 * server is stopping (UNAVAILABLE, so the client reconnects elsewhere), the caller's token or certificate expired
 * (UNAUTHENTICATED) or the answering failed (INTERNAL). A client that stops reading pauses the reading side until the
 * answers drain.
 */
export function answerWhileOpen<Req, Res>(call: grpc.ServerDuplexStream<Req, Res>, ctx: CallContext, reply: (msg: Req) => Res): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let expiry: NodeJS.Timeout | undefined;
    const finish = (err?: Error) => {
      clearTimeout(expiry);
      ctx.stopping.removeEventListener('abort', onStopping);
      ctx.signal.removeEventListener('abort', onCancelled);
      call.removeListener('data', onData);
      call.pause();
      if (err) reject(err);
      else resolve();
    };
    const onStopping = () => finish(new DomainError('UNAVAILABLE', 'SHUTTING_DOWN', '服务正在停止，请重新连接'));
    const onCancelled = () => finish();
    const armExpiry = () => {
      const expires = ctx.credentialsExpire;
      if (!expires) return;
      const wait = expires.at.getTime() - Date.now();
      if (wait <= 0) return finish(credentialsExpired(expires));
      // Credentials holding longer than setTimeout can wait are looked at again when the timer fires.
      expiry = setTimeout(armExpiry, Math.min(wait, MAX_TIMER_MS));
      expiry.unref();
    };
    if (ctx.stopping.aborted) return onStopping();
    ctx.stopping.addEventListener('abort', onStopping, { once: true });
    ctx.signal.addEventListener('abort', onCancelled, { once: true });
    armExpiry();
    const onData = (msg: Req) => {
      let res: Res;
      try {
        res = reply(msg);
      } catch (err) {
        return finish(err instanceof Error ? err : new Error(String(err)));
      }
      if (!call.write(res)) {
        call.pause();
        call.once('drain', () => call.resume());
      }
    };
    call.on('data', onData);
    call.on('end', () => finish());
    call.on('error', (err) => finish(err));
  });
}
