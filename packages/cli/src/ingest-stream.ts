import type * as grpc from '@grpc/grpc-js';
import type { IngestRecordsRequest, IngestRecordsResponse } from '@credit/contracts/credit/disclosures/v1/disclosures.js';

/**
 * The client side of `IngestRecords` with flow control: at most `maxInFlight` chunks are sent and unanswered, so a
 * file of a million rows never sits in memory, and the service always has the next chunk ready. Each answer is
 * handed to `onAnswer` together with what the caller kept about its chunk (the rows' cells for the report), one
 * answer at a time and in order; the chunk's slot is freed only when `onAnswer` is done, so a slow report writer
 * holds the reader back too.
 *
 * The first failure (the stream's error, an answer out of order, `onAnswer` throwing) is kept: `send` and `close`
 * throw it, and answers after it are ignored.
 */
export class IngestStream<Kept> {
  /** Sent, no answer yet, oldest first. */
  private readonly unanswered: { requestId: string; kept: Kept }[] = [];
  /** Sent and not yet handled: what flow control counts. */
  private inFlight = 0;
  private handling = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private readonly ended: Promise<void>;

  constructor(
    private readonly stream: grpc.ClientDuplexStream<IngestRecordsRequest, IngestRecordsResponse>,
    private readonly maxInFlight: number,
    private readonly onAnswer: (answer: IngestRecordsResponse, kept: Kept) => Promise<void> | void,
  ) {
    this.ended = new Promise<void>((resolve) => {
      stream.on('data', (answer: IngestRecordsResponse) => this.answered(answer));
      stream.on('error', (err: Error) => {
        this.fail(err);
        resolve();
      });
      stream.on('end', () => {
        if (this.unanswered.length > 0) this.fail(new Error(`the service ended the stream with ${this.unanswered.length} chunks unanswered`));
        resolve();
      });
    });
  }

  /** Sends a chunk once there is room for it. */
  async send(chunk: IngestRecordsRequest, kept: Kept): Promise<void> {
    while (this.inFlight >= this.maxInFlight && !this.failure) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure.error;
    this.inFlight++;
    this.unanswered.push({ requestId: chunk.requestId, kept });
    this.stream.write(chunk);
  }

  /** Waits until every chunk sent so far is answered and handled (or the stream failed). */
  async idle(): Promise<void> {
    while (this.inFlight > 0 && !this.failure) await new Promise<void>((r) => (this.wake = r));
    if (this.failure) throw this.failure.error;
  }

  /** Ends the request side and waits until every answer is handled; throws the first failure, if any. */
  async close(): Promise<void> {
    this.stream.end();
    await this.ended;
    await this.handling;
    if (this.failure) throw this.failure.error;
  }

  private answered(answer: IngestRecordsResponse): void {
    if (this.failure) return;
    const sent = this.unanswered.shift();
    if (!sent || sent.requestId !== answer.requestId) {
      this.fail(new Error(`the answer for ${answer.requestId} does not match the chunk sent (${sent?.requestId ?? 'none'})`));
      return;
    }
    // The chain never rejects: a failure is recorded once, through fail().
    this.handling = this.handling.then(async () => {
      if (this.failure) return;
      try {
        await this.onAnswer(answer, sent.kept);
        this.inFlight--;
        this.wakeSender();
      } catch (err) {
        this.fail(err);
      }
    });
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    // Nothing more will be read: the service may stop working on what is still in flight.
    this.stream.cancel();
    this.wakeSender();
  }

  private wakeSender(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
