import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortSignalFor, type SurfaceCall } from './call-scope.js';

/** Just what abortSignalFor reads of a server call. */
function fakeCall(cancelled: boolean): SurfaceCall & EventEmitter {
  return Object.assign(new EventEmitter(), { cancelled }) as unknown as SurfaceCall & EventEmitter;
}

describe('abortSignalFor', () => {
  it('is aborted at once when asked for after the client already cancelled (the kit makes it on first use)', () => {
    const scope = abortSignalFor(fakeCall(true), undefined);
    expect(scope.signal.aborted).toBe(true);
    expect(String(scope.signal.reason)).toContain('cancelled by the client');
    scope.dispose();
  });

  it('aborts when the client cancels later, and not after dispose', () => {
    const call = fakeCall(false);
    const scope = abortSignalFor(call, undefined);
    expect(scope.signal.aborted).toBe(false);
    call.emit('cancelled');
    expect(scope.signal.aborted).toBe(true);

    const later = fakeCall(false);
    const disposed = abortSignalFor(later, new Date(Date.now() + 60_000));
    disposed.dispose();
    later.emit('cancelled');
    expect(disposed.signal.aborted).toBe(false);
  });

  it('is aborted at once for a deadline already passed', () => {
    const scope = abortSignalFor(fakeCall(false), new Date(Date.now() - 1));
    expect(scope.signal.aborted).toBe(true);
    scope.dispose();
  });
});
