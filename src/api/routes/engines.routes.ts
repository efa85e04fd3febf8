// GET /api/engines: the engines' health and load, for operators (see EngineStatusService).
import type { FastifyInstance } from 'fastify';
import type { EngineStatusService } from '../../services/engine-status.service.js';
import { allow } from '../access.js';
import { studioSchemas as docs } from '../schemas/video.schemas.js';
import { who } from '../principal.js';

export function engineRoutes(app: FastifyInstance, engines: EngineStatusService): void {
  app.get('/api/engines', { ...allow('admin'), schema: docs.engines }, async (req) => engines.overview(who(req)));
}
