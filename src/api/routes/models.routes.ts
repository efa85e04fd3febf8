// GET /v1/models: the model cards, in OpenAI's list shape.
import { allow } from '../access.js';
import { modelSchemas as docs } from '../schemas/video.schemas.js';
import type { FastifyInstance } from 'fastify';
import type { VideoService } from '../../services/video.service.js';
import { wireModel } from '../../services/video.wire.js';

export function modelRoutes(app: FastifyInstance, videos: VideoService): void {
  app.get('/v1/models', { ...allow('member'), schema: docs.list }, async () => ({ object: 'list', data: videos.models().map(wireModel) }));
  app.get<{ Params: { id: string } }>('/v1/models/*', { ...allow('member'), schema: docs.retrieve }, async (req) => wireModel(videos.model((req.params as Record<string, string>)['*']!)));
}
