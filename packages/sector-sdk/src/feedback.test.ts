import { describe, expect, it } from 'vitest';
import { feedbackRequest, feedbackRequestId } from './feedback.js';

const report = { entryId: 'e-1', measureCode: 'restrict_government_procurement', phase: 'impose', outcome: 'applied', reference: 'DEB-1' } as const;

describe('feedback request id', () => {
  it('is the same for the same report, so a retried report is answered with the first result', () => {
    expect(feedbackRequestId(report)).toBe(feedbackRequestId({ ...report }));
    expect(feedbackRequestId(report)).toMatch(/^feedback-impose-[0-9a-f]{32}$/);
  });

  it('differs when anything reported differs: phase, outcome, reference, note, entry, measure', () => {
    const variants = [
      { ...report, phase: 'lift' as const },
      { ...report, outcome: 'failed' as const },
      { ...report, reference: 'DEB-2' },
      { ...report, note: '补充说明' },
      { ...report, entryId: 'e-2' },
      { ...report, measureCode: 'other' },
    ];
    const ids = new Set([report, ...variants].map(feedbackRequestId));
    expect(ids.size).toBe(variants.length + 1);
  });

  it('uses a given request id as it is', () => {
    expect(feedbackRequest({ ...report, requestId: 'mine-1' }).requestId).toBe('mine-1');
  });

  it('refuses a request id longer than the platform keeps', () => {
    expect(() => feedbackRequest({ ...report, requestId: 'x'.repeat(129) })).toThrow('requestId must be 1–128 characters');
  });
});
