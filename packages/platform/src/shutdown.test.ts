import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { onShutdown } from './shutdown.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function silentLogger() {
  const messages: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      messages.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('test', { destination }), messages };
}

describe('onShutdown', () => {
  it('runs the steps in order, once, however often it is triggered', async () => {
    const ran: string[] = [];
    const step = (name: string) => ({ name, run: async () => void ran.push(name) });
    const { logger } = silentLogger();
    const stop = onShutdown([step('grpc'), step('nats'), step('db')], logger, { signals: [] });
    await Promise.all([stop(), stop()]);
    await stop();
    expect(ran).toEqual(['grpc', 'nats', 'db']);
  });

  it('keeps going after a failing step and does not throw', async () => {
    const ran: string[] = [];
    const { logger, messages } = silentLogger();
    const stop = onShutdown(
      [
        { name: 'grpc', run: async () => Promise.reject(new Error('boom')) },
        { name: 'db', run: async () => void ran.push('db') },
      ],
      logger,
      { signals: [] },
    );
    await expect(stop()).resolves.toBeUndefined();
    expect(ran).toEqual(['db']);
    expect(messages).toContainEqual(expect.objectContaining({ step: 'grpc', msg: 'shutdown step failed' }));
  });

  it('abandons a step that outlives the budget and still runs the later ones', async () => {
    const ran: string[] = [];
    const { logger } = silentLogger();
    const stop = onShutdown(
      [
        { name: 'stuck', run: () => new Promise<void>(() => {}) },
        { name: 'telemetry', run: async () => void ran.push('telemetry') },
      ],
      logger,
      { signals: [], timeoutMs: 50 },
    );
    await stop();
    expect(ran).toEqual(['telemetry']);
  });

  it('runs the steps on SIGTERM and exits the process with 0', async () => {
    // A real process, because the behaviour under test is exiting it.
    const script = `
      import { createLogger } from '${new URL('./logger.ts', import.meta.url).href}';
      import { onShutdown } from '${new URL('./shutdown.ts', import.meta.url).href}';
      const logger = createLogger('signal-test');
      onShutdown([
        { name: 'first', run: async () => console.log('STEP first') },
        { name: 'second', run: async () => console.log('STEP second') },
      ], logger);
      console.log('READY');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@credit/source', '--input-type=module', '-e', script], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('READY')) resolve();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const steps = stdout.split('\n').filter((l) => l.startsWith('STEP'));
    expect(steps).toEqual(['STEP first', 'STEP second']);
  });
});
