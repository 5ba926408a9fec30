// The procurement system: its database, its sector connection, its event handling and its HTTP endpoint, started
// together and stopped in the reverse order.
import { once as onceEvent } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connectSector } from '@credit/sector-sdk';
import { applyMeasure, MEASURE } from './apply-measure.js';
import type { ProcurementConfig } from './config.js';
import { openDatabase } from './db.js';
import { procurementHttp } from './http.js';
import type { Log } from './log.js';

export interface Procurement {
  port: number;
  stop(): Promise<void>;
}

export async function startProcurement(config: ProcurementConfig, log: Log): Promise<Procurement> {
  const db = await openDatabase(config.databaseUrl, log);
  const sector = await connectSector({
    department: 'finance',
    nats: { servers: config.natsUrl, ...(config.natsUser ? { user: config.natsUser, pass: config.natsPass ?? '' } : {}) },
    lists: { address: config.listsAddress, token: config.token },
    subjectPrefix: config.subjectPrefix,
  }).catch(async (err: unknown) => {
    await db.end();
    throw err;
  });
  try {
    const measure = (await sector.listMeasures()).find((m) => m.code === MEASURE);
    if (!measure || measure.listTypes.length === 0) {
      throw new Error(`the platform defines no measure ${MEASURE} with list types for department finance`);
    }
    const subscription = await sector.subscribe({
      listTypes: measure.listTypes,
      handler: applyMeasure({ db, sector, log }),
      onError: (p) =>
        log(p.kind === 'handler_failed' ? 'warn' : 'error', `event ${p.kind}`, {
          ...('event' in p ? { eventId: p.event.id, entryId: p.event.entry?.id } : {}),
          ...('error' in p ? { err: p.error } : {}),
          ...('reason' in p ? { reason: p.reason } : {}),
        }),
      onUnknown: (u) => log('warn', 'event type unknown to this SDK version; acked', u),
    });
    log('info', 'subscribed', { listTypes: measure.listTypes, durables: subscription.durables.map((d) => d.durable) });

    const http = procurementHttp({ db, sector, log });
    http.listen(config.httpPort);
    await onceEvent(http, 'listening');
    const port = (http.address() as AddressInfo).port;
    log('info', 'listening', { port });
    return {
      port,
      async stop() {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
        });
        // Handlers in progress finish and ack before NATS drains.
        await sector.close();
        await db.end();
      },
    };
  } catch (err) {
    await sector.close();
    await db.end();
    throw err;
  }
}
