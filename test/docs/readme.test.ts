// README promises checked against the code, so they cannot drift apart again: the built-in
// engine's row in the engines table against its card, every setting name README mentions against
// the ones the configuration reads, and the SDK example against Node's module rules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_MAP } from '../../src/config/config.js';
import { SKETCH_CARD } from '../../src/engines/sketch/sketch.card.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('gives the sketch card\'s durations, sizes and seed in the engines table', () => {
    const header = README.split('\n').find((l) => l.startsWith('| engine '))!;
    const row = README.split('\n').find((l) => l.startsWith('| built-in `sketch`'));
    expect(row, 'the sketch row of the engines table').toBeDefined();
    const names = header.split('|').slice(1, -1).map((c) => c.trim());
    const cells = Object.fromEntries(row!.split('|').slice(1, -1).map((c, i) => [names[i], c.trim()]));
    const card = SKETCH_CARD;
    const seconds = Array.isArray(card.seconds) ? { min: Math.min(...card.seconds), max: Math.max(...card.seconds) } : card.seconds;
    expect(cells.durations).toBe(`${seconds.min}–${seconds.max} s`);
    const range = card.sizeRange!;
    // One "a side" range only fits a card whose width and height limits are the same.
    expect(range.minWidth).toBe(range.minHeight);
    expect(range.maxWidth).toBe(range.maxHeight);
    const sides = /(\d+)–(\d+) a side/.exec(cells.sizes!);
    expect(sides && [Number(sides[1]), Number(sides[2])]).toEqual([range.minWidth, range.maxWidth]);
    const pixels = /up to (\d+)·(\d+) pixels/.exec(cells.sizes!);
    expect(pixels && Number(pixels[1]) * Number(pixels[2])).toBe(range.maxPixels);
    expect(/\beven\b/.test(cells.sizes!)).toBe(range.multipleOf === 2);
    for (const size of card.sizes) {
      const [w, h] = size.split('x').map(Number) as [number, number];
      expect(w >= range.minWidth && w <= range.maxWidth && h >= range.minHeight && h <= range.maxHeight && w * h <= range.maxPixels, size).toBe(true);
    }
    expect(cells.seed).toBe(card.seed ? 'yes' : 'no');
  });

  it('names only settings the configuration reads, and lists the issue-12 ones', () => {
    const mentioned = new Set(README.match(/\bMELIES_[A-Z0-9_]+\b/g));
    // MELIES_PROT is the misspelling README shows being refused.
    const known = new Set([...Object.keys(ENV_MAP), 'MELIES_CONFIG', 'MELIES_PROT']);
    for (const name of mentioned) expect(known.has(name), `${name} is in README but not read by src/config`).toBe(true);
    const table = README.slice(README.indexOf('## Configuration'), README.indexOf('## Sharing'));
    for (const name of ['MELIES_PUBLIC_URL', 'MELIES_REQUEST_TIMEOUT_SECONDS', 'MELIES_HEADERS_TIMEOUT_SECONDS', 'MELIES_IMAGE_MAX_PIXELS', 'MELIES_MIN_FREE_MB', 'MELIES_FAILED_LOGINS_PER_15_MIN']) {
      expect(table).toMatch(new RegExp(`\\| \`${name}\` \\| [^|]+ \\| [^|]{10,} \\|`));
    }
  });

  it('says what to save the SDK example as, and that file is valid for Node as written', () => {
    const api = README.slice(README.indexOf('## API'));
    const name = /save this as `([^`]+)`/i.exec(api)?.[1];
    expect(name).toMatch(/\.mjs$/);
    const code = /```js\n([\s\S]*?)```/.exec(api)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'melies-readme-'));
    try {
      // The folder of someone who ran `npm init -y && npm i openai` (npm 11 writes "type": "commonjs").
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'balloon', type: 'commonjs' }));
      writeFileSync(join(dir, name!), code);
      expect(() => execFileSync(process.execPath, ['--check', join(dir, name!)], { stdio: 'pipe' })).not.toThrow();
      // What people tripped on: the same code as balloon.js there.
      writeFileSync(join(dir, 'balloon.js'), code);
      expect(() => execFileSync(process.execPath, ['--check', join(dir, 'balloon.js')], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
