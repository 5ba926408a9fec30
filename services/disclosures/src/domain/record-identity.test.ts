import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDocumentNumber, recordIdentity } from './record-identity.js';

describe('recordIdentity', () => {
  it('treats full-width and half-width spellings and stray spaces as the same document', () => {
    const a = recordIdentity('penalty', '拉市监罚（２０２４）　１２号', '11540000mb0123457c');
    const b = recordIdentity('penalty', '拉市监罚(2024)12号', '11540000MB0123457C');
    expect(a.key).toBe(b.key);
    expect(a.documentNumber).toBe('拉市监罚(2024)12号');
  });

  it('keeps licences and penalties with the same number apart', () => {
    expect(recordIdentity('licence', '12号', 'A').key).not.toBe(recordIdentity('penalty', '12号', 'A').key);
  });

  it('keeps documents of two authorities apart', () => {
    expect(recordIdentity('penalty', '12号', '11540000MB0123457C').key).not.toBe(recordIdentity('penalty', '12号', '91540100MA6T123477').key);
  });

  it('folds a document number the same way however often it is folded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        expect(foldDocumentNumber(foldDocumentNumber(text))).toBe(foldDocumentNumber(text));
        expect(foldDocumentNumber(text)).not.toMatch(/\s/u);
      }),
    );
  });
});
