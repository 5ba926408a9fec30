import { describe, expect, it } from 'vitest';
import { ConfigError, env, readConfig } from '../src/config.js';

const spec = {
  databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
  natsUrl: env.url('NATS_URL', { default: 'nats://127.0.0.1:4222' }),
  port: env.int('GRPC_PORT', { default: 50051, min: 0, max: 65535 }),
  batchSize: env.int('BATCH_SIZE', { min: 1 }),
  tracing: env.bool('TRACING', { default: false }),
  tokenSecret: env.string('TOKEN_SECRET', { secret: true }),
  logLevel: env.oneOf('LOG_LEVEL', ['debug', 'info', 'warn'] as const, { default: 'info' }),
};

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    readConfig(spec, source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('returns typed values and applies defaults for unset variables', () => {
    const config = readConfig(spec, {
      DATABASE_URL: 'postgres://u:p@db:5432/registry',
      BATCH_SIZE: '500',
      TRACING: 'yes',
      TOKEN_SECRET: 's3cret',
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://u:p@db:5432/registry',
      natsUrl: 'nats://127.0.0.1:4222',
      port: 50051,
      batchSize: 500,
      tracing: true,
      tokenSecret: 's3cret',
      logLevel: 'info',
    });
  });

  it('lists every missing and invalid variable in one error', () => {
    const problems = problemsOf({
      DATABASE_URL: 'http://db/registry',
      GRPC_PORT: '70000',
      BATCH_SIZE: '12abc',
      TRACING: 'maybe',
      LOG_LEVEL: 'trace',
    });
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL must use one of postgres, postgresql/),
        expect.stringMatching(/^GRPC_PORT must be at most 65535/),
        expect.stringMatching(/^BATCH_SIZE must be an integer/),
        expect.stringMatching(/^TRACING must be true or false/),
        'TOKEN_SECRET is required but not set',
        expect.stringMatching(/^LOG_LEVEL must be one of debug, info, warn/),
      ]),
    );
  });

  it('treats an empty value as unset', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://db/x', BATCH_SIZE: '  ', TOKEN_SECRET: '' });
    expect(problems).toEqual(['BATCH_SIZE is required but not set', 'TOKEN_SECRET is required but not set']);
  });

  it('never echoes the value of a URL, which may contain a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'not a url with hunter2', BATCH_SIZE: '1', TOKEN_SECRET: 'x' });
    expect(problems).toEqual(['DATABASE_URL is not a valid URL']);
    expect(problems.join(' ')).not.toContain('hunter2');
  });

  it('rejects an integer below its minimum', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://db/x', BATCH_SIZE: '0', TOKEN_SECRET: 'x' });
    expect(problems).toEqual(['BATCH_SIZE must be at least 1, got 0']);
  });

  it('puts every problem into the error message so a crash log shows them all', () => {
    const error = new ConfigError(['A is required but not set', 'B must be an integer, got "x"']);
    expect(error.message).toContain('A is required but not set');
    expect(error.message).toContain('B must be an integer');
  });
});
