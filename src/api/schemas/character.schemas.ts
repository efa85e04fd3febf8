// Characters (issue 15 §3): OpenAI's VideoCharacterResource on /v1/videos/characters, and the
// creator's controls under /api/characters (characters.routes.ts).
import { CHARACTER_SHARING, CONSENT_KINDS } from '../../domain/character.js';
import { bool, error, json, jsonBody, nullable, object, optionalFields, pathParams, ref, str, unixSeconds, type RouteDoc, type Schema } from './common.js';

const characterId = str('Character id (`char_…`).');
const status = str('`ready`; `pending_consent` (its creator has not yet confirmed the person shown is them or that they have consent: nobody may use it until then); `revoked`.', { enum: ['ready', 'pending_consent', 'revoked'] });
const sharing = str('Who may use it besides its creator: `only_me`, `approved` (people granted it), `everyone` (every member of this server).', { enum: [...CHARACTER_SHARING] });
const consent = str('`self`: the person shown is you; `consent`: you have the consent of every person shown (or it shows no real person). Recorded in the audit log.', { enum: [...CONSENT_KINDS] });

export const characterComponents: Record<string, Schema> = {
  VideoCharacter: object({
    id: characterId,
    name: str('Its display name (1 to 80 characters).'),
    created_at: unixSeconds('Created'),
    status,
  }, { description: "OpenAI's VideoCharacterResource (`id`, `name`, `created_at`), plus `status`." }),
  Character: optionalFields({
    id: characterId,
    object: { const: 'character' },
    name: str('Its display name.'),
    created_at: unixSeconds('Created'),
    status,
    owner_id: str("Its creator's user id."),
    mine: bool('The caller created it.'),
    sharing,
    made_from: str('What was uploaded: a clip (its middle frame is the look) or an image.', { enum: ['video', 'image'] }),
    look_url: str('Where its look (the still image engines are given) is served: GET it with the same credentials.'),
    consent: nullable(object({ kind: consent, confirmed_at: unixSeconds('Confirmed') }, { description: "The creator's confirmation (shown to the creator only)." })),
    revoked_at: nullable(unixSeconds('Revoked')),
    grants: { type: 'array', description: 'Creator only: who it is granted to.', items: object({ user_id: str('Their user id.'), handle: nullable(str('Their public handle, if they chose one.')), granted_at: unixSeconds('Granted') }) },
    videos: { type: 'array', description: 'Creator only: every video made with it, newest first (`deleted` once its owner deleted it).', items: object({ id: str('Video id.'), mine: bool('Made by the creator.'), status: str('The video\'s status, or `deleted`.'), created_at: unixSeconds('Created') }) },
  }, ['id', 'object', 'name', 'created_at', 'status', 'owner_id', 'mine', 'sharing', 'made_from', 'look_url', 'consent', 'revoked_at']),
  CharacterList: object({ object: { const: 'list' }, data: { type: 'array', items: ref('Character') } }, { description: "The caller's characters, then those others let them use." }),
  CharacterRevoked: object({ character: ref('Character'), failed_videos: { type: 'integer', description: 'Queued or running videos made with it that failed now (`character_revoked`).' } }),
  CharacterDeleted: object({ id: characterId, object: { const: 'character' }, deleted: { const: true } }),
  CreateCharacterMultipart: optionalFields({
    name: str('Display name, 1 to 80 characters.'),
    video: { type: 'string', contentMediaType: 'application/octet-stream', description: 'A short clip (MP4, QuickTime or WebM; 1 to 10 s, 2 to 4 s is best): its middle frame becomes the look.' },
    image: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Méliès extension, instead of `video`: a PNG, JPEG or WebP image as the look.' },
    sharing: { ...sharing, default: 'only_me' },
    consent: { ...consent, description: `${String(consent.description)} Without it (the openai SDK sends only \`name\` and \`video\`) the character is \`pending_consent\` until POST /api/characters/{id}/consent.` },
  }, ['name']),
};

const idParam = pathParams({ id: characterId });
const notFound = error('`not_found`: no such character among those you may see (anyone else\'s reads the same).');
const notOwner = error('`not_character_owner`: only its creator can do this.');

export const characterSchemas = {
  create: {
    summary: 'Create a character',
    description: "OpenAI's `videos.createCharacter`: multipart `name` + `video` (or `image`). Use it in a video as `characters: [{id}]`. See docs/characters.md for consent and sharing.",
    tags: ['Characters'], operationId: 'createCharacter',
    body: { required: true, content: { 'multipart/form-data': { schema: ref('CreateCharacterMultipart') } } },
    response: {
      200: json('The character.', ref('VideoCharacter')),
      400: error('`missing_required_parameter` (`name`, `video`), `invalid_value` (`sharing`, `consent`), `unsupported_file_type`, `invalid_video`, `invalid_duration`, `string_above_max_length`, `invalid_string` (a NUL).'),
      413: error('`file_too_large`.'),
      415: error('`unsupported_media_type`: send multipart/form-data.'),
      507: error('`storage_full`.'),
    },
  },
  retrieve: {
    summary: 'Retrieve a character', tags: ['Characters'], operationId: 'getCharacter',
    description: "OpenAI's `videos.getCharacter`: visible to its creator and to those it lets use it.",
    params: idParam,
    response: { 200: json('The character.', ref('VideoCharacter')), 404: notFound },
  },
  list: {
    summary: 'List characters', tags: ['Characters'], operationId: 'listCharacters',
    description: "The caller's own characters, then those others let them use (revoked ones and ones awaiting consent are left out of others' lists).",
    response: { 200: json('The characters.', ref('CharacterList')) },
  },
  detail: {
    summary: 'One character in full', tags: ['Characters'], operationId: 'retrieveCharacterDetail',
    description: 'Sharing, consent, revocation; its creator also sees its grants and every video made with it.',
    params: idParam,
    response: { 200: json('The character.', ref('Character')), 404: notFound },
  },
  update: {
    summary: 'Change who may use a character', tags: ['Characters'], operationId: 'updateCharacter',
    description: 'Narrowing it fails, at once, the waiting videos of people it no longer allows (`character_not_allowed`).',
    params: idParam,
    body: jsonBody(optionalFields({ sharing }, ['sharing'])),
    response: { 200: json('The character.', ref('Character')), 400: error('`invalid_value`.'), 403: notOwner, 404: notFound },
  },
  grant: {
    summary: 'Grant a character to someone', tags: ['Characters'], operationId: 'grantCharacter',
    description: "Lets one member use it while its sharing is `approved`. Name them by email or handle (emails are never shown back).",
    params: idParam,
    body: jsonBody(optionalFields({ user: str('Their email or handle.') }, ['user'])),
    response: { 200: json('The character with its grants.', ref('Character')), 400: error('`invalid_value`, `character_revoked`.'), 403: notOwner, 404: error('`not_found`: no such character, or no such person.') },
  },
  ungrant: {
    summary: 'Take a grant back', tags: ['Characters'], operationId: 'ungrantCharacter',
    description: 'Their waiting videos made with it fail at once (`character_not_allowed`).',
    params: pathParams({ id: characterId, userId: str('Their user id (from `grants`).') }),
    response: { 200: json('The character with its grants.', ref('Character')), 403: notOwner, 404: notFound },
  },
  consent: {
    summary: 'Confirm consent for a character', tags: ['Characters'], operationId: 'confirmCharacterConsent',
    description: 'The creator confirms the person shown is them (`self`) or that they have consent (`consent`); recorded in the audit log. Until then nobody may use it.',
    params: idParam,
    body: jsonBody(optionalFields({ consent }, ['consent'])),
    response: { 200: json('The character.', ref('Character')), 400: error('`missing_required_parameter`, `invalid_value`, `character_revoked`.'), 403: notOwner, 404: notFound, 409: error('`consent_already_confirmed`.') },
  },
  revoke: {
    summary: 'Revoke a character', tags: ['Characters'], operationId: 'revokeCharacter',
    description: 'At once and for good: nobody may use it again, and queued or running videos made with it fail with `character_revoked`.',
    params: idParam,
    response: { 200: json('Revoked.', ref('CharacterRevoked')), 403: notOwner, 404: notFound },
  },
  delete: {
    summary: 'Delete a character', tags: ['Characters'], operationId: 'deleteCharacter',
    description: 'Revoked (waiting videos fail), then its look and clip removed. Finished videos made with it stay.',
    params: idParam,
    response: { 200: json('Deleted.', ref('CharacterDeleted')), 403: notOwner, 404: notFound },
  },
  look: {
    summary: "A character's look", tags: ['Characters'], operationId: 'characterLook',
    description: 'The still image engines are given (PNG).',
    params: idParam,
    response: {
      200: { description: 'The look.', content: { 'image/png': { schema: { type: 'string' } } } },
      206: { description: 'The requested byte range.' },
      304: { description: 'Not modified (`If-None-Match` matched).' },
      404: notFound,
      416: error('`range_not_satisfiable`.'),
    },
  },
} satisfies Record<string, RouteDoc>;
