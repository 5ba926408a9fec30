import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from './ports.js';

export interface RunningNats {
  url: string;
  stop(): Promise<void>;
}

export class NatsServerMissing extends Error {}

function findNatsServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`nats-server did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** NATS_URL when given, otherwise a nats-server from PATH with JetStream, its store under dataDir. */
export async function startNats(dataDir: string, log: (line: string) => void): Promise<RunningNats> {
  if (process.env.NATS_URL) {
    log(`NATS: 使用 NATS_URL`);
    return { url: process.env.NATS_URL, stop: async () => {} };
  }
  const binary = findNatsServer();
  if (!binary) {
    throw new NatsServerMissing(
      '未找到 nats-server。请安装（Debian/Ubuntu: apt-get install nats-server；或从 NATS 官方发布页下载），' +
        '或设置 NATS_URL 指向已有的 NATS JetStream 服务。 (nats-server not found on PATH: install it or set NATS_URL)',
    );
  }
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const port = await freePort(4223);
  const child: ChildProcess = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForPort(port, 10_000);
  log(`NATS: nats-server (JetStream) 已启动，端口 ${port}`);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
