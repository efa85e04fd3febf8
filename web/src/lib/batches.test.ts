import { describe, expect, it } from 'vitest';
import { countsText, startChoice, type BatchPreview } from './batches';

describe('batches', () => {
  it('says where a batch stands in words', () => {
    expect(countsText({ total: 5, counts: { queued: 1, in_progress: 1, completed: 2, failed: 1, deleted: 0 } })).toBe('2 of 5 done · 1 rendering · 1 waiting · 1 failed or cancelled');
    expect(countsText({ total: 3, counts: { queued: 0, in_progress: 0, completed: 3, failed: 0, deleted: 0 } })).toBe('3 of 3 done');
  });

  it('lets a list start only without problems, and partly when the plan takes only part of it', () => {
    const p: BatchPreview = { object: 'batch.preview', format: 'csv', videos: 5, seconds: 5, rows: [], problems: [], fits: 5, fit_message: null };
    expect(startChoice(p)).toBe('all');
    expect(startChoice({ ...p, fits: 3, fit_message: '3 of 5 videos fit' })).toBe('partial');
    expect(startChoice({ ...p, fits: 0 })).toBe('blocked');
    expect(startChoice({ ...p, problems: [{ line: 2, message: 'bad' }] })).toBe('blocked');
  });
});
