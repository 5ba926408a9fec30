// The durable consumers sector systems bind to. A sector cannot create consumers itself (its NATS account may
// not), so the platform provisions one per (implementing department, list type) and per (department, rating sector)
// whenever a measure says that department needs them.
import { ensureDurable, streamName, type Bus, type Logger } from '@credit/platform';
import type { DataSource } from 'typeorm';
import type { ListType, Measure } from '../domain/index.js';
import { subscriptions, type SubscriptionRow } from '../db/store.js';

// A sector handler that keeps failing is given up after this many deliveries (the SDK may stop earlier).
const MAX_DELIVER = 10;
const ACK_WAIT_MS = 60_000;

export class SectorSubscriptions {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  get stream(): string {
    return streamName(this.bus, 'CREDIT_EVENTS');
  }

  /** The subscriptions a measure needs; `types` must hold its list types. */
  wanted(m: Measure, types: ListType[]): SubscriptionRow[] {
    const colourOf = new Map(types.map((t) => [t.code, t.colour]));
    const dept = m.implementingDepartment;
    return [
      ...m.listTypes.map((lt) => ({
        durable: `sector_${dept}_${lt}`,
        department: dept,
        listType: lt,
        filterSubject: `${this.bus.prefix}credit.lists.v1.*.${colourOf.get(lt)!}.${lt}`,
      })),
      ...m.ratings.map((r) => ({
        durable: `sector_${dept}_rating_${r.sector}`,
        department: dept,
        ratingSector: r.sector,
        filterSubject: `${this.bus.prefix}credit.lists.v1.rating_changed.rating.${r.sector}`,
      })),
    ];
  }

  async ensure(subs: SubscriptionRow[]): Promise<void> {
    for (const s of subs) {
      // Deliver all: a sector joining late still learns every entry in force.
      await ensureDurable(this.bus, {
        stream: this.stream,
        durable: s.durable,
        filterSubject: s.filterSubject,
        maxDeliver: MAX_DELIVER,
        ackWaitMs: ACK_WAIT_MS,
        deliverPolicy: 'all',
      });
    }
  }

  /** At start: every durable ever promised exists (a crash after commit, or a wiped JetStream, loses none). */
  async ensureAll(): Promise<void> {
    const all = await subscriptions(this.ds.manager);
    await this.ensure(all);
    this.logger.info({ durables: all.length }, '行业订阅已就绪 (sector durables ensured)');
  }

  forDepartment(department: string): Promise<SubscriptionRow[]> {
    return subscriptions(this.ds.manager, department);
  }
}
