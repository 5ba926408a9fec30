// A numeric cell is stored as a binary double; Excel shows at most 15 significant digits, so 0.1+0.2 stored as
// 0.30000000000000004 is shown (and meant) as 0.3. Officers expect the text they saw.

/** The text of a numeric cell value as the spreadsheet would show it in the General format. */
export function numberText(raw: string): string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return raw;
  return String(Number(value.toPrecision(15)));
}
