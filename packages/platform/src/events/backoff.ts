/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so many failing replicas or rows do not
 * retry in lock-step. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
