import { describe, expect, it } from 'vitest';
import { requestRefusal, supportsLastFrame, type ModelCard } from '../domain/model-card.js';
import { parseCreateVideoRequest } from '../domain/video-request.js';
import { SKETCH_CARD } from '../engines/sketch/sketch.card.js';
import { asLastFrame, lastFrameUnsupported } from './last-frame.js';

const plain: ModelCard = { ...SKETCH_CARD, id: 'plain', lastFrame: undefined };

describe('last_frame (issue 15 §5)', () => {
  it('is parsed in the very shapes of input_reference, each refusal naming last_frame', () => {
    const file = { data: Buffer.from('x'), filename: 'l.png', contentType: 'image/png' };
    expect(parseCreateVideoRequest({ prompt: 'p' }, undefined, file).lastFrame).toEqual({ kind: 'upload', file });
    expect(parseCreateVideoRequest({ prompt: 'p', last_frame: { file_id: 'file-1' } }).lastFrame).toEqual({ kind: 'file', fileId: 'file-1' });
    expect(parseCreateVideoRequest({ prompt: 'p', last_frame: { image_url: 'https://e.x/a.png' } }).lastFrame).toEqual({ kind: 'url', url: 'https://e.x/a.png' });
    expect(parseCreateVideoRequest({ prompt: 'p', last_frame: '' }).lastFrame).toBeUndefined();
    expect(() => parseCreateVideoRequest({ prompt: 'p', last_frame: { image_url: 'ftp://e.x/a.png' } })).toThrow(expect.objectContaining({ param: 'last_frame.image_url', message: "'last_frame[image_url]' must be an http(s) URL or a data: URL." }));
    expect(() => parseCreateVideoRequest({ prompt: 'p', last_frame: [1] })).toThrow(expect.objectContaining({ param: 'last_frame', code: 'invalid_type' }));
    // The first frame's own field is untouched by the second.
    expect(parseCreateVideoRequest({ prompt: 'p', last_frame: { file_id: 'file-1' } }).inputReference).toBeUndefined();
  });

  it('is refused by a card without it, with the models that take one named', () => {
    expect(supportsLastFrame(SKETCH_CARD)).toBe(true);
    expect(supportsLastFrame(plain)).toBe(false);
    const shape = { seconds: 4, width: 1280, height: 720, fps: 24, hasImage: false, hasNegativePrompt: false, hasLastFrame: true };
    expect(requestRefusal(plain, shape)).toMatchObject({ param: 'last_frame', code: 'unsupported_parameter' });
    expect(requestRefusal(SKETCH_CARD, shape)).toBeNull();
    const err = lastFrameUnsupported([SKETCH_CARD, plain, { ...SKETCH_CARD, id: 'gone', available: false }], plain);
    expect(err).toMatchObject({ status: 400, param: 'last_frame', code: 'unsupported_parameter' });
    expect(err.message).toBe("The model plain does not take a last frame; leave 'last_frame' out or pick another model. Models here that take a last frame: sketch.");
    expect(lastFrameUnsupported([plain], plain).message).toContain('No model on this server takes a last frame.');
  });

  it('restates a reference refusal for last_frame', () => {
    expect(asLastFrame({ param: 'input_reference', code: 'image_too_small', message: 'kling/x takes reference images at least 300 pixels on each side; this one is 200x200.' }))
      .toEqual({ param: 'last_frame', code: 'image_too_small', message: 'kling/x takes last-frame images at least 300 pixels on each side; this one is 200x200.' });
    expect(asLastFrame({ param: 'input_reference', code: 'invalid_image', message: "'input_reference' is 8200x16; images must be between 16 and 8192 pixels on each side." }).message)
      .toBe("'last_frame' is 8200x16; images must be between 16 and 8192 pixels on each side.");
    expect(asLastFrame(null)).toBeNull();
  });
});
