import type * as grpc from '@grpc/grpc-js';
import { ListsServiceClient, type ListListTypesResponse, type ListMeasuresResponse } from '@credit/contracts/credit/lists/v1/lists.js';
import { callUnary, createClient, type TlsFiles } from '@credit/platform';
import { defaultListTypes, defaultMeasures, type ListType, type Measure } from './domain/index.js';
import { toListTypeMessage, toMeasureMessage } from './grpc/messages.js';

export interface DefaultListsOptions {
  /** Bearer token of the leading group office (role office). */
  officeToken: string;
  listTypes?: ListType[];
  measures?: Measure[];
  tls?: TlsFiles;
}

export interface DefaultListsResult {
  /** List types and measures defined (or redefined because they differed) by this run. */
  listTypesDefined: number;
  measuresDefined: number;
}

/**
 * Defines the regional plan's list types and measures as the office. Safe to run again: what is already defined
 * exactly so is left alone, and request ids name the content, so a retried run repeats nothing.
 */
export async function publishDefaultLists(address: string, opts: DefaultListsOptions): Promise<DefaultListsResult> {
  const client = createClient(ListsServiceClient, address, { token: opts.officeToken, tls: opts.tls }) as unknown as grpc.Client;
  try {
    const types = (opts.listTypes ?? defaultListTypes()).map(toListTypeMessage);
    const measures = (opts.measures ?? defaultMeasures()).map(toMeasureMessage);
    const haveTypes = (await callUnary<unknown, ListListTypesResponse>(client, 'listListTypes', {})).listTypes;
    let listTypesDefined = 0;
    for (const t of types) {
      const have = haveTypes.find((h) => h.code === t.code);
      if (have && same(have, t)) continue;
      await callUnary(client, 'defineListType', { requestId: `default-lists:type:${t.code}:${fingerprint(t)}`, listType: t });
      listTypesDefined++;
    }
    const haveMeasures = (await callUnary<unknown, ListMeasuresResponse>(client, 'listMeasures', { implementingDepartment: '' })).measures;
    let measuresDefined = 0;
    for (const m of measures) {
      const have = haveMeasures.find((h) => h.code === m.code);
      if (have && same(have, m)) continue;
      await callUnary(client, 'defineMeasure', { requestId: `default-lists:measure:${m.code}:${fingerprint(m)}`, measure: m });
      measuresDefined++;
    }
    return { listTypesDefined, measuresDefined };
  } finally {
    client.close();
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A short digest of the content, so a changed default gets a fresh request id. */
function fingerprint(value: unknown): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(value)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16);
}
