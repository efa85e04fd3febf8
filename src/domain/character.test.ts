import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { parseCharacterName, parseConsent, parseSharing, sharingAllows, sniffClip, statusOf, type Character } from './character.js';

const refusal = (fn: () => unknown): ApiError => {
  try { fn(); } catch (err) { return err as ApiError; }
  throw new Error('not refused');
};

describe('characters in the domain', () => {
  it('reads names (1 to 80 characters, trimmed, no control characters)', () => {
    expect(parseCharacterName('  Ada  ')).toBe('Ada');
    expect(parseCharacterName('é'.repeat(80))).toHaveLength(80);
    expect(refusal(() => parseCharacterName('x'.repeat(81))).code).toBe('string_above_max_length');
    expect(refusal(() => parseCharacterName('   ')).code).toBe('empty_name');
    expect(refusal(() => parseCharacterName(undefined)).code).toBe('missing_required_parameter');
    expect(refusal(() => parseCharacterName('a\u0000b')).code).toBe('invalid_characters');
  });

  it('reads sharing and consent', () => {
    expect(parseSharing(undefined, 'only_me')).toBe('only_me');
    expect(parseSharing('everyone')).toBe('everyone');
    expect(refusal(() => parseSharing('friends')).param).toBe('sharing');
    expect(parseConsent(undefined)).toBeNull();
    expect(refusal(() => parseConsent(undefined, true)).code).toBe('missing_required_parameter');
    expect(parseConsent('self')).toBe('self');
    expect(refusal(() => parseConsent('yes')).param).toBe('consent');
  });

  it('lets its creator use it always, others as its sharing says', () => {
    expect(sharingAllows({ ownerId: 'a', sharing: 'only_me' }, 'a', false)).toBe(true);
    expect(sharingAllows({ ownerId: 'a', sharing: 'only_me' }, 'b', true)).toBe(false);
    expect(sharingAllows({ ownerId: 'a', sharing: 'approved' }, 'b', false)).toBe(false);
    expect(sharingAllows({ ownerId: 'a', sharing: 'approved' }, 'b', true)).toBe(true);
    expect(sharingAllows({ ownerId: 'a', sharing: 'everyone' }, 'b', false)).toBe(true);
  });

  it('says its status: pending consent, ready, revoked', () => {
    const c = { consentConfirmedAt: null, revokedAt: null } as Character;
    expect(statusOf(c)).toBe('pending_consent');
    expect(statusOf({ ...c, consentConfirmedAt: 1 })).toBe('ready');
    expect(statusOf({ ...c, consentConfirmedAt: 1, revokedAt: 2 })).toBe('revoked');
  });

  it('knows a clip by its first bytes: MP4, QuickTime, WebM', () => {
    const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(12)]);
    expect(sniffClip(ftyp('isom'))).toEqual({ contentType: 'video/mp4' });
    expect(sniffClip(ftyp('qt  '))).toEqual({ contentType: 'video/quicktime' });
    expect(sniffClip(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]))).toEqual({ contentType: 'video/webm' });
    expect(sniffClip(Buffer.from('not a video at all'))).toBeNull();
  });
});
