// CSV/formula injection (OWASP): a spreadsheet program runs a cell that starts with = + - @ (or tab / carriage
// return before one) as a formula. Every such cell written to a report is prefixed with `'`, which makes it text.
// Plain numbers such as -5 or +3.2 are left alone: they are read as numbers, not formulas.

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
