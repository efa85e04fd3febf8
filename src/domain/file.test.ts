import { describe, expect, it } from 'vitest';
import { cleanFilename, isFileId, newFileId, parseExpiresAfter, parsePurpose, sniffFile } from './file.js';

const ftyp = (brand: string, compatible: string[] = []) => {
  const box = Buffer.alloc(16 + 4 * compatible.length + 16);
  box.writeUInt32BE(16 + 4 * compatible.length, 0);
  box.write(`ftyp${brand}`, 4, 'latin1');
  compatible.forEach((c, i) => box.write(c, 16 + 4 * i, 'latin1'));
  return box;
};

describe('uploaded files', () => {
  it('recognise MP4 by its ftyp box, and nothing by its name', () => {
    expect(sniffFile(ftyp('isom', ['iso2', 'avc1']))).toEqual({ kind: 'video', contentType: 'video/mp4', width: null, height: null });
    expect(sniffFile(ftyp('XXXX', ['mp42']))?.kind).toBe('video');
    expect(sniffFile(ftyp('qt  '))).toBeNull();
    expect(sniffFile(Buffer.from('hello, I am a .png'))).toBeNull();
    expect(sniffFile(Buffer.alloc(0))).toBeNull();
  });

  it('take the purposes whose files videos are made from', () => {
    expect(parsePurpose('vision')).toBe('vision');
    expect(parsePurpose('user_data')).toBe('user_data');
    expect(() => parsePurpose(undefined)).toThrow(/Missing required parameter: 'purpose'/);
    expect(() => parsePurpose('fine-tune')).toThrow(/'vision' or 'user_data'/);
  });

  it('read expires_after as the SDK sends it (numbers as multipart text)', () => {
    expect(parseExpiresAfter(undefined)).toBeNull();
    expect(parseExpiresAfter({ anchor: 'created_at', seconds: '3600' })).toBe(3600);
    expect(parseExpiresAfter({ anchor: 'created_at', seconds: 2_592_000 })).toBe(2_592_000);
    expect(() => parseExpiresAfter({ anchor: 'created_at', seconds: '60' })).toThrow(/3600/);
    expect(() => parseExpiresAfter({ anchor: 'now', seconds: '3600' })).toThrow(/anchor/);
  });

  it('make unguessable ids and keep names printable and path-free', () => {
    const id = newFileId();
    expect(isFileId(id)).toBe(true);
    expect(isFileId('file-abc')).toBe(false);
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a\u0001b.png')).toBe('ab.png');
    expect(cleanFilename('dir\\')).toBe('upload');
  });
});
