import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the CLI finds the platform: flags, then environment, then the local platform started by `npm start`. */
export interface Connection {
  registry: string;
  nats: string;
  token: string | undefined;
}

export function connectionFrom(flags: { registry?: string; nats?: string; token?: string }, cwd = process.cwd()): Connection {
  const devToken = join(cwd, '.data', 'dev-token');
  return {
    registry: flags.registry ?? process.env.CREDIT_REGISTRY ?? '127.0.0.1:50052',
    nats: flags.nats ?? process.env.NATS_URL ?? process.env.CREDIT_NATS ?? 'nats://127.0.0.1:4222',
    token: flags.token ?? process.env.CREDIT_TOKEN ?? (existsSync(devToken) ? readFileSync(devToken, 'utf8').trim() : undefined),
  };
}
