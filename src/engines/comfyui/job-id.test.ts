import { describe, expect, it } from 'vitest';
import { decodeJobId, encodeJobId, promptIdFor } from './job-id.js';

describe('ComfyUI job ids', () => {
  it('round-trips server, prompt and submission', () => {
    const ref = { submission: 2, promptId: promptIdFor('video_1', 2), server: 'http://gpu-1.lan:8188/comfy' };
    expect(decodeJobId(encodeJobId(ref))).toEqual(ref);
    expect(decodeJobId('garbage')).toBeNull();
    expect(decodeJobId('1:not-a-uuid@http://x')).toBeNull();
  });

  it('derives a canonical lower-case UUID per video and submission', () => {
    const a = promptIdFor('video_abc', 1);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(promptIdFor('video_abc', 1)).toBe(a);
    expect(promptIdFor('video_abc', 2)).not.toBe(a);
    expect(promptIdFor('video_abd', 1)).not.toBe(a);
  });
});
