import { describe, expect, it } from 'vitest';
import { rejectionReason } from './rejection-reason.js';

describe('the reason written for a rejected row', () => {
  it('names the field by its Chinese header even when the file used field codes', () => {
    expect(rejectionReason('penalty', { field: 'CF_NR_FK', message: '不能为负数' })).toBe('罚款金额（万元）: 不能为负数');
    expect(rejectionReason('licence', { field: 'XK_NR', message: '超过长度' })).toBe('许可内容: 超过长度');
  });

  it('does not repeat the name when the message already quotes it', () => {
    expect(rejectionReason('penalty', { field: 'CF_SY', message: '请填写“违法事实”' })).toBe('请填写“违法事实”');
  });

  it('keeps an unknown field code and leaves a violation of the whole row as its message', () => {
    expect(rejectionReason('penalty', { field: 'CF_XYZ', message: '未知字段' })).toBe('CF_XYZ: 未知字段');
    expect(rejectionReason('penalty', { field: 'row', message: '第3行有2个值，表头有3列' })).toBe('第3行有2个值，表头有3列');
  });
});
