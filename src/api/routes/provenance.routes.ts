// GET /v1/videos/{id}/provenance (the signed sidecar) and POST /api/verify (anyone may check a
// file: multipart `file` or a raw video/mp4 body, streamed to disk under the verify cap).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { ProvenanceService } from '../../services/provenance.service.js';
import { allow } from '../access.js';
import { who } from '../principal.js';
import { provenanceSchemas as docs } from '../schemas/provenance.schemas.js';

export async function provenanceRoutes(app: FastifyInstance, provenance: ProvenanceService, opts: { maxVerifyBytes: number }): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/videos/:id/provenance', { ...allow('member'), schema: docs.sidecar }, async (req, reply) => {
    reply.header('cache-control', 'private, no-store');
    return provenance.sidecar(who(req), req.params.id);
  });

  await app.register(async (scope) => {
    // The raw body is left unread here and streamed by the handler (req.raw), never buffered.
    scope.addContentTypeParser(['video/mp4', 'application/octet-stream'], (_req, _payload, done) => done(null, undefined));
    scope.post('/api/verify', { ...allow('public'), schema: docs.verify }, async (req) => {
      if (req.isMultipart()) {
        let part;
        try {
          part = await req.file({ limits: { fileSize: opts.maxVerifyBytes + 1, files: 1 } });
        } catch (err) {
          throw ApiError.badRequest(`The multipart body could not be parsed: ${(err as Error).message}`, 'file', 'invalid_multipart');
        }
        if (!part || part.fieldname !== 'file') throw ApiError.badRequest('Send the video as the multipart field `file`.', 'file');
        return provenance.verifyStream(part.file);
      }
      return provenance.verifyStream(req.raw);
    });
  });
}
