/**
 * An event that can never be processed, however often it is redelivered (malformed envelope, payload that fails to
 * decode, a rule it breaks for good). A handler throws it to have the message dead-lettered at once instead of retried.
 */
export class PoisonEvent extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PoisonEvent';
  }
}

/** Also true for a PoisonEvent from another copy of this module (a bundled service, a second install). */
export function isPoison(err: unknown): boolean {
  return err instanceof PoisonEvent || (err instanceof Error && err.name === 'PoisonEvent');
}
