import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('names every missing setting at once', () => {
    expect(() => loadConfig({})).toThrow('NATS_URL is required; LISTS_ADDRESS is required; PROCUREMENT_TOKEN is required; PROCUREMENT_DATABASE_URL is required');
  });

  it('defaults the HTTP port to 8090 and refuses one that is no port', () => {
    const env = { NATS_URL: 'nats://127.0.0.1:4222', LISTS_ADDRESS: '127.0.0.1:50061', PROCUREMENT_TOKEN: 't', PROCUREMENT_DATABASE_URL: 'postgres://x/y' };
    expect(loadConfig(env)).toMatchObject({ httpPort: 8090, subjectPrefix: '' });
    expect(() => loadConfig({ ...env, PROCUREMENT_HTTP_PORT: '80a' })).toThrow('PROCUREMENT_HTTP_PORT "80a" is not a port number');
  });
});
