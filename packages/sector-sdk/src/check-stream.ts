// Credit checks over one long-lived CheckCreditStream instead of a unary call each: a system that checks every
// bidder of every tender pays the call set-up once. The stream opens on the first check and again after it breaks;
// checks in flight when it breaks are asked once more on the next stream (a check only reads), and a server without
// the stream (UNIMPLEMENTED) is asked with unary calls from then on.
import * as grpc from '@grpc/grpc-js';
import type * as pb from './gen/credit/lists/v1/lists.js';
import { codeNamed, SectorError, toSectorError } from './errors.js';
import { unary, type Rpc } from './rpc.js';

const OPERATION = { en: 'CheckCredit', zh: '信用核查' };

interface Pending {
  req: pb.CheckCreditRequest;
  resolve(res: pb.CheckCreditResponse): void;
  reject(err: SectorError): void;
  timer: NodeJS.Timeout;
  /** Whether it was already asked again after a broken stream. */
  retried: boolean;
}

export class CheckStream {
  private call: grpc.ClientDuplexStream<pb.CheckCreditStreamRequest, pb.CheckCreditStreamResponse> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextTag = 1;
  private useUnary = false;
  private closed = false;
  // Streams given up on because a check on them went unanswered past its deadline (a silently dead connection would
  // otherwise take every later check down with it).
  private readonly abandoned = new WeakSet<object>();

  constructor(private readonly rpc: Rpc) {}

  check(req: pb.CheckCreditRequest): Promise<pb.CheckCreditResponse> {
    if (this.closed) return Promise.reject(new SectorError({ code: 'UNAVAILABLE', operation: OPERATION.en, operationZh: OPERATION.zh, detail: 'the sector client is closed' }));
    if (this.useUnary) return this.askUnary(req);
    return new Promise<pb.CheckCreditResponse>((resolve, reject) => {
      const tag = this.nextTag++;
      const timer = setTimeout(() => {
        this.pending.delete(tag);
        this.abandonStream();
        reject(new SectorError({ code: 'DEADLINE_EXCEEDED', operation: OPERATION.en, operationZh: OPERATION.zh, detail: `no answer within ${this.rpc.deadlineMs} ms` }));
      }, this.rpc.deadlineMs);
      this.pending.set(tag, { req, resolve, reject, timer, retried: false });
      this.send(tag, req);
    });
  }

  /** Ends the stream; checks still waiting are refused. */
  close(): void {
    this.closed = true;
    const call = this.call;
    this.call = undefined;
    call?.end();
    this.failAll(new SectorError({ code: 'UNAVAILABLE', operation: OPERATION.en, operationZh: OPERATION.zh, detail: 'the sector client is closed' }));
  }

  private abandonStream(): void {
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    this.abandoned.add(call);
    call.cancel();
  }

  private askUnary(req: pb.CheckCreditRequest): Promise<pb.CheckCreditResponse> {
    return unary(this.rpc, this.rpc.creditCheck.checkCredit.bind(this.rpc.creditCheck), req, OPERATION);
  }

  private send(tag: number, req: pb.CheckCreditRequest): void {
    (this.call ??= this.open()).write({ tag, check: req });
  }

  private open() {
    const call = this.rpc.creditCheck.checkCreditStream(new grpc.Metadata());
    call.on('data', (res: pb.CheckCreditStreamResponse) => this.answered(res));
    // Every way a stream ends reports a status; OK comes only after our own end() (close) or a server that ended it
    // without saying why, which is as broken as any other end for checks still waiting.
    call.on('status', (status: grpc.StatusObject) => this.broken(call, status));
    call.on('error', () => undefined); // the same failure, reported again through 'status'
    return call;
  }

  private answered(res: pb.CheckCreditStreamResponse): void {
    const waiting = this.pending.get(res.tag);
    if (!waiting) return; // given up on (deadline) before the answer came
    this.pending.delete(res.tag);
    clearTimeout(waiting.timer);
    if (res.result?.$case === 'answer') return waiting.resolve(res.result.value);
    const refusal = res.result?.$case === 'refused' ? res.result.value : undefined;
    waiting.reject(
      new SectorError({
        code: refusal ? codeNamed(refusal.code) : 'INTERNAL',
        operation: OPERATION.en,
        operationZh: OPERATION.zh,
        detail: refusal?.message ?? 'the answer has neither a result nor a refusal',
        ...(refusal?.reason ? { reason: refusal.reason } : {}),
        violations: refusal?.violations ?? [],
      }),
    );
  }

  private broken(call: grpc.ClientDuplexStream<pb.CheckCreditStreamRequest, pb.CheckCreditStreamResponse>, status: grpc.StatusObject): void {
    if (this.call === call) this.call = undefined;
    if (this.pending.size === 0 || this.closed) return;
    const ended = status.code === grpc.status.OK || this.abandoned.has(call);
    const error = ended ? { ...status, code: grpc.status.UNAVAILABLE, details: 'the check stream ended' } : status;
    if (status.code === grpc.status.UNIMPLEMENTED) {
      this.useUnary = true;
      for (const [tag, waiting] of this.pending) {
        this.pending.delete(tag);
        clearTimeout(waiting.timer);
        this.askUnary(waiting.req).then(waiting.resolve, waiting.reject);
      }
      return;
    }
    const failure = toSectorError(Object.assign(new Error(error.details), error), OPERATION.en, OPERATION.zh);
    for (const [tag, waiting] of this.pending) {
      if (failure.code === 'UNAVAILABLE' && !waiting.retried) {
        waiting.retried = true;
        this.send(tag, waiting.req);
      } else {
        this.pending.delete(tag);
        clearTimeout(waiting.timer);
        waiting.reject(failure);
      }
    }
  }

  private failAll(err: SectorError): void {
    for (const [tag, waiting] of this.pending) {
      this.pending.delete(tag);
      clearTimeout(waiting.timer);
      waiting.reject(err);
    }
  }
}
