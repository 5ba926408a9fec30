import { LICENCE_FIELDS, PENALTY_FIELDS } from '@credit/standards';
import { normalizeField, type FieldSpec } from './field-spec.js';

// Field schemas every department's licence and penalty items share: the national double publicity (双公示) tables.

export const licenceSchema = (): FieldSpec[] => LICENCE_FIELDS.map(normalizeField);
export const penaltySchema = (): FieldSpec[] => PENALTY_FIELDS.map(normalizeField);

/** For other kinds of power (行政强制, 行政检查, …) until the department describes its records in detail. */
export const minimalSchema = (): FieldSpec[] => [
  { code: 'XDR_MC', name: '行政相对人名称', type: 'text', required: true, maxLength: 200 },
  { code: 'XDR_SHXYM', name: '统一社会信用代码', type: 'uscc', required: false, maxLength: 18 },
  { code: 'JDRQ', name: '决定日期', type: 'date', required: true, maxLength: 10 },
  { code: 'NR', name: '内容', type: 'text', required: true, maxLength: 4000 },
  { code: 'BZ', name: '备注', type: 'text', required: false, maxLength: 512 },
];
