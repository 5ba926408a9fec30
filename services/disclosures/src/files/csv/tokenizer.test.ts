import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../raw-record.js';
import { CsvTokenizer } from './tokenizer.js';

function tokenize(text: string, cuts: number[] = [], maxRowChars = 65_536): RawRecord[] {
  const tokenizer = new CsvTokenizer(',', maxRowChars);
  const out: RawRecord[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    tokenizer.push(text.slice(from, cut), out);
    from = cut;
  }
  tokenizer.push(text.slice(from), out);
  tokenizer.end(out);
  return out;
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) || cell === '' ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('the CSV tokenizer', () => {
  it('reads back any quoted table however the text is cut into chunks', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '藏', ',', '"', '\n', '\r', ' ') });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(table, fc.array(fc.nat()), (rows, cuts) => {
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
        const records = tokenize(text, cuts.map((c) => c % (text.length + 1)));
        expect(records.map((r) => r.cells)).toEqual(rows);
        expect(records.map((r) => r.line)).toEqual(rows.map((_, i) => i + 1));
      }),
    );
  });

  it('ends the last record at the end of the text even without a line break', () => {
    expect(tokenize('a,b\nc,d').map((r) => r.cells)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('treats a lone carriage return as a line break and a CRLF split across chunks as one', () => {
    expect(tokenize('a\rb\r\nc', [2]).map((r) => r.cells)).toEqual([['a'], ['b'], ['c']]);
  });

  it('drops an over-long record while reading and resumes at the next line', () => {
    const records = tokenize(`ok\n${'x'.repeat(50)},y\nnext\n`, [10, 20, 30], 20);

    expect(records).toEqual([
      { line: 1, cells: ['ok'] },
      { line: 2, cells: [], tooLong: true, unclosedQuote: false },
      { line: 3, cells: ['next'] },
    ]);
  });

  it('counts delimiters toward the length so a line of commas cannot build a huge row', () => {
    expect(tokenize(`${','.repeat(100)}\n`, [], 20)[0]?.tooLong).toBe(true);
  });

  it('keeps text after a closing quote, as spreadsheet programs do', () => {
    expect(tokenize('"a"b,c\n')[0]?.cells).toEqual(['ab', 'c']);
  });
});
