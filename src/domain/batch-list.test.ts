import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { batchListError, checkBatchSize, MAX_BATCH_VIDEOS, parseBatchList } from './batch-list.js';
import { parseBatchRequest } from './batch-request.js';
import { csvLine, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks, keeping each record\'s first line', () => {
    const text = 'prompt,seconds\r\n"a kite, red and blue",4\r\n"she said ""hello""\nthen left",2\nplain,1';
    expect(parseCsv(text)).toEqual({
      unterminatedAt: null,
      records: [
        { line: 1, fields: ['prompt', 'seconds'] },
        { line: 2, fields: ['a kite, red and blue', '4'] },
        { line: 3, fields: ['she said "hello"\nthen left', '2'] },
        { line: 5, fields: ['plain', '1'] },
      ],
    });
  });

  it('reports a quote that never closes at the line it opened', () => {
    expect(parseCsv('prompt\nok\n"never closed\nmore\n').unterminatedAt).toBe(3);
  });

  it('writes what it reads', () => {
    const values = ['a, b', 'say "hi"', 'two\nlines', ' padded', 'plain', 7];
    const line = csvLine(values);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line).records[0]!.fields).toEqual(values.map(String));
  });
});

describe('parseBatchList', () => {
  it('reads plain text: one prompt a line, blank lines and # comments skipped, lines numbered as in the file', () => {
    const list = parseBatchList('# my shots\na lighthouse at dusk\n\n  a fox in the snow  \r\nrain on a window\n');
    expect(list.format).toBe('text');
    expect(list.problems).toEqual([]);
    expect(list.rows.map((r) => [r.line, r.request.prompt, r.variations])).toEqual([[2, 'a lighthouse at dusk', 1], [4, 'a fox in the snow', 1], [5, 'rain on a window', 1]]);
    expect(list.videos).toBe(3);
  });

  it('reads CSV with a BOM, per-row overrides over the defaults, quoted commas and line breaks, blank lines', () => {
    const csv = '\uFEFFPrompt,Model,Seconds,Size,Seed,Variations,FPS\r\n'
      + '"a kite, red and blue",sketch,2,320x180,7,3,\r\n'
      + '\r\n'
      + '"a storyboard:\nshot 1 a door\nshot 2 a hall",,,,,,24\r\n'
      + 'a quiet lake,,,,,,\r\n';
    const list = parseBatchList(csv, { defaults: { seconds: '4', size: '640x360', variations: 2 } });
    expect(list.format).toBe('csv');
    expect(list.problems).toEqual([]);
    expect(list.rows).toEqual([
      { line: 2, variations: 3, request: { prompt: 'a kite, red and blue', model: 'sketch', seconds: 2, size: { width: 320, height: 180 }, seed: 7 } },
      { line: 4, variations: 2, request: { prompt: 'a storyboard:\nshot 1 a door\nshot 2 a hall', seconds: 4, size: { width: 640, height: 360 }, fps: 24 } },
      { line: 7, variations: 2, request: { prompt: 'a quiet lake', seconds: 4, size: { width: 640, height: 360 } } },
    ]);
    expect(list.videos).toBe(7);
  });

  it('reports every bad row with its line, and keeps the good ones', () => {
    const csv = 'prompt,seconds,size,variations\nfine,2,,\n,2,,\nbad seconds,two,,\nbad size,2,huge,\ntoo many,2,,99\n"extra, field",2,,,surplus\nalso fine,,,\n';
    const list = parseBatchList(csv);
    expect(list.rows.map((r) => r.line)).toEqual([2, 8]);
    expect(list.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(list.problems[0]!.message).toMatch(/prompt/);
    expect(list.problems[1]!.message).toMatch(/'seconds'.*'two'/);
    expect(list.problems[2]!.message).toMatch(/'size'/);
    expect(list.problems[3]!.message).toMatch(/'variations'.*1 to 20/);
    expect(list.problems[4]!.message).toMatch(/5 fields and the header 4/);
    const err = batchListError(list.problems);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_batch_rows');
    expect(err.message).toMatch(/^5 lines of the list cannot be used; nothing was created/);
    for (const line of [3, 4, 5, 6, 7]) expect(err.message).toContain(`\nline ${line}: `);
  });

  it('refuses a header without a prompt column, unknown columns, and a quote left open', () => {
    expect(parseBatchList('text,seconds\na,1', { format: 'csv' }).problems).toEqual([{ line: 1, message: expect.stringMatching(/no 'prompt' column/) }]);
    expect(parseBatchList('prompt,secnds\na,1').problems).toEqual([{ line: 1, message: expect.stringMatching(/Unknown column 'secnds'/) }]);
    const open = parseBatchList('prompt,seconds\nok,1\n"unclosed,1\nmore,2\n');
    expect(open.problems).toEqual([{ line: 3, message: expect.stringMatching(/never closed/) }]);
  });

  it('reads a manifest.csv back, ignoring the columns only a manifest has', () => {
    const manifest = '\uFEFFfile,video_id,line,prompt,model,seconds,size,fps,seed,status,error\r\n001-a-kite-abcdef.mp4,video_x,2,a kite,sketch,1,320x180,12,42,completed,\r\n';
    const list = parseBatchList(manifest);
    expect(list.problems).toEqual([]);
    expect(list.rows[0]!.request).toEqual({ prompt: 'a kite', model: 'sketch', seconds: 1, size: { width: 320, height: 180 }, fps: 12, seed: 42 });
  });

  it('reads semicolon-separated CSV (European spreadsheets) and .csv files whose header is just "prompt"', () => {
    expect(parseBatchList('prompt;seconds\n"a, b";3\n').rows[0]!.request).toEqual({ prompt: 'a, b', seconds: 3 });
    const single = parseBatchList('prompt\nfirst\nsecond\n', { filename: 'shots.csv' });
    expect(single.rows.map((r) => r.request.prompt)).toEqual(['first', 'second']);
  });

  it('reads JSONL with numbers or strings, and reports bad lines', () => {
    const jsonl = '{"prompt":"a kite","seconds":2,"seed":5,"variations":2}\n\n{"prompt":"a fox","size":"320x180"}\nnot json\n[1,2]\n{"prompt":"x","colour":"red"}\n';
    const list = parseBatchList(jsonl);
    expect(list.format).toBe('jsonl');
    expect(list.rows).toEqual([
      { line: 1, variations: 2, request: { prompt: 'a kite', seconds: 2, seed: 5 } },
      { line: 3, variations: 1, request: { prompt: 'a fox', size: { width: 320, height: 180 } } },
    ]);
    expect(list.problems.map((p) => [p.line, p.message.slice(0, 20)])).toEqual([[4, 'Not valid JSON (Unex'], [5, 'Each line must be a '], [6, "Unknown field 'colou"]]);
  });

  it('refuses a bad default once, an empty list, and a batch of too many videos', () => {
    expect(() => parseBatchList('a', { defaults: { seconds: 'x' } })).toThrow(/'seconds'/);
    expect(() => checkBatchSize(parseBatchList('\n# nothing\n'))).toThrow(/no prompts/);
    const big = parseBatchList(Array.from({ length: 30 }, (_, i) => `{"prompt":"p${i}","variations":20}`).join('\n'));
    expect(big.videos).toBe(600);
    expect(() => checkBatchSize(big)).toThrow(new RegExp(`at most ${MAX_BATCH_VIDEOS}`));
  });
});

describe('parseBatchRequest', () => {
  it('takes the list as JSON text or as an uploaded file, defaults flat or nested', () => {
    expect(parseBatchRequest({ text: 'a', model: 'sketch', defaults: { seconds: 2 }, allow_partial: true })).toEqual({
      text: 'a', format: undefined, filename: null, name: null, defaults: { model: 'sketch', seconds: 2 }, allowPartial: true,
    });
    const r = parseBatchRequest({ seconds: '1', allow_partial: 'false' }, { data: Buffer.from('prompt\nx\n'), filename: 'shots.csv', contentType: 'text/csv' });
    expect(r).toMatchObject({ text: 'prompt\nx\n', filename: 'shots.csv', name: 'shots.csv', defaults: { seconds: '1' }, allowPartial: false });
    expect(() => parseBatchRequest({})).toThrow(/Missing the list/);
    expect(() => parseBatchRequest({ text: 'a', format: 'xml' })).toThrow(/'format'/);
    expect(() => parseBatchRequest({}, { data: Buffer.from([0xff, 0xfe, 0x00, 0x41]), filename: 'x.csv', contentType: 'text/csv' })).toThrow(/UTF-8/);
  });
});
