// Batches as the /api wire shows them (services/batch.wire.ts), and the schemas of their routes
// (batches.routes.ts).
import { MAX_BATCH_VIDEOS, MAX_VARIATIONS } from '../../domain/batch-list.js';
import {
  bool, error, int, json, nullable, object, optionalFields, pathParams, ref, str, unixSeconds, type RouteDoc, type Schema,
} from './common.js';

const batchFields: Record<string, Schema> = {
  id: str('Batch id, `batch_` and 32 hex digits.'),
  object: { const: 'batch' },
  name: nullable(str("What it was called: `name`, else the uploaded file's name.")),
  format: str('How the list was read.', { enum: ['text', 'csv', 'jsonl'] }),
  status: str('`in_progress` while any video is queued or running; then `completed` (some may have failed: see `counts`) or `cancelled`.', { enum: ['in_progress', 'completed', 'cancelled'] }),
  progress: int('Percent of the batch done: each video weighs the same, finished ones (completed or failed) in full.', { minimum: 0, maximum: 100 }),
  requested: int('Videos the list asked for (rows × variations).'),
  skipped: int('Videos left out because the plan did not cover them (`allow_partial`).'),
  total: int('Videos in the batch (`requested` − `skipped`).'),
  counts: object({
    queued: int('Waiting.'), in_progress: int('Rendering.'), completed: int('Done.'), failed: int('Failed or cancelled.'), deleted: int('Deleted by their owner since.'),
  }, { description: 'Its videos by status.' }),
  created_at: unixSeconds('Created'),
  cancelled_at: nullable(unixSeconds('Cancelled; null unless cancelled')),
};

const rowFields: Record<string, Schema> = {
  model: str('Model id (default: the server\'s default model).'),
  seconds: { type: ['integer', 'string'], description: 'Duration of each video.' },
  size: str('`WIDTHxHEIGHT`.'),
  fps: { type: ['integer', 'string'], description: 'Frames per second.' },
  negative_prompt: str('What to keep out, for models that take one.'),
  variations: { type: ['integer', 'string'], description: `Videos per row, each with its own seed (1–${MAX_VARIATIONS}; a row's \`seed\` S gives S, S+1, …).` },
};

const listFields: Record<string, Schema> = {
  text: str('The list: one prompt a line; CSV with a header row (`prompt`, and any of `model`, `seconds`, `size`, `fps`, `seed`, `negative_prompt`, `variations`); or JSONL, one object a line with the same keys. Lines starting with `#` are comments in plain text.'),
  format: str('How to read `text` (default: guessed from the file name, else the content).', { enum: ['text', 'csv', 'jsonl'] }),
  name: str('What to call the batch.'),
  defaults: optionalFields(rowFields),
  ...rowFields,
  allow_partial: bool("When the plan's allowance does not cover the whole batch: start the first videos that fit and skip the rest (default false: refuse it all)."),
};

const body = (what: string): NonNullable<RouteDoc['body']> => ({
  description: `${what} JSON with \`text\`, or multipart/form-data with the list as a \`file\` part (\`.csv\`, \`.jsonl\`, \`.txt\`). Row fields given here (or in \`defaults\`) are every row's defaults.`,
  required: true,
  content: {
    'application/json': { schema: optionalFields(listFields, ['text']) },
    'multipart/form-data': { schema: optionalFields({ ...listFields, file: { type: 'string', format: 'binary', description: 'The list.' } }, ['file']) },
  },
});

export const batchComponents: Record<string, Schema> = {
  Batch: {
    ...object(batchFields),
    properties: {
      ...batchFields,
      videos: {
        type: 'array', description: 'Its videos in list order (only when one batch is asked for).',
        items: object({
          position: int('Place in the batch, from 1.'), line: int('Line of the list it came from.'), variation: int('Which variation of its row, from 1.'),
          video_id: str('The video.'), video: { ...nullable(ref('Video')), description: 'The video; null once deleted.' },
        }),
      },
    },
    description: 'Many videos made from one prompt list.',
  },
  BatchPreview: object({
    object: { const: 'batch.preview' },
    format: str('How the list was read.', { enum: ['text', 'csv', 'jsonl'] }),
    videos: int('Videos the valid rows would make.'),
    seconds: int('Their seconds, all together.'),
    rows: {
      type: 'array', description: 'Each video as it would be made.',
      items: object({
        line: int('Line of the list.'), variation: int('Variation of its row, from 1.'), prompt: str('Prompt.'), model: str('Model.'), seconds: int('Seconds.'),
        size: str('Frame size.'), fps: int('Frames per second.'), seed: nullable(int('The seed the list gave; null: drawn at random when made.')),
      }),
    },
    problems: { type: 'array', description: 'Lines that cannot be used, and why (a batch with any is refused).', items: object({ line: int('Line of the list.'), message: str('What is wrong.') }) },
    fits: int('How many of the videos the plan takes now, in list order.'),
    fit_message: nullable(str('Why the others do not fit ("37 of 50 videos fit your plan today: …"); null when all do.')),
  }, { description: 'A list read and checked, nothing created.' }),
};

const idParam = pathParams({ id: str('The batch id (`batch_…`).') });
const notFound = error('`not_found`: no such batch among yours.');
const listErrors = '`invalid_batch_rows` (every bad line listed, with its reason), `empty_batch`, `batch_too_large` (more than ' + MAX_BATCH_VIDEOS + ' videos, or a list over 2 MiB), `invalid_encoding`, `missing_required_parameter`, or a bad default';

export const batchSchemas = {
  create: {
    summary: 'Create a batch',
    description: "Reads the list, checks every row (model, seconds, size, the plan's per-video limits), then the whole batch against the plan's allowance at once, and queues a video per row and variation. A list with any bad line is refused with each one named (400); a batch larger than what is left today is refused saying how many would fit (429 `insufficient_quota`, \"37 of 50 videos fit your plan today: …\"), unless `allow_partial`. A batch counts as one job against the plan's concurrent jobs.",
    tags: ['Batches'], operationId: 'createBatch',
    body: body('The list.'),
    response: {
      200: json('The batch, `in_progress`, with its videos.', ref('Batch')),
      400: error(listErrors + '.'),
      429: error('`insufficient_quota` (the message says how many videos would fit and when the allowance resets), `too_many_concurrent_jobs`, `spend_cap_reached`.'),
      503: error('`generation_paused` or `queue_unavailable`: nothing was created.'),
      507: error('`storage_full`: nothing was created.'),
    },
  },
  preview: {
    summary: 'Check a list before making it',
    description: 'What creating the batch would make, row by row, the lines that cannot be used, and how much of it the plan takes now. Nothing is created.',
    tags: ['Batches'], operationId: 'previewBatch',
    body: body('The list.'),
    response: { 200: json('The list as read.', ref('BatchPreview')), 400: error('`empty_batch`, `batch_too_large`, `invalid_encoding`, `missing_required_parameter`, or a bad default.') },
  },
  list: {
    summary: 'List my batches',
    description: 'Newest first, without their videos. Page with `after=<last_id>` while `has_more`.',
    tags: ['Batches'], operationId: 'listBatches',
    querystring: optionalFields({
      after: str('A batch id: list the batches after it.'),
      limit: int('How many, 1 to 100 (default 20).', { minimum: 1, maximum: 100, default: 20 }),
    }),
    response: {
      200: json('A page of batches.', object({
        object: { const: 'list' }, data: { type: 'array', items: ref('Batch') }, first_id: nullable(str('First id.')), last_id: nullable(str('Last id.')), has_more: bool('More after `last_id`.'),
      })),
      400: error('`invalid_value`: `limit` is not valid.'),
    },
  },
  retrieve: {
    summary: 'Retrieve a batch', description: 'Its counts by status, its progress, and its videos in list order.',
    tags: ['Batches'], operationId: 'retrieveBatch',
    params: idParam,
    response: { 200: json('The batch.', ref('Batch')), 404: notFound },
  },
  events: {
    summary: 'Follow a batch (Server-Sent Events)',
    description: 'An event whenever its counts or progress change, until nothing is left to run, then the stream ends. Event names follow the batch\'s status: `batch.in_progress`, then `batch.completed` or `batch.cancelled`; each `data` is the Batch object without its videos.',
    tags: ['Batches'], operationId: 'streamBatchEvents',
    params: idParam,
    response: {
      200: { description: 'The event stream; each event\'s `data` is a Batch object.', content: { 'text/event-stream': { schema: { type: 'string', description: '`event: batch.<status>` and `data: <Batch JSON>` lines.' } } } },
      404: notFound,
    },
  },
  cancel: {
    summary: 'Cancel a batch',
    description: 'Cancels every video of it still queued or running (their quota is refunded); finished videos stay.',
    tags: ['Batches'], operationId: 'cancelBatch',
    params: idParam,
    response: { 200: json('The batch, `cancelled`.', ref('Batch')), 400: error('`batch_not_cancellable`: nothing is left to run.'), 404: notFound },
  },
  download: {
    summary: 'Download a batch as a zip',
    description: '`manifest.csv` (file, video_id, line, prompt, model, seconds, size, fps, seed, status, error: every video of the batch) and each completed MP4, streamed as it is written. Available at any time: it holds what is completed so far. A manifest sent back as a list makes the same videos again.',
    tags: ['Batches'], operationId: 'downloadBatch',
    params: idParam,
    response: {
      200: {
        description: 'The zip.',
        headers: { 'content-disposition': { description: '`attachment; filename="batch_….zip"`.', schema: { type: 'string' } } },
        content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
      },
      404: notFound,
    },
  },
} satisfies Record<string, RouteDoc>;
