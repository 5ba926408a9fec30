import { checkAnyCode } from '@credit/standards';

const USAGE = 'usage: credit codes check <code>...  (USCC, organisation code, registration number or resident ID)';

/**
 * `credit codes check`: checks each code offline with the registry's own validators, so a data officer sees the
 * same verdict the platform would give. One line per code, two spaces between columns so the output stays
 * readable and still splits cleanly. Exit code 0 when all are valid, 1 when any is not, 2 for no codes.
 */
export function checkCodesCommand(codes: string[], out: (line: string) => void): number {
  if (codes.length === 0) {
    out(USAGE);
    return 2;
  }
  let allValid = true;
  for (const code of codes) {
    const verdict = checkAnyCode(code);
    const shown = code.trim();
    if (verdict.valid) {
      out([shown, 'valid', verdict.type, ...(verdict.note === undefined ? [] : [verdict.note])].join('  '));
    } else {
      allValid = false;
      out([shown, 'invalid', verdict.reason, verdict.message].join('  '));
    }
  }
  return allValid ? 0 : 1;
}
