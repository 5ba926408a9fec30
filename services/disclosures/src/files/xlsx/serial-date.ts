// Spreadsheet dates are day counts ("serials"). The 1900 system counts 1900-02-29, a day that never existed (kept
// by Excel for Lotus 1-2-3 compatibility), so serials from 61 on are one day ahead of a plain count; the 1904 system
// (old Mac workbooks) counts from 1904-01-01.

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1900_EARLY = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 9999-12-31 in the 1900 system: the last date a spreadsheet can show. */
const MAX_SERIAL = 2_958_465;

/** `YYYY-MM-DD` for a serial (time of day dropped), or undefined when it is no date a spreadsheet can show. */
export function serialToIsoDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < (date1904 ? 0 : 1) || serial > MAX_SERIAL) return undefined;
  const days = Math.floor(serial);
  if (date1904) return isoOf(EPOCH_1904 + days * DAY_MS);
  if (days === 60) return '1900-02-29';
  return isoOf((days < 60 ? EPOCH_1900_EARLY : EPOCH_1900) + days * DAY_MS);
}

/** The 1900-system serial of a `YYYY-MM-DD` date (from 1900-03-01 on). */
export function isoDateToSerial(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Math.round((ms - EPOCH_1900) / DAY_MS);
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
