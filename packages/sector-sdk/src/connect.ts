import { readFileSync } from 'node:fs';
import { credsAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { type CreditCheckResult, toCreditCheckResult } from './credit-check.js';
import { CheckStream } from './check-stream.js';
import { SectorError } from './errors.js';
import { type Measure, toMeasure } from './model.js';
import { type FeedbackReport, feedbackRequest, type MeasureResponse, toMeasureResponse } from './feedback.js';
import { type ListsConnection, openRpc, unary } from './rpc.js';
import { startSubscription, type SubscribeOptions, type Subscription, type SubscriptionInfo } from './subscription.js';

export interface NatsCredentials {
  /** e.g. 'nats://nats.credit.internal:4222' or several. */
  servers: string | string[];
  /** Your sector system's own NATS user (one per sector system in production). */
  user?: string;
  pass?: string;
  token?: string;
  /** A .creds file (JWT + NKey seed) when the platform's NATS uses decentralised accounts. */
  credsFile?: string;
}

export interface SectorOptions {
  /** Your department's code, e.g. 'finance'. The platform knows it from your token; this names the connection. */
  department: string;
  nats: NatsCredentials;
  lists: ListsConnection;
  /** Bus prefix of a test or staging bus; '' in production. */
  subjectPrefix?: string;
}

export interface SectorClient {
  readonly department: string;
  /** False while the NATS connection is down (events wait on the server meanwhile) or after close(). */
  readonly natsConnected: boolean;
  /** The durable consumers the platform provisioned for your department. */
  listSubscriptions(): Promise<SubscriptionInfo[]>;
  /** The measures your department implements (联合奖惩措施), with the list types that trigger each. */
  listMeasures(): Promise<Measure[]>;
  /** Binds to your durables and calls `handler` for every event (at least once; see `once`). */
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
  /** 反馈: tell the platform what you did about an entry. Retrying the same report is safe. */
  reportFeedback(report: FeedbackReport): Promise<MeasureResponse>;
  /** 信用核查: which measures apply to the entity for one of your department's activities. */
  checkCredit(entityCode: string, activity?: string): Promise<CreditCheckResult>;
  /** Stops every subscription (handlers in progress finish and ack), drains NATS, closes gRPC. */
  close(): Promise<void>;
}

const DEPARTMENT = /^[a-z][a-z0-9_]{0,63}$/;

function validate(opts: SectorOptions): void {
  const problems: string[] = [];
  if (typeof opts?.department !== 'string' || !DEPARTMENT.test(opts.department)) {
    problems.push('department must be a department code such as "finance" (lower case letters, digits, _)');
  }
  const servers = opts?.nats?.servers;
  if (!servers || (Array.isArray(servers) && servers.length === 0)) problems.push('nats.servers is required');
  if (opts?.nats?.pass !== undefined && opts.nats.user === undefined) problems.push('nats.pass needs nats.user');
  if (!opts?.lists?.address) problems.push('lists.address (host:port of the lists service) is required');
  if (!opts?.lists?.token) problems.push('lists.token (your bearer token) is required');
  if (opts?.lists?.deadlineMs !== undefined && !(opts.lists.deadlineMs > 0)) problems.push('lists.deadlineMs must be positive');
  if (problems.length > 0) throw new TypeError(`connectSector: ${problems.join('; ')}`);
}

/**
 * The prefix of every reply subject of this sector's connection (JetStream API answers, pulled messages). One per
 * department, so that its NATS user may be allowed `_INBOX_<department>.>` alone and never see another sector's
 * replies, which the shared default `_INBOX.` would expose.
 */
export function sectorInboxPrefix(department: string): string {
  return `_INBOX_${department}`;
}

async function connectNats(department: string, creds: NatsCredentials): Promise<NatsConnection> {
  return connect({
    servers: creds.servers,
    name: `sector-${department}`,
    inboxPrefix: sectorInboxPrefix(department),
    // A sector system outlives broker restarts: it keeps trying, and its durables keep its place meanwhile.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    ...(creds.user !== undefined ? { user: creds.user, pass: creds.pass ?? '' } : {}),
    ...(creds.token !== undefined ? { token: creds.token } : {}),
    ...(creds.credsFile !== undefined ? { authenticator: credsAuthenticator(readFileSync(creds.credsFile)) } : {}),
  });
}

export async function connectSector(opts: SectorOptions): Promise<SectorClient> {
  validate(opts);
  const rpc = openRpc(opts.lists);
  const checks = new CheckStream(rpc);
  const nc = await connectNats(opts.department, opts.nats).catch((err: unknown) => {
    rpc.close();
    throw err;
  });
  const js = jetstream(nc);
  let natsConnected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') natsConnected = false;
      else if (s.type === 'reconnect') natsConnected = true;
    }
  })();
  const prefix = opts.subjectPrefix ?? '';
  const subscriptions = new Set<Subscription>();
  let closing: Promise<void> | undefined;

  async function listSubscriptions(): Promise<SubscriptionInfo[]> {
    const res = await unary(rpc, rpc.lists.listSubscriptions.bind(rpc.lists), {}, { en: 'ListSubscriptions', zh: '查询订阅' });
    return res.subscriptions.map((s) => ({
      stream: s.stream,
      durable: s.durable,
      filterSubject: s.filterSubject,
      ...(s.source?.$case === 'listType' ? { listType: s.source.value } : {}),
      ...(s.source?.$case === 'ratingSector' ? { ratingSector: s.source.value } : {}),
    }));
  }

  function choose(all: SubscriptionInfo[], want: SubscribeOptions): SubscriptionInfo[] {
    if (!want.listTypes && !want.ratingSectors) return all;
    const missing: string[] = [];
    const chosen: SubscriptionInfo[] = [];
    for (const lt of want.listTypes ?? []) {
      const found = all.filter((s) => s.listType === lt);
      if (found.length === 0) missing.push(`list type ${lt}`);
      chosen.push(...found);
    }
    for (const rs of want.ratingSectors ?? []) {
      const found = all.filter((s) => s.ratingSector === rs);
      if (found.length === 0) missing.push(`rating sector ${rs}`);
      chosen.push(...found);
    }
    if (missing.length > 0) {
      throw new SectorError({
        code: 'FAILED_PRECONDITION',
        operation: 'subscribe',
        operationZh: '订阅',
        reason: 'SUBSCRIPTION_NOT_PROVISIONED',
        detail: `no durable consumer is provisioned for department ${opts.department}: ${missing.join(', ')} (the leading group office provisions them by defining a measure) / 平台尚未为本部门开通：${missing.join('、')}`,
      });
    }
    return [...new Map(chosen.map((s) => [s.durable, s])).values()];
  }

  return {
    department: opts.department,
    get natsConnected() {
      return natsConnected && !nc.isClosed();
    },
    listSubscriptions,

    async listMeasures() {
      const res = await unary(
        rpc,
        rpc.lists.listMeasures.bind(rpc.lists),
        { implementingDepartment: opts.department },
        { en: 'ListMeasures', zh: '查询措施' },
      );
      return res.measures.map(toMeasure);
    },

    async subscribe(sub) {
      if (typeof sub?.handler !== 'function') throw new TypeError('subscribe: handler must be a function');
      if (sub.maxDeliveries !== undefined && !(Number.isInteger(sub.maxDeliveries) && sub.maxDeliveries >= 1)) {
        throw new TypeError('subscribe: maxDeliveries must be an integer ≥ 1');
      }
      if (closing) throw new Error('subscribe: the sector client is closed');
      const durables = choose(await listSubscriptions(), sub);
      if (durables.length === 0) {
        throw new SectorError({
          code: 'FAILED_PRECONDITION',
          operation: 'subscribe',
          operationZh: '订阅',
          reason: 'SUBSCRIPTION_NOT_PROVISIONED',
          detail: `no durable consumer is provisioned for department ${opts.department} / 平台尚未为本部门开通任何订阅`,
        });
      }
      const subscription = startSubscription(durables, { nc, js, prefix, opts: sub });
      subscriptions.add(subscription);
      return {
        durables: subscription.durables,
        async stop() {
          subscriptions.delete(subscription);
          await subscription.stop();
        },
      };
    },

    async reportFeedback(report) {
      const req = feedbackRequest(report);
      const res = await unary(rpc, rpc.lists.reportFeedback.bind(rpc.lists), req, { en: 'ReportFeedback', zh: '反馈上报' });
      if (!res.response) throw new SectorError({ code: 'INTERNAL', operation: 'ReportFeedback', operationZh: '反馈上报', detail: 'the answer has no response' });
      return toMeasureResponse(res.response);
    },

    async checkCredit(entityCode, activity = '') {
      if (typeof entityCode !== 'string' || entityCode.trim() === '') throw new TypeError('checkCredit: entityCode is required');
      return toCreditCheckResult(await checks.check({ entityCode, activity }));
    },

    close() {
      closing ??= (async () => {
        await Promise.all([...subscriptions].map((s) => s.stop()));
        subscriptions.clear();
        if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
        checks.close();
        rpc.close();
      })();
      return closing;
    },
  };
}
