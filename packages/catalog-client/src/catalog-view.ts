import type * as grpc from '@grpc/grpc-js';
import { CatalogServiceClient, type GetPublishedCatalogResponse } from '@credit/contracts/credit/catalog/v1/catalog.js';
import { CatalogVersionPublished } from '@credit/contracts/credit/catalog/v1/events.js';
import {
  callUnary,
  createClient,
  failedPrecondition,
  notFound,
  permissionDenied,
  reasonOf,
  tailEvents,
  type Bus,
  type Caller,
  type Logger,
  type TlsFiles,
} from '@credit/platform';
import { fromPublishedCatalog } from './from-message.js';
import type { InformationCategory, PublishedCatalog, PublishedItem } from './types.js';

export const VERSION_PUBLISHED_SUBJECT = 'credit.catalog.v1.version_published';

export interface CatalogViewOptions {
  /** The catalog service, host:port. */
  address: string;
  /** The host service's token; GetPublishedCatalog is public, so it may be omitted. */
  token?: string;
  tls?: TlsFiles;
  serverName?: string;
  /** The host service's bus (its subject prefix is respected). The view never closes it. */
  bus: Bus;
  logger: Logger;
  /** First delay before retrying a failed load (default 250 ms); doubles up to retryMaxMs (default 5 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Deadline of one load call (default 10 s). */
  loadDeadlineMs?: number;
}

interface Indexed extends PublishedCatalog {
  byCode: Map<string, PublishedItem>;
  byOwner: Map<string, PublishedItem[]>;
}

/**
 * The latest published catalog in memory, for services that check every record against it. It loads over gRPC at
 * start (retrying in the background while the catalog service is unreachable), reloads once per
 * CatalogVersionPublished event, keeps answering from the old version while a new one loads, and re-checks the
 * version after a NATS reconnect in case an event went by meanwhile.
 */
export class CatalogView {
  private catalog?: Indexed;
  private readonly client: grpc.Client;
  private stopped = false;
  private started = false;
  private loading?: Promise<void>;
  private again = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private readonly tailing = new AbortController();
  private tailLoop?: Promise<void>;
  private statusWatch?: { stop?: () => void };
  private readonly waiters = new Set<() => void>();

  constructor(private readonly opts: CatalogViewOptions) {
    this.client = createClient(reconnectingClient(this.retryMax), opts.address, {
      token: opts.token,
      tls: opts.tls,
      serverName: opts.serverName,
      deadlineMs: opts.loadDeadlineMs ?? 10_000,
    }) as unknown as grpc.Client;
  }

  /** Starts loading and listening; returns at once (use `loaded()` to wait for the first version). */
  start(): this {
    if (this.started) return this;
    this.started = true;
    this.tailLoop = this.followEvents();
    void this.watchReconnects();
    this.refresh();
    return this;
  }

  /** Resolves when a version is in memory (at once if one is), or rejects after `timeoutMs`. */
  loaded(timeoutMs = 30_000): Promise<PublishedCatalog> {
    if (this.catalog) return Promise.resolve(this.catalog);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(notLoaded());
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(this.catalog!);
      };
      this.waiters.add(done);
    });
  }

  current(): PublishedCatalog | undefined {
    return this.catalog;
  }

  item(code: string): PublishedItem | undefined {
    return this.catalog?.byCode.get(code);
  }

  itemsOwnedBy(department: string, category?: InformationCategory): PublishedItem[] {
    const owned = this.catalog?.byOwner.get(department) ?? [];
    return category ? owned.filter((i) => i.category === category) : [...owned];
  }

  /**
   * The item a caller reports a record of, if it may: the item must be published and owned by the caller's
   * department. Throws FAILED_PRECONDITION CATALOG_NOT_LOADED, NOT_FOUND ITEM_NOT_PUBLISHED or
   * PERMISSION_DENIED NOT_ITEM_OWNER.
   */
  authorizeRecord(caller: Caller, itemCode: string): PublishedItem {
    const catalog = this.catalog;
    if (!catalog) throw notLoaded();
    const item = catalog.byCode.get(itemCode);
    if (!item) throw notFound('ITEM_NOT_PUBLISHED', `目录事项 ${itemCode} 不在已发布的公共信用信息目录（${catalog.label}）中`);
    if (caller.role !== 'department' || caller.department !== item.ownerDepartment) {
      throw permissionDenied('NOT_ITEM_OWNER', `目录事项 ${itemCode} 由部门 ${item.ownerDepartment} 负责报送，${caller.department || '当前调用方'}不能报送该事项的信息`);
    }
    return item;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.tailing.abort();
    this.statusWatch?.stop?.();
    await this.loading?.catch(() => undefined);
    await this.tailLoop;
    this.client.close();
  }

  /** Loads the latest version unless a load is running, in which case that one loads again when it ends. */
  private refresh(): void {
    if (this.stopped) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async load(): Promise<void> {
    try {
      const res = await callUnary<unknown, GetPublishedCatalogResponse>(this.client, 'getPublishedCatalog', { version: 0 });
      this.failures = 0;
      const next = fromPublishedCatalog(res);
      if (this.catalog && next.version <= this.catalog.version) return;
      this.catalog = indexed(next);
      this.opts.logger.info({ version: next.version, label: next.label, items: next.items.length }, '已加载公共信用信息目录 (catalog loaded)');
      for (const w of this.waiters) w();
      this.waiters.clear();
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      const reason = reasonOf(err);
      // No version yet is normal before the first publication: the event will say when there is one.
      const delay = reason === 'NO_PUBLISHED_VERSION' ? this.retryMax : Math.min(this.retryMax, (this.opts.retryBaseMs ?? 250) * 2 ** (this.failures - 1));
      this.opts.logger.warn({ err, reason, retryInMs: delay }, '公共信用信息目录加载失败，稍后重试 (catalog load failed)');
      this.retryTimer = setTimeout(() => this.refresh(), delay);
    }
  }

  private get retryMax(): number {
    return this.opts.retryMaxMs ?? 5_000;
  }

  /**
   * Every publication from the stream's start: a handful a year, filtered on the server, and replaying them closes
   * the gap between the first load and the subscription. A version at or below the one held is ignored.
   */
  private async followEvents(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await tailEvents(this.opts.bus, { subject: VERSION_PUBLISHED_SUBJECT, fromStart: true, signal: this.tailing.signal }, (e) => {
          failures = 0;
          const { version } = CatalogVersionPublished.decode(e.data);
          if (!this.catalog || version > this.catalog.version) this.refresh();
        });
      } catch (err) {
        if (this.stopped) return;
        failures++;
        this.opts.logger.warn({ err }, '目录发布事件订阅失败，稍后重试 (catalog event subscription failed)');
      }
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, Math.min(this.retryMax, 250 * 2 ** failures)));
    }
  }

  private async watchReconnects(): Promise<void> {
    const status = this.opts.bus.nc.status();
    this.statusWatch = status as { stop?: () => void };
    for await (const s of status) {
      if (this.stopped) return;
      if (s.type === 'reconnect') this.refresh();
    }
  }
}

/**
 * grpc-js backs a failed connection off for up to two minutes and shares it with every channel to the same address;
 * the view must notice a catalog service that has just come up within its own retry time instead.
 */
function reconnectingClient(maxBackoffMs: number) {
  return class extends CatalogServiceClient {
    constructor(address: string, credentials: grpc.ChannelCredentials, options: Partial<grpc.ClientOptions> = {}) {
      super(address, credentials, {
        ...options,
        'grpc.use_local_subchannel_pool': 1,
        'grpc.initial_reconnect_backoff_ms': Math.min(100, maxBackoffMs),
        'grpc.max_reconnect_backoff_ms': maxBackoffMs,
      });
    }
  };
}

function notLoaded() {
  return failedPrecondition('CATALOG_NOT_LOADED', '公共信用信息目录尚未加载（目录服务暂不可用或尚未发布目录），请稍后重试');
}

function indexed(c: PublishedCatalog): Indexed {
  const byOwner = new Map<string, PublishedItem[]>();
  for (const i of c.items) byOwner.set(i.ownerDepartment, [...(byOwner.get(i.ownerDepartment) ?? []), i]);
  return { ...c, byCode: new Map(c.items.map((i) => [i.code, i])), byOwner };
}
