// Characters (issue 15 §3): POST /v1/videos/characters and GET /v1/videos/characters/{id} as the
// openai SDK calls them, and the creator's controls under /api/characters. Thin: the upload is
// streamed to a scratch folder, parsed in domain/, handed to one service call, the folder removed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseCharacterName, parseConsent, parseSharing } from '../../domain/character.js';
import { ApiError } from '../../domain/errors.js';
import type { CharacterService } from '../../services/character.service.js';
import { wireCharacter, wireCharacterFull } from '../../services/character.wire.js';
import { allow } from '../access.js';
import { spoolMultipart } from '../multipart.js';
import { who } from '../principal.js';
import { characterSchemas as docs } from '../schemas/character.schemas.js';
import { sendContent } from './content.routes.js';

type ById = { Params: { id: string } };

function bodyOf(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ApiError(400, 'The request body must be a JSON object.', { code: 'invalid_type' });
  return raw as Record<string, unknown>;
}

export function characterRoutes(app: FastifyInstance, characters: CharacterService, opts: { maxFileBytes: number }): void {
  app.post('/v1/videos/characters', { ...allow('member'), schema: docs.create }, async (req) => {
    if (!req.isMultipart()) {
      throw new ApiError(415, "POST /v1/videos/characters takes multipart/form-data with 'name' and a 'video' file (or an 'image').", { code: 'unsupported_media_type' });
    }
    const dir = await mkdtemp(join(tmpdir(), 'melies-character-'));
    try {
      const { body, file } = await spoolMultipart(req, { fileField: ['video', 'image'], maxFileBytes: opts.maxFileBytes, dir });
      const name = parseCharacterName(body.name);
      if (!file) throw new ApiError(400, "Missing required parameter: 'video' (a short clip of the character; or, as a Méliès extension, an 'image').", { param: 'video', code: 'missing_required_parameter' });
      const c = await characters.create(who(req), { field: file.field as 'video' | 'image', path: file.path, bytes: file.bytes }, {
        name, sharing: parseSharing(body.sharing, 'only_me'), consent: parseConsent(body.consent),
      });
      return wireCharacter(c);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get<ById>('/v1/videos/characters/:id', { ...allow('member'), schema: docs.retrieve }, async (req) => wireCharacter(await characters.get(who(req), req.params.id)));

  app.get('/api/characters', { ...allow('member'), schema: docs.list }, async (req) => {
    const me = who(req);
    return { object: 'list', data: (await characters.list(me)).map((c) => wireCharacterFull(c, me.userId)) };
  });

  app.get<ById>('/api/characters/:id', { ...allow('member'), schema: docs.detail }, async (req) => {
    const d = await characters.detail(who(req), req.params.id);
    return wireCharacterFull(d.character, who(req).userId, d);
  });

  app.patch<ById>('/api/characters/:id', { ...allow('member'), schema: docs.update }, async (req) => {
    const c = await characters.setSharing(who(req), req.params.id, parseSharing(bodyOf(req.body).sharing));
    const d = await characters.detail(who(req), c.id);
    return wireCharacterFull(d.character, who(req).userId, d);
  });

  app.post<ById>('/api/characters/:id/grants', { ...allow('member'), schema: docs.grant }, async (req) => {
    const user = bodyOf(req.body).user;
    if (typeof user !== 'string' || user.trim() === '' || user.length > 320) {
      throw new ApiError(400, "Missing required parameter: 'user' (their email or handle).", { param: 'user', code: 'missing_required_parameter' });
    }
    const d = await characters.grant(who(req), req.params.id, user.trim().replace(/^@/, ''));
    return wireCharacterFull(d.character, who(req).userId, d);
  });

  app.delete<{ Params: { id: string; userId: string } }>('/api/characters/:id/grants/:userId', { ...allow('member'), schema: docs.ungrant }, async (req) => {
    const d = await characters.ungrant(who(req), req.params.id, req.params.userId);
    return wireCharacterFull(d.character, who(req).userId, d);
  });

  app.post<ById>('/api/characters/:id/consent', { ...allow('member'), schema: docs.consent }, async (req) => {
    const c = await characters.confirmConsent(who(req), req.params.id, parseConsent(bodyOf(req.body).consent, true)!);
    return wireCharacterFull(c, who(req).userId);
  });

  app.post<ById>('/api/characters/:id/revoke', { ...allow('member'), schema: docs.revoke }, async (req) => {
    const r = await characters.revoke(who(req), req.params.id);
    return { character: wireCharacterFull(r.character, who(req).userId), failed_videos: r.failedVideos };
  });

  app.delete<ById>('/api/characters/:id', { ...allow('member'), schema: docs.delete }, async (req) => {
    const gone = await characters.delete(who(req), req.params.id);
    return { id: gone.id, object: 'character', deleted: true };
  });

  app.get<ById>('/api/characters/:id/look', { ...allow('member'), schema: docs.look }, async (req, reply) =>
    sendContent(req, reply, await characters.look(who(req), req.params.id), 'private, max-age=300'));
}
