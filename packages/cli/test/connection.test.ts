import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionFrom } from '../src/connection.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function platformDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'credit-cli-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.data'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.data', name), text);
  return dir;
}

describe('where the CLI connects', () => {
  it('uses the endpoints and token that npm start left in .data', () => {
    const dir = platformDir({ 'endpoints.json': '{"registry":"127.0.0.1:6001","disclosures":"127.0.0.1:6003","nats":"nats://127.0.0.1:6002"}', 'dev-token': 'tok\n' });
    const saved = { ...process.env };
    delete process.env.NATS_URL;
    delete process.env.CREDIT_REGISTRY;
    delete process.env.CREDIT_DISCLOSURES;
    delete process.env.CREDIT_TOKEN;
    try {
      expect(connectionFrom({}, dir)).toEqual({ registry: '127.0.0.1:6001', disclosures: '127.0.0.1:6003', nats: 'nats://127.0.0.1:6002', token: 'tok' });
      expect(connectionFrom({ registry: 'h:1', token: 't' }, dir)).toMatchObject({ registry: 'h:1', token: 't' });
    } finally {
      process.env = saved;
    }
  });

  it('falls back to the default ports without a local platform', () => {
    const dir = platformDir({});
    const saved = { ...process.env };
    delete process.env.NATS_URL;
    delete process.env.CREDIT_REGISTRY;
    delete process.env.CREDIT_DISCLOSURES;
    delete process.env.CREDIT_TOKEN;
    try {
      expect(connectionFrom({}, dir)).toEqual({ registry: '127.0.0.1:50052', disclosures: '127.0.0.1:50053', nats: 'nats://127.0.0.1:4222', token: undefined });
    } finally {
      process.env = saved;
    }
  });
});
