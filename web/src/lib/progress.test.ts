import { describe, expect, it } from 'vitest';
import { elapsedSeconds, etaSeconds, failureHint, formatDuration, statusLabel } from './progress';

describe('progress words', () => {
  it('formats durations for people', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(75)).toBe('1m 15s');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3h 05m');
  });

  it('extrapolates an ETA only once there is enough to go on', () => {
    expect(etaSeconds({ status: 'in_progress', progress: 2, started_at: 100 }, 110)).toBeNull();
    expect(etaSeconds({ status: 'queued', progress: 0, started_at: null }, 110)).toBeNull();
    expect(etaSeconds({ status: 'in_progress', progress: 25, started_at: 100 }, 110)).toBe(30);
    expect(elapsedSeconds({ created_at: 90, started_at: null }, 100)).toBe(10);
  });

  it('says what to change after a failure, and where the job stands in the queue', () => {
    expect(failureHint({ code: 'engine_out_of_memory', message: '' })).toMatch(/smaller size/);
    expect(failureHint({ code: 'something_new', message: '' })).toMatch(/change what it names/);
    expect(statusLabel({ status: 'queued', queue_position: 2, error: null })).toBe('Queued, 2 ahead');
    expect(statusLabel({ status: 'failed', error: { code: 'cancelled', message: '' } })).toBe('Cancelled');
  });
});
