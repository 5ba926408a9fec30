import { existsSync } from 'node:fs';

let reachable: Promise<boolean> | undefined;

/**
 * Whether a container engine answers. Checked once per process, and quickly: without a socket or DOCKER_HOST no
 * attempt is made at all, and a silent engine gets a few seconds, never a hang.
 */
export function dockerReachable(): Promise<boolean> {
  reachable ??= (async () => {
    if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await withTimeout(getContainerRuntimeClient(), 5000, 'container runtime');
      return true;
    } catch {
      return false;
    }
  })();
  return reachable;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
