// chinese-days is CommonJS; its named exports are not visible to Node's ESM loader, so it is read through the
// default export. This is the only file that touches it.
import chineseDays from 'chinese-days';

/** Whether the State Council calendar makes `day` (YYYY-MM-DD) a working day, and the holiday's name if any. */
export function officialDayDetail(day: string): { work: boolean; name: string } {
  const detail = chineseDays.getDayDetail(day);
  return { work: detail.work, name: detail.name };
}
