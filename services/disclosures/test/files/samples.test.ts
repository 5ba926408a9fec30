import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDisclosureFile } from '../../src/files/index.js';
import { readAll } from './fixtures.js';

// The sample files officers and demos use (infra/samples): the file layer reads them, and only the row with an
// extra cell fails at this layer — the other bad rows are for validation to reject.
const sample = (name: string) => fileURLToPath(new URL(`../../../../infra/samples/${name}`, import.meta.url));

describe('the sample files', () => {
  it('reads the penalty CSV sample with one row-level error, the extra column', async () => {
    const file = await openDisclosureFile(sample('penalties-sample.csv'));
    const { records, errors } = await readAll(file);

    expect(file.kind).toBe('penalty');
    expect(records).toHaveLength(29);
    expect(errors.map((e) => e.reason)).toEqual(['ROW_EXTRA_CELLS']);
    expect(records.some((r) => r.fields['CF_XDR_MC']?.startsWith('=HYPERLINK'))).toBe(true);
  });

  it('reads the licence XLSX sample with dates as YYYY-MM-DD and one row-level error, the extra column', async () => {
    const file = await openDisclosureFile(sample('licences-sample.xlsx'));
    const { records, errors } = await readAll(file);

    expect(file.kind).toBe('licence');
    expect(records).toHaveLength(23);
    expect(errors.map((e) => e.reason)).toEqual(['ROW_EXTRA_CELLS']);
    expect(records[0]?.fields['XK_JDRQ']).toMatch(/^2025-\d{2}-\d{2}$/);
    expect(records.at(-1)?.fields['XK_ZT']).toBe('2');
  });
});
