// Sharing on the artists' terms (issue 14): what a publication is, the licences an author picks,
// the operator's publish policy, public handles, and how an engine is named to the public.
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';
import type { ModelCard } from './model-card.js';

export const REMIX_LICENCES = ['allow', 'allow-with-credit', 'deny'] as const;
export type RemixLicence = (typeof REMIX_LICENCES)[number];
export const TRAINING_LICENCES = ['allowed', 'not-allowed'] as const;
export type TrainingLicence = (typeof TRAINING_LICENCES)[number];

/** The operator's choice: public at once, after a moderator's approval, or no publishing at all. */
export const PUBLISH_POLICIES = ['open', 'review', 'off'] as const;
export type PublishPolicy = (typeof PUBLISH_POLICIES)[number];

/**
 *   publish ──policy open──▶ published ◀──approve── pending_review ──reject──▶ rejected
 *              policy review ──────────────────────▶ pending_review
 *   published ──takedown (moderator)──▶ taken_down        unpublish (author): the row goes
 */
export const PUBLICATION_STATUSES = ['published', 'pending_review', 'rejected', 'taken_down'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

export interface Publication {
  videoId: string;
  ownerId: string;
  title: string;
  description: string;
  remix: RemixLicence;
  training: TrainingLicence;
  status: PublicationStatus;
  /** Why a moderator rejected or took it down; shown to the author. */
  reason: string | null;
  publishedAt: number | null;
  /** Published remixes that credit it (kept by the publishing service). */
  remixCount: number;
  createdAt: number;
  updatedAt: number;
}

/** A public name: what the feed, credits and manifests show instead of an email. */
export interface Profile {
  userId: string;
  handle: string;
  displayName: string | null;
}

/**
 * A remix's debt to its parent, written when the remix is made and never removed with the remix's
 * publication: the parent's title and author are copied, so a deleted parent still gets its credit.
 */
export interface Credit {
  videoId: string;
  parentVideoId: string;
  parentOwnerId: string;
  parentTitle: string;
  createdAt: number;
}

export const HANDLE_PATTERN = /^[a-z0-9_]{3,30}$/;

export function checkHandle(handle: unknown): string {
  if (typeof handle !== 'string' || !HANDLE_PATTERN.test(handle)) {
    throw ApiError.badRequest("'handle' must be 3 to 30 characters: lower-case letters, digits and '_'.", 'handle', 'invalid_handle');
  }
  return handle;
}

/** A first handle that says nothing about its owner (none of their email); they may choose another. */
export function neutralHandle(): string {
  return `artist_${randomBytes(3).toString('hex')}`;
}

/**
 * The engine and model in honest words for people who never saw a model card: what ran, and where.
 * The procedural engine is not a neural network and says so; local models run on the operator's GPUs.
 */
export function madeWith(card: Pick<ModelCard, 'kind' | 'label'> | null, model: string): string {
  if (!card) return model;
  // "Wan 2.2 TI2V 5B, text to video (ComfyUI)" → "Wan 2.2 TI2V 5B": the model, not the workflow.
  const label = card.label.replace(/\s*\((built-in|ComfyUI)\)\s*$/i, '').split(',')[0]!.trim();
  if (card.kind === 'procedural') return 'procedural sketch on a CPU';
  if (card.kind === 'local-model') return `${label} on your GPU`;
  return label;
}

export function newPrefixedId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
