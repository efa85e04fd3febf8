import { describe, expect, it } from 'vitest';
import { imageProblem, sniffImageFormat } from './image-check';

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(16).fill(0)]);

describe('image checks before upload', () => {
  it('knows PNG, JPEG and WebP by their first bytes, not their names', () => {
    expect(sniffImageFormat(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('png');
    expect(sniffImageFormat(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(sniffImageFormat(new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], [...'WEBPVP8 '].map((c) => c.charCodeAt(0)))))).toBe('webp');
    expect(sniffImageFormat(new TextEncoder().encode('this is a text file'))).toBeNull();
    expect(sniffImageFormat(bytes(0x47, 0x49, 0x46, 0x38))).toBeNull(); // GIF
  });

  it('says in plain words what is wrong, naming the file', () => {
    const ok = { name: 'cat.png', bytes: 2048, format: 'png' as const, decoded: { width: 640, height: 480 } };
    expect(imageProblem(ok)).toBeNull();
    expect(imageProblem({ ...ok, name: 'notes.png', format: null, decoded: null })).toBe('notes.png is not a PNG, JPEG or WebP image. Choose a picture saved in one of those formats.');
    expect(imageProblem({ ...ok, decoded: null })).toMatch(/^cat\.png looks like a PNG image but cannot be opened/);
    expect(imageProblem({ ...ok, decoded: { width: 8, height: 600 } })).toMatch(/only 8x600 pixels/);
    expect(imageProblem({ ...ok, bytes: 25 * 1024 * 1024 })).toMatch(/25\.0 MB; images can be up to 20 MB/);
    expect(imageProblem({ ...ok, bytes: 0 })).toMatch(/is empty/);
    for (const p of [imageProblem({ ...ok, format: null }), imageProblem({ ...ok, decoded: null })]) expect(p).not.toMatch(/input_reference/);
  });
});
