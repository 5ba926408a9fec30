import { testToken } from '@credit/platform/testing';
import { runCli } from '../src/cli.js';
import type { TestRegistry } from '../../../services/registry/test/harness.js';

export interface CliResult {
  exitCode: number;
  /** Everything printed, split into lines (one printed block may span several). */
  lines: string[];
}

/** Runs `credit …` in this process and captures what it prints. */
export async function runCapture(argv: string[], signal?: AbortSignal): Promise<CliResult> {
  const printed: string[] = [];
  const exitCode = await runCli(argv, (block) => printed.push(block), signal);
  return { exitCode, lines: printed.flatMap((block) => block.split('\n')) };
}

/** The flags that point the CLI at a test registry, its NATS and subject prefix, as a department officer. */
export function connectionFlags(registry: TestRegistry): string[] {
  return [
    '--registry', `127.0.0.1:${registry.running.grpcPort}`,
    '--token', testToken({ department: 'amr', role: 'department', subject: 'cli-test' }),
    '--nats', registry.natsUrl,
    '--prefix', registry.prefix,
  ];
}
