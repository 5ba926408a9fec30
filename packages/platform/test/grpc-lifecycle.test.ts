import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GetEntityRequest, GetEntityResponse } from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary } from '../src/grpc/index.js';
import type { CallContext } from '../src/grpc/index.js';
import { testToken } from '../src/testing/identity.js';
import { echoEntity, startRegistry, type Harness } from './grpc-harness.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A handler that reports when it has started and answers only when released (or when its signal fires). */
function gatedHandler() {
  const entered = deferred<CallContext>();
  const release = deferred();
  const aborted = deferred<unknown>();
  const handler = async (_req: GetEntityRequest, ctx: CallContext): Promise<GetEntityResponse> => {
    ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.signal.reason));
    entered.resolve(ctx);
    await Promise.race([release.promise, aborted.promise]);
    return { entity: echoEntity({ name: 'finished' }) };
  };
  return { handler, entered: entered.promise, release: release.resolve, aborted: aborted.promise };
}

const request: GetEntityRequest = { key: { $case: 'uscc', value: 'x' } };
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('gRPC server shutdown', () => {
  it('lets an in-flight call finish and then refuses new calls', async () => {
    const gate = gatedHandler();
    harness = await startRegistry((kit) => ({ getEntity: kit.unary(gate.handler) }));
    const client = harness.client({ token: testToken() });
    const inFlight = callUnary<GetEntityRequest, GetEntityResponse>(client, 'getEntity', request);
    await gate.entered;

    const stopped = harness.server.shutdown(10_000);
    gate.release();
    await expect(inFlight).resolves.toMatchObject({ entity: { name: 'finished' } });
    await stopped;

    const late = harness.client({ token: testToken(), deadlineMs: 2_000 });
    await expect(callUnary(late, 'getEntity', request)).rejects.toMatchObject({
      code: expect.toSatisfy((code: number) => code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED),
    });
  });

  it('cancels calls still running when the shutdown timeout is spent', async () => {
    const gate = gatedHandler();
    harness = await startRegistry((kit) => ({ getEntity: kit.unary(gate.handler) }));
    const client = harness.client({ token: testToken(), deadlineMs: 30_000 });
    const stuck = callUnary(client, 'getEntity', request);
    await gate.entered;

    await harness.server.shutdown(100);
    // grpc-js reports a force-closed call as CANCELLED, or as UNAVAILABLE when the connection goes first.
    await expect(stuck).rejects.toMatchObject({
      code: expect.toSatisfy((code: number) => code === grpc.status.CANCELLED || code === grpc.status.UNAVAILABLE),
    });
    // The handler learns about it through its signal and can stop its work.
    await expect(gate.aborted).resolves.toBeInstanceOf(Error);
  });
});

describe('gRPC call deadline', () => {
  it('exposes the client deadline and aborts the handler signal when it passes', async () => {
    const gate = gatedHandler();
    harness = await startRegistry((kit) => ({ getEntity: kit.unary(gate.handler) }));
    const client = harness.client({ token: testToken(), deadlineMs: 1_000 });
    const before = Date.now();
    const call = callUnary(client, 'getEntity', request);

    const ctx = await gate.entered;
    expect(ctx.deadline).toBeInstanceOf(Date);
    expect(ctx.deadline!.getTime()).toBeGreaterThan(before);
    expect(ctx.deadline!.getTime()).toBeLessThanOrEqual(before + 2_000);
    await expect(call).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    await expect(gate.aborted).resolves.toBeInstanceOf(Error);
    expect(ctx.signal.aborted).toBe(true);
  });

  it('aborts the handler signal when the client cancels', async () => {
    const gate = gatedHandler();
    harness = await startRegistry((kit) => ({ getEntity: kit.unary(gate.handler) }));
    const client = harness.client({ token: testToken() });
    const call = (client as unknown as grpc.Client & {
      getEntity(req: GetEntityRequest, md: grpc.Metadata, cb: (err: grpc.ServiceError | null) => void): grpc.ClientUnaryCall;
    }).getEntity(request, new grpc.Metadata(), () => {});

    const ctx = await gate.entered;
    expect(ctx.signal.aborted).toBe(false);
    call.cancel();
    await expect(gate.aborted).resolves.toBeInstanceOf(Error);
  });
});
