import type * as grpc from '@grpc/grpc-js';
import {
  CatalogServiceClient,
  ItemState,
  type CatalogItem as ItemMessage,
  type GetItemResponse,
  type GetPublishedCatalogResponse,
  type PublishVersionResponse,
} from '@credit/contracts/credit/catalog/v1/catalog.js';
import { callUnary, createClient, reasonOf, type TlsFiles } from '@credit/platform';
import { DEFAULT_CATALOG_LABEL, DEMO_DEPARTMENTS, defaultDoublePublicityItems, type PublicityDepartment } from './domain/index.js';
import { category, disclosure, frequency, level } from './grpc/enums.js';
import { toFieldMessage } from './grpc/messages.js';

export interface DefaultCatalogOptions {
  /** Bearer token of an officer of the given department (role department). */
  departmentToken(department: string): string;
  /** Bearer token of the leading group office (role office). */
  officeToken: string;
  departments?: readonly PublicityDepartment[];
  label?: string;
  tls?: TlsFiles;
}

export interface DefaultCatalogResult {
  /** Items created by this run. */
  created: number;
  /** False when the latest version already held every default item. */
  published: boolean;
  version: number;
  label: string;
}

type Item = ReturnType<typeof defaultDoublePublicityItems>[number];

/**
 * Creates the double publicity (双公示) items of each department, confirms them as their owner and publishes them as
 * the office. Safe to run again: items already there are carried forward from where they are, request ids are
 * derived from the item's state, and nothing is published when the latest version already holds every item.
 */
export async function publishDefaultCatalog(address: string, opts: DefaultCatalogOptions): Promise<DefaultCatalogResult> {
  const label = opts.label ?? DEFAULT_CATALOG_LABEL;
  const items = defaultDoublePublicityItems(opts.departments ?? DEMO_DEPARTMENTS);
  const clients: grpc.Client[] = [];
  const client = (token: string) => {
    const c = createClient(CatalogServiceClient, address, { token, tls: opts.tls }) as unknown as grpc.Client;
    clients.push(c);
    return c;
  };
  try {
    const office = client(opts.officeToken);
    const latest = await latestVersion(office);
    const held = new Set(latest?.items.map((i) => i.code) ?? []);
    if (latest?.version && items.every((i) => held.has(i.code))) {
      return { created: 0, published: false, version: latest.version.version, label: latest.version.label };
    }
    let created = 0;
    const officers = new Map<string, grpc.Client>();
    for (const item of items) {
      let officer = officers.get(item.ownerDepartment);
      if (!officer) officers.set(item.ownerDepartment, (officer = client(opts.departmentToken(item.ownerDepartment))));
      if (await confirmAsOwner(officer, item)) created++;
    }
    const previous = latest?.version?.version ?? 0;
    const res = await callUnary<unknown, PublishVersionResponse>(office, 'publishVersion', {
      requestId: `default-catalog:publish:${label}:after-${previous}`,
      label,
    });
    return { created, published: true, version: res.version!.version, label: res.version!.label };
  } finally {
    clients.forEach((c) => c.close());
  }
}

async function latestVersion(client: grpc.Client): Promise<GetPublishedCatalogResponse | undefined> {
  try {
    return await callUnary<unknown, GetPublishedCatalogResponse>(client, 'getPublishedCatalog', { version: 0 });
  } catch (err) {
    if (reasonOf(err) === 'NO_PUBLISHED_VERSION') return undefined;
    throw err;
  }
}

/** Walks one item to confirmed from wherever it is; true when this run created it. */
async function confirmAsOwner(client: grpc.Client, item: Item): Promise<boolean> {
  let current = await findItem(client, item.code);
  const created = current === undefined;
  current ??= await step(client, 'createItem', { requestId: `default-catalog:create:${item.code}`, item: toInput(item) });
  // The request id names the item's exact state, so a re-run repeats nothing and a later state gets a fresh id.
  const stateId = (i: ItemMessage) => `${i.code}:r${i.revision}:${i.updatedAt?.getTime() ?? 0}`;
  if (current.state === ItemState.ITEM_STATE_DRAFT) {
    current = await step(client, 'submitItem', { requestId: `default-catalog:submit:${stateId(current)}`, code: item.code });
  }
  if (current.state === ItemState.ITEM_STATE_SUBMITTED) {
    await step(client, 'confirmItem', { requestId: `default-catalog:confirm:${stateId(current)}`, code: item.code });
  }
  return created;
}

async function findItem(client: grpc.Client, code: string): Promise<ItemMessage | undefined> {
  try {
    return (await callUnary<unknown, GetItemResponse>(client, 'getItem', { code })).item;
  } catch (err) {
    if (reasonOf(err) === 'ITEM_NOT_FOUND') return undefined;
    throw err;
  }
}

async function step(client: grpc.Client, method: string, req: unknown): Promise<ItemMessage> {
  return (await callUnary<unknown, { item?: ItemMessage }>(client, method, req)).item!;
}

function toInput(i: Item) {
  return {
    code: i.code,
    name: i.name,
    level: level.toProto(i.level),
    category: category.toProto(i.category),
    fields: i.fields.map(toFieldMessage),
    disclosure: disclosure.toProto(i.disclosure),
    updateFrequency: frequency.toProto(i.updateFrequency),
    legalBasis: i.legalBasis,
  };
}
