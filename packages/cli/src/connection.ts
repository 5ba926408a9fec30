import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the CLI finds the platform: flags, then environment, then the local platform started by `npm start`. */
export interface Connection {
  registry: string;
  disclosures: string;
  nats: string;
  token: string | undefined;
}

/** What `npm start` writes under .data/ for the CLI: its endpoints and a department token. */
function localPlatform(cwd: string): { registry?: string; disclosures?: string; nats?: string; token?: string } {
  const read = (file: string) => (existsSync(join(cwd, '.data', file)) ? readFileSync(join(cwd, '.data', file), 'utf8').trim() : undefined);
  const endpoints = read('endpoints.json');
  return { ...(endpoints ? (JSON.parse(endpoints) as { registry?: string; disclosures?: string; nats?: string }) : {}), token: read('dev-token') };
}

export function connectionFrom(flags: { registry?: string; disclosures?: string; nats?: string; token?: string }, cwd = process.cwd()): Connection {
  const local = localPlatform(cwd);
  return {
    registry: flags.registry ?? process.env.CREDIT_REGISTRY ?? local.registry ?? '127.0.0.1:50052',
    disclosures: flags.disclosures ?? process.env.CREDIT_DISCLOSURES ?? local.disclosures ?? '127.0.0.1:50053',
    nats: flags.nats ?? process.env.NATS_URL ?? local.nats ?? 'nats://127.0.0.1:4222',
    token: flags.token ?? process.env.CREDIT_TOKEN ?? local.token,
  };
}
