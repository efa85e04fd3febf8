// Characters, their grants and the videos that used them (migration 0019).
import type { Selectable } from 'kysely';
import type { Character, CharacterSharing, ConsentKind } from '../domain/character.js';
import type { Database } from './database.js';
import type { CharactersTable } from './schema.js';

const toCharacter = (r: Selectable<CharactersTable>): Character => ({
  id: r.id, ownerId: r.owner_id, name: r.name, sharing: r.sharing as CharacterSharing, lookKey: r.look_key, lookContentType: r.look_content_type,
  sourceVideoKey: r.source_video_key, consentKind: r.consent_kind as ConsentKind | null,
  consentConfirmedAt: r.consent_confirmed_at === null ? null : Number(r.consent_confirmed_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), createdAt: Number(r.created_at),
});

export interface CharacterUse {
  videoId: string;
  ownerId: string;
  status: string | null;
  createdAt: number;
}

export class CharacterRepo {
  constructor(private readonly db: Database) {}

  async insert(c: Character): Promise<void> {
    await this.db.insertInto('characters').values({
      id: c.id, owner_id: c.ownerId, name: c.name, sharing: c.sharing, look_key: c.lookKey, look_content_type: c.lookContentType,
      source_video_key: c.sourceVideoKey, consent_kind: c.consentKind, consent_confirmed_at: c.consentConfirmedAt, revoked_at: c.revokedAt, created_at: c.createdAt,
    }).execute();
  }

  async get(id: string): Promise<Character | null> {
    const r = await this.db.selectFrom('characters').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toCharacter(r) : null;
  }

  async many(ids: string[]): Promise<Character[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('characters').selectAll().where('id', 'in', ids).execute()).map(toCharacter);
  }

  /** The caller's own characters, then those others let them use (not revoked), newest first. */
  async listUsableBy(userId: string): Promise<Character[]> {
    const rows = await this.db.selectFrom('characters').selectAll()
      .where((eb) => eb.or([
        eb('owner_id', '=', userId),
        eb.and([eb('revoked_at', 'is', null), eb.or([
          eb('sharing', '=', 'everyone'),
          eb.and([eb('sharing', '=', 'approved'), eb.exists(eb.selectFrom('character_grants').select('user_id')
            .whereRef('character_grants.character_id', '=', 'characters.id').where('character_grants.user_id', '=', userId))]),
        ])]),
      ]))
      .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toCharacter);
  }

  async setSharing(id: string, sharing: CharacterSharing): Promise<Character | null> {
    const r = await this.db.updateTable('characters').set({ sharing }).where('id', '=', id).returningAll().executeTakeFirst();
    return r ? toCharacter(r) : null;
  }

  /** Records the creator's confirmation once; null if it was already confirmed (or the row is gone). */
  async confirmConsent(id: string, kind: ConsentKind, at: number): Promise<Character | null> {
    const r = await this.db.updateTable('characters').set({ consent_kind: kind, consent_confirmed_at: at })
      .where('id', '=', id).where('consent_confirmed_at', 'is', null).returningAll().executeTakeFirst();
    return r ? toCharacter(r) : null;
  }

  /** Revokes it once; null if it was already revoked. */
  async revoke(id: string, at: number): Promise<Character | null> {
    const r = await this.db.updateTable('characters').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
    return r ? toCharacter(r) : null;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('character_grants').where('character_id', '=', id).execute();
    await this.db.deleteFrom('characters').where('id', '=', id).execute();
  }

  async grants(id: string): Promise<Array<{ userId: string; createdAt: number }>> {
    const rows = await this.db.selectFrom('character_grants').select(['user_id', 'created_at']).where('character_id', '=', id).orderBy('created_at').execute();
    return rows.map((r) => ({ userId: r.user_id, createdAt: Number(r.created_at) }));
  }

  async isGranted(id: string, userId: string): Promise<boolean> {
    return Boolean(await this.db.selectFrom('character_grants').select('user_id').where('character_id', '=', id).where('user_id', '=', userId).executeTakeFirst());
  }

  /** False when the grant already existed. */
  async grant(id: string, userId: string, at: number): Promise<boolean> {
    const res = await this.db.insertInto('character_grants').values({ character_id: id, user_id: userId, created_at: at })
      .onConflict((oc) => oc.columns(['character_id', 'user_id']).doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async ungrant(id: string, userId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('character_grants').where('character_id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async recordUse(videoId: string, characterIds: string[], at: number): Promise<void> {
    if (characterIds.length === 0) return;
    await this.db.insertInto('video_characters').values(characterIds.map((id, position) => ({ video_id: videoId, character_id: id, position, created_at: at }))).execute();
  }

  async forgetUse(videoId: string): Promise<void> {
    await this.db.deleteFrom('video_characters').where('video_id', '=', videoId).execute();
  }

  /** The characters a video was made with, in order (ids; the character may be gone since). */
  async usedBy(videoId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('video_characters').select('character_id').where('video_id', '=', videoId).orderBy('position').execute();
    return rows.map((r) => r.character_id);
  }

  /** Every video made with the character, newest first, with its owner and status (null once the video is deleted). */
  async uses(characterId: string): Promise<CharacterUse[]> {
    const rows = await this.db.selectFrom('video_characters')
      .leftJoin('videos', (j) => j.onRef('videos.id', '=', 'video_characters.video_id').on('videos.deleted_at', 'is', null))
      .select(['video_characters.video_id as video_id', 'video_characters.created_at as created_at', 'videos.owner_id as owner_id', 'videos.status as status'])
      .where('video_characters.character_id', '=', characterId)
      .orderBy('video_characters.created_at', 'desc').orderBy('video_characters.video_id', 'desc').execute();
    return rows.map((r) => ({ videoId: r.video_id, ownerId: r.owner_id ?? '', status: r.status ?? null, createdAt: Number(r.created_at) }));
  }

  /** Videos made with the character that are still queued or running: what revoking it fails. */
  async activeUses(characterId: string): Promise<Array<{ videoId: string; ownerId: string }>> {
    const rows = await this.db.selectFrom('video_characters').innerJoin('videos', 'videos.id', 'video_characters.video_id')
      .select(['videos.id as id', 'videos.owner_id as owner_id'])
      .where('video_characters.character_id', '=', characterId).where('videos.status', 'in', ['queued', 'in_progress']).where('videos.deleted_at', 'is', null)
      .execute();
    return rows.map((r) => ({ videoId: r.id, ownerId: r.owner_id }));
  }
}
