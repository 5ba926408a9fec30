import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  EntityKind,
  RegistryServiceClient,
  type EntityInput,
  type RegisterEntityResponse,
} from '@credit/contracts/credit/registry/v1/registry.js';
import { callUnary, createClient } from '@credit/platform';
import { composeUscc, registrationNumberCheckDigit } from '@credit/standards';

// Market entities of Tibet for the demo: names are invented, codes are computed so that every check digit is right.
const DEMO: Array<{ division: string; name: string; kind: EntityKind; representative: string; type: string }> = [
  { division: '540102', name: '拉萨市城关区雪域餐饮有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '扎西', type: '91' },
  { division: '540102', name: '西藏圣地旅游开发有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '次仁', type: '91' },
  { division: '540103', name: '拉萨堆龙德庆区高原建材有限责任公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '王建国', type: '91' },
  { division: '540202', name: '日喀则市桑珠孜区青稞食品有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '格桑', type: '91' },
  { division: '540302', name: '昌都市卡若区三江运输有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '李明', type: '91' },
  { division: '540402', name: '林芝市巴宜区雅鲁藏布生态农业有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '德吉', type: '91' },
  { division: '540502', name: '山南市乃东区雍布拉康文化传播有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '央金', type: '91' },
  { division: '540602', name: '那曲市色尼区草原畜产品农民专业合作社', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '多吉', type: '93' },
  { division: '542521', name: '阿里地区普兰县神山商贸有限公司', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '普布', type: '91' },
  { division: '540102', name: '拉萨市城关区八廓街藏式手工艺店', kind: EntityKind.ENTITY_KIND_INDIVIDUAL_BUSINESS, representative: '卓玛', type: '92' },
  { division: '540102', name: '拉萨市城关区甜茶馆', kind: EntityKind.ENTITY_KIND_INDIVIDUAL_BUSINESS, representative: '尼玛', type: '92' },
  { division: '540000', name: '西藏自治区信用协会', kind: EntityKind.ENTITY_KIND_LEGAL_PERSON, representative: '张华', type: '51' },
];

// Individual businesses not yet given a USCC (先赋码后换证): known only by their 15-digit registration number.
const LEGACY = [
  { authority: '540102', name: '拉萨市城关区布达拉宫广场酥油茶铺', representative: '白玛' },
  { authority: '540202', name: '日喀则市桑珠孜区藏毯作坊', representative: '拉巴' },
];

export function demoUscc(type: string, division: string, n: number): string {
  return composeUscc(type, division, `MA6T${String(n).padStart(4, '0')}`);
}

export function demoRegistrationNumber(authority: string, n: number): string {
  const first14 = `${authority}6${String(n).padStart(7, '0')}`;
  return first14 + registrationNumberCheckDigit(first14);
}

export function demoEntities(): EntityInput[] {
  const withCodes = DEMO.map((d, i) => ({
    uscc: demoUscc(d.type, d.division, i + 1),
    name: d.name,
    kind: d.kind,
    registrationNumber: '',
    legalRepresentative: d.representative,
    address: '',
    establishedOn: `20${10 + i}-0${(i % 9) + 1}-15`,
  }));
  const legacy = LEGACY.map((l, i) => ({
    uscc: '',
    name: l.name,
    kind: EntityKind.ENTITY_KIND_INDIVIDUAL_BUSINESS,
    registrationNumber: demoRegistrationNumber(l.authority, i + 1),
    legalRepresentative: l.representative,
    address: '',
    establishedOn: '2015-06-01',
  }));
  return [...withCodes, ...legacy];
}

/** Registers the demo entities; a second run finds them registered with the same details and changes nothing. */
export async function seedRegistry(address: string, token: string): Promise<number> {
  const client = createClient(RegistryServiceClient, address, { token, deadlineMs: 10_000 });
  try {
    let created = 0;
    for (const entity of demoEntities()) {
      const res = await callUnary<unknown, RegisterEntityResponse>(client as unknown as grpc.Client, 'registerEntity', {
        requestId: `demo-registry-${randomUUID()}`,
        entity,
      });
      if (res.created) created++;
    }
    return created;
  } finally {
    client.close();
  }
}
