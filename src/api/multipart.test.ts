import { describe, expect, it } from 'vitest';
import { setField } from './multipart.js';

describe('setField (multipart names → objects, as the openai SDK encodes them)', () => {
  it('builds nested objects and arrays', () => {
    const body: Record<string, unknown> = {};
    setField(body, 'prompt', 'x');
    setField(body, 'input_reference[image_url]', 'https://e.com/a.png');
    setField(body, 'character_ids[]', 'a');
    setField(body, 'character_ids[]', 'b');
    setField(body, 'a[b][c]', '1');
    expect(body).toEqual({ prompt: 'x', input_reference: { image_url: 'https://e.com/a.png' }, character_ids: ['a', 'b'], a: { b: { c: '1' } } });
  });

  it('reads a list of objects as the SDK sends one (characters[][id], a new object when a key repeats)', () => {
    const body: Record<string, unknown> = {};
    setField(body, 'characters[][id]', 'char_a');
    setField(body, 'characters[][id]', 'char_b');
    setField(body, 'shots[][text]', 'one');
    setField(body, 'shots[][seconds]', '2');
    expect(body).toEqual({ characters: [{ id: 'char_a' }, { id: 'char_b' }], shots: [{ text: 'one', seconds: '2' }] });
    expect(() => setField({ characters: 'x' }, 'characters[][id]', 'y')).toThrow(/mixes a value and a list/);
  });

  it('refuses duplicates, conflicts and prototype keys', () => {
    const body: Record<string, unknown> = { prompt: 'x' };
    expect(() => setField(body, 'prompt', 'y')).toThrow(/more than once/);
    expect(() => setField(body, 'prompt[x]', 'y')).toThrow(/conflicts/);
    expect(() => setField({}, '__proto__[x]', 'y')).toThrow(/Invalid multipart field name/);
    expect(() => setField({}, '[][b]', 'y')).toThrow(/Invalid multipart field name/);
    expect(() => setField({}, 'a[][][b]', 'y')).toThrow(/Invalid multipart field name/);
    expect(() => setField({}, 'toString', 'y')).not.toThrow();
  });
});
