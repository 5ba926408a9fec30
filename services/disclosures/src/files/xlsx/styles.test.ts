import { describe, expect, it } from 'vitest';
import { isDateFormatCode } from './styles.js';

describe('recognising date number formats', () => {
  it.each(['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', '[$-F800]dddd, mmmm dd, yyyy', 'm/d/yy h:mm'])('sees a date in %s', (code) => {
    expect(isDateFormatCode(code)).toBe(true);
  });

  it.each(['General', '0.00', '#,##0', 'h:mm:ss', '[Red]0.00', '0.00"d"', '@'])('sees no date in %s', (code) => {
    expect(isDateFormatCode(code)).toBe(false);
  });
});
