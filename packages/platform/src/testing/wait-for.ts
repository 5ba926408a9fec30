/**
 * Polls `fn` until it returns something other than undefined or false, and returns that. A thrown error counts as
 * "not yet"; when time runs out the last one is reported. Tests wait for conditions, never for fixed times.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = opts.message ?? `condition not met within ${timeoutMs} ms`;
      throw new Error(lastError ? `${why} (last error: ${String(lastError)})` : why, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}
