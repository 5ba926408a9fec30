import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import {
  EntityKind,
  RegistryServiceClient,
  entityKindToJSON,
  type Entity,
  type GetEntityRequest,
  type RegisterEntityResponse,
  type SearchEntitiesResponse,
  type GetEntityResponse,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, createClient, violationsOf } from '@credit/platform';
import type { Connection } from './connection.js';

const KINDS: Record<string, EntityKind> = {
  legal_person: EntityKind.ENTITY_KIND_LEGAL_PERSON,
  other_organization: EntityKind.ENTITY_KIND_OTHER_ORGANIZATION,
  individual_business: EntityKind.ENTITY_KIND_INDIVIDUAL_BUSINESS,
};

export function formatEntity(e: Entity): string {
  return [
    `${e.uscc || '(无统一社会信用代码)'}  ${e.name}`,
    `  类型 ${entityKindToJSON(e.kind)}  行政区划 ${e.divisionCode}  组织机构代码 ${e.organizationCode || '-'}  注册号 ${e.registrationNumber || '-'}`,
    `  法定代表人 ${e.legalRepresentative || '-'}  成立日期 ${e.establishedOn || '-'}  报送部门 ${e.reportingDepartment}  版本 ${e.version}`,
  ].join('\n');
}

function describeError(err: unknown): string {
  const e = err as grpc.ServiceError;
  const violations = violationsOf(err);
  const lines = [`错误 (${e.code ?? '?'}): ${e.details ?? String(err)}`];
  for (const v of violations) lines.push(`  ${v.field}: ${v.reason} ${v.message}`);
  return lines.join('\n');
}

async function withClient<T>(conn: Connection, out: (l: string) => void, fn: (c: grpc.Client) => Promise<T>): Promise<number> {
  const client = createClient(RegistryServiceClient, conn.registry, { token: conn.token, deadlineMs: 10_000 });
  try {
    await fn(client as unknown as grpc.Client);
    return 0;
  } catch (err) {
    out(describeError(err));
    return 1;
  } finally {
    client.close();
  }
}

export interface RegisterOptions {
  uscc?: string;
  name?: string;
  kind?: string;
  registrationNumber?: string;
  legalRepresentative?: string;
  establishedOn?: string;
  requestId?: string;
}

export function registerEntityCommand(conn: Connection, o: RegisterOptions, out: (l: string) => void): Promise<number> {
  const kind = KINDS[o.kind ?? 'legal_person'];
  if (kind === undefined) {
    out(`--kind 应为 ${Object.keys(KINDS).join(' | ')}`);
    return Promise.resolve(2);
  }
  return withClient(conn, out, async (client) => {
    const res = await callUnary<unknown, RegisterEntityResponse>(client, 'registerEntity', {
      requestId: o.requestId ?? randomUUID(),
      entity: {
        uscc: o.uscc ?? '',
        name: o.name ?? '',
        kind,
        registrationNumber: o.registrationNumber ?? '',
        legalRepresentative: o.legalRepresentative ?? '',
        address: '',
        establishedOn: o.establishedOn ?? '',
      },
    });
    out(res.created ? '已登记 (registered):' : '已存在，信息相同 (already registered):');
    out(formatEntity(res.entity!));
  });
}

export function getEntityCommand(conn: Connection, code: string, out: (l: string) => void): Promise<number> {
  const compact = code.trim().replace(/-/g, '');
  const key: GetEntityRequest['key'] =
    compact.length === 18
      ? { $case: 'uscc', value: compact }
      : compact.length === 15
        ? { $case: 'registrationNumber', value: compact }
        : { $case: 'organizationCode', value: compact };
  return withClient(conn, out, async (client) => {
    const res = await callUnary<GetEntityRequest, GetEntityResponse>(client, 'getEntity', { key });
    out(formatEntity(res.entity!));
  });
}

export function searchEntitiesCommand(conn: Connection, name: string, pageSize: number, pages: number, out: (l: string) => void): Promise<number> {
  return withClient(conn, out, async (client) => {
    let token = '';
    let shown = 0;
    for (let page = 0; page < pages; page++) {
      const res = await callUnary<unknown, SearchEntitiesResponse>(client, 'searchEntities', { name, page: { pageSize, pageToken: token } });
      for (const e of res.entities) out(formatEntity(e));
      shown += res.entities.length;
      token = res.page?.nextPageToken ?? '';
      if (!token) break;
    }
    out(`共显示 ${shown} 个主体${token ? '（还有更多，使用 --pages 查看）' : ''}`);
  });
}
