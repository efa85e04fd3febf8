// Queue control (issue 15 §7) as the /api wire shows it: an owner's waiting videos in the order
// they will start, and the routes that pause, resume, reorder and reprioritise them (queue.routes.ts).
import { bool, error, int, json, jsonBody, nullable, object, pathParams, ref, str, type RouteDoc, type Schema } from './common.js';

export const queueComponents: Record<string, Schema> = {
  QueueEntry: object({
    video: ref('StudioVideo'),
    position: nullable(int('Videos ahead of it in the whole queue (0 = next); null while the queue is paused.')),
    priority: int('Its queue priority (higher starts first; at most the plan\'s for members).'),
  }),
  Queue: object({
    object: { const: 'queue' },
    owner_id: str('Whose queue (`usr_…`).'),
    paused: bool('Paused: these videos are not started until it is resumed (running ones continue).'),
    data: { type: 'array', items: ref('QueueEntry'), description: 'Waiting videos, in the order they will start.' },
  }, { description: "One person's waiting videos. Positions change as other people's videos start; read it again (the studio polls)." }),
};

const videoId = pathParams({ id: str('The video id (`video_…`).') });
const userVideo = pathParams({ id: str('The user id (`usr_…`).'), videoId: str('The video id (`video_…`).') });
const userId = pathParams({ id: str('The user id (`usr_…`).') });
const queue = (what: string) => json(what, ref('Queue'));
const notQueued = '`video_not_queued`: it is rendering or finished, or starting this moment';
const priorityBody = jsonBody(object({ priority: int('A whole number, -100 to 100; members at most their plan\'s priority.') }));
const noUser = error('`not_found`: no such user.');
const noVideo = error('`not_found`: no such video in this queue.');

export const queueSchemas = {
  view: {
    summary: 'My queue', description: 'Your waiting videos in the order they will start, with positions, and whether your queue is paused.',
    tags: ['Studio'], operationId: 'getMyQueue',
    response: { 200: queue('Your queue.') },
  },
  pause: {
    summary: 'Pause my queue', description: 'Your waiting videos are not started until you resume; a video already rendering continues. Survives restarts.',
    tags: ['Studio'], operationId: 'pauseMyQueue',
    response: { 200: queue('Your queue, paused.') },
  },
  resume: {
    summary: 'Resume my queue', tags: ['Studio'], operationId: 'resumeMyQueue',
    response: { 200: queue('Your queue, running again.') },
  },
  moveToTop: {
    summary: 'Move a queued video to the top of my queue',
    description: 'It becomes the next of your videos to start (at the highest priority among your waiting videos). Other people keep their turns.',
    tags: ['Studio'], operationId: 'moveVideoToTop', params: videoId,
    response: { 200: queue('Your queue, in its new order.'), 400: error(`${notQueued}.`), 404: noVideo },
  },
  priority: {
    summary: "Set a queued video's priority",
    tags: ['Studio'], operationId: 'setVideoPriority', params: videoId, body: priorityBody,
    response: {
      200: queue('Your queue, in its new order.'),
      400: error(`\`invalid_value\`: not a whole number from -100 to 100; ${notQueued}.`),
      403: error("`priority_above_plan`: above your plan's priority."),
      404: noVideo,
    },
  },
  adminView: {
    summary: "A user's queue", tags: ['Admin'], operationId: 'adminGetUserQueue', params: userId,
    response: { 200: queue('Their queue.'), 404: noUser },
  },
  adminPause: {
    summary: "Pause a user's queue", tags: ['Admin'], operationId: 'adminPauseUserQueue', params: userId,
    response: { 200: queue('Their queue, paused.'), 404: noUser },
  },
  adminResume: {
    summary: "Resume a user's queue", tags: ['Admin'], operationId: 'adminResumeUserQueue', params: userId,
    response: { 200: queue('Their queue, running again.'), 404: noUser },
  },
  adminMoveToTop: {
    summary: "Move a video to the top of its owner's queue", tags: ['Admin'], operationId: 'adminMoveVideoToTop', params: userVideo,
    response: { 200: queue('Their queue.'), 400: error(`${notQueued}.`), 404: error('`not_found`: no such user, or no such video of theirs.') },
  },
  adminPriority: {
    summary: "Set a user's queued video's priority", description: 'Any priority from -100 to 100, whatever their plan.',
    tags: ['Admin'], operationId: 'adminSetVideoPriority', params: userVideo, body: priorityBody,
    response: { 200: queue('Their queue.'), 400: error(`\`invalid_value\`; ${notQueued}.`), 404: error('`not_found`: no such user, or no such video of theirs.') },
  },
} satisfies Record<string, RouteDoc>;
