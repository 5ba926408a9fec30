import type * as grpc from '@grpc/grpc-js';

/**
 * Serves a bidirectional stream of independent chunks: each request message is handled as it arrives, up to
 * `concurrency` at once (the database stores one chunk while the next is validated), and each answer is written in
 * the order the requests came. Reading pauses while every slot is busy, so a fast client is held back by flow
 * control instead of by memory growing here. The first failure ends the call with that error; answers already
 * written stay written.
 */
export function answerInOrder<Req, Res>(
  call: grpc.ServerDuplexStream<Req, Res>,
  concurrency: number,
  handle: (request: Req) => Promise<Res>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let active = 0;
    let ended = false;
    let failed = false;
    // The answer chain never rejects: a failure is reported once, through `fail`.
    let answers = Promise.resolve();

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    const finishIfDone = () => {
      if (ended && active === 0) void answers.then(() => !failed && resolve());
    };

    call.on('data', (request: Req) => {
      if (failed) return;
      active++;
      if (active >= concurrency) call.pause();
      const answer = handle(request);
      answers = answers.then(async () => {
        const response = await answer.catch(() => undefined);
        if (response !== undefined && !failed) call.write(response);
      });
      answer.then(() => {
        active--;
        if (!failed) call.resume();
        finishIfDone();
      }, fail);
    });
    call.on('end', () => {
      ended = true;
      finishIfDone();
    });
    call.on('error', fail);
  });
}
