// Characters on the wire: OpenAI's VideoCharacterResource for /v1/videos/characters (`id`, `name`,
// `created_at` in Unix seconds, plus Méliès's `status`), and the whole record for /api/characters.
import { statusOf, type Character } from '../domain/character.js';
import type { CharacterDetail } from './character.service.js';

const seconds = (ms: number) => Math.floor(ms / 1000);

export const wireCharacter = (c: Character) => ({ id: c.id, name: c.name, created_at: seconds(c.createdAt), status: statusOf(c) });

export function wireCharacterFull(c: Character, viewerId: string, detail?: Pick<CharacterDetail, 'grants' | 'uses'>) {
  const mine = c.ownerId === viewerId;
  return {
    id: c.id, object: 'character' as const, name: c.name, created_at: seconds(c.createdAt), status: statusOf(c),
    owner_id: c.ownerId, mine, sharing: c.sharing, made_from: c.sourceVideoKey ? 'video' as const : 'image' as const,
    look_url: `/api/characters/${c.id}/look`,
    consent: mine && c.consentConfirmedAt !== null ? { kind: c.consentKind, confirmed_at: seconds(c.consentConfirmedAt) } : null,
    revoked_at: c.revokedAt === null ? null : seconds(c.revokedAt),
    ...(detail?.grants ? { grants: detail.grants.map((g) => ({ user_id: g.userId, handle: g.handle, granted_at: seconds(g.createdAt) })) } : {}),
    ...(detail?.uses ? { videos: detail.uses.map((u) => ({ id: u.videoId, mine: u.ownerId === viewerId, status: u.status ?? 'deleted', created_at: seconds(u.createdAt) })) } : {}),
  };
}
