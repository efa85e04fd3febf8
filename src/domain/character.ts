// Characters (issue 15 §3, OpenAI's /v1/videos/characters, Sora 2's cameos): a person or figure
// kept as a look (one still image) that videos may be made with. A character belongs to its
// creator, who decides who may use it, can revoke it at once, and sees every video that used it.
// Nobody may use one (its creator included) until the creator has confirmed that the person shown
// is them or that they have that person's consent: see docs/characters.md.
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

/** 'only_me': the creator; 'approved': the creator and the people they granted; 'everyone': any member here. */
export const CHARACTER_SHARING = ['only_me', 'approved', 'everyone'] as const;
export type CharacterSharing = (typeof CHARACTER_SHARING)[number];

/** 'self': the person shown is the uploader; 'consent': the uploader has the consent of everyone shown. */
export const CONSENT_KINDS = ['self', 'consent'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** At most this many characters in one video (OpenAI's video-generation guide). */
export const MAX_CHARACTERS_PER_VIDEO = 2;
export const MAX_CHARACTER_NAME = 80;
/** Seconds a character clip may last. OpenAI's guide asks for 2–4 s; anything from 1 to 10 is taken here. */
export const CHARACTER_CLIP_SECONDS = { min: 1, max: 10 } as const;

export interface Character {
  id: string;
  ownerId: string;
  name: string;
  sharing: CharacterSharing;
  /** The still the engines are given (blob key): the clip's middle frame, or the uploaded image. */
  lookKey: string;
  lookContentType: string;
  /** The uploaded clip, kept as given (null when an image was uploaded). */
  sourceVideoKey: string | null;
  consentKind: ConsentKind | null;
  consentConfirmedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/** ready: usable (as its sharing allows); pending_consent: waits for its creator's confirmation; revoked: never again. */
export type CharacterStatus = 'ready' | 'pending_consent' | 'revoked';

export function statusOf(c: Character): CharacterStatus {
  if (c.revokedAt !== null) return 'revoked';
  return c.consentConfirmedAt === null ? 'pending_consent' : 'ready';
}

const CHARACTER_ID = /^char_[0-9a-f]{32}$/;

export function newCharacterId(): string {
  return `char_${randomBytes(16).toString('hex')}`;
}

export function isCharacterId(value: string): boolean {
  return CHARACTER_ID.test(value);
}

/**
 * Whether `userId` may make videos with `c` by its sharing alone (revocation and consent are
 * separate): its creator always; anyone here when shared with everyone; a granted person when approved.
 */
export function sharingAllows(c: Pick<Character, 'ownerId' | 'sharing'>, userId: string, granted: boolean): boolean {
  if (c.ownerId === userId) return true;
  if (c.sharing === 'everyone') return true;
  return c.sharing === 'approved' && granted;
}

export function parseCharacterName(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw new ApiError(400, "Missing required parameter: 'name'.", { param: 'name', code: 'missing_required_parameter' });
  }
  if (typeof value !== 'string') throw new ApiError(400, "Invalid type for 'name': expected a string.", { param: 'name', code: 'invalid_type' });
  const control = /[\u0000-\u001f\u007f]/.exec(value);
  if (control) {
    throw ApiError.badRequest(`'name' contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}); remove it.`, 'name', 'invalid_characters');
  }
  const name = value.trim();
  if (name.length === 0) throw ApiError.badRequest("'name' is empty: give the character a name (1 to 80 characters).", 'name', 'empty_name');
  if ([...name].length > MAX_CHARACTER_NAME) {
    throw ApiError.badRequest(`'name' is too long: ${[...name].length} characters, the limit is ${MAX_CHARACTER_NAME}.`, 'name', 'string_above_max_length');
  }
  return name;
}

export function parseSharing(value: unknown, fallback: CharacterSharing | null = null): CharacterSharing {
  if ((value === undefined || value === null || value === '') && fallback) return fallback;
  if (typeof value !== 'string' || !(CHARACTER_SHARING as readonly string[]).includes(value)) {
    throw ApiError.badRequest(`Invalid value for 'sharing': expected 'only_me', 'approved' (people you grant it to) or 'everyone' (every member of this server).`, 'sharing');
  }
  return value as CharacterSharing;
}

/** The uploader's confirmation; null when absent (the character then waits for it). */
export function parseConsent(value: unknown, required = false): ConsentKind | null {
  if (value === undefined || value === null || value === '') {
    if (!required) return null;
    throw new ApiError(400, "Missing required parameter: 'consent'. Send 'self' if the person shown is you, or 'consent' if you have the consent of every person shown (or it shows no real person).", { param: 'consent', code: 'missing_required_parameter' });
  }
  if (typeof value !== 'string' || !(CONSENT_KINDS as readonly string[]).includes(value)) {
    throw ApiError.badRequest("Invalid value for 'consent': expected 'self' (the person shown is you) or 'consent' (you have the consent of every person shown, or it shows no real person).", 'consent');
  }
  return value as ConsentKind;
}

/**
 * `characters: [{id}]` on create, as JSON gives it or multipart decodes it (`characters[][id]`,
 * which the openai SDK sends for an array of objects, or `characters[0][id]`). At most 2, no repeats.
 */
export function parseCharacterRefs(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'object' && Object.keys(value).every((k) => /^\d+$/.test(k))) {
    items = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  } else {
    throw new ApiError(400, "Invalid type for 'characters': expected an array of objects like {\"id\": \"char_…\"}.", { param: 'characters', code: 'invalid_type' });
  }
  if (items.length > MAX_CHARACTERS_PER_VIDEO) {
    throw ApiError.badRequest(`Too many characters: ${items.length} given, a video may have at most ${MAX_CHARACTERS_PER_VIDEO}.`, 'characters', 'too_many_characters');
  }
  const ids = items.map((item, i) => {
    const id = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
      throw new ApiError(400, `Invalid value for 'characters[${i}]': expected {"id": "char_…"}.`, { param: `characters[${i}].id`, code: 'invalid_type' });
    }
    return id;
  });
  if (new Set(ids).size !== ids.length) throw ApiError.badRequest("'characters' names the same character twice.", 'characters', 'duplicate_character');
  return ids;
}

/** What an uploaded clip is by its first bytes: MP4, QuickTime or WebM; else null. */
export function sniffClip(head: Buffer): { contentType: 'video/mp4' | 'video/quicktime' | 'video/webm' } | null {
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    return { contentType: head.toString('latin1', 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return { contentType: 'video/webm' };
  return null;
}
