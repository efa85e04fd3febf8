// A prompt list as people write one, turned into the rows of a batch: plain text (one prompt a
// line), CSV with a header row, or JSONL (one object a line). Each row may override the batch's
// defaults (model, seconds, size, fps, seed, negative_prompt) and ask for `variations` (N videos of
// the row, each with its own seed). Every bad row is reported with its line, all at once, so a
// list is fixed in one pass. Checks that need a model card happen later, in services/batch.service.ts.
import { ApiError } from './errors.js';
import { guessSeparator, parseCsv } from './csv.js';
import { parseCreateVideoRequest, type CreateVideoRequest } from './video-request.js';

export type BatchFormat = 'text' | 'csv' | 'jsonl';
export const BATCH_FORMATS: readonly BatchFormat[] = ['text', 'csv', 'jsonl'];

/** Videos one batch may make (rows × variations): large enough for a day's work, small enough to list. */
export const MAX_BATCH_VIDEOS = 500;
export const MAX_VARIATIONS = 20;
/** The list itself (a 500-row CSV of long prompts is well under this). */
export const MAX_BATCH_LIST_BYTES = 2 * 1024 * 1024;

/** The columns (and JSONL keys) a row may set; the batch's defaults take the same names. */
export const ROW_FIELDS = ['prompt', 'model', 'seconds', 'size', 'fps', 'seed', 'negative_prompt', 'variations'] as const;
/**
 * Columns of the manifest.csv a batch download carries, read and ignored: a manifest fed back in
 * makes the same videos again (with `seed`, the same frames on the built-in engine).
 */
const MANIFEST_ONLY = new Set(['file', 'video_id', 'status', 'line', 'error']);

export interface BatchRow {
  /** 1-based line of the list where the row starts. */
  line: number;
  /** The row merged over the defaults; `seed` is the first variation's. */
  request: CreateVideoRequest;
  variations: number;
}

export interface BatchListProblem {
  line: number;
  message: string;
}

export interface ParsedBatchList {
  format: BatchFormat;
  rows: BatchRow[];
  problems: BatchListProblem[];
  /** Videos the rows ask for (variations counted). */
  videos: number;
}

export interface BatchListOptions {
  format?: BatchFormat;
  /** The uploaded file's name: `.csv`, `.jsonl`/`.ndjson` or `.txt` decide the format. */
  filename?: string;
  /** Fields every row starts from (the same names as the columns, except `prompt`). */
  defaults?: Record<string, unknown>;
}

function formatOf(text: string, opts: BatchListOptions): BatchFormat {
  if (opts.format) return opts.format;
  const ext = /\.([a-z0-9]+)$/i.exec(opts.filename ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'txt') return 'text';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (first.trimStart().startsWith('{')) return 'jsonl';
  // A header naming a prompt column (a prompt that is just the word "prompt" is not one to make).
  return first.split(guessSeparator(first)).map(columnName).includes('prompt') ? 'csv' : 'text';
}

const columnName = (s: string) => s.trim().replace(/^"|"$/g, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Parses a list into rows and the problems of the rows that cannot be used (never throws for a row). */
export function parseBatchList(input: string, opts: BatchListOptions = {}): ParsedBatchList {
  if (Buffer.byteLength(input, 'utf8') > MAX_BATCH_LIST_BYTES) {
    throw ApiError.badRequest(`The list is larger than ${MAX_BATCH_LIST_BYTES / 1024 / 1024} MiB; split it into several batches.`, 'text', 'batch_too_large');
  }
  const text = input.replace(/^\uFEFF/, ''); // Excel's UTF-8 BOM
  const defaults = parseDefaults(opts.defaults ?? {});
  const format = formatOf(text, opts);
  const raw = format === 'csv' ? csvRows(text) : format === 'jsonl' ? jsonlRows(text) : textRows(text);
  const rows: BatchRow[] = [];
  const problems = [...raw.problems];
  for (const r of raw.rows) {
    try {
      rows.push(toRow(r.line, r.fields, defaults));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problems.push({ line: r.line, message: err.message });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { format, rows, problems, videos: rows.reduce((n, r) => n + r.variations, 0) };
}

interface RawRow { line: number; fields: Record<string, unknown> }
interface RawRows { rows: RawRow[]; problems: BatchListProblem[] }

/** One prompt a line; blank lines and lines starting with `#` (comments) are skipped. */
function textRows(text: string): RawRows {
  const rows: RawRow[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    if (l.trim() === '' || l.trimStart().startsWith('#')) return;
    rows.push({ line: i + 1, fields: { prompt: l.trim() } });
  });
  return { rows, problems: [] };
}

function csvRows(text: string): RawRows {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const { records, unterminatedAt } = parseCsv(text, guessSeparator(firstLine));
  const problems: BatchListProblem[] = [];
  // Blank lines, and rows of empty cells (what spreadsheets export below the data), are skipped.
  const nonBlank = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = nonBlank.shift();
  if (!header) return { rows: [], problems };
  const columns = header.fields.map(columnName);
  if (!columns.includes('prompt')) {
    return { rows: [], problems: [{ line: header.line, message: `The header row has no 'prompt' column (it has: ${columns.join(', ') || 'nothing'}). The first row names the columns: prompt, and any of ${ROW_FIELDS.slice(1).join(', ')}.` }] };
  }
  const unknown = columns.filter((c) => c !== '' && !(ROW_FIELDS as readonly string[]).includes(c) && !MANIFEST_ONLY.has(c));
  if (unknown.length) {
    problems.push({ line: header.line, message: `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}; the columns are ${ROW_FIELDS.join(', ')}.` });
    return { rows: [], problems };
  }
  const duplicate = columns.find((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (duplicate) return { rows: [], problems: [{ line: header.line, message: `The column '${duplicate}' appears twice in the header row.` }] };
  const rows: RawRow[] = [];
  for (const r of nonBlank) {
    if (r.fields.length > columns.length && r.fields.slice(columns.length).some((f) => f.trim() !== '')) {
      problems.push({ line: r.line, message: `This row has ${r.fields.length} fields and the header ${columns.length}; quote a field that contains a comma ("like, this").` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (c === '' || MANIFEST_ONLY.has(c)) return;
      const v = (r.fields[i] ?? '').trim();
      if (v !== '') fields[c] = v;
    });
    rows.push({ line: r.line, fields });
  }
  if (unterminatedAt !== null) problems.push({ line: unterminatedAt, message: 'A quote (") opens a field here and is never closed, so the rest of the file is one field.' });
  return { rows, problems };
}

function jsonlRows(text: string): RawRows {
  const rows: RawRow[] = [];
  const problems: BatchListProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    const line = i + 1;
    if (l.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch (err) {
      problems.push({ line, message: `Not valid JSON (${(err as Error).message.replace(/ in JSON at position \d+.*$/, '')}); each line is one object, e.g. {"prompt": "a red kite", "seconds": 4}.` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, message: 'Each line must be a JSON object, e.g. {"prompt": "a red kite", "seconds": 4}.' });
      return;
    }
    const fields: Record<string, unknown> = {};
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const name = columnName(k);
      if ((ROW_FIELDS as readonly string[]).includes(name)) { if (v !== null) fields[name] = v; } // null: the default
      else if (!MANIFEST_ONLY.has(name)) unknown.push(k);
    }
    if (unknown.length) problems.push({ line, message: `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k.slice(0, 40)}'`).join(', ')}; the fields are ${ROW_FIELDS.join(', ')}.` });
    else rows.push({ line, fields });
  });
  return { rows, problems };
}

interface Defaults { fields: Record<string, unknown>; variations: number }

function parseDefaults(raw: Record<string, unknown>): Defaults {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'prompt' || !(ROW_FIELDS as readonly string[]).includes(k)) continue;
    fields[k] = v;
  }
  const { variations, ...rest } = fields;
  // Checked once here, so a bad default is one error on its own field rather than one per row.
  if (Object.keys(rest).length) parseCreateVideoRequest({ ...rest, prompt: 'defaults' });
  return { fields: rest, variations: variations === undefined ? 1 : parseVariations(variations) };
}

function parseVariations(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_VARIATIONS) {
    throw ApiError.badRequest(`Invalid value for 'variations': ${JSON.stringify(v)}; expected a whole number from 1 to ${MAX_VARIATIONS}.`, 'variations');
  }
  return n;
}

function toRow(line: number, fields: Record<string, unknown>, defaults: Defaults): BatchRow {
  const { variations, ...rest } = fields;
  const request = parseCreateVideoRequest({ ...defaults.fields, ...rest });
  return { line, request, variations: variations === undefined ? defaults.variations : parseVariations(variations) };
}

/** The 400 for a list with bad rows: every problem by line (the first 50), nothing created. */
export function batchListError(problems: BatchListProblem[]): ApiError {
  const shown = problems.slice(0, 50).map((p) => `line ${p.line}: ${p.message}`).join('\n');
  const more = problems.length > 50 ? `\n… and ${problems.length - 50} more.` : '';
  const rows = new Set(problems.map((p) => p.line)).size;
  return new ApiError(400, `${rows} line${rows === 1 ? '' : 's'} of the list cannot be used; nothing was created. Fix ${rows === 1 ? 'it' : 'them'} and send the list again.\n${shown}${more}`, { param: 'text', code: 'invalid_batch_rows' });
}

/** Refuses an empty list or one asking for more videos than a batch may make. */
export function checkBatchSize(list: ParsedBatchList): void {
  if (list.rows.length === 0 && list.problems.length === 0) {
    throw ApiError.badRequest('The list has no prompts: one prompt a line, a CSV with a `prompt` column, or JSONL objects with `prompt`.', 'text', 'empty_batch');
  }
  if (list.videos > MAX_BATCH_VIDEOS) {
    throw ApiError.badRequest(`The list asks for ${list.videos} videos (variations counted); a batch makes at most ${MAX_BATCH_VIDEOS}. Split it into several batches.`, 'text', 'batch_too_large');
  }
}
