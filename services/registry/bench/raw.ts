// Raw limits of the stack the registry runs on, measured with the same clients in the same run.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { callUnary } from '@credit/platform';
import { nameSearchTokens } from '../src/domain/index.js';
import { company } from '../test/harness.js';

/** COPY of entity rows into a table shaped like the registry's, with the same indexes. */
export async function rawCopyRowsPerSecond(databaseUrl: string, n: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_entity_copy (LIKE entity INCLUDING ALL)');
    const lines = function* () {
      for (let i = 1; i <= n; i++) {
        const e = company(20_000_000 + i);
        // The same tokens the registry stores (bench names need no quoting inside an array literal).
        const tokens = `{${nameSearchTokens(e.name).join(',')}}`;
        yield `${e.uscc}\t\\N\t${e.uscc.slice(8, 17)}\t${e.name}\t${tokens}\tlegal_person\t540102\t${e.legalRepresentative}\t\\N\t${e.establishedOn}\tamr\n`;
      }
    };
    const start = performance.now();
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          'COPY bench_entity_copy (uscc, registration_number, organization_code, name, name_tokens, kind, division_code, legal_representative, address, established_on, reporting_department) FROM STDIN',
        ),
      ),
    );
    return n / ((performance.now() - start) / 1000);
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_entity_copy');
    await client.end();
  }
}

/** Unary calls that touch no database, 64 in flight: what gRPC itself allows here. */
export async function rawUnaryPerSecond(client: grpc.Client, seconds: number): Promise<number> {
  let calls = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < until) {
        await callUnary(client, 'validateCodes', { codes: ['91110000600037341L'] });
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - start) / 1000);
}
