import { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import type { IngestRecordsRequest, IngestRecordsResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';
import { describe, expect, it } from 'vitest';
import { IngestStream } from './ingest-stream.js';

/** The client end of a bidi call, answered by the test: what was written, and a way to answer it. */
class FakeCall extends EventEmitter {
  readonly written: IngestRecordsRequest[] = [];
  ended = false;
  cancelled = false;
  write(chunk: IngestRecordsRequest): boolean {
    this.written.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  cancel(): void {
    this.cancelled = true;
  }
  answer(requestId: string): void {
    this.emit('data', { requestId, results: [] } satisfies IngestRecordsResponse);
  }
  asCall(): grpc.ClientDuplexStream<IngestRecordsRequest, IngestRecordsResponse> {
    return this as unknown as grpc.ClientDuplexStream<IngestRecordsRequest, IngestRecordsResponse>;
  }
}

const chunk = (n: number): IngestRecordsRequest => ({ requestId: `r-${n}`, itemCode: 'AMR-CF-001', columns: [], rows: [] });
const settle = () => new Promise((r) => setImmediate(r));

describe('the ingest stream', () => {
  it('keeps at most the allowed number of chunks unanswered and hands answers over in order', async () => {
    const call = new FakeCall();
    const handled: number[] = [];
    const stream = new IngestStream<number>(call.asCall(), 2, (_answer, n) => void handled.push(n));
    const sending = (async () => {
      for (let n = 0; n < 5; n++) await stream.send(chunk(n), n);
    })();
    await settle();
    expect(call.written.map((c) => c.requestId)).toEqual(['r-0', 'r-1']);

    call.answer('r-0');
    await settle();
    expect(call.written).toHaveLength(3);
    for (const id of ['r-1', 'r-2', 'r-3', 'r-4']) {
      call.answer(id);
      await settle();
    }
    await sending;
    const closing = stream.close();
    call.emit('end');
    await closing;
    expect(handled).toEqual([0, 1, 2, 3, 4]);
    expect(call.ended).toBe(true);
  });

  it('stops sending and reports the failure when an answer cannot be handled', async () => {
    const call = new FakeCall();
    const stream = new IngestStream<number>(call.asCall(), 1, () => {
      throw new Error('disk full');
    });
    await stream.send(chunk(0), 0);
    const next = stream.send(chunk(1), 1);
    call.answer('r-0');
    await expect(next).rejects.toThrow('disk full');
    expect(call.written).toHaveLength(1);
    expect(call.cancelled).toBe(true);
    call.emit('error', new Error('cancelled'));
    await expect(stream.close()).rejects.toThrow('disk full');
  });

  it('fails when the service answers a chunk it was not sent next', async () => {
    const call = new FakeCall();
    const stream = new IngestStream<number>(call.asCall(), 4, () => undefined);
    await stream.send(chunk(0), 0);
    await stream.send(chunk(1), 1);
    call.answer('r-1');
    call.emit('error', new Error('cancelled'));
    await expect(stream.close()).rejects.toThrow(/r-1 does not match the chunk sent \(r-0\)/);
  });

  it('fails when the service ends the stream with chunks unanswered', async () => {
    const call = new FakeCall();
    const stream = new IngestStream<number>(call.asCall(), 4, () => undefined);
    await stream.send(chunk(0), 0);
    const closing = stream.close();
    call.emit('end');
    await expect(closing).rejects.toThrow(/1 chunks unanswered/);
  });
});

describe('waiting for the stream to be idle', () => {
  it('returns once every chunk sent is answered and handled', async () => {
    const call = new FakeCall();
    const handled: number[] = [];
    const stream = new IngestStream<number>(call.asCall(), 4, (_answer, n) => void handled.push(n));
    await stream.send(chunk(0), 0);
    await stream.send(chunk(1), 1);
    let idle = false;
    const waiting = stream.idle().then(() => (idle = true));
    call.answer('r-0');
    await settle();
    expect(idle).toBe(false);
    call.answer('r-1');
    await waiting;
    expect(handled).toEqual([0, 1]);
  });
});
