import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { parseCreateVideoRequest, parseEditVideoRequest, parseExtendVideoRequest, parseRemixVideoRequest } from './video-request.js';

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('parseCreateVideoRequest', () => {
  it('reads the OpenAI fields, taking integers as strings or numbers', () => {
    expect(parseCreateVideoRequest({ prompt: 'a boat', model: 'sketch', seconds: '8', size: '1280x720' })).toEqual({ prompt: 'a boat', model: 'sketch', seconds: 8, size: { width: 1280, height: 720 } });
    expect(parseCreateVideoRequest({ prompt: 'a boat', seconds: 4, seed: '4294967295', fps: 30 })).toEqual({ prompt: 'a boat', seconds: 4, seed: 4294967295, fps: 30 });
  });

  it('ignores unknown fields and fields the server owns', () => {
    expect(parseCreateVideoRequest({ prompt: 'x', status: 'completed', id: 'video_1', character_ids: ['c'] })).toEqual({ prompt: 'x' });
  });

  it('reads characters: [{id}] (JSON, or multipart as characters[][id] or characters[0][id]), at most 2', () => {
    expect(parseCreateVideoRequest({ prompt: 'x', characters: [{ id: 'char_a' }, { id: 'char_b' }] }).characters).toEqual(['char_a', 'char_b']);
    expect(parseCreateVideoRequest({ prompt: 'x', characters: { 1: { id: 'char_b' }, 0: { id: 'char_a' } } }).characters).toEqual(['char_a', 'char_b']);
    expect(parseCreateVideoRequest({ prompt: 'x', characters: [] }).characters).toBeUndefined();
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', characters: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] })).code).toBe('too_many_characters');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', characters: [{ id: 'a' }, { id: 'a' }] })).code).toBe('duplicate_character');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', characters: [{ name: 'a' }] })).param).toBe('characters[0].id');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', characters: 'char_a' })).code).toBe('invalid_type');
  });

  it('names the field in every refusal', () => {
    expect(refusal(() => parseCreateVideoRequest({})).param).toBe('prompt');
    expect(refusal(() => parseCreateVideoRequest({ prompt: '' })).code).toBe('empty_prompt');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'é'.repeat(32001) })).code).toBe('string_above_max_length');
    expect(parseCreateVideoRequest({ prompt: '🎬'.repeat(32000) }).prompt).toHaveLength(64000); // counted in characters, not UTF-16 units
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'a\u0000b' })).code).toBe('invalid_characters');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'bell\u0007' })).param).toBe('prompt');
    // Multipart (what SDK ≥ 6.28 sends) turns line breaks into CRLF; the stored prompt is the same as over JSON.
    expect(parseCreateVideoRequest({ prompt: 'shot 1: a boat\r\n\tshot 2: a whale\r\n' }).prompt).toBe('shot 1: a boat\n\tshot 2: a whale\n');
    expect(parseCreateVideoRequest({ prompt: 'x', negative_prompt: ' blur\r\ntext ' }).negativePrompt).toBe('blur\ntext');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', negative_prompt: 'a\u0000' })).param).toBe('negative_prompt');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', negative_prompt: 7 })).param).toBe('negative_prompt');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', seconds: '8.5' })).param).toBe('seconds');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', size: '1280*720' })).param).toBe('size');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', seed: -1 })).param).toBe('seed');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', seed: 2 ** 32 })).param).toBe('seed');
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', model: 5 })).param).toBe('model');
    expect(refusal(() => parseCreateVideoRequest('a string')).status).toBe(400);
  });

  it('takes input_reference as a file, an image_url, and refuses a bare string like OpenAI', () => {
    const file = { data: Buffer.from('x'), filename: 'a.png', contentType: 'image/png' };
    expect(parseCreateVideoRequest({ prompt: 'x' }, file).inputReference).toEqual({ kind: 'upload', file });
    expect(parseCreateVideoRequest({ prompt: 'x', input_reference: { image_url: 'https://e.com/a.png' } }).inputReference).toEqual({ kind: 'url', url: 'https://e.com/a.png' });
    const bare = refusal(() => parseCreateVideoRequest({ prompt: 'x', input_reference: 'https://e.com/a.png' }));
    expect(bare.message).toBe("Invalid type for 'input_reference': expected a file, but got a string instead.");
    expect(refusal(() => parseCreateVideoRequest({ prompt: 'x', input_reference: { image_url: 'ftp://x' } })).param).toBe('input_reference.image_url');
  });
});

describe('parseRemixVideoRequest', () => {
  it('needs a prompt', () => {
    expect(parseRemixVideoRequest({ prompt: 'again' })).toEqual({ prompt: 'again' });
    expect(refusal(() => parseRemixVideoRequest({})).param).toBe('prompt');
  });
});

describe('the source of an extension or edit', () => {
  const clip = { path: '/tmp/x/upload', bytes: 1000, filename: 'a.mp4' };
  it('is a video id, a file id, or the uploaded MP4 itself', () => {
    expect(parseExtendVideoRequest({ video: { id: 'video_1' }, prompt: 'on', seconds: '4' })).toEqual({ source: { kind: 'video', id: 'video_1' }, prompt: 'on', seconds: 4 });
    expect(parseExtendVideoRequest({ video: { file_id: 'file-1' }, prompt: 'on', seconds: 4 }).source).toEqual({ kind: 'file', fileId: 'file-1' });
    expect(parseEditVideoRequest({ prompt: 'snow' }, clip).source).toEqual({ kind: 'upload', clip });
  });
  it('is one of them, named clearly when it is missing, doubled or of the wrong type', () => {
    expect(refusal(() => parseExtendVideoRequest({ prompt: 'on', seconds: '4' }))).toMatchObject({ param: 'video', code: 'missing_required_parameter' });
    expect(refusal(() => parseExtendVideoRequest({ video: { id: 'video_1', file_id: 'file-1' }, prompt: 'on', seconds: '4' }))).toMatchObject({ param: 'video', code: 'unsupported_combination' });
    expect(refusal(() => parseEditVideoRequest({ video: { id: 'video_1' }, prompt: 'snow' }, clip))).toMatchObject({ param: 'video', code: 'unsupported_combination' });
    expect(refusal(() => parseEditVideoRequest({ video: { file_id: 7 }, prompt: 'snow' }))).toMatchObject({ param: 'video.file_id', code: 'invalid_type' });
    expect(refusal(() => parseEditVideoRequest({ video: 'video_1', prompt: 'snow' }))).toMatchObject({ param: 'video', code: 'invalid_type' });
  });
});
