import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type pg from 'pg';
import type { SectorClient } from '@credit/sector-sdk';
import { placeBid, validateBid } from './bids.js';
import { listDebarments } from './debarments.js';
import type { Log } from './log.js';

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RangeError('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function procurementHttp(deps: { db: pg.Pool; sector: Pick<SectorClient, 'checkCredit' | 'natsConnected'>; log: Log }): Server {
  return createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      deps.log('error', 'request failed', { err, path: req.url });
      if (!res.headersSent) send(res, 500, { error: '内部错误' });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/bids' && req.method === 'POST') {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (err) {
        send(res, err instanceof RangeError ? 413 : 400, { error: err instanceof RangeError ? '请求体过大' : '请求体不是有效的JSON' });
        return;
      }
      const bid = validateBid(body);
      if (Array.isArray(bid)) {
        send(res, 400, { error: '投标信息有误', violations: bid });
        return;
      }
      const outcome = await placeBid(deps, bid);
      deps.log('info', 'bid', { entityCode: bid.entityCode, tender: bid.tender, status: outcome.status });
      send(res, outcome.status, outcome.body);
      return;
    }
    if (path === '/debarments' && req.method === 'GET') {
      send(res, 200, { debarments: await listDebarments(deps.db) });
      return;
    }
    if (path === '/healthz' && req.method === 'GET') {
      // Ready while its own database answers: bids are decided from it and the credit check, so a NATS outage
      // (events wait on the server, nothing is lost) does not take the system out of service; it is reported.
      const database = await deps.db.query('SELECT 1').then(() => 'ok', () => 'unavailable');
      send(res, database === 'ok' ? 200 : 503, { database, nats: deps.sector.natsConnected ? 'connected' : 'disconnected' });
      return;
    }
    if (path === '/bids' || path === '/debarments' || path === '/healthz') {
      send(res, 405, { error: '不支持的请求方法' });
      return;
    }
    send(res, 404, { error: '未找到' });
  }
}
