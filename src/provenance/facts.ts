// What a video's manifest and sidecar say, from its row and its model's card.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelCard } from '../domain/model-card.js';
import { kindOf, parentIdOf, type Video } from '../domain/video.js';
import type { Author, GenerationFacts, Training } from './provenance.js';

export const SOFTWARE = {
  name: 'Méliès',
  version: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
} as const;

export interface FactsInput {
  video: Video;
  /** The model that made it (a fallback's, when one did) and its engine. */
  model: string;
  engine: string;
  card: ModelCard | null;
  author: Author;
  training: Training;
  watermarkPlan: string | null;
  parentFile: string | null;
  /** The uploaded source clip's copy in the work folder, for the ingredient (null: the hash alone). */
  sourceUploadFile?: string | null;
}

export function generationFacts(i: FactsInput): GenerationFacts {
  return {
    videoId: i.video.id,
    createdAt: i.video.createdAt,
    software: SOFTWARE,
    engine: i.engine,
    model: i.model,
    modelLabel: i.card?.label ?? i.model,
    // A model the engine no longer lists: if it is not the built-in one, it was a trained model.
    kind: i.card?.kind ?? (i.engine === 'sketch' ? 'procedural' : 'cloud'),
    seed: i.video.seed,
    promptSha256: createHash('sha256').update(i.video.prompt, 'utf8').digest('hex'),
    author: i.author,
    training: i.training,
    watermarkPlan: i.watermarkPlan,
    // An extension's source is in its frames, so it is an ingredient exactly like a remix's parent.
    parent: parentIdOf(i.video)
      ? { videoId: parentIdOf(i.video)!, file: i.parentFile, ...(i.video.remixedFromVideoId ? {} : { relation: kindOf(i.video) as 'extension' | 'edit' }) }
      : null,
    ...(i.video.sourceFile
      ? { sourceUpload: { sha256: i.video.sourceFile.sha256, filename: i.video.sourceFile.filename, fileId: i.video.sourceFile.fileId, relation: kindOf(i.video) === 'edit' ? 'edit' : 'extension', file: i.sourceUploadFile ?? null } }
      : {}),
  };
}
