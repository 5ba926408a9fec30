import { verifyAuditChain } from '@credit/platform';
import { DataSource } from 'typeorm';

/**
 * Re-computes a service database's audit hash chain. It opens a plain DataSource, not openDatabase: checking must not
 * run migrations or change anything, and the session is read-only so that it cannot.
 */
export async function verifyAuditCommand(databaseUrl: string | undefined, out: (l: string) => void): Promise<number> {
  if (!databaseUrl) {
    out('usage: credit audit verify --database-url postgres://USER@HOST:PORT/DATABASE (or DATABASE_URL)');
    return 2;
  }
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    applicationName: 'credit-cli-audit-verify',
    poolSize: 1,
    extra: { options: '-c default_transaction_read_only=on' },
  });
  try {
    await ds.initialize();
  } catch (err) {
    out(`错误: 无法连接数据库 (cannot open database): ${(err as Error).message}`);
    return 1;
  }
  try {
    // Read-only: entries the service has not chained yet are counted, not chained (the service chains them within
    // moments of their commit; a number that stays means no service process is chaining).
    const result = await verifyAuditChain(ds, { chainPending: false });
    const left = result.unchained ? `; ${result.unchained} 条尚未入链、未核验 (not chained yet, not checked)` : '';
    if (result.ok) {
      out(`审计链完整 (audit chain intact): ${result.checked} entries${left}`);
      return 0;
    }
    out(`审计链在第 ${result.firstBrokenSeq} 条处被篡改 (audit chain broken at seq ${result.firstBrokenSeq})${left}`);
    return 1;
  } catch (err) {
    out(`错误: 无法读取审计日志 (cannot read audit_log): ${(err as Error).message}`);
    return 1;
  } finally {
    await ds.destroy();
  }
}
