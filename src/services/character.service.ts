// Characters (issue 15 §3) as every caller sees them: made from a short clip (its middle frame is
// the look) or an image; read by whoever may use them; shared, granted, confirmed, revoked and
// deleted by their creator only; and the one door video creation and the generate job use to check
// that a character may still be used. Consent follows Sora 2's cameos: docs/characters.md.
import { open as openFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '../domain/account.js';
import {
  CHARACTER_CLIP_SECONDS, isCharacterId, newCharacterId, sharingAllows, sniffClip,
  type Character, type CharacterSharing, type ConsentKind,
} from '../domain/character.js';
import { ApiError, storageFull } from '../domain/errors.js';
import { sniffImage } from '../domain/image-sniff.js';
import { describeBytes, describePixels } from '../domain/reference-image.js';
import type { Video, VideoError } from '../domain/video.js';
import type { CharacterRepo, CharacterUse } from '../db/character.repo.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';
import type { AuditLog } from './accounts/audit-log.js';
import type { VideoContent } from './video-content.js';

/** The media work a character needs (media/still.ts), given by app/ (services do not run ffmpeg). */
export interface LookMaker {
  /** The clip's middle frame as PNG at `output`, or null when the file holds no video stream. */
  fromClip(input: string, output: string): Promise<{ durationSeconds: number } | null>;
  fromImage(input: string, width: number, height: number, output: string): Promise<void>;
}

/** How people are found and named: by email or handle for grants; by public name in messages (never an email). */
export interface People {
  find(emailOrHandle: string): Promise<string | null>;
  nameOf(userId: string): Promise<string>;
  handleOf(userId: string): Promise<string | null>;
}

export interface CharacterServiceDeps {
  characters: CharacterRepo;
  storage: BlobStore;
  audit: AuditLog;
  looks: LookMaker;
  people: People;
  /** Fails these queued or running videos now (cancelling their jobs) with this error; returns how many. */
  failVideos: (videoIds: string[], error: VideoError) => Promise<number>;
  imageLimits: { maxBytes: number; maxPixels: number };
  storageProblem?: () => Promise<string | null>;
  now?: () => number;
}

/** An upload as the API received it: streamed to a scratch file. */
export interface CharacterUpload {
  field: 'video' | 'image';
  path: string;
  bytes: number;
}

export interface CharacterDetail {
  character: Character;
  /** Only for its creator: who it is granted to, and every video made with it. */
  grants: Array<{ userId: string; handle: string | null; createdAt: number }> | null;
  uses: CharacterUse[] | null;
}

/** What the generate job needs: the looks to hand the engine, or why the video must fail. */
export type JobCharacters =
  | { ok: true; looks: Array<{ id: string; name: string; key: string }> }
  | { ok: false; error: VideoError };

const actorOf = (who: Principal) => (who.via === 'local' ? null : who);

export class CharacterService {
  private readonly now: () => number;

  constructor(private readonly deps: CharacterServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async create(who: Principal, up: CharacterUpload, fields: { name: string; sharing: CharacterSharing; consent: ConsentKind | null }): Promise<Character> {
    if (up.bytes === 0) throw ApiError.badRequest(`'${up.field}' is empty.`, up.field, 'empty_file');
    if (await this.deps.storageProblem?.()) throw storageFull();
    const dir = await mkdtemp(join(tmpdir(), 'melies-look-'));
    const id = newCharacterId();
    const lookKey = `characters/${id}/look.png`;
    let sourceVideoKey: string | null = null;
    try {
      const look = join(dir, 'look.png');
      const head = await readHead(up.path, up.field === 'image' ? Math.min(up.bytes, this.deps.imageLimits.maxBytes) : 64);
      if (up.field === 'video') {
        const clip = sniffClip(head);
        if (!clip) throw ApiError.badRequest("'video' is not an MP4, QuickTime (.mov) or WebM video; characters are made from a short clip of the person or figure (2 to 4 seconds is best).", 'video', 'unsupported_file_type');
        const made = await this.deps.looks.fromClip(up.path, look).catch(() => null);
        if (!made) throw ApiError.badRequest("'video' could not be read as a video (no picture in it, or a damaged file).", 'video', 'invalid_video');
        const { min, max } = CHARACTER_CLIP_SECONDS;
        if (made.durationSeconds < min - 0.05 || made.durationSeconds > max + 0.05) {
          throw ApiError.badRequest(`'video' lasts ${made.durationSeconds.toFixed(1)} s; a character clip must last ${min} to ${max} seconds (2 to 4 is best).`, 'video', 'invalid_duration');
        }
        sourceVideoKey = `characters/${id}/source${clip.contentType === 'video/webm' ? '.webm' : clip.contentType === 'video/quicktime' ? '.mov' : '.mp4'}`;
        await this.deps.storage.put(sourceVideoKey, { file: up.path });
      } else {
        const image = sniffImage(head);
        if (!image) throw ApiError.badRequest("'image' is not a PNG, JPEG or WebP image.", 'image', 'unsupported_file_type');
        if (up.bytes > this.deps.imageLimits.maxBytes) {
          throw new ApiError(413, `This image is ${describeBytes(up.bytes)}; this server takes images of at most ${describeBytes(this.deps.imageLimits.maxBytes, 'down')}.`, { param: 'image', code: 'file_too_large' });
        }
        if (image.width < 16 || image.height < 16 || image.width * image.height > this.deps.imageLimits.maxPixels) {
          throw ApiError.badRequest(`This image is ${image.width}x${image.height}; images must be at least 16 pixels on each side and at most ${describePixels(this.deps.imageLimits.maxPixels)}.`, 'image', 'image_too_large');
        }
        await this.deps.looks.fromImage(up.path, image.width, image.height, look).catch(() => {
          throw ApiError.badRequest("'image' could not be decoded.", 'image', 'invalid_image');
        });
      }
      await this.deps.storage.put(lookKey, { file: look });
      const now = this.now();
      const c: Character = {
        id, ownerId: who.userId, name: fields.name, sharing: fields.sharing, lookKey, lookContentType: 'image/png', sourceVideoKey,
        consentKind: fields.consent, consentConfirmedAt: fields.consent ? now : null, revokedAt: null, createdAt: now,
      };
      await this.deps.characters.insert(c);
      await this.deps.audit.record({
        actor: actorOf(who), action: 'character.create', target: { type: 'character', id },
        details: { name: c.name, from: up.field, sharing: c.sharing, consent: c.consentKind ?? 'not yet confirmed' },
      });
      return c;
    } catch (err) {
      await Promise.all([lookKey, sourceVideoKey].filter((k): k is string => !!k).map((k) => this.deps.storage.delete(k).catch(() => {})));
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A character the caller may see: theirs, or one they may use; anyone else's is a 404 like one that never existed. */
  async get(who: Principal, id: string): Promise<Character> {
    const c = isCharacterId(id) ? await this.deps.characters.get(id) : null;
    if (!c || !(await this.visibleTo(c, who.userId))) throw ApiError.notFound(`No character found with id '${id.slice(0, 80)}'.`, 'character_id');
    return c;
  }

  private async visibleTo(c: Character, userId: string): Promise<boolean> {
    if (c.ownerId === userId) return true;
    if (c.revokedAt !== null || c.consentConfirmedAt === null) return false;
    return sharingAllows(c, userId, c.sharing === 'approved' && (await this.deps.characters.isGranted(c.id, userId)));
  }

  async detail(who: Principal, id: string): Promise<CharacterDetail> {
    const c = await this.get(who, id);
    if (c.ownerId !== who.userId) return { character: c, grants: null, uses: null };
    const grants = await Promise.all((await this.deps.characters.grants(c.id)).map(async (g) => ({ ...g, handle: await this.deps.people.handleOf(g.userId) })));
    return { character: c, grants, uses: await this.deps.characters.uses(c.id) };
  }

  async list(who: Principal): Promise<Character[]> {
    const all = await this.deps.characters.listUsableBy(who.userId);
    // Others' characters show once their creator has confirmed consent.
    return all.filter((c) => c.ownerId === who.userId || c.consentConfirmedAt !== null);
  }

  /** The caller's own character: others who can see it get a 403 that says whose it is; the rest a 404. */
  private async own(who: Principal, id: string): Promise<Character> {
    const c = await this.get(who, id);
    if (c.ownerId !== who.userId) {
      throw new ApiError(403, `The character '${c.name}' belongs to ${await this.deps.people.nameOf(c.ownerId)}; only its creator can change it.`, { param: 'character_id', code: 'not_character_owner' });
    }
    return c;
  }

  async setSharing(who: Principal, id: string, sharing: CharacterSharing): Promise<Character> {
    const c = await this.own(who, id);
    const updated = (await this.deps.characters.setSharing(c.id, sharing)) ?? c;
    await this.deps.audit.record({ actor: actorOf(who), action: 'character.sharing', target: { type: 'character', id: c.id }, details: { from: c.sharing, to: sharing } });
    await this.enforce(updated);
    return updated;
  }

  async grant(who: Principal, id: string, person: string): Promise<CharacterDetail> {
    const c = await this.own(who, id);
    if (c.revokedAt !== null) throw ApiError.badRequest(`The character '${c.name}' is revoked; it cannot be granted to anyone.`, 'character_id', 'character_revoked');
    const userId = await this.deps.people.find(person);
    if (!userId) throw ApiError.notFound(`No one on this server has the email or handle '${person.slice(0, 80)}'.`, 'user');
    if (userId === who.userId) throw ApiError.badRequest('You are its creator: you can always use your own character.', 'user', 'invalid_value');
    if (await this.deps.characters.grant(c.id, userId, this.now())) {
      await this.deps.audit.record({ actor: actorOf(who), action: 'character.grant', target: { type: 'character', id: c.id }, details: { user_id: userId } });
    }
    return this.detail(who, c.id);
  }

  async ungrant(who: Principal, id: string, userId: string): Promise<CharacterDetail> {
    const c = await this.own(who, id);
    if (!(await this.deps.characters.ungrant(c.id, userId))) throw ApiError.notFound(`The character '${c.name}' is not granted to '${userId.slice(0, 80)}'.`, 'user_id');
    await this.deps.audit.record({ actor: actorOf(who), action: 'character.ungrant', target: { type: 'character', id: c.id }, details: { user_id: userId } });
    await this.enforce(c);
    return this.detail(who, c.id);
  }

  /** The creator's confirmation that the person shown is them, or that they have consent; audited. */
  async confirmConsent(who: Principal, id: string, kind: ConsentKind): Promise<Character> {
    const c = await this.own(who, id);
    if (c.revokedAt !== null) throw ApiError.badRequest(`The character '${c.name}' is revoked.`, 'character_id', 'character_revoked');
    if (c.consentConfirmedAt !== null) {
      throw new ApiError(409, `Consent for '${c.name}' was already confirmed ('${c.consentKind}') on ${new Date(c.consentConfirmedAt).toISOString()}.`, { param: 'consent', code: 'consent_already_confirmed' });
    }
    const done = await this.deps.characters.confirmConsent(c.id, kind, this.now());
    if (!done) return this.get(who, id);
    await this.deps.audit.record({ actor: actorOf(who), action: 'character.consent', target: { type: 'character', id: c.id }, details: { consent: kind } });
    return done;
  }

  /** Never usable again, at once: queued and running videos made with it fail with `character_revoked`. */
  async revoke(who: Principal, id: string): Promise<{ character: Character; failedVideos: number }> {
    const c = await this.own(who, id);
    const revoked = await this.deps.characters.revoke(c.id, this.now());
    if (!revoked) return { character: c, failedVideos: 0 };
    const failed = await this.failActive(revoked, revokedError(revoked.name, 'revoked'));
    await this.deps.audit.record({ actor: actorOf(who), action: 'character.revoke', target: { type: 'character', id: c.id }, details: { failed_videos: failed } });
    return { character: revoked, failedVideos: failed };
  }

  /** Gone: revoked first (its waiting videos fail), then its look, clip, grants and row removed. */
  async delete(who: Principal, id: string): Promise<Character> {
    const c = await this.own(who, id);
    await this.deps.characters.revoke(c.id, this.now());
    const failed = await this.failActive(c, revokedError(c.name, 'deleted'));
    await Promise.all([c.lookKey, c.sourceVideoKey].filter((k): k is string => !!k).map((k) => this.deps.storage.delete(k).catch(() => {})));
    await this.deps.characters.delete(c.id);
    await this.deps.audit.record({ actor: actorOf(who), action: 'character.delete', target: { type: 'character', id: c.id }, details: { failed_videos: failed } });
    return c;
  }

  async look(who: Principal, id: string): Promise<VideoContent> {
    const c = await this.get(who, id);
    const stat = await this.deps.storage.stat(c.lookKey);
    if (!stat) throw ApiError.notFound(`No character found with id '${id}'.`, 'character_id');
    const { storage } = this.deps;
    return {
      contentType: c.lookContentType, bytes: stat.bytes, etag: `"${c.id}-${stat.bytes.toString(16)}"`, modifiedAt: stat.modifiedAt, filename: `${c.id}.png`, key: c.lookKey,
      open: async (range) => {
        try {
          return await storage.get(c.lookKey, range);
        } catch (err) {
          if (err instanceof BlobNotFoundError) throw ApiError.notFound(`No character found with id '${id}'.`, 'character_id');
          throw err;
        }
      },
    };
  }

  /**
   * The characters a new video names, each checked for the caller: it exists and they may see it
   * (else 404), it is not revoked, its creator confirmed consent, and its sharing lets them use it
   * (else 403 saying whose it is).
   */
  async forCreate(who: Principal, ids: string[]): Promise<Character[]> {
    const out: Character[] = [];
    for (const [i, id] of ids.entries()) {
      const param = `characters[${i}].id`;
      const c = isCharacterId(id) ? await this.deps.characters.get(id) : null;
      const mine = c?.ownerId === who.userId;
      const allowed = c ? sharingAllows(c, who.userId, c.sharing === 'approved' && (await this.deps.characters.isGranted(c.id, who.userId))) : false;
      // Someone who could never see it learns nothing of it, not even that it was revoked.
      if (!c || (!mine && (c.consentConfirmedAt === null || (!allowed && (c.sharing === 'only_me' || c.revokedAt !== null))))) {
        throw new ApiError(404, `No character found with id '${id.slice(0, 80)}'.`, { param, code: 'character_not_found' });
      }
      if (c.revokedAt !== null) {
        throw new ApiError(403, `The character '${c.name}' was revoked by ${mine ? 'you' : await this.deps.people.nameOf(c.ownerId)}; no video can be made with it any more.`, { param, code: 'character_revoked' });
      }
      if (c.consentConfirmedAt === null) {
        throw ApiError.badRequest(`The character '${c.name}' waits for your confirmation that the person shown is you or that you have their consent: POST /api/characters/${c.id}/consent with {"consent": "self"} or {"consent": "consent"}.`, param, 'character_consent_required');
      }
      if (!allowed) {
        throw new ApiError(403, `${await this.deps.people.nameOf(c.ownerId)} has not allowed you to use the character '${c.name}'.`, { param, code: 'character_not_allowed' });
      }
      out.push(c);
    }
    return out;
  }

  async recordUse(videoId: string, characters: Character[]): Promise<void> {
    await this.deps.characters.recordUse(videoId, characters.map((c) => c.id), this.now());
  }

  /** The ids of the characters a video was made with (a remix is made with its source's). */
  async usedBy(videoId: string): Promise<string[]> {
    return this.deps.characters.usedBy(videoId);
  }

  async forgetUse(videoId: string): Promise<void> {
    await this.deps.characters.forgetUse(videoId);
  }

  /** Checked again when the job runs: a character revoked, deleted or no longer shared with its owner since fails the video. */
  async forJob(video: Pick<Video, 'id' | 'ownerId'>): Promise<JobCharacters> {
    const ids = await this.deps.characters.usedBy(video.id);
    if (ids.length === 0) return { ok: true, looks: [] };
    const found = new Map((await this.deps.characters.many(ids)).map((c) => [c.id, c]));
    const looks: Array<{ id: string; name: string; key: string }> = [];
    for (const id of ids) {
      const c = found.get(id);
      if (!c) return { ok: false, error: revokedError(null, 'deleted') };
      if (c.revokedAt !== null) return { ok: false, error: revokedError(c.name, 'revoked') };
      if (c.ownerId !== video.ownerId && !sharingAllows(c, video.ownerId, await this.deps.characters.isGranted(c.id, video.ownerId))) {
        return { ok: false, error: notAllowedError(c.name) };
      }
      looks.push({ id: c.id, name: c.name, key: c.lookKey });
    }
    return { ok: true, looks };
  }

  private async failActive(c: Character, error: VideoError): Promise<number> {
    const ids = (await this.deps.characters.activeUses(c.id)).map((u) => u.videoId);
    return ids.length ? this.deps.failVideos(ids, error) : 0;
  }

  /** After sharing narrowed or a grant was taken back: waiting videos of people no longer allowed fail now. */
  private async enforce(c: Character): Promise<void> {
    const active = await this.deps.characters.activeUses(c.id);
    const stale: string[] = [];
    for (const u of active) {
      if (u.ownerId === c.ownerId) continue;
      if (!sharingAllows(c, u.ownerId, c.sharing === 'approved' && (await this.deps.characters.isGranted(c.id, u.ownerId)))) stale.push(u.videoId);
    }
    if (stale.length) await this.deps.failVideos(stale, notAllowedError(c.name));
  }
}

function revokedError(name: string | null, how: 'revoked' | 'deleted'): VideoError {
  const what = name ? `the character '${name}'` : 'a character it was made with';
  return { code: 'character_revoked', message: `This video was not made: its creator ${how} ${what}, so no video may use it any more.` };
}

function notAllowedError(name: string): VideoError {
  return { code: 'character_not_allowed', message: `This video was not made: the creator of the character '${name}' no longer allows you to use it.` };
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(Math.max(16, n));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
