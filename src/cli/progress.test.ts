// The CLI's progress display: the ETA it prints is a time or "--", never cli-progress's "NFs"
// (its Infinity) or any other non-number, on a terminal and in plain logs.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { etaSeconds, etaText, formatSeconds, progressDisplay } from './progress.js';

/** A terminal-like stream that keeps what was written, escape codes stripped. */
function fakeStream(tty: boolean): NodeJS.WriteStream & { text(): string } {
  let out = '';
  const s = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(s, { isTTY: tty, columns: 120, rows: 40, text: () => out.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '') });
  return s;
}

const GARBAGE = /NaN|Infinity|INF|NFs|NULL|LLs|undefined/;

describe('CLI progress ETA', () => {
  it('computes a finite ETA or none, never NaN or Infinity', () => {
    expect(etaSeconds(0, 10)).toBeNull();
    expect(etaSeconds(50, 0)).toBeNull();
    expect(etaSeconds(Number.NaN, 10)).toBeNull();
    expect(etaSeconds(40, Number.POSITIVE_INFINITY)).toBeNull();
    expect(etaSeconds(25, 10)).toBe(30);
    expect(etaSeconds(100, 10)).toBe(0);
    expect(etaText(null)).toBe('eta --');
    expect(etaText(30)).toBe('eta 30s');
    expect(formatSeconds(185)).toBe('3m 05s');
    expect(formatSeconds(3720)).toBe('1h 02m');
  });

  it('shows "eta --" on a terminal while queued and at 0%, not "NFs"', () => {
    for (const [p, status] of [[0, 'queued'], [0, 'in_progress']] as const) {
      const stream = fakeStream(true);
      const bar = progressDisplay(stream, { now: () => 1_000 });
      bar.update(p, status);
      bar.stop();
      expect(stream.text()).toContain('eta --');
      expect(stream.text()).not.toMatch(GARBAGE);
    }
  });

  it('extrapolates from the time spent rendering, not queued', () => {
    let t = 0;
    const stream = fakeStream(true);
    const bar = progressDisplay(stream, { now: () => t });
    bar.update(0, 'queued');
    t = 60_000; // a minute in the queue
    bar.update(0, 'in_progress');
    t = 70_000;
    bar.update(40, 'in_progress'); // 40% in 10 s: 15 s left
    bar.stop();
    expect(stream.text()).toContain('eta 15s');
    expect(stream.text()).toContain('elapsed 1m 10s');
    expect(stream.text()).not.toMatch(GARBAGE);
  });

  it('prints plain lines in logs with an ETA only once there is one', () => {
    let t = 0;
    const stream = fakeStream(false);
    const bar = progressDisplay(stream, { now: () => t });
    bar.update(0, 'queued');
    bar.update(0, 'in_progress');
    t = 4_000;
    bar.update(20, 'in_progress');
    bar.stop();
    expect(stream.text().split('\n').filter(Boolean)).toEqual(['  0% queued', '  0% in_progress', ' 20% in_progress (eta 16s)']);
  });
});
