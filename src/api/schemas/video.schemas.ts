// The videos and models as the wire shows them (services/video.wire.ts), and the schemas of the
// routes that serve them: /v1 (OpenAI's Videos API and model cards) and the studio's /api/videos.
import { VIDEO_KINDS, VIDEO_STATUSES } from '../../domain/video.js';
import { MAX_EXTENSION_SECONDS, MAX_NEGATIVE_PROMPT_CHARS, MAX_PROMPT_CHARS } from '../../domain/video-request.js';
import { MAX_SEED } from '../../domain/video.js';
import {
  bool, error, int, json, jsonBody, nullable, num, object, optionalFields, pathParams, ref, str, unixSeconds,
  type RouteDoc, type Schema,
} from './common.js';

const videoId = str('A video id, `video_` and 32 hex digits.', { examples: ['video_68d7512d07848190b3e45da0ecbebcde'] });
const idParam = pathParams({ id: str('The video id (`video_…`).') });

// The 13 fields of OpenAI's Video object, then Méliès' own, always present.
const videoFields: Record<string, Schema> = {
  id: videoId,
  object: { const: 'video' },
  model: str('The model asked for.'),
  status: str('Where the job is.', { enum: [...VIDEO_STATUSES] }),
  progress: int('Approximate percent done; never decreases while the job runs.', { minimum: 0, maximum: 100 }),
  created_at: unixSeconds('When it was asked for'),
  completed_at: nullable(unixSeconds('When it completed; null unless `completed`')),
  expires_at: nullable(unixSeconds('When its files are removed; null if never')),
  prompt: str('The prompt it was made from.'),
  size: str('Frame size, `WIDTHxHEIGHT`.', { pattern: '^\\d+x\\d+$', examples: ['1280x720'] }),
  seconds: str('Duration in whole seconds, as a string (as OpenAI sends it).', { pattern: '^\\d+$', examples: ['8'] }),
  remixed_from_video_id: nullable(str('The video this one remixes, if any.')),
  kind: str('How it was made: from a prompt, or from another video.', { enum: [...VIDEO_KINDS] }),
  source_video_id: nullable(str('The video an extension or edit was made from (an extension is its frames followed by new ones; `seconds` is the total).')),
  source_file: {
    ...nullable(object({
      file_id: nullable(str('The `/v1/files` file it was copied from; null when it was uploaded with the request.')),
      filename: str('The uploaded file\'s name.'),
      sha256: str('SHA-256 of the uploaded bytes (hex).'),
      duration_seconds: num('How long the uploaded clip lasts; it counts in `seconds` rounded to a whole number, and every frame is kept.'),
      size: str('Its frame size, `WIDTHxHEIGHT`.'),
      fps: num('Its frame rate.'),
    })),
    description: 'The uploaded MP4 an extension or edit was made from (`video` as a file or `{file_id}`); null otherwise.',
  },
  error: { ...nullable(ref('VideoError')), description: 'Why it failed; null unless `failed`.' },
  seed: int('The seed used (chosen at random when not given); the same seed and prompt make the same video on seeded models.', { minimum: 0, maximum: MAX_SEED }),
  fps: int('Frames per second.'),
  engine: str("The engine that made (or is making) it: the model's own, or an operator's fallback."),
  made_by_model: nullable(str('The model the provider job went to when it is not `model` (a fallback made it).')),
  cost_usd: nullable(num('What the provider job cost by its card\'s price, in US dollars; null when nothing was paid.')),
};

const queuePosition = nullable(int('How many queued jobs go before it (0 = it is next); null when it is not waiting in the queue.', { minimum: 0 }));
const plan = { description: "What the engine understood (the sketch engine's scene plan), as the engine wrote it; null for engines that only forward the prompt." };

const studioFields: Record<string, Schema> = {
  ...videoFields,
  favorite: bool("Kept in the studio's favourites."),
  negative_prompt: nullable(str('What to keep out of the video, when the model takes a negative prompt.')),
  has_input_reference: bool('Made from an input image.'),
  has_last_frame: bool('Made to end on a `last_frame` image.'),
  started_at: nullable(unixSeconds('When a worker started it')),
  finished_at: nullable(unixSeconds('When it failed (or was cancelled); null otherwise')),
};

const sizeRange = object({
  min_width: int('Narrowest frame.'), max_width: int('Widest frame.'), min_height: int('Lowest frame.'), max_height: int('Tallest frame.'),
  max_pixels: int('At most this many pixels a frame.'), multiple_of: int('Both sides are multiples of this.'),
});

export const videoComponents: Record<string, Schema> = {
  Video: {
    ...object(videoFields),
    properties: { ...videoFields, queue_position: queuePosition, plan },
    description: "OpenAI's Video object (all 13 fields) and Méliès' additions. Answers about one video (create, remix, retrieve, the events stream) also carry `plan`, and `queue_position` while it is queued (create and remix: always).",
  },
  VideoError: {
    ...object({ code: str('Stable code, e.g. `cancelled`, `render_failed`, `engine_misconfigured`.'), message: str('What happened, for the owner; never a secret, a server path or raw tool output.') }),
    properties: {
      code: str('Stable code, e.g. `cancelled`, `render_failed`, `engine_misconfigured`.'),
      message: str('What happened, for the owner; never a secret, a server path or raw tool output.'),
      detail: nullable(str("Operators only (the `admin` permission): the provider's or the tool's own words, secrets redacted.")),
    },
    description: 'Why a video failed.',
  },
  VideoList: object({
    object: { const: 'list' },
    data: { type: 'array', items: ref('Video') },
    first_id: nullable(str('The first video on this page.')),
    last_id: nullable(str('The last video on this page: pass it as `after` for the next page.')),
    has_more: bool('More videos follow; then `last_id` is set.'),
  }, { description: 'A page of videos.' }),
  VideoDeleted: object({ id: videoId, object: { const: 'video.deleted' }, deleted: { const: true } }),
  CreateVideo: optionalFields({
    prompt: str('What to make: a sentence or more (storyboards: one shot a line).', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    model: str('A model id from `GET /v1/models`; the server\'s default model when left out.', { maxLength: 200 }),
    seconds: { type: ['string', 'integer'], pattern: '^\\s*\\d+\\s*$', description: "Duration in whole seconds (`\"8\"` or `8`); the model's card says which are allowed." },
    size: str("`WIDTHxHEIGHT`; the model's card says which are allowed.", { pattern: '^\\d{1,5}x\\d{1,5}$', examples: ['1280x720'] }),
    fps: { type: ['string', 'integer'], description: "Méliès extension: frames per second, from the model's card.", pattern: '^\\s*\\d+\\s*$', minimum: 1, maximum: 240 },
    seed: { type: ['string', 'integer'], description: 'Méliès extension: a seed for seeded models (0 to 4294967295).', pattern: '^\\s*\\d+\\s*$', minimum: 0, maximum: MAX_SEED },
    negative_prompt: str('Méliès extension: what to keep out, for models whose card takes one.', { maxLength: MAX_NEGATIVE_PROMPT_CHARS }),
    input_reference: {
      ...optionalFields({
        image_url: str('An https URL or a base64 `data:` URL of a PNG, JPEG or WebP image.', { maxLength: 20_971_520 }),
        file_id: str('An image of yours uploaded with `POST /v1/files` (`file-…`).'),
      }),
      description: 'The first frame, for models whose card takes images: exactly one of `image_url` or `file_id` (the video keeps its own copy of the image).',
    },
    characters: {
      type: 'array', maxItems: 2,
      items: object({ id: str('A character (`char_…`) you may use: POST /v1/videos/characters.') }),
      description: "At most 2 characters the video is made with, for models whose card has `characters` (the 400 names them). Not with `input_reference`. Each must be yours or shared with you, not revoked, with consent confirmed.",
    },
    last_frame: {
      ...optionalFields({
        image_url: str('An https URL or a base64 `data:` URL of a PNG, JPEG or WebP image.', { maxLength: 20_971_520 }),
        file_id: str('An image of yours uploaded with `POST /v1/files` (`file-…`).'),
      }),
      description: "Méliès extension: the last frame, for models whose card has `last_frame: true` (elsewhere a 400, `unsupported_parameter`, naming the models that take one). The same shapes and checks as `input_reference`; some providers also need `input_reference` with it (Kling).",
    },
  }, ['prompt']),
  CreateVideoMultipart: optionalFields({
    prompt: str('As in the JSON body.', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    model: str('As in the JSON body.'),
    seconds: str('As in the JSON body.', { pattern: '^\\s*\\d+\\s*$' }),
    size: str('As in the JSON body.'),
    fps: str('As in the JSON body.'),
    seed: str('As in the JSON body.'),
    negative_prompt: str('As in the JSON body.'),
    input_reference: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The first frame, as a file: a PNG, JPEG or WebP image (its bytes decide, not its name).' },
    'input_reference[image_url]': str('Instead of a file: an https URL or a base64 `data:` URL.'),
    'input_reference[file_id]': str('Instead of a file: an image of yours uploaded with `POST /v1/files`.'),
    'characters[][id]': str('A character id, once per character (at most 2), as the openai SDK encodes `characters: [{id}]`; `characters[0][id]` is read too.'),
    last_frame: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Méliès extension: the last frame, as a file (a second file part), for models whose card has `last_frame: true`.' },
    'last_frame[image_url]': str('Instead of a file: an https URL or a base64 `data:` URL.'),
    'last_frame[file_id]': str('Instead of a file: an image of yours uploaded with `POST /v1/files`.'),
  }, ['prompt']),
  RemixVideo: optionalFields({ prompt: str('What to change.', { minLength: 1, maxLength: MAX_PROMPT_CHARS }) }, ['prompt']),
  ExtendVideo: optionalFields({
    video: {
      oneOf: [
        object({ id: str('A completed video of yours, or a published one whose licence allows remixes.') }, { description: "OpenAI's `VideoReferenceInputParam`." }),
        object({ file_id: str('Méliès extension: an MP4 of yours uploaded with `POST /v1/files` (`file-…`).') }),
      ],
      description: 'The source: a video made here (`{id}`), or an MP4 you uploaded (`{file_id}`; in multipart, the MP4 itself as the `video` file part, as the openai SDK sends an `Uploadable`).',
    },
    prompt: str('What happens next.', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    seconds: { type: ['string', 'integer'], pattern: '^\\s*\\d+\\s*$', description: `Seconds to add (OpenAI: "4" to "20"; any whole number up to ${MAX_EXTENSION_SECONDS} the model's card allows).` },
    model: str("Méliès extension: the model to make the new seconds; the source's model when left out. It must be able to extend (`extend` on its card).", { maxLength: 200 }),
  }, ['video', 'prompt', 'seconds']),
  EditVideo: optionalFields({
    video: {
      oneOf: [
        object({ id: str('A completed video of yours, or a published one whose licence allows remixes.') }, { description: "OpenAI's `VideoReferenceInputParam`." }),
        object({ file_id: str('Méliès extension: an MP4 of yours uploaded with `POST /v1/files` (`file-…`).') }),
      ],
      description: 'The source: a video made here (`{id}`), or an MP4 you uploaded (`{file_id}`; in multipart, the MP4 itself as the `video` file part, as the openai SDK sends an `Uploadable`).',
    },
    prompt: str('The change, e.g. "make it night", "add rain", "three more birds".', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    model: str("Méliès extension: the model to make the edit; the source's model when left out. It must be able to edit (`edit` on its card).", { maxLength: 200 }),
  }, ['video', 'prompt']),
  EditVideoMultipart: optionalFields({
    video: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Instead of `video[id]`: an MP4 (its bytes decide, not its name), at most the server\'s file size cap. Checked at once: it must decode to its last frame.' },
    'video[id]': str('As `video.id` in the JSON body.'),
    'video[file_id]': str('As `video.file_id` in the JSON body.'),
    prompt: str('As in the JSON body.', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    model: str('As in the JSON body.'),
  }, ['prompt']),
  ExtendVideoMultipart: optionalFields({
    video: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Instead of `video[id]`: an MP4 (its bytes decide, not its name), at most the server\'s file size cap. Checked at once: it must decode to its last frame.' },
    'video[id]': str('As `video.id` in the JSON body.'),
    'video[file_id]': str('As `video.file_id` in the JSON body.'),
    prompt: str('As in the JSON body.', { minLength: 1, maxLength: MAX_PROMPT_CHARS }),
    seconds: str('As in the JSON body.', { pattern: '^\\s*\\d+\\s*$' }),
    model: str('As in the JSON body.'),
  }, ['prompt', 'seconds']),
  Model: object({
    id: str('The model id to pass as `model`.'),
    object: { const: 'model' },
    created: unixSeconds('When this server started'),
    owned_by: str('The engine that runs it.'),
    label: str('A short name for people.'),
    description: str('What it is good at.'),
    kind: str('Where it runs.', { enum: ['procedural', 'local-model', 'cloud'] }),
    seconds: {
      description: 'Allowed durations: a list, or a range with a step.',
      oneOf: [{ type: 'array', items: { type: 'integer' } }, object({ min: int('Shortest.'), max: int('Longest.'), step: int('Step.') })],
    },
    default_seconds: int('Duration when `seconds` is left out.'),
    sizes: { type: 'array', items: { type: 'string' }, description: 'Sizes offered as presets.' },
    default_size: str('Size when `size` is left out.'),
    size_range: nullable({ ...sizeRange, description: 'Any size inside these bounds is allowed too.' }),
    fps: { type: 'array', items: { type: 'integer' }, description: 'Allowed frame rates.' },
    default_fps: int('Frame rate when `fps` is left out.'),
    inputs: { type: 'array', items: { enum: ['text', 'image', 'video'] }, description: 'What it takes.' },
    seed: bool('Takes a seed.'),
    remix: bool('Can remix its videos.'),
    audio: bool('Makes sound.'),
    negative_prompt: bool('Takes a negative prompt.'),
    extend: bool('Can extend a finished video (`POST /v1/videos/extensions`): engines that take a first frame start from its last one; sketch continues its own scene.'),
    extend_native: bool("Extends through its provider's own extend call, from the source's provider job (Luma's generation keyframe): only videos that provider made."),
    extend_limits: nullable(object({
      max_extensions: int('Most extensions in one chain (OpenAI: 6).'),
      max_total_seconds: int('Longest an extended video may become, in seconds (OpenAI: 120).'),
    }, { description: 'Limits on chains of extensions; null when it cannot extend.' })),
    edit: bool('Can re-make a finished video with a described change (`POST /v1/videos/edits`).'),
    characters: bool('Can make videos with characters (`characters: [{id}]`, at most 2): their looks go to the engine as references (sketch: its backdrop; Veo 3.1: reference images, 8 s; ComfyUI image-to-video templates: the first frame).'),
    last_frame: bool('Méliès extension: takes `last_frame`, an image the video ends on, besides `input_reference` (the first frame).'),
    image_input: nullable(object({
      types: { type: 'array', items: { enum: ['image/png', 'image/jpeg', 'image/webp'] }, description: 'Image types it takes (by their bytes).' },
      max_bytes: nullable(int('Largest file, in bytes.')),
      min_side: nullable(int('Shortest side, in pixels.')),
      max_side: nullable(int('Longest side, in pixels.')),
      max_pixels: nullable(int('Most pixels (width × height).')),
      min_aspect: nullable(num('Narrowest width / height.')),
      max_aspect: nullable(num('Widest width / height.')),
      match_video_size: bool('The image must be exactly the video\'s size.'),
    }, { description: 'The reference images it takes, from the provider\'s docs and this server\'s caps; null when it takes none.' })),
    price_per_second_usd: nullable(num('What a second costs at the provider, in US dollars.')),
    available: bool('Can take requests right now.'),
  }, { description: "A model card: an engine's honest statement of what a model can do. Requests it does not allow are refused before any engine is called." }),
  ModelList: object({ object: { const: 'list' }, data: { type: 'array', items: ref('Model') } }),
  StudioVideo: { ...object(studioFields), properties: { ...studioFields, plan }, description: 'A video as the studio shows it: the Video object and the studio\'s own fields.' },
  StudioVideoDetail: object({
    ...studioFields,
    plan,
    queue_position: queuePosition,
    lineage: object({
      parent_id: nullable(str('The video this one remixes (its id stays when the parent was deleted).')),
      parent: nullable(ref('StudioVideo')),
      children: { type: 'array', items: ref('StudioVideo'), description: 'Remixes of this video, oldest first.' },
    }),
  }, { description: 'One video with its plan, queue position and lineage.' }),
  LibraryPage: object({
    object: { const: 'list' },
    data: { type: 'array', items: ref('StudioVideo') },
    last_id: nullable(str('Pass as `after` for the next page.')),
    has_more: bool('More videos follow.'),
  }),
  EnginesOverview: object({
    object: { const: 'list' },
    data: {
      type: 'array',
      items: object({
        engine: str('The engine id.'),
        status: nullable({ type: 'object', properties: { kind: str('The engine kind.') }, additionalProperties: true, description: "The engine's own report (ComfyUI: servers, VRAM, queues, templates that cannot run and why), keys in snake_case; null when the engine reports nothing." }),
      }),
    },
    queue: object({ queued: int('Jobs waiting.'), active: int('Jobs running.') }),
  }, { description: 'The engines\' health and the job queue. It names internal hosts and GPUs: operators only.' }),
};

const notFound = error('`not_found`: no video with this id belongs to the caller (another user\'s video is a 404 too).');
const createErrors = {
  400: error('A field is missing or not allowed by the model\'s card (`missing_required_parameter`, `invalid_type`, `invalid_value`, `unsupported_parameter`, `model_not_found`, `invalid_image`, `file_not_found` and `unsupported_file_type` for `input_reference[file_id]`, …); `param` names it.'),
  403: error('`plan_limit`: the caller\'s plan does not allow this model, duration or size; `character_not_allowed` (its creator has not allowed you to use it), `character_revoked`.'),
  404: error('`character_not_found`: a character in `characters` does not exist or is not visible to you.'),
  413: error('`file_too_large`, `request_too_large`: the image or the body is over the upload limit.'),
  415: error('`unsupported_media_type`: send JSON or multipart/form-data.'),
  429: error('`insufficient_quota`: the plan\'s seconds or budget are used up (the message says when they reset); `too_many_concurrent_jobs` (the plan runs that many at once).'),
  503: error('`generation_paused` (an operator paused this engine; the message is theirs), `queue_unavailable`.'),
  507: error('`storage_full`: the server\'s disk is full; nothing was created.'),
};
const files = {
  'video/mp4': { schema: { type: 'string', contentMediaType: 'video/mp4' } },
  'image/webp': { schema: { type: 'string', contentMediaType: 'image/webp' } },
  'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
};
const pollHeader = { 'openai-poll-after-ms': { description: 'While the video is queued or in progress: when to poll again, in ms.', schema: { type: 'string' } } };

const createBody = (jsonSchema: string, multipartSchema: string, description: string): NonNullable<RouteDoc['body']> => ({
  description,
  required: true,
  content: {
    'application/json': { schema: ref(jsonSchema) },
    'multipart/form-data': { schema: ref(multipartSchema) },
  },
});

export const videoSchemas = {
  create: {
    summary: 'Create a video',
    description: 'Queues a video job and answers at once with the video, `queued`. JSON or multipart/form-data (the openai SDK ≥ 6.28 always sends multipart; nested fields as `input_reference[image_url]`). Unknown fields are ignored. Poll `GET /v1/videos/{id}`, or follow `GET /v1/videos/{id}/events`.',
    tags: ['Videos'], operationId: 'createVideo',
    body: createBody('CreateVideo', 'CreateVideoMultipart', 'The video to make. `input_reference` is a file part in multipart, or `{image_url}` in either encoding.'),
    response: { 200: json('The new video, `queued`, with its place in the queue.', ref('Video')), ...createErrors },
  },
  list: {
    summary: 'List videos',
    description: "The caller's videos, newest first by default. Page with `after=<last_id>` while `has_more`.",
    tags: ['Videos'], operationId: 'listVideos',
    querystring: optionalFields({
      after: str('A video id: list the videos after it.'),
      limit: int('How many, 0 to 100 (default 20).', { minimum: 0, maximum: 100, default: 20 }),
      order: str('By creation time (default `desc`).', { enum: ['asc', 'desc'], default: 'desc' }),
    }),
    response: { 200: json('A page of videos.', ref('VideoList')), 400: error('`invalid_value`: `limit` or `order` is not valid.') },
  },
  retrieve: {
    summary: 'Retrieve a video',
    tags: ['Videos'], operationId: 'retrieveVideo',
    params: idParam,
    response: { 200: json('The video.', ref('Video'), pollHeader), 404: notFound },
  },
  delete: {
    summary: 'Delete a video',
    description: 'Cancels its job if it is still running, then removes the video and its files.',
    tags: ['Videos'], operationId: 'deleteVideo',
    params: idParam,
    response: { 200: json('Deleted.', ref('VideoDeleted')), 404: notFound },
  },
  remix: {
    summary: 'Remix a video',
    description: 'A new video from a completed one and a new prompt, on the same model (if its card allows remixing).',
    tags: ['Videos'], operationId: 'remixVideo',
    params: idParam,
    body: createBody('RemixVideo', 'RemixVideo', 'The new prompt; no file.'),
    response: {
      200: json('The new video, `queued`, with `remixed_from_video_id` set.', ref('Video')),
      ...createErrors,
      400: error('`video_not_ready` (the source is not completed), `unsupported_parameter` (its model cannot remix), `unexpected_file`, or a bad `prompt`.'),
      404: notFound,
    },
  },
  extend: {
    summary: 'Extend a video',
    description: "A new video: the source's frames followed by `seconds` new ones made from `prompt`, one MP4 at the source's size and frame rate, with its own id and `source_video_id` naming the source (`seconds` is the total). Engines that take a first frame start from the source's last frame (that repeated frame is dropped at the join); sketch continues its own scene plan. At most 6 extensions in a chain and 120 s in all, unless the card says less. JSON or multipart (the openai SDK's `videos.extend` sends multipart with `video[id]`). The source may be an MP4 you upload (`video` as a file, or `{file_id}`): the new part starts from its last frame, at its size and frame rate when the model allows them, else at the model's closest size (the clip fitted into it, never stretched); its sound is kept; its length counts in whole seconds and `source_file` describes it.",
    tags: ['Videos'], operationId: 'extendVideo',
    body: createBody('ExtendVideo', 'ExtendVideoMultipart', 'The video to extend, what happens next, and how many seconds to add.'),
    response: {
      200: json('The new video, `queued`, with `kind: extension` and `source_video_id` set.', ref('Video')),
      ...createErrors,
      400: error('`video_not_ready` (the source is not completed), `unsupported_file_type`, `invalid_video` or `invalid_duration` (an uploaded source that is not an MP4 decodable to its last frame, or shorter than 0.5 s), `file_not_found`, `unsupported_parameter` (the model cannot extend: the message names the models that can), `extension_too_long` (over 120 s in all), `extension_limit_reached` (6 extensions already), `invalid_value`, or a bad `prompt`/`seconds`.'),
      403: error('`remix_not_allowed`: the source is someone else\'s published video whose licence denies remixes; `plan_limit`.'),
      404: notFound,
    },
  },
  edit: {
    summary: 'Edit a video',
    description: "A new video: the source re-made with the change `prompt` describes, at its size, length, frame rate and seed, with its own id and `source_video_id` naming the source. Models with `edit` on their card do it (sketch re-renders its own scene plan with the change: time of day, weather, setting, style, effects, more subjects); others are refused with a 400 naming the models that can. JSON or multipart (the openai SDK's `videos.edit` sends multipart with `video[id]`). An MP4 you upload (`video` as a file, or `{file_id}`) can be edited by video-to-video models (e.g. Runway Aleph); sketch edits only its own videos.",
    tags: ['Videos'], operationId: 'editVideo',
    body: createBody('EditVideo', 'EditVideoMultipart', 'The video to edit and the change to make.'),
    response: {
      200: json('The new video, `queued`, with `kind: edit` and `source_video_id` set.', ref('Video')),
      ...createErrors,
      400: error('`video_not_ready` (the source is not completed), `unsupported_file_type`, `invalid_video`, `invalid_duration`, `file_not_found` (an uploaded source), `unsupported_parameter` (the model cannot edit, or cannot edit this video: the message names the models that can), `edit_not_understood` (nothing in the prompt changes the video), or a bad `prompt`.'),
      403: error('`remix_not_allowed`: the source is someone else\'s published video whose licence denies remixes; `plan_limit`.'),
      404: notFound,
    },
  },
  content: {
    summary: 'Download video content',
    description: 'Streams the MP4 (or its thumbnail or spritesheet) with `Range` (206/416), `ETag`/`If-None-Match` (304), `If-Range`, `Content-Length`.',
    tags: ['Videos'], operationId: 'downloadVideoContent',
    params: idParam,
    querystring: optionalFields({ variant: str('Which file (default `video`).', { enum: ['video', 'thumbnail', 'spritesheet'], default: 'video' }) }),
    headers: optionalFields({
      range: str('One byte range: `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else gets the whole file.'),
      'if-none-match': str('An ETag from an earlier download: 304 when unchanged.'),
      'if-range': str('An ETag: honour `Range` only while the file still has it.'),
    }),
    response: {
      200: {
        description: 'The whole file: `video/mp4`, `image/webp` (thumbnail) or `image/jpeg` (spritesheet).',
        headers: {
          etag: { description: 'The file\'s version.', schema: { type: 'string' } },
          'content-length': { description: 'Bytes.', schema: { type: 'string' } },
          'accept-ranges': { description: '`bytes`.', schema: { type: 'string' } },
          'content-disposition': { description: '`inline; filename="video_….mp4"`.', schema: { type: 'string' } },
        },
        content: files,
      },
      206: {
        description: 'The requested byte range, in the file\'s own type.',
        headers: { 'content-range': { description: '`bytes a-b/size`.', schema: { type: 'string' } } },
        content: files,
      },
      304: { description: 'Not modified (`If-None-Match` matched).' },
      400: error('`video_not_ready` (not completed yet), `video_failed`, or `invalid_value` for `variant`.'),
      404: notFound,
      416: error('`range_not_satisfiable`: the range starts past the end (`Content-Range: bytes */size`).'),
    },
  },
  events: {
    summary: 'Follow a video (Server-Sent Events)',
    description: 'An event on every change, until the video completes or fails, then the stream ends. Event names follow the status: `video.queued`, `video.in_progress`, `video.completed`, `video.failed`; each `data` is the Video object, as `GET /v1/videos/{id}` answers it. Comments (`: keep-alive`) keep proxies from closing it.',
    tags: ['Videos'], operationId: 'streamVideoEvents',
    params: idParam,
    response: {
      200: { description: 'The event stream; each event\'s `data` is a Video object.', content: { 'text/event-stream': { schema: { type: 'string', description: '`event: video.<status>` and `data: <Video JSON>` lines.' } } } },
      404: notFound,
    },
  },
} satisfies Record<string, RouteDoc>;

export const modelSchemas = {
  list: {
    summary: 'List models', description: "Every model's card, in OpenAI's list shape.", tags: ['Models'], operationId: 'listModels',
    response: { 200: json('The model cards.', ref('ModelList')) },
  },
  retrieve: {
    summary: 'Retrieve a model', tags: ['Models'], operationId: 'retrieveModel',
    params: pathParams({ model: str('The model id (it may contain `/`).') }),
    response: { 200: json('The model card.', ref('Model')), 404: error('`not_found`: no such model.') },
  },
} satisfies Record<string, RouteDoc>;

export const studioSchemas = {
  library: {
    summary: 'Search the library',
    description: "The caller's videos with the studio's fields, newest first: filters and a text search over prompts (every word must appear; case-insensitive).",
    tags: ['Studio'], operationId: 'searchLibrary',
    querystring: optionalFields({
      status: str('`active` (queued or in progress) or one status.', { enum: ['active', ...VIDEO_STATUSES] }),
      model: str('One model id.', { maxLength: 200 }),
      favorite: str('Only favourites (`true`) or only the others (`false`).', { enum: ['true', 'false'] }),
      q: str('Words to find in the prompt.', { maxLength: 500 }),
      after: str('A video id: the videos after it.', { maxLength: 100 }),
      limit: int('How many, 1 to 200 (default 48).', { minimum: 1, maximum: 200, default: 48 }),
    }),
    response: { 200: json('A page of the library.', ref('LibraryPage')), 400: error('`invalid_value`: a filter is not valid; `param` names it.') },
  },
  video: {
    summary: 'One video with its lineage',
    tags: ['Studio'], operationId: 'getStudioVideo',
    params: idParam,
    response: { 200: json('The video, its plan, queue position and lineage.', ref('StudioVideoDetail')), 404: notFound },
  },
  favorite: {
    summary: 'Mark or unmark a favourite',
    tags: ['Studio'], operationId: 'setFavorite',
    params: idParam,
    body: jsonBody(object({ favorite: bool('Keep it in favourites.') })),
    response: { 200: json('The video.', ref('StudioVideo')), 400: error('`invalid_value`: send `{"favorite": true}` or `{"favorite": false}`.'), 404: notFound },
  },
  cancel: {
    summary: 'Cancel a video',
    description: 'Stops a queued or running video: its job is removed (a running one is aborted) and it ends `failed` with error code `cancelled`, and the seconds it reserved are refunded.',
    tags: ['Studio'], operationId: 'cancelVideo',
    params: idParam,
    response: { 200: json('The video, `failed` with code `cancelled` (or its final state if it finished first).', ref('StudioVideo')), 400: error('`video_not_cancellable`: it already completed or failed.'), 404: notFound },
  },
  engines: {
    summary: "Engines' health and load",
    tags: ['Admin'], operationId: 'getEngines',
    response: { 200: json("Each engine's status and the queue's counts.", ref('EnginesOverview')) },
  },
} satisfies Record<string, RouteDoc>;
