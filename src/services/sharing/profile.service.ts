// Public names (issue 14): the handle and display name people see on the feed, in credits and in
// signed manifests. Emails never leave the server, nor any part of them: someone who publishes
// without having chosen a handle gets a neutral one (`artist_3f9a2c`), which they can change.
import { ApiError } from '../../domain/errors.js';
import { checkHandle, neutralHandle, type Profile } from '../../domain/sharing.js';
import type { ProfileRepo } from '../../db/community.repo.js';

export interface Author { handle: string; displayName: string | null }

export interface ProfileDeps {
  profiles: ProfileRepo;
  now?: () => number;
}

/** Shown for an account that never published (no profile yet): never its email. */
const NO_PROFILE: Author = { handle: 'unknown', displayName: null };

export class ProfileService {
  private readonly now: () => number;
  constructor(private readonly deps: ProfileDeps) {
    this.now = deps.now ?? Date.now;
  }

  async get(userId: string): Promise<Profile | null> {
    return this.deps.profiles.get(userId);
  }

  async byHandle(handle: string): Promise<Profile> {
    const p = /^[a-z0-9_]{1,30}$/.test(handle) ? await this.deps.profiles.getByHandle(handle) : null;
    if (!p) throw ApiError.notFound(`No one here goes by @${handle.slice(0, 30)}.`, 'handle');
    return p;
  }

  /** The profile, made now if the user has none (publishing needs a public name). */
  async ensure(userId: string): Promise<Profile> {
    const existing = await this.deps.profiles.get(userId);
    if (existing) return existing;
    for (let i = 0; i < 8; i++) {
      if (await this.deps.profiles.save({ userId, handle: neutralHandle(), displayName: null }, this.now())) return (await this.deps.profiles.get(userId))!;
    }
    throw new Error('could not find a free handle');
  }

  async update(userId: string, body: Record<string, unknown>): Promise<Profile> {
    const current = await this.ensure(userId);
    const handle = body.handle === undefined ? current.handle : checkHandle(body.handle);
    let displayName = current.displayName;
    if (body.display_name !== undefined) {
      if (body.display_name !== null && typeof body.display_name !== 'string') throw ApiError.badRequest("'display_name' must be text or null.", 'display_name');
      const trimmed = typeof body.display_name === 'string' ? body.display_name.trim() : '';
      if (trimmed.length > 60) throw ApiError.badRequest("'display_name' is too long (at most 60 characters).", 'display_name');
      displayName = trimmed || null;
    }
    if (!(await this.deps.profiles.save({ userId, handle, displayName }, this.now()))) {
      throw new ApiError(409, `The handle @${handle} is taken; pick another.`, { param: 'handle', code: 'handle_taken' });
    }
    return (await this.deps.profiles.get(userId))!;
  }

  /** Authors of many videos at once (feed pages), by owner id. */
  async authors(userIds: string[]): Promise<Map<string, Author>> {
    const found = await this.deps.profiles.many(userIds);
    return new Map(userIds.map((id) => {
      const p = found.get(id);
      return [id, p ? { handle: p.handle, displayName: p.displayName } : NO_PROFILE];
    }));
  }

  async author(userId: string): Promise<Author> {
    return (await this.authors([userId])).get(userId)!;
  }
}
