import type { DataSource, EntityManager } from 'typeorm';
import {
  Outbox,
  alreadyExists,
  appendAudit,
  idempotent,
  inTransaction,
  invalidArgument,
  notFound,
  type Caller,
  type FieldViolation,
} from '@credit/platform';
import {
  COLUMN_OF_FIELD,
  checkLabel,
  composeVersion,
  confirmItem,
  draftItem,
  itemFromRow,
  requireDepartment,
  returnItem,
  reviseItem,
  submitItem,
  validateItem,
  type CatalogItem,
  type CatalogVersion,
  type InformationCategory,
  type ItemInput,
  type ItemState,
  type PublishedItem,
} from '../domain/index.js';
import { confirmedItemsForUpdate, findItem, findItems, insertItems, listItems, markPublished, saveItem } from '../db/item-store.js';
import { findVersion, findVersionByLabel, insertVersion, versionItems } from '../db/version-store.js';
import { itemConfirmed, versionPublished } from '../events/catalog-events.js';
import { importCodec, itemCodec, versionCodec } from './codecs.js';
import type { ImportResult, RowResult } from './import-result.js';
import { readResponsibilityList } from './read-csv.js';

const PAGE_MAX = 200;
// Publications take turns: the version number is the previous one plus one.
const PUBLISH_LOCK_KEY = 7_312_101;

export interface ItemPage {
  items: CatalogItem[];
  nextPageToken: string;
}

export interface PublishedCatalog {
  version: CatalogVersion;
  items: PublishedItem[];
}

/** The catalog's use cases: each validates, changes state, and writes its events and audit in one transaction. */
export class Catalog {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createItem(caller: Caller, requestId: string, input: ItemInput): Promise<CatalogItem> {
    requireDepartment(caller);
    const checked = validateItem(input);
    if (!checked.ok) throw invalidArgument(checked.violations);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'CreateItem' }, itemCodec, async () => {
        const [created] = await insertItems(em, [draftItem(caller, checked.item, this.now())]);
        if (!created) throw codeTaken(checked.item.code);
        await appendAudit(em, [{ actor: caller, requestId, command: 'CreateItem', target: created.code, after: created }]);
        return created;
      }),
    );
  }

  async updateItem(caller: Caller, requestId: string, input: ItemInput): Promise<CatalogItem> {
    const checked = validateItem(input);
    if (!checked.ok) throw invalidArgument(checked.violations);
    return this.change(caller, requestId, 'UpdateItem', checked.item.code, (item) => reviseItem(caller, item, checked.item, this.now()));
  }

  submitItem(caller: Caller, requestId: string, code: string): Promise<CatalogItem> {
    return this.change(caller, requestId, 'SubmitItem', code, (item) => submitItem(caller, item, this.now()));
  }

  async confirmItem(caller: Caller, requestId: string, code: string): Promise<CatalogItem> {
    const item = await this.change(caller, requestId, 'ConfirmItem', code, (i) => confirmItem(caller, i, this.now()), (em, after) =>
      this.outbox.add(em, [itemConfirmed(after)]),
    );
    return item;
  }

  returnItem(caller: Caller, requestId: string, code: string, reason: string): Promise<CatalogItem> {
    return this.change(caller, requestId, 'ReturnItem', code, (item) => returnItem(caller, item, reason, this.now()));
  }

  async getItem(code: string): Promise<CatalogItem> {
    const item = await findItem(this.ds.manager, code.trim());
    if (!item) throw itemNotFound(code);
    return item;
  }

  async listItems(
    filter: { ownerDepartment?: string; state?: ItemState; category?: InformationCategory },
    pageSize: number,
    pageToken: string,
  ): Promise<ItemPage> {
    const limit = Math.min(Math.max(pageSize || 50, 1), PAGE_MAX);
    const items = await listItems(this.ds.manager, filter, limit + 1, decodeCursor(pageToken));
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextPageToken: items.length > limit && last ? encodeCursor(last.code) : '' };
  }

  /** 权责清单 import: each row is its own outcome; good rows commit together, bad rows store nothing. */
  async importResponsibilityList(caller: Caller, requestId: string, csv: Uint8Array): Promise<ImportResult> {
    requireDepartment(caller);
    const rows = readResponsibilityList(csv);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'ImportResponsibilityList' }, importCodec, async () => {
        const results: RowResult[] = [];
        const drafts: Array<{ at: number; item: CatalogItem }> = [];
        const seen = new Set<string>();
        const now = this.now();
        for (const { row, values } of rows) {
          const rejected = (violations: FieldViolation[]) => results.push({ row, itemCode: values.事项编码.trim(), outcome: 'rejected', violations });
          const fromRow = itemFromRow(values);
          if (!fromRow.ok) {
            rejected(fromRow.violations);
            continue;
          }
          const checked = validateItem(fromRow.item);
          if (!checked.ok) {
            rejected(checked.violations.map((v) => ({ ...v, field: COLUMN_OF_FIELD[v.field] ?? v.field })));
            continue;
          }
          if (seen.has(checked.item.code)) {
            rejected([{ field: '事项编码', reason: 'DUPLICATE_IN_FILE', message: `事项编码 ${checked.item.code} 在文件中重复出现` }]);
            continue;
          }
          seen.add(checked.item.code);
          drafts.push({ at: results.length, item: draftItem(caller, checked.item, now) });
          results.push({ row, itemCode: checked.item.code, outcome: 'created', violations: [] });
        }
        const inserted = new Set((await insertItems(em, drafts.map((d) => d.item))).map((i) => i.code));
        const holders = new Map((await findItems(em, drafts.filter((d) => !inserted.has(d.item.code)).map((d) => d.item.code))).map((i) => [i.code, i]));
        for (const { at, item } of drafts) {
          const holder = holders.get(item.code);
          if (!holder) continue;
          // Re-importing a department's own list finds its items; another department's code is a conflict.
          results[at] =
            holder.ownerDepartment === caller.department
              ? { ...results[at]!, outcome: 'existing' }
              : { ...results[at]!, outcome: 'rejected', violations: [takenViolation(item.code, '事项编码')] };
        }
        if (inserted.size > 0) {
          await appendAudit(em, [
            { actor: caller, requestId, command: 'ImportResponsibilityList', target: `${inserted.size} items`, after: { created: [...inserted] } },
          ]);
        }
        const count = (o: RowResult['outcome']) => results.filter((r) => r.outcome === o).length;
        return { results, created: count('created'), existing: count('existing'), rejected: count('rejected') };
      }),
    );
  }

  /** The office publishes every confirmed revision (and the previous version's items under revision) as a new version. */
  async publishVersion(caller: Caller, requestId: string, label: string): Promise<CatalogVersion> {
    const wanted = checkLabel(label);
    const version = await inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'PublishVersion' }, versionCodec, async () => {
        await em.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK_KEY]);
        const previous = await findVersion(em);
        const confirmed = await confirmedItemsForUpdate(em);
        const items = composeVersion(caller, confirmed, previous ? await versionItems(em, previous.version) : []);
        if (await findVersionByLabel(em, wanted)) {
          throw alreadyExists('LABEL_TAKEN', `目录版本“${wanted}”已发布，请使用新的版本名称`, [
            { field: 'label', reason: 'LABEL_TAKEN', message: '版本名称已被使用' },
          ]);
        }
        const next: CatalogVersion = {
          version: (previous?.version ?? 0) + 1,
          label: wanted,
          publishedAt: this.now(),
          publishedBy: caller.subject,
          itemCount: items.length,
        };
        await insertVersion(em, next, items);
        await markPublished(em, confirmed.map((i) => i.code), next.version);
        await this.outbox.add(em, [versionPublished(next)]);
        await appendAudit(em, [
          { actor: caller, requestId, command: 'PublishVersion', target: `${next.version}`, after: { ...next, items: items.map((i) => `${i.code}@${i.revision}`) } },
        ]);
        return next;
      }),
    );
    return version;
  }

  /** The latest version when `version` is 0 or absent. */
  async publishedCatalog(version?: number): Promise<PublishedCatalog> {
    if (version !== undefined && (!Number.isInteger(version) || version < 0)) {
      throw invalidArgument([{ field: 'version', reason: 'OUT_OF_RANGE', message: '目录版本号须为正整数（0 表示最新版本）' }]);
    }
    const em = this.ds.manager;
    const found = await findVersion(em, version || undefined);
    if (!found) {
      throw version ? notFound('VERSION_NOT_FOUND', `目录第 ${version} 版不存在`) : notFound('NO_PUBLISHED_VERSION', '尚未发布任何目录版本');
    }
    return { version: found, items: await versionItems(em, found.version) };
  }

  /** Loads the item under a row lock, applies a domain transition, and records it. */
  private change(
    caller: Caller,
    requestId: string,
    command: string,
    code: string,
    transition: (item: CatalogItem) => CatalogItem,
    also: (em: EntityManager, after: CatalogItem) => Promise<void> = async () => {},
  ): Promise<CatalogItem> {
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: command }, itemCodec, async () => {
        const before = await findItem(em, code.trim(), true);
        if (!before) throw itemNotFound(code);
        const changed = transition(before);
        if (changed === before) return before;
        const after = await saveItem(em, changed);
        await also(em, after);
        await appendAudit(em, [{ actor: caller, requestId, command, target: after.code, before, after }]);
        return after;
      }),
    );
  }
}

const itemNotFound = (code: string) => notFound('ITEM_NOT_FOUND', `目录事项 ${code.trim()} 不存在`);

const takenViolation = (code: string, field: string): FieldViolation => ({
  field,
  reason: 'ITEM_CODE_TAKEN',
  message: `事项编码 ${code} 已被其他目录事项使用`,
});

const codeTaken = (code: string) => alreadyExists('ITEM_CODE_TAKEN', `事项编码 ${code} 已被其他目录事项使用`, [takenViolation(code, 'code')]);

function encodeCursor(code: string): string {
  return Buffer.from(JSON.stringify([code]), 'utf8').toString('base64url');
}

function decodeCursor(token: string): string | undefined {
  if (token === '') return undefined;
  try {
    const [code] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof code === 'string' && code.length <= 64) return code;
  } catch {
    // fall through to the error below
  }
  throw invalidArgument([{ field: 'page.page_token', reason: 'BAD_PAGE_TOKEN', message: '分页令牌无效' }]);
}
