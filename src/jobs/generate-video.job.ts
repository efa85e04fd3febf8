// The generate-video job: load the row, run its engine, finalize the MP4 (tags, faststart),
// cut the previews, store everything atomically, then mark the row completed. Idempotent: it
// reloads the row and continues from where the row stands, and a remote job that already has a
// provider id is polled, never submitted again.
//
// Cloud routing: a video goes to its own model first; if that provider cannot take it (circuit
// open, unreachable, model retired, its daily spend cap reached) the operator's fallbacks that can
// honour the request are tried in order. The row records which model and engine made it, and what
// it cost. When no route can take it now but one will later (circuit open, at its concurrency
// limit, rate limited), the video goes back to queued and the job is handed back (JobDeferred)
// without using an attempt.
//
// What a failed video says: `message` is for its owner, in Méliès' words; the provider's or the
// tool's own words (ffmpeg's stderr, server paths, an HTTP body) are `detail`, for operators only.
// Every known secret is redacted from both, and from what is logged, before it leaves the job.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { abortableSleep } from '../domain/abortable-sleep.js';
import { EngineError, isStorageFull } from '../domain/errors.js';
import { clip, redact } from '../domain/redaction.js';
import type { ModelCard } from '../domain/model-card.js';
import { priceMicros } from '../domain/price.js';
import { kindOf, outputKeys, sizeString, type Video, type VideoError } from '../domain/video.js';
import type { MadeBy, VideoRepo } from '../db/video.repo.js';
import type { Engine, EngineContext, EngineJob } from '../engines/engine.js';
import { ModelRetired, ProviderUnavailable, canFallBack } from '../engines/cloud/errors.js';
import type { Route } from '../engines/registry.js';
import { finalizeMp4, makeSpritesheet, makeThumbnail } from '../media/finalize.js';
import { renderWatermarkPng, WATERMARK_MARGIN } from '../media/watermark.js';
import { signFinishedVideo, type ProvenanceDeps } from './sign-video.js';
import type { MediaBinaries } from '../media/binaries.js';
import { JobCancelled, JobDeferred, type ProcessOptions, type QueueJob } from '../queue/job-queue.js'; // the handler's shape and abort reasons
import type { BlobStore } from '../storage/blob-store.js';
import { durableWrite } from './durable-write.js';
import { copySourceVideo, joinExtension, prepareExtension } from './extend-video.js';
import { newRunName, sweepVideoWorkDir } from './work-dir.js';
import { errorShownToOwner, type ServerPlaces } from './video-error.js';

export interface GenerateVideoDeps {
  videos: VideoRepo;
  engineFor: (model: string) => Engine | null;
  storage: BlobStore;
  /** Tells live listeners (SSE, progress bars) the row changed. */
  publish: (video: Video) => void;
  media: MediaBinaries;
  /** Scratch space; each attempt gets its own folder, removed when it ends. */
  workRoot: string;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  /** An operator's pause on this engine: queued videos wait (unchanged) until it is lifted. */
  pauseFor?: (engine: string) => Promise<{ message: string } | null>;
  /** Where a video may be made: its own model, then the operator's fallbacks. Default: its own model only. */
  routesFor?: (video: Video) => Route[];
  /** Reserves the route's price on its provider's daily cap before anything is sent (db/spend.repo.ts). */
  reserveSpend?: (video: Video, route: Route) => Promise<{ ok: true } | { ok: false; message: string }>;
  /** Models to suggest when a provider says a model no longer exists. */
  alternativesFor?: (model: string) => string[];
  /**
   * Removes every secret the server holds (all provider keys, passwords in configured URLs) from
   * text before it is stored or logged. Default: only anyone's URL passwords, bearer tokens, JWTs.
   */
  redact?: (text: string) => string;
  /** Signs every finished MP4 (jobs/sign-video.ts). Absent: stored unsigned (the benchmark's baseline). */
  provenance?: ProvenanceDeps;
  /** The visible watermark of the owner's plan, when the operator set one. */
  watermarkFor?: (ownerId: string) => Promise<{ planId: string; text: string } | null>;
  /**
   * The characters the video is made with, checked again now (services/character.service.ts): their
   * looks' blob keys, or the error the video fails with (revoked, deleted, no longer shared).
   */
  charactersFor?: (video: Video) => Promise<{ ok: true; looks: Array<{ key: string }> } | { ok: false; error: VideoError }>;
}

/**
 * How long a run may take between claiming a remote create and recording the provider's job id:
 * longer than any provider's create call (uploads included) takes, so a slow sender is never
 * doubled; a worker that died while sending delays the retry by at most this.
 */
const SUBMIT_CLAIM_MS = 120_000;

/** How often a paused engine's queued videos look again. */
const PAUSE_RECHECK_MS = 5000;

/** Share of the progress bar the engine gets; finalizing and previews take the rest. */
const ENGINE_SHARE = 90;

function metadataTags(video: Video): Record<string, string> {
  const created = new Date(video.createdAt).toISOString();
  return {
    title: video.prompt.length > 250 ? `${video.prompt.slice(0, 249)}…` : video.prompt,
    comment: JSON.stringify({
      generator: 'Méliès', video_id: video.id, model: video.model, engine: video.engine, prompt: video.prompt, seed: video.seed,
      seconds: video.seconds, size: sizeString(video), fps: video.fps, remixed_from_video_id: video.remixedFromVideoId,
      kind: kindOf(video), source_video_id: video.sourceVideoId ?? null,
      ...(video.sourceFile ? { source_file_sha256: video.sourceFile.sha256 } : {}), created_at: created,
    }),
    creation_time: created,
  };
}

export function makeGenerateVideoJob(deps: GenerateVideoDeps): Pick<ProcessOptions, 'handler' | 'onExhausted'> {
  const publish = (v: Video | null) => { if (v) deps.publish(v); };
  const clean = (text: string) => clip(deps.redact ? deps.redact(text) : redact(text));
  // The work root's parent is the data directory (blobs, the SQLite file) when app/ wires it.
  const places: ServerPlaces = { roots: [deps.workRoot, dirname(deps.workRoot), deps.media.ffmpeg, deps.media.ffprobe] };
  /** What the video's row says about a failure: for its owner, and (redacted) for operators. */
  const failure = (err: EngineError): VideoError => errorShownToOwner(err, clean, places);

  async function handler(job: QueueJob): Promise<void> {
    const existing = await deps.videos.get(job.videoId);
    if (!existing || existing.status === 'completed' || existing.status === 'failed') return;
    // A submitted job belongs to the engine that took it, which is a fallback's when one made it.
    const jobModel = existing.providerJobId ? (existing.madeByModel ?? existing.model) : existing.model;
    const engine = deps.engineFor(jobModel);
    if (!engine) {
      publish(await deps.videos.fail(existing.id, { code: 'model_unavailable', message: `The model '${jobModel}' is not configured on this server.` }));
      return;
    }
    // Checked before the row moves to in_progress: a paused engine's videos stay queued, as they were.
    if (existing.status === 'queued' && deps.pauseFor && (await deps.pauseFor(engine.id))) throw new JobDeferred(PAUSE_RECHECK_MS, 'engine paused');
    // A character revoked (or no longer shared) since the video was asked for fails it before any work.
    const cast = deps.charactersFor ? await deps.charactersFor(existing) : { ok: true as const, looks: [] };
    if (!cast.ok) {
      publish(await deps.videos.fail(existing.id, cast.error));
      deps.log('info', 'a character of the video can no longer be used', { videoId: existing.id, code: cast.error.code });
      return;
    }
    // The row says in_progress only once the engine is really at work (its first progress, or a
    // provider accepting the job): a job waiting inside an engine for a free GPU or a provider
    // slot still reads as queued, as it is.
    const video = existing;
    let started: Promise<void> | null = null;
    const markStarted = () => (started ??= deps.videos.markStarted(video.id).then(publish));
    if (video.providerJobId) await markStarted();
    // Names this run's scratch folder and output files: a stale run of the same job (one that lost
    // its lease but has not noticed yet) works beside it, never on top of it.
    const run = newRunName(job.attempt);
    deps.log('info', 'generating', { videoId: video.id, model: video.model, attempt: job.attempt, resuming: Boolean(video.providerJobId) });

    const workDir = join(deps.workRoot, video.id, run);
    await sweepVideoWorkDir(deps.workRoot, video.id); // what a killed run of this video left
    await mkdir(workDir, { recursive: true });
    const keys = outputKeys(video.id, run);
    let stored = false;
    const progress = progressWriter(deps, video.id, publish, markStarted);
    let submitted: EngineJob | null = null;
    let submittedTo: Engine = engine;
    let madeBy: MadeBy | undefined;
    try {
      let inputImagePath = video.inputReferenceKey ? await copyToWorkDir(deps.storage, video.inputReferenceKey, workDir) : null;
      const extension = kindOf(video) === 'extension' ? await prepareExtension(deps, video, engine, workDir, job.signal) : null;
      if (extension?.lastFrame) inputImagePath = extension.lastFrame;
      // An edit by an engine that does not re-render plans re-makes the source video itself.
      const inputVideoPath = kindOf(video) === 'edit' && !engine.editPlan
        ? (await copySourceVideo(deps, video, workDir, 'The video being edited was deleted before its edit was made, so there is nothing to edit.')).sourceFile
        : null;
      // An extension started from the source's last frame already shows its characters there.
      const characterImages = extension?.lastFrame ? [] : await Promise.all(cast.looks.map((l, i) => copyToWorkDir(deps.storage, l.key, workDir, `character-${i}`)));
      const lastFrameImagePath = video.lastFrameKey ? await copyToWorkDir(deps.storage, video.lastFrameKey, workDir, 'last-frame') : null;
      const engineJob: EngineJob = {
        videoId: video.id, model: video.model, prompt: video.prompt, seconds: extension?.newSeconds ?? video.seconds, width: video.width, height: video.height,
        fps: video.fps, seed: video.seed, negativePrompt: video.negativePrompt, inputImagePath, inputVideoPath, providerJobId: video.providerJobId,
        ...(extension?.nativeFrom ? { extendsProviderJobId: extension.nativeFrom } : {}),
        ...(lastFrameImagePath ? { lastFrameImagePath } : {}),
        // An edit re-renders its stored plan (the source's, changed) whole (services/video-edit.ts).
        storedPlan: extension ? extension.storedPlan : kindOf(video) === 'edit' && video.plan && engine.editPlan ? { plan: video.plan, fromSeconds: 0 } : null,
        ...(characterImages.length ? { characterImages } : {}),
      };
      submitted = engineJob;
      const ctx: EngineContext = { workDir, signal: job.signal, attempt: job.attempt, reportProgress: (f) => progress.report(2 + Math.max(0, Math.min(1, f)) * (ENGINE_SHARE - 2)) };
      let raw: string;
      if (video.providerJobId && engine.poll) {
        raw = await pollToFile(engine, { ...engineJob, model: jobModel }, ctx, deps.videos, (j) => { submitted = j; });
      } else {
        const own: JobRoute = { model: video.model, engine, card: engine.models().find((c) => c.id === video.model) ?? null };
        // An extension stays on its own model: a fallback may not continue (or even take) its source;
        // nor may a video made with characters go to a fallback that cannot use them.
        const routes: JobRoute[] = extension || cast.looks.length ? [own] : deps.routesFor?.(video) ?? [own];
        const made = await submitByRoute(deps, video, routes, engineJob, ctx, (j, e) => { submitted = j; submittedTo = e; void markStarted(); });
        if ('deferMs' in made) {
          publish(await deps.videos.markWaiting(video.id));
          deps.log('info', 'provider cannot take the job yet; it waits', { videoId: video.id, waitMs: made.deferMs, reasons: made.reasons.map(clean), details: made.details.map(clean) });
          throw new JobDeferred(made.deferMs, made.reasons.join(' '));
        }
        raw = made.file;
        madeBy = made.madeBy;
      }

      let final = join(workDir, 'final.mp4');
      const watermark = await deps.watermarkFor?.(video.ownerId) ?? null;
      const overlay = watermark ? join(workDir, 'watermark.png') : undefined;
      if (watermark) await renderWatermarkPng(watermark.text, video.width, video.height, overlay!);
      const marking = { overlay, overlayMargin: Math.round(video.height * WATERMARK_MARGIN) };
      if (extension) {
        // Only the new seconds take this plan's mark: the source's frames keep the one they were
        // made with (marking them again would darken it there).
        if (overlay) {
          const marked = join(workDir, 'marked.mp4');
          await finalizeMp4(deps.media, raw, marked, {}, job.signal, marking);
          raw = marked;
        }
        raw = await joinExtension(deps.media, extension, raw, video, workDir, job.signal);
      }
      const probed = await finalizeMp4(deps.media, raw, final, metadataTags(video), job.signal, extension ? {} : marking);
      progress.report(93);
      await makeThumbnail(deps.media.ffmpeg, probed, final, join(workDir, 'thumbnail.webp'), job.signal);
      progress.report(95);
      await makeSpritesheet(deps.media.ffmpeg, probed, final, join(workDir, 'spritesheet.jpg'), job.signal);
      progress.report(97);
      let provenance;
      if (deps.provenance) {
        // The last step: nothing rewrites the file after it (that would strip the manifest).
        const made = { model: madeBy?.model ?? video.madeByModel ?? video.model, engine: madeBy?.engine ?? video.engine };
        const signed = await signFinishedVideo({ ...deps, provenance: deps.provenance }, video, made, final, workDir, watermark?.planId ?? null);
        final = signed.file;
        provenance = signed.provenance;
      }
      await progress.flush();

      const mp4 = await deps.storage.put(keys.videoKey, { file: final });
      await deps.storage.put(keys.thumbnailKey, { file: join(workDir, 'thumbnail.webp') });
      await deps.storage.put(keys.spritesheetKey, { file: join(workDir, 'spritesheet.jpg') });
      const done = await deps.videos.complete(video.id, { ...keys, bytes: mp4.bytes, sha256: mp4.sha256 }, { expiresAt: null, madeBy, provenance });
      stored = Boolean(done);
      if (!done) return; // deleted, or finished by another run, while we worked
      publish(done);
      deps.log('info', 'completed', { videoId: video.id, bytes: mp4.bytes, seconds: probed.durationSeconds });
    } catch (err) {
      await progress.flush().catch(() => {});
      // Cancel, delete and shutdown abort the signal; the queue decides what happens next. A
      // cancelled remote job is stopped at the provider too, so it stops using GPUs (and money).
      if (job.signal.aborted) {
        if (job.signal.reason instanceof JobCancelled && submittedTo.cancel && submitted?.providerJobId) {
          await submittedTo.cancel(submitted).catch((e) => deps.log('warn', 'engine cancel failed', { videoId: video.id, err: clean(String((e as Error)?.message ?? e)) }));
        }
        throw err;
      }
      if (isStorageFull(err)) {
        // Another attempt would fail the same way until the operator frees space: fail it now (the
        // owner's quota comes back) and tell the operator loudly.
        const error = { code: 'storage_full', message: 'The server ran out of storage while saving this video, so it could not be kept. Nothing was counted against your quota; try again later.', detail: clean(String((err as Error).message)) };
        publish(await deps.videos.fail(video.id, error));
        deps.log('error', 'storage is full: a finished video could not be saved', { videoId: video.id, detail: error.detail });
        return;
      }
      if (err instanceof EngineError && !err.retryable) {
        const error = failure(err);
        publish(await deps.videos.fail(video.id, error));
        deps.log('warn', 'engine refused the job', { videoId: video.id, code: error.code, err: error.message, detail: error.detail });
        return;
      }
      // The queue keeps this text (its log line, its last_error) and hands the last one to
      // onExhausted, which shows it to operators only: the whole story, with no secret in it.
      throw forTheQueue(err, clean);
    } finally {
      // Only this run's files: the row never points at them unless we completed it.
      if (!stored) await Promise.all(Object.values(keys).map((k) => deps.storage.delete(k).catch(() => {})));
      await rm(workDir, { recursive: true, force: true });
      await sweepVideoWorkDir(deps.workRoot, video.id);
    }
  }

  async function onExhausted(videoId: string, lastError: string): Promise<void> {
    publish(await deps.videos.fail(videoId, {
      code: 'generation_failed',
      message: 'The video could not be made: it failed on every attempt. Try again later or pick another model; the operator can see why.',
      detail: clean(`Last attempt: ${lastError}`),
    }));
  }

  return { handler, onExhausted };
}

type Made = { file: string; madeBy?: MadeBy } | { deferMs: number; reasons: string[]; details: string[] };

/** A place the video may be made; the card is null only if the engine no longer lists the model. */
type JobRoute = Omit<Route, 'card'> & { card: ModelCard | null };

/** What the video cost on this route, or null when free (a local engine) or the card is gone. */
function costOf(card: ModelCard | null, seconds: number): number | null {
  const micros = card ? priceMicros(card, seconds) : 0;
  return micros > 0 ? micros : null;
}

/**
 * Tries each route in order until one takes the job. Only failures that prove the provider never
 * got the job (circuit open, unreachable, retired model, spend cap) move on to the next route, so a
 * fallback can never double a job the primary may have started.
 */
async function submitByRoute(deps: GenerateVideoDeps, video: Video, routes: JobRoute[], base: EngineJob, ctx: EngineContext,
  onSubmitted: (job: EngineJob, engine: Engine) => void): Promise<Made> {
  const reasons: string[] = [];
  const details: string[] = [];
  let deferMs: number | null = null;
  let retired: ModelRetired | null = null;
  let capped: string | null = null;
  for (const route of routes) {
    // What the provider makes and bills: an extension's new seconds (base.seconds), not its stitched total.
    if (deps.reserveSpend && route.card) {
      const r = await deps.reserveSpend({ ...video, seconds: base.seconds }, { ...route, card: route.card });
      if (!r.ok) { reasons.push(r.message); capped ??= r.message; continue; }
    }
    const job: EngineJob = { ...base, model: route.model };
    const madeBy: MadeBy = { model: route.model, engine: route.engine.id, costUsdMicros: costOf(route.card, base.seconds) };
    // A remote engine's create is paid for: one run at a time may be sending it (migration 0011).
    const claim = route.engine.poll ? randomBytes(8).toString('hex') : null;
    /** A provider job found for this video (adopted, or recorded by another run): polled from here. */
    const follow = async (found: EngineJob | 'recorded elsewhere'): Promise<Made> => {
      if (found === 'recorded elsewhere') return { deferMs: 200, reasons: ['Another run recorded the provider job meanwhile; this one polls it next.'], details: [] };
      if (route.model !== video.model) deps.log('info', 'made by a fallback', { videoId: video.id, model: video.model, fallback: route.model, why: reasons });
      onSubmitted(found, route.engine);
      return { file: await pollToFile(route.engine, found, ctx, deps.videos, (j) => onSubmitted(j, route.engine)) };
    };
    if (claim) {
      const lost = await recoverLostSubmit(deps, video, route, job, ctx);
      if (lost) return follow(lost);
      const heldMs = await deps.videos.claimSubmit(video.id, claim, Date.now() + SUBMIT_CLAIM_MS);
      if (heldMs !== null) return { deferMs: Math.max(200, Math.min(heldMs, 10_000)), reasons: ['Another run of this video is sending it to the provider; this one waits for its receipt.'], details: [] };
    }
    const sentAt = Date.now();
    try {
      const first = await route.engine.submit(job, ctx);
      if (route.model !== video.model) deps.log('info', 'made by a fallback', { videoId: video.id, model: video.model, fallback: route.model, why: reasons });
      if (first.kind === 'completed') {
        // Nothing to resume (no provider job id): a later retry starts over, so it must not wait on this claim.
        if (claim) await deps.videos.releaseSubmit(video.id, claim).catch(() => {});
        return { file: first.file, madeBy: route.model !== video.model ? madeBy : undefined };
      }
      // Stored before anything else happens: a restart from here polls instead of paying twice.
      await durableWrite(() => deps.videos.markSubmitted(video.id, first.providerJobId, madeBy),
        (err, attempt) => deps.log('warn', 'could not record the provider job id yet; trying again', { videoId: video.id, attempt, err: String(err) }));
      const current = { ...job, providerJobId: first.providerJobId };
      onSubmitted(current, route.engine);
      return { file: await pollToFile(route.engine, current, ctx, deps.videos, (j) => onSubmitted(j, route.engine)) };
    } catch (err) {
      // Only an answer proving the provider never took the create frees the claim early; anything
      // else (a timeout, an abort mid-request) keeps it until it expires, so no retry can double it.
      if (claim && (err instanceof ProviderUnavailable || err instanceof ModelRetired)) await deps.videos.releaseSubmit(video.id, claim).catch(() => {});
      if (ctx.signal.aborted) throw err;
      // The create's answer was lost on the way: a provider that can be asked may show the job.
      if (err instanceof EngineError && err.code === 'provider_submit_uncertain' && route.engine.findSubmitted) {
        const ids = await route.engine.findSubmitted(job, ctx, sentAt).catch(() => null);
        const adopted = ids ? await adoptFound(deps, video, route, job, ids) : null;
        if (adopted) return follow(adopted);
      }
      if (err instanceof ProviderUnavailable) {
        reasons.push(err.message);
        if (err.detail) details.push(err.detail);
        deferMs = Math.min(deferMs ?? Infinity, err.retryAfterMs);
        if (canFallBack(err)) continue;
        break; // busy or rate limited: wait for this provider rather than overflow to another
      }
      if (err instanceof ModelRetired) { reasons.push(err.message); retired ??= err; continue; }
      throw err;
    }
  }
  if (deferMs !== null) return { deferMs: Math.max(50, deferMs), reasons, details };
  if (retired) {
    const alternatives = (deps.alternativesFor?.(video.model) ?? []).filter((m) => m !== video.model);
    throw new EngineError(retired.code, `${retired.message}${alternatives.length ? ` Alternatives on this server: ${alternatives.join(', ')}.` : ''}`, { detail: retired.detail });
  }
  if (capped) throw new EngineError('spend_cap_reached', reasons.join(' '));
  throw new EngineError('model_unavailable', `No engine on this server can take the model '${video.model}'.`);
}

/**
 * Before sending a create on a route, settles what a lost run left: if a run took the claim to send
 * it and never recorded a receipt, the provider may hold (and bill) that job. Asks the provider for
 * it and adopts the first one no other video owns; sends nothing new when one is found. When the
 * provider cannot be asked, a free engine (a local GPU) just makes it again, while a paid one
 * fails the video with that reason rather than risk paying twice. Returns the adopted job, null
 * when the route may send, or 'recorded elsewhere' when another run stored a receipt meanwhile.
 */
async function recoverLostSubmit(deps: GenerateVideoDeps, video: Video, route: JobRoute, job: EngineJob, ctx: EngineContext): Promise<EngineJob | null | 'recorded elsewhere'> {
  const lostUntil = await deps.videos.lostSubmit(video.id);
  if (lostUntil === null) return null;
  const since = lostUntil - SUBMIT_CLAIM_MS;
  const ids = route.engine.findSubmitted ? await route.engine.findSubmitted(job, ctx, since) : null;
  if (ids === null) {
    if (costOf(route.card, job.seconds) === null) return null;
    // The same answer as a create whose reply was lost mid-request (cloud/http-client.ts).
    throw new EngineError('provider_submit_uncertain',
      'An earlier attempt sent this video to the provider and stopped before its answer arrived, and this provider cannot be asked whether it got it. '
      + 'Méliès did not send it again, so it is never paid for twice; if it was made it is in the provider account\'s dashboard. Create the video again to retry.',
      { detail: `engine ${route.engine.id}: the claim to send it ran out at ${new Date(lostUntil).toISOString()} with no provider job id recorded` });
  }
  const adopted = await adoptFound(deps, video, route, job, ids);
  if (!adopted) deps.log('info', 'a lost run had not reached the provider; sending the video now', { videoId: video.id, engine: route.engine.id });
  return adopted;
}

/** Records the first of `ids` no other video owns as this video's provider job (see recoverLostSubmit). */
async function adoptFound(deps: GenerateVideoDeps, video: Video, route: JobRoute, job: EngineJob, ids: readonly string[]): Promise<EngineJob | null | 'recorded elsewhere'> {
  for (const id of ids) {
    if (await deps.videos.providerJobTaken(id, video.id)) continue;
    const madeBy: MadeBy = { model: route.model, engine: route.engine.id, costUsdMicros: costOf(route.card, job.seconds) };
    if (!(await deps.videos.markSubmitted(video.id, id, madeBy))) return 'recorded elsewhere';
    deps.log('warn', 'found the job whose create answer was lost; polling it instead of sending it again', { videoId: video.id, engine: route.engine.id, providerJobId: id });
    return { ...job, providerJobId: id };
  }
  return null;
}

async function pollToFile(engine: Engine, job: EngineJob, ctx: EngineContext, videos: VideoRepo, onSubmitted: (job: EngineJob) => void): Promise<string> {
  let current = job;
  if (!engine.poll) throw new EngineError('engine_error', `Engine ${engine.id} returned a provider job id but cannot poll it.`);
  for (;;) {
    const r = await engine.poll(current, ctx);
    if (r.kind === 'completed') return r.file;
    if (r.providerJobId && r.providerJobId !== current.providerJobId) {
      // Stored before polling on, as on first submit: a restart now follows the new job.
      const previous = current.providerJobId!;
      await durableWrite(() => videos.markResubmitted(job.videoId, previous, r.providerJobId!));
      current = { ...current, providerJobId: r.providerJobId };
      onSubmitted(current);
    }
    if (r.progress !== undefined) ctx.reportProgress(r.progress);
    await abortableSleep(r.retryAfterMs ?? 2000, ctx.signal);
  }
}

async function copyToWorkDir(storage: BlobStore, key: string, workDir: string, name = 'input'): Promise<string> {
  const path = join(workDir, `${name}${extname(key)}`);
  await pipeline(await storage.get(key), createWriteStream(path));
  return path;
}

/**
 * Progress writes are throttled (at most every 250 ms, only when the whole percent rises) and
 * chained so they land in order without slowing the engine down.
 */
function progressWriter(deps: GenerateVideoDeps, videoId: string, publish: (v: Video | null) => void, beforeFirstWrite: () => Promise<void>) {
  let chain: Promise<unknown> = Promise.resolve();
  let lastWritten = -1;
  let lastAt = 0;
  let pending: number | null = null;
  const write = (p: number) => {
    lastWritten = p;
    lastAt = Date.now();
    chain = chain.then(async () => {
      await beforeFirstWrite(); // in_progress first: progress is only written to running rows
      if (await deps.videos.setProgress(videoId, p)) publish(await deps.videos.get(videoId));
    }).catch((err) => deps.log('warn', 'progress write failed', { videoId, err: String(err) }));
  };
  return {
    report(percent: number) {
      const p = Math.floor(percent);
      if (p <= lastWritten) return;
      if (Date.now() - lastAt >= 250) write(p);
      else pending = p;
    },
    async flush() {
      if (pending !== null && pending > lastWritten) write(pending);
      pending = null;
      await chain;
    },
  };
}

/**
 * A failure the queue will retry (or give up on): its message gains the detail, as the queue's
 * text goes only to operators (logs, last_error, then onExhausted's detail), and loses every secret.
 */
function forTheQueue(err: unknown, clean: (text: string) => string): unknown {
  if (!(err instanceof Error)) return new Error(clean(String(err)));
  try {
    const detail = err instanceof EngineError && err.detail ? ` (${err.detail})` : '';
    err.message = clean(`${err.message}${detail}`);
    if (err instanceof EngineError) err.detail = null;
  } catch { /* a frozen error: thrown as it is */ }
  return err;
}
