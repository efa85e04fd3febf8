// The operator's optional moderation endpoint (MELIES_MODERATION_HOOK_URL): asked about every
// publication with its prompt, title and thumbnail. It answers {"decision": "allow" | "review" |
// "reject", "reason"?}. When it cannot answer in time, the operator's setting decides: fail open
// (the publish policy alone decides) or fail closed (held for a moderator, with that reason).
import type { Video } from '../../domain/video.js';
import type { BlobStore } from '../../storage/blob-store.js';

export interface HookVerdict { decision: 'allow' | 'review' | 'reject'; reason: string | null }

export interface ModerationHook {
  check(input: { video: Video; title: string; description: string }): Promise<HookVerdict | null>;
}

export interface HookOptions {
  url: string;
  timeoutMs: number;
  failure: 'open' | 'closed';
  storage: BlobStore;
  /** The server's guarded fetch for operator-configured URLs. */
  fetch?: typeof fetch;
  log?: (msg: string, extra: Record<string, unknown>) => void;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p);
  return Buffer.concat(parts);
}

export function httpModerationHook(opts: HookOptions): ModerationHook {
  const doFetch = opts.fetch ?? fetch;
  const failed = (why: string): HookVerdict | null => {
    opts.log?.('the moderation hook did not answer', { url: opts.url, why });
    return opts.failure === 'open' ? null : { decision: 'review', reason: 'The automatic moderation check could not be reached; a moderator will look at it.' };
  };
  return {
    async check({ video, title, description }) {
      let thumbnail: string | null = null;
      if (video.output?.thumbnailKey) {
        thumbnail = await opts.storage.get(video.output.thumbnailKey).then((s) => readAll(s as AsyncIterable<Buffer>)).then((b) => b.toString('base64'), () => null);
      }
      const body = JSON.stringify({ video_id: video.id, prompt: video.prompt, title, description, model: video.model, thumbnail: thumbnail && { content_type: 'image/webp', base64: thumbnail } });
      let res: Response;
      try {
        res = await doFetch(opts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
      } catch (err) {
        return failed(String((err as Error).message ?? err));
      }
      if (!res.ok) return failed(`HTTP ${res.status}`);
      const answer = await res.json().catch(() => null) as { decision?: unknown; reason?: unknown } | null;
      const decision = answer?.decision;
      if (decision !== 'allow' && decision !== 'review' && decision !== 'reject') return failed('answer without a decision of allow, review or reject');
      const reason = typeof answer?.reason === 'string' ? answer.reason.slice(0, 500) : null;
      return { decision, reason: reason ?? (decision === 'reject' ? 'Refused by the automatic moderation check.' : decision === 'review' ? 'Held for a moderator by the automatic check.' : null) };
    },
  };
}
