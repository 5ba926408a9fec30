import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { freePort } from './ports.js';
import type { RunningService } from './services.js';

export interface RunningProcurement {
  url: string;
  process: RunningService['process'];
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * The example sector system (政府采购, department finance) as a process of its own, like a department would run it:
 * its own database, a sector token, NATS and the lists service's address, nothing of the platform's internals.
 * Ready once its HTTP endpoint answers, which it opens only after it bound to its durables.
 */
export async function startProcurement(
  env: { NATS_URL: string; LISTS_ADDRESS: string; PROCUREMENT_TOKEN: string; PROCUREMENT_DATABASE_URL: string },
  log: (line: string) => void,
): Promise<RunningProcurement> {
  const port = Number(process.env.PROCUREMENT_HTTP_PORT ?? (await freePort(8090)));
  const entry = require.resolve('@credit/sector-example/package.json').replace(/package\.json$/, 'dist/main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env: {
      ...process.env,
      ...env,
      PROCUREMENT_HTTP_PORT: String(port),
      // The local nats-server has no users; in Kubernetes it connects as sector_finance (k8s/base/nats).
      NATS_USER: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const outcome = await Promise.race([answering(url, 60_000, () => child.exitCode !== null).then(() => 'ready' as const), exited]);
  if (outcome !== 'ready') throw new Error(`政府采购示例系统启动失败 (exit code ${outcome})`);
  log(`政府采购示例系统 (sector example, finance): ${url}`);
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls GET /debarments until it answers 200, or the process is gone. */
async function answering(url: string, timeoutMs: number, gone: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!gone()) {
    const ok = await fetch(`${url}/debarments`, { signal: AbortSignal.timeout(1_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`${url} not answering after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: the process exited before it answered`);
}
