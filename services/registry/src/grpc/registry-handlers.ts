import {
  CodeType,
  type DepartmentCodeQuality,
  type RegistryServiceServer,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { invalidArgument, type HandlerKit } from '@credit/platform';
import { checkAnyCode, type CodeType as DomainCodeType, type QualityRow } from '../domain/index.js';
import type { Registry } from '../app/registry.js';
import type { EntityKey } from '../app/model.js';
import { fromEntityInput, toEntityMessage } from './entity-message.js';
import { importEntities, type ImportTuning } from './import-stream.js';

const MAX_CODES_PER_CALL = 1000;

const CODE_TYPE: Record<DomainCodeType, CodeType> = {
  uscc: CodeType.CODE_TYPE_USCC,
  organization_code: CodeType.CODE_TYPE_ORGANIZATION_CODE,
  registration_number: CodeType.CODE_TYPE_REGISTRATION_NUMBER,
  resident_id: CodeType.CODE_TYPE_RESIDENT_ID,
};

const KEY_FIELD = { uscc: 'uscc', organizationCode: 'organization_code', registrationNumber: 'registration_number' } as const;

export function registryHandlers(kit: HandlerKit, registry: Registry, tuning: ImportTuning): RegistryServiceServer {
  return {
    registerEntity: kit.unary(async (req, ctx) => {
      const { entity, created } = await registry.register(ctx.caller, req.requestId, fromEntityInput(req.entity));
      return { entity: toEntityMessage(entity), created };
    }),
    updateEntity: kit.unary(async (req, ctx) => {
      const entity = await registry.update(ctx.caller, req.requestId, req.uscc, req.expectedVersion, {
        name: req.name,
        legalRepresentative: req.legalRepresentative || null,
        address: req.address || null,
      });
      return { entity: toEntityMessage(entity) };
    }),
    getEntity: kit.unary(async (req) => {
      if (!req.key) throw invalidArgument([{ field: 'key', reason: 'REQUIRED', message: '请提供统一社会信用代码、组织机构代码或注册号之一' }]);
      const key = { by: KEY_FIELD[req.key.$case], value: req.key.value } as EntityKey;
      return { entity: toEntityMessage(await registry.get(key)) };
    }),
    searchEntities: kit.unary(async (req) => {
      const page = await registry.search(req.name, req.page?.pageSize ?? 0, req.page?.pageToken ?? '');
      return { entities: page.entities.map(toEntityMessage), page: { nextPageToken: page.nextPageToken } };
    }),
    mapLegacyCode: kit.unary(async (req, ctx) => {
      const entity = await registry.mapLegacyCode(ctx.caller, req.requestId, req.registrationNumber, req.uscc);
      return { entity: toEntityMessage(entity) };
    }),
    importEntities: kit.bidi((call, ctx) => importEntities(registry, tuning, call, ctx)),
    validateCodes: kit.unary(async (req) => {
      if (req.codes.length > MAX_CODES_PER_CALL) {
        throw invalidArgument([{ field: 'codes', reason: 'TOO_MANY', message: `一次最多校验${MAX_CODES_PER_CALL}个代码` }]);
      }
      return {
        verdicts: req.codes.map((code) => {
          const v = checkAnyCode(code);
          return v.valid
            ? { code: v.code, valid: true, type: CODE_TYPE[v.type], reason: '', message: v.note ?? '' }
            : { code, valid: false, type: v.type ? CODE_TYPE[v.type] : CodeType.CODE_TYPE_UNSPECIFIED, reason: v.reason, message: v.message };
        }),
      };
    }),
    getCodeQualityReport: kit.unary(async (req) => {
      const report = await registry.qualityReport(req.from, req.to);
      return { departments: report.departments.map(toQualityMessage), total: toQualityMessage(report.total) };
    }),
  };
}

function toQualityMessage(r: QualityRow): DepartmentCodeQuality {
  return {
    department: r.department,
    submitted: r.submitted,
    erroneous: r.erroneous,
    duplicate: r.duplicate,
    erroneousPerMille: r.erroneousPerMille,
    duplicatePerMille: r.duplicatePerMille,
  };
}
