import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  Outbox,
  aborted,
  alreadyExists,
  appendAudit,
  failedPrecondition,
  idempotent,
  inTransaction,
  invalidArgument,
  jsonCodec,
  notFound,
  permissionDenied,
  requireRole,
  type Caller,
  type FieldViolation,
} from '@credit/platform';
import {
  checkRegistrationNumber,
  checkUscc,
  divisionOfUscc,
  normalizedNameTokens,
  normalizeName,
  organizationCodeOfUscc,
  qualityReport,
  sameDetails,
  validateEntity,
  type EntityInput,
  type ValidEntity,
} from '../domain/index.js';
import { assignUscc, findByCodes, findEntity, insertEntities, searchByName, updateEntityDetails, type NameCursor } from '../db/entity-store.js';
import { countSubmissions, qualityCounts } from '../db/quality-store.js';
import { entityRegistered, entityUpdated, legacyCodeMapped } from '../events/registry-events.js';
import type { EntityChanges, EntityKey, StoredEntity } from './model.js';

export interface Registered {
  entity: StoredEntity;
  created: boolean;
}

export type ImportOutcome =
  | { outcome: 'created' | 'unchanged'; entity: StoredEntity }
  | { outcome: 'rejected'; violations: FieldViolation[] };

const CODE_FIELDS = new Set(['uscc', 'registration_number']);
const SEARCH_MAX_CHARS = 50;
const PAGE_MAX = 100;

// Stored answers of idempotent requests are JSON; dates come back as strings.
const reviveDates = (e: StoredEntity): StoredEntity => ({ ...e, registeredAt: new Date(e.registeredAt), updatedAt: new Date(e.updatedAt) });
const storedCodec = jsonCodec<StoredEntity>(reviveDates);
const registeredCodec = jsonCodec<Registered>((r) => ({ ...r, entity: reviveDates(r.entity) }));

/** The registry's use cases: each one validates, changes state, writes its events and audit in one transaction. */
export class Registry {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async register(caller: Caller, requestId: string, input: EntityInput): Promise<Registered> {
    requireRole(caller, 'department', 'office');
    const checked = validateEntity(input);
    if (!checked.ok) {
      await this.countRejected(caller, checked.violations);
      throw invalidArgument(checked.violations);
    }
    const entity = checked.entity;
    try {
      const result = await inTransaction(this.ds, (em) =>
        idempotent(em, { caller, requestId, method: 'RegisterEntity' }, registeredCodec, async () => {
          const [outcome] = await this.store(em, caller, requestId, [entity]);
          if (outcome!.outcome === 'rejected') throw alreadyExists('DUPLICATE_CODE', outcome!.violations[0]!.message, outcome!.violations);
          await countSubmissions(em, caller.department, { submitted: 1, erroneous: 0, duplicate: 0 });
          return { entity: outcome!.entity, created: outcome!.outcome === 'created' };
        }),
      );
      return result;
    } catch (err) {
      if (err instanceof DomainError && err.reason === 'DUPLICATE_CODE') {
        await inTransaction(this.ds, (em) => countSubmissions(em, caller.department, { submitted: 1, erroneous: 0, duplicate: 1 }));
      }
      throw err;
    }
  }

  /** One batch of a bulk import: every row gets its own outcome; the stored rows commit together. */
  async importBatch(caller: Caller, requestId: string, inputs: EntityInput[]): Promise<ImportOutcome[]> {
    requireRole(caller, 'department', 'office');
    const outcomes: ImportOutcome[] = new Array(inputs.length);
    const valid: ValidEntity[] = [];
    const validAt: number[] = [];
    let erroneous = 0;
    inputs.forEach((input, i) => {
      const checked = validateEntity(input);
      if (checked.ok) {
        valid.push(checked.entity);
        validAt.push(i);
      } else {
        if (checked.violations.some((v) => CODE_FIELDS.has(v.field))) erroneous++;
        outcomes[i] = { outcome: 'rejected', violations: checked.violations };
      }
    });
    const stored = await inTransaction(this.ds, async (em) => {
      const results = await this.store(em, caller, requestId, valid);
      const duplicate = results.filter((r) => r.outcome === 'rejected').length;
      await countSubmissions(em, caller.department, { submitted: inputs.length, erroneous, duplicate });
      return results;
    });
    stored.forEach((r, k) => (outcomes[validAt[k]!] = r));
    return outcomes;
  }

  async update(caller: Caller, requestId: string, uscc: string, expectedVersion: number, changes: EntityChanges): Promise<StoredEntity> {
    requireRole(caller, 'department', 'office');
    const code = checkUscc(uscc);
    if (!code.valid) throw invalidArgument([{ field: 'uscc', reason: code.reason, message: code.message }]);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'UpdateEntity' }, storedCodec, async () => {
        const current = await findEntity(em, { by: 'uscc', value: code.code }, true);
        if (!current) throw notFound('ENTITY_NOT_FOUND', `统一社会信用代码 ${code.code} 未登记`);
        if (caller.role !== 'office' && caller.department !== current.reportingDepartment) {
          throw permissionDenied('NOT_REPORTING_DEPARTMENT', '只有报送该主体的部门可以修改其信息');
        }
        if (current.version !== expectedVersion) {
          throw aborted('VERSION_CONFLICT', `主体信息已被修改（当前版本 ${current.version}，请求版本 ${expectedVersion}），请重新读取后再提交`);
        }
        const checked = validateEntity({
          uscc: current.uscc ?? undefined,
          registrationNumber: current.registrationNumber ?? undefined,
          kind: current.kind,
          establishedOn: current.establishedOn ?? undefined,
          name: changes.name,
          legalRepresentative: changes.legalRepresentative ?? undefined,
          address: changes.address ?? undefined,
        });
        if (!checked.ok) throw invalidArgument(checked.violations);
        const updated = await updateEntityDetails(em, current.id, {
          name: checked.entity.name,
          legalRepresentative: checked.entity.legalRepresentative,
          address: checked.entity.address,
        });
        await this.outbox.add(em, [entityUpdated(updated, current)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'UpdateEntity', target: code.code, before: current, after: updated }]);
        return updated;
      }),
    );
  }

  /** 先赋码后换证: an individual business known by its registration number receives its USCC. */
  async mapLegacyCode(caller: Caller, requestId: string, registrationNumber: string, uscc: string): Promise<StoredEntity> {
    requireRole(caller, 'department', 'office');
    const violations: FieldViolation[] = [];
    const reg = checkRegistrationNumber(registrationNumber);
    if (!reg.valid) violations.push({ field: 'registration_number', reason: reg.reason, message: reg.message });
    const code = checkUscc(uscc);
    if (!code.valid) violations.push({ field: 'uscc', reason: code.reason, message: code.message });
    if (!reg.valid || !code.valid) throw invalidArgument(violations);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'MapLegacyCode' }, storedCodec, async () => {
        const current = await findEntity(em, { by: 'registration_number', value: reg.code }, true);
        if (!current) throw notFound('ENTITY_NOT_FOUND', `注册号 ${reg.code} 未登记`);
        if (current.uscc === code.code) return current;
        if (current.uscc !== null) {
          throw failedPrecondition('ALREADY_MAPPED', `注册号 ${reg.code} 已对应统一社会信用代码 ${current.uscc}`);
        }
        const kindCheck = validateEntity({ ...toInput(current), uscc: code.code });
        if (!kindCheck.ok) throw invalidArgument(kindCheck.violations);
        const holder = await findEntity(em, { by: 'uscc', value: code.code });
        if (holder) {
          throw alreadyExists('DUPLICATE_CODE', `统一社会信用代码 ${code.code} 已被其他主体使用`, [
            { field: 'uscc', reason: 'DUPLICATE_CODE', message: '统一社会信用代码已被其他主体使用' },
          ]);
        }
        const mapped = await assignUscc(em, current.id, {
          uscc: code.code,
          organizationCode: organizationCodeOfUscc(code.code),
          divisionCode: divisionOfUscc(code.code),
        });
        await this.outbox.add(em, [legacyCodeMapped(mapped, reg.code)]);
        await appendAudit(em, [{ actor: caller, requestId, command: 'MapLegacyCode', target: reg.code, before: current, after: mapped }]);
        return mapped;
      }),
    );
  }

  async get(key: EntityKey): Promise<StoredEntity> {
    const value = key.value.trim().toUpperCase().replace(/-/g, '');
    if (value === '' || value.length > 18) {
      throw invalidArgument([{ field: key.by, reason: 'MALFORMED_CODE', message: '代码为空或长度超过18位' }]);
    }
    const entity = await findEntity(this.ds.manager, { by: key.by, value });
    if (!entity) throw notFound('ENTITY_NOT_FOUND', `未找到代码为 ${value} 的主体`);
    return entity;
  }

  async search(name: string, pageSize: number, pageToken: string): Promise<{ entities: StoredEntity[]; nextPageToken: string }> {
    const query = normalizeName(name);
    if (query === '') throw invalidArgument([{ field: 'name', reason: 'REQUIRED', message: '请输入要查询的名称' }]);
    if ([...query].length > SEARCH_MAX_CHARS) {
      throw invalidArgument([{ field: 'name', reason: 'QUERY_TOO_LONG', message: `查询名称不超过${SEARCH_MAX_CHARS}个字` }]);
    }
    // The name index holds pairs of adjacent characters only (see normalizedNameTokens).
    const tokens = normalizedNameTokens(query);
    if (tokens.length === 0) {
      throw invalidArgument([{ field: 'name', reason: 'QUERY_TOO_SHORT', message: '查询名称须包含至少两个相连的字（空格和标点不计）' }]);
    }
    const limit = Math.min(Math.max(pageSize || 20, 1), PAGE_MAX);
    const entities = await searchByName(this.ds.manager, query, tokens, limit + 1, decodeCursor(pageToken));
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    return { entities: page, nextPageToken: entities.length > limit && last ? encodeCursor({ name: last.name, id: last.id }) : '' };
  }

  async qualityReport(from: string, to: string) {
    const violations: FieldViolation[] = [];
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      if (value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) violations.push({ field, reason: 'BAD_DATE', message: '日期格式应为 YYYY-MM-DD' });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    return qualityReport(await qualityCounts(this.ds.manager, from || null, to || null));
  }

  /** Stores what is new, and says for each entity whether it was created, already there, or a conflicting duplicate. */
  private async store(em: EntityManager, caller: Caller, requestId: string, entities: ValidEntity[]): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = new Array(entities.length);
    const firstByCode = new Map<string, number>();
    const repeats: Array<{ at: number; first: number }> = [];
    const fresh: ValidEntity[] = [];
    const freshAt: number[] = [];
    entities.forEach((e, i) => {
      const first = codesOf(e).map((c) => firstByCode.get(c)).find((k) => k !== undefined);
      if (first !== undefined) {
        repeats.push({ at: i, first });
        return;
      }
      codesOf(e).forEach((c) => firstByCode.set(c, i));
      fresh.push(e);
      freshAt.push(i);
    });
    const inserted = await insertEntities(em, fresh, caller.department);
    const insertedByCode = new Map(inserted.flatMap((s) => codesOf(s).map((c) => [c, s] as const)));
    const missing = fresh.filter((e) => !codesOf(e).some((c) => insertedByCode.has(c)));
    const existing = await findByCodes(
      em,
      missing.flatMap((e) => (e.uscc ? [e.uscc] : [])),
      missing.flatMap((e) => (e.registrationNumber ? [e.registrationNumber] : [])),
    );
    const existingByCode = new Map(existing.flatMap((s) => codesOf(s).map((c) => [c, s] as const)));
    fresh.forEach((e, k) => {
      const mine = codesOf(e).map((c) => insertedByCode.get(c)).find(Boolean);
      const holder = codesOf(e).map((c) => existingByCode.get(c)).find(Boolean);
      outcomes[freshAt[k]!] = mine
        ? { outcome: 'created', entity: mine }
        : holder && sameDetails(holder, e)
          ? { outcome: 'unchanged', entity: holder }
          : duplicateOf(e);
    });
    // A code repeated inside the batch: the same details share the first row's fate, other details are a duplicate.
    for (const { at, first } of repeats) {
      const twin = outcomes[first]!;
      outcomes[at] = !sameDetails(entities[first]!, entities[at]!) ? duplicateOf(entities[at]!) : twin.outcome === 'rejected' ? twin : { outcome: 'unchanged', entity: twin.entity };
    }
    if (inserted.length > 0) {
      await this.outbox.add(em, inserted.map(entityRegistered));
      // A bulk batch is one command: one audit entry naming every code it created keeps the chain cheap to extend.
      const [single] = inserted;
      await appendAudit(em, [
        inserted.length === 1
          ? { actor: caller, requestId, command: 'RegisterEntity', target: codeOf(single!), after: single }
          : { actor: caller, requestId, command: 'ImportEntities', target: `${inserted.length} entities`, after: { created: inserted.map(codeOf) } },
      ]);
    }
    return outcomes;
  }

  private async countRejected(caller: Caller, violations: FieldViolation[]): Promise<void> {
    const erroneous = violations.some((v) => CODE_FIELDS.has(v.field)) ? 1 : 0;
    await inTransaction(this.ds, (em) => countSubmissions(em, caller.department, { submitted: 1, erroneous, duplicate: 0 }));
  }
}

function codesOf(e: Pick<ValidEntity, 'uscc' | 'registrationNumber'>): string[] {
  const codes: string[] = [];
  if (e.uscc) codes.push(`U:${e.uscc}`);
  if (e.registrationNumber) codes.push(`R:${e.registrationNumber}`);
  return codes;
}

const codeOf = (e: StoredEntity) => e.uscc ?? e.registrationNumber ?? e.id;

function duplicateOf(e: ValidEntity): ImportOutcome {
  const field = e.uscc ? 'uscc' : 'registration_number';
  const code = e.uscc ?? e.registrationNumber;
  return {
    outcome: 'rejected',
    violations: [{ field, reason: 'DUPLICATE_CODE', message: `代码 ${code} 已登记为信息不同的另一主体（重码）` }],
  };
}

function toInput(e: StoredEntity): EntityInput {
  return {
    uscc: e.uscc ?? undefined,
    name: e.name,
    kind: e.kind,
    registrationNumber: e.registrationNumber ?? undefined,
    legalRepresentative: e.legalRepresentative ?? undefined,
    address: e.address ?? undefined,
    establishedOn: e.establishedOn ?? undefined,
  };
}

function encodeCursor(c: NameCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id]), 'utf8').toString('base64url');
}

function decodeCursor(token: string): NameCursor | undefined {
  if (token === '') return undefined;
  try {
    const [name, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && /^\d{1,19}$/.test(id)) return { name, id };
  } catch {
    // fall through to the error below
  }
  throw invalidArgument([{ field: 'page.page_token', reason: 'BAD_PAGE_TOKEN', message: '分页令牌无效' }]);
}
