// CSV as spreadsheets write it (RFC 4180): quoted fields may hold the separator, doubled quotes
// and line breaks, so a record can span several lines. Each record keeps the line it starts on,
// because a batch's errors are reported by line (what an editor shows), not by record number.

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvResult {
  records: CsvRecord[];
  /** A quote opened and never closed swallows the rest of the file: reported at the line it opened. */
  unterminatedAt: number | null;
}

/** Splits CSV text into records. A blank line is a record of one empty field (callers skip it). */
export function parseCsv(text: string, separator = ','): CsvResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      // A CRLF inside a quoted field is one line break, kept as \n.
      if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      // Spaces before an opening quote (`a, "b, c"`) are not part of the field.
      field = '';
      quoted = true;
      quoteLine = line;
      i++;
      continue;
    }
    if (c === separator) { fields.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) return { records, unterminatedAt: quoteLine };
  if (field !== '' || fields.length > 0) endRecord();
  return { records, unterminatedAt: null };
}

/** The header's separator: a comma unless the header has none and has semicolons (European Excel) or tabs. */
export function guessSeparator(firstLine: string): ',' | ';' | '\t' {
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}

/** One CSV line (with CRLF, as RFC 4180 and spreadsheets expect), quoting only where needed. */
export function csvLine(values: Array<string | number | null>): string {
  return `${values.map((v) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',')}\r\n`;
}
