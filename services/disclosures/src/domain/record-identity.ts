import type { DisclosureKind } from '@credit/standards';

/**
 * What makes two submissions the same record, so that a resubmitted batch never stores a row twice: the decision
 * document number (文书号) and the deciding authority's USCC. Document numbers are typed by hand in many ways, so
 * they are compared with full-width characters folded (NFKC: （２０２４） = (2024)) and all whitespace removed.
 */
export interface RecordIdentity {
  kind: DisclosureKind;
  documentNumber: string;
  authorityCode: string;
  /** One string to store under a unique index. */
  key: string;
}

export function foldDocumentNumber(documentNumber: string): string {
  return documentNumber.normalize('NFKC').replace(/\s+/gu, '');
}

export function recordIdentity(kind: DisclosureKind, documentNumber: string, authorityCode: string): RecordIdentity {
  const folded = foldDocumentNumber(documentNumber);
  const authority = authorityCode.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
  return { kind, documentNumber: folded, authorityCode: authority, key: `${kind}|${authority}|${folded}` };
}

/** The field codes of a kind's identity. */
export function identityFields(kind: DisclosureKind): { documentNumber: string; authorityCode: string } {
  return kind === 'licence' ? { documentNumber: 'XK_WSH', authorityCode: 'XK_XKJGDM' } : { documentNumber: 'CF_WSH', authorityCode: 'CF_CFJGDM' };
}
