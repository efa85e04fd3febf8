// The provenance room's contracts. A Signer embeds a C2PA manifest in a finished MP4 (the last
// step: any later ffmpeg rewrite would strip it); a Verifier reads one back and says, in plain
// words, whether it holds. Both run the C2PA library in a worker thread (c2pa-runner.ts).
import type { ModelCard } from '../domain/model-card.js';

/** The AI-training licence carried by the CAWG training-and-data-mining assertion. */
export type Training = 'allowed' | 'not-allowed';

export interface Author {
  id: string;
  handle: string | null;
  displayName: string | null;
}

/** Everything the manifest says about how a video was made. */
export interface GenerationFacts {
  videoId: string;
  createdAt: number;
  software: { name: string; version: string };
  engine: string;
  model: string;
  modelLabel: string;
  kind: ModelCard['kind'];
  seed: number;
  promptSha256: string;
  author: Author;
  training: Training;
  /** The plan whose visible watermark the frames carry, if any. */
  watermarkPlan: string | null;
  /** The video this one remixes, when it still exists (its signed file is the ingredient). */
  /** `relation`: how the parent went in (absent: a remix, as before issue 15). */
  parent: { videoId: string; file: string | null; relation?: 'remix' | 'extension' | 'edit' } | null;
  /**
   * The uploaded MP4 an extension or edit was made from (issue 15), named by its hash; `file` is
   * its copy for the ingredient (null when too large to embed, then the hash alone binds it).
   */
  sourceUpload?: { sha256: string; filename: string; fileId: string | null; relation: 'extension' | 'edit'; file: string | null } | null;
}

export interface Signer {
  /** Writes `output`: `source` with a manifest for a newly made video. */
  signCreated(facts: GenerationFacts, source: string, output: string): Promise<void>;
  /** Writes `output`: the signed `source` re-signed with new facts (its old manifest becomes the parent ingredient). */
  resign(facts: GenerationFacts, source: string, output: string): Promise<void>;
}

export type VerifyState = 'trusted' | 'valid' | 'invalid' | 'no_manifest';

export interface Lineage {
  title: string;
  videoId: string | null;
  author: { handle: string | null; display_name: string | null } | null;
}

/** What the file's own manifest says, before this instance's records are consulted. */
export interface ManifestReport {
  state: VerifyState;
  reason: string;
  altered: boolean;
  signer: string | null;
  engine: string | null;
  model: string | null;
  videoId: string | null;
  author: { handle: string | null; display_name: string | null } | null;
  createdAt: number | null;
  digitalSourceType: string | null;
  training: Training | null;
  ingredients: Lineage[];
}

export interface Verifier {
  verify(path: string): Promise<ManifestReport>;
}
