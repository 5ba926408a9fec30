import { describe, expect, it } from 'vitest';
import { checkCodesCommand } from '../src/codes.js';

function run(codes: string[]): { exitCode: number; lines: string[] } {
  const lines: string[] = [];
  const exitCode = checkCodesCommand(codes, (line) => lines.push(line));
  return { exitCode, lines };
}

describe('credit codes check', () => {
  it('prints one valid line per code with its detected type and exits 0 when all are valid', () => {
    expect(run(['91110000600037341L', '11010519491231002X', '60003734-1'])).toEqual({
      exitCode: 0,
      lines: ['91110000600037341L  valid  uscc', '11010519491231002X  valid  resident_id', '60003734-1  valid  organization_code'],
    });
  });

  it('prints the reason and the Chinese message for an invalid code and exits 1', () => {
    const { exitCode, lines } = run(['91110000600037341L', '91110000600037341M']);
    expect(exitCode).toBe(1);
    expect(lines[0]).toBe('91110000600037341L  valid  uscc');
    expect(lines[1]).toMatch(/^91110000600037341M {2}invalid {2}BAD_CHECK_DIGIT {2}.*应为“L”/);
  });

  it('appends the note of an allowlisted exception', () => {
    const { exitCode, lines } = run(['91350100M0001TGQXM']);
    expect(exitCode).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^91350100M0001TGQXM {2}valid {2}uscc {2}\S/);
  });

  it('reports a code of unknown shape as invalid', () => {
    const { exitCode, lines } = run(['hello']);
    expect(exitCode).toBe(1);
    expect(lines[0]).toMatch(/^hello {2}invalid {2}UNKNOWN_FORMAT {2}/);
  });

  it('shows the code trimmed of surrounding whitespace', () => {
    expect(run([' 9144030071526726xg ']).lines).toEqual(['9144030071526726xg  valid  uscc']);
  });

  it('prints a usage line and exits 2 when no code is given', () => {
    const { exitCode, lines } = run([]);
    expect(exitCode).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^usage: credit codes check/);
  });
});
