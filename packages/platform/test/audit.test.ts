import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, AuditChainer, appendAudit, chainAudit, verifyAuditChain } from '../src/audit.js';
import { createLogger } from '../src/logger.js';
import { waitFor } from '../src/testing/index.js';
import { inTransaction, openDatabase } from '../src/db/index.js';
import { testDatabase } from '../src/testing/index.js';

function entry(i: number): AuditEntry {
  return {
    actor: { department: 'amr', role: 'department', subject: 'clerk-7' },
    requestId: `req-${i}`,
    command: 'RegisterEntity',
    target: `91540100MA6T00000${i % 10}`,
    before: i % 2 ? undefined : { name: '拉萨某公司', capital: 1.5, tags: ['a', 'b'], at: new Date(0) },
    after: { z: i, a: { nested: true, none: null } },
  };
}

describe('audit log', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    ds = await openDatabase({ url: db.url });
  });
  beforeEach(async () => {
    await ds.query('DELETE FROM audit_log');
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('verifies a chain built by several appends', async () => {
    await inTransaction(ds, (em) => appendAudit(em, [entry(1), entry(2)]));
    await inTransaction(ds, (em) => appendAudit(em, [entry(3)]));
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 3 });
    const rows: { seq: string; request_id: string }[] = await ds.query('SELECT seq, request_id FROM audit_log ORDER BY seq');
    expect(rows).toEqual([
      { seq: '1', request_id: 'req-1' },
      { seq: '2', request_id: 'req-2' },
      { seq: '3', request_id: 'req-3' },
    ]);
  });

  it('reports the first entry whose content was changed', async () => {
    await inTransaction(ds, (em) => appendAudit(em, [entry(1), entry(2), entry(3)]));
    expect(await chainAudit(ds)).toBe(3);
    await ds.query(`UPDATE audit_log SET after = '{"z": 99}' WHERE seq = 2`);
    expect(await verifyAuditChain(ds)).toEqual({ ok: false, checked: 2, firstBrokenSeq: 2 });
  });

  it('reports the entry after one that was deleted', async () => {
    await inTransaction(ds, (em) => appendAudit(em, [entry(1), entry(2), entry(3)]));
    expect(await chainAudit(ds)).toBe(3);
    await ds.query('DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyAuditChain(ds)).toEqual({ ok: false, checked: 2, firstBrokenSeq: 3 });
  });

  it('keeps one unbroken chain when many transactions append at once', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => inTransaction(ds, (em) => appendAudit(em, [entry(i)]))));
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 12 });
  });

  it('leaves no entry behind when the command transaction rolls back', async () => {
    await expect(
      inTransaction(ds, async (em) => {
        await appendAudit(em, [entry(1)]);
        throw new Error('command rejected');
      }),
    ).rejects.toThrow('command rejected');
    await inTransaction(ds, (em) => appendAudit(em, [entry(2)]));
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 1 });
  });

  it('chains entries right after their commit, in commit order, and takes entries of a later commit after them', async () => {
    const chainer = new AuditChainer(ds, createLogger('audit-test', { level: 'warn' }), 60_000);
    chainer.start();
    try {
      // A transaction that appends first and commits last gets a later place in the chain than one that commits
      // before it: the chain follows commits, never the order of insertion.
      let releaseSlow!: () => void;
      const slowMayCommit = new Promise<void>((r) => (releaseSlow = r));
      const slow = inTransaction(ds, async (em) => {
        await appendAudit(em, [entry(1)]);
        await slowMayCommit;
      });
      await new Promise((r) => setTimeout(r, 50));
      await inTransaction(ds, (em) => appendAudit(em, [entry(2)]));
      // Woken by the commit, long before its 60 s poll.
      await waitFor(async () => ((await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NOT NULL')) as { n: number }[])[0]!.n === 1);
      releaseSlow();
      await slow;
      await waitFor(async () => ((await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NOT NULL')) as { n: number }[])[0]!.n === 2);
      const chained: { seq: string; request_id: string }[] = await ds.query('SELECT seq, request_id FROM audit_log ORDER BY seq');
      expect(chained).toEqual([
        { seq: '1', request_id: 'req-2' },
        { seq: '2', request_id: 'req-1' },
      ]);
      expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 2 });
    } finally {
      await chainer.stop();
    }
  });

  it('verification chains what committed but was not chained yet (a process that died before chaining)', async () => {
    await inTransaction(ds, (em) => appendAudit(em, [entry(1), entry(2)]));
    const unchained: { n: number }[] = await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL');
    expect(unchained[0]!.n).toBe(2);
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 2 });
  });

  it('verifies a chain longer than one page of reading', async () => {
    await inTransaction(ds, (em) => appendAudit(em, Array.from({ length: 2300 }, (_, i) => entry(i))));
    expect(await verifyAuditChain(ds)).toEqual({ ok: true, checked: 2300 });
  });
});
