// Configuration errors are shown in full only to operators (the admin scope), whatever the role:
// an admin acting through a key without that scope sees what members see.
import { describe, expect, it } from 'vitest';
import { wireError } from './video.wire.js';

const error = { code: 'engine_misconfigured', message: 'Runway refused the API key (401 Unauthorized).' };

describe('wireError', () => {
  it('shows engine configuration errors to operators only', () => {
    expect(wireError(error, { scopes: ['videos:read', 'videos:write', 'admin'] })).toEqual(error);
    const neutral = wireError(error, { scopes: ['videos:read'] });
    expect(neutral?.code).toBe('engine_misconfigured');
    expect(neutral?.message).not.toContain('API key');
    expect(wireError(error)?.message).not.toContain('API key');
  });

  it('passes every other error through as written', () => {
    const policy = { code: 'content_policy_violation', message: 'The provider refused the prompt: violence.' };
    expect(wireError(policy, { scopes: [] })).toEqual(policy);
  });

  it("shows the operator-only detail to operators alone, in OpenAI's {code, message} shape for everyone else", () => {
    const failed = { code: 'provider_bad_output', message: "The provider's file is not a readable video.", detail: 'ffprobe exited with 1: /srv/melies/work/v/r/out.mp4: Invalid data' };
    for (const viewer of [undefined, { scopes: [] }, { scopes: ['videos:read', 'videos:write'] as const }]) {
      expect(wireError(failed, viewer)).toEqual({ code: 'provider_bad_output', message: failed.message });
    }
    expect(wireError(failed, { scopes: ['admin'] })).toEqual(failed);
    expect(wireError({ ...failed, detail: null }, { scopes: ['admin'] })).toEqual({ code: 'provider_bad_output', message: failed.message });
  });
});
