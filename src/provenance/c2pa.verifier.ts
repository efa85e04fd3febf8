// The Verifier: reads a file with the C2PA library's own reader (WasmReader, never our writer's
// code) against this instance's trust anchors, and turns its validation codes into one clear reason.
// Any ffmpeg rewrite (a trim, a re-encode, even a plain remux) drops the manifest box, so "no
// manifest" is what a trimmed or re-encoded copy looks like; a byte changed in place breaks the
// BMFF hash the manifest signed.
import { C2paError, runC2pa } from './c2pa-runner.js';
import { c2paContext } from './c2pa.signer.js';
import type { SigningIdentity } from './instance-keys.js';
import { GENERATION_LABEL } from './manifest.js';
import type { Lineage, ManifestReport, Training, Verifier } from './provenance.js';

interface Assertion { label: string; data: Record<string, any> }
interface Ingredient { title?: string; relationship?: string; active_manifest?: string }
interface Manifest { assertions?: Assertion[]; ingredients?: Ingredient[]; signature_info?: { common_name?: string; issuer?: string; time?: string } }
interface Store {
  active_manifest?: string;
  manifests?: Record<string, Manifest>;
  validation_state?: string;
  validation_results?: { activeManifest?: { failure?: { code: string; explanation?: string }[] } };
}

export const NO_MANIFEST_REASON = 'no C2PA manifest: stripped or re-encoded, or not made by Méliès';
export const ALTERED_REASON = "altered after signing: the video's bytes no longer match the hash its manifest signed";

const empty = (state: ManifestReport['state'], reason: string, altered = false): ManifestReport => ({
  state, reason, altered, signer: null, engine: null, model: null, videoId: null, author: null, createdAt: null,
  digitalSourceType: null, training: null, ingredients: [],
});

const generationOf = (m: Manifest | undefined) => m?.assertions?.find((a) => a.label === GENERATION_LABEL)?.data ?? null;

function authorOf(g: Record<string, any> | null): ManifestReport['author'] {
  const a = g?.author;
  return a && typeof a === 'object' ? { handle: a.handle ?? null, display_name: a.display_name ?? null } : null;
}

/**
 * The remix parents of a manifest. A re-signed video's previous signature (a `parentOf` ingredient
 * for the same video) is followed through, not listed: it is the same video, not its lineage.
 */
function lineage(store: Store, m: Manifest | undefined, videoId: string | null, depth = 0): Lineage[] {
  if (!m || depth > 8) return [];
  return (m.ingredients ?? []).flatMap((ing) => {
    const im = ing.active_manifest ? store.manifests?.[ing.active_manifest] : undefined;
    const g = generationOf(im);
    if (ing.relationship === 'parentOf' && g?.video_id && g.video_id === videoId) return lineage(store, im, videoId, depth + 1);
    return [{ title: ing.title ?? 'untitled', videoId: typeof g?.video_id === 'string' ? g.video_id : null, author: authorOf(g) }];
  });
}

/**
 * The creation action: in the active manifest, or, for a re-signed video (a new licence or author
 * name), in the signature it re-signed (its `parentOf` ingredient), which still says how it was made.
 */
function createdAction(store: Store, m: Manifest | undefined, depth = 0): Record<string, any> | undefined {
  if (!m || depth > 8) return undefined;
  const here = m.assertions?.find((a) => a.label.startsWith('c2pa.actions'))?.data?.actions?.find((x: any) => x.action === 'c2pa.created');
  if (here) return here;
  const parent = (m.ingredients ?? []).find((i) => i.relationship === 'parentOf' && i.active_manifest);
  return parent ? createdAction(store, store.manifests?.[parent.active_manifest!], depth + 1) : undefined;
}

export function reportFromStore(store: Store): ManifestReport {
  const active = store.active_manifest ? store.manifests?.[store.active_manifest] : undefined;
  if (!active) return empty('no_manifest', NO_MANIFEST_REASON);
  const g = generationOf(active);
  const created = createdAction(store, active);
  const signer = active.signature_info?.common_name ?? active.signature_info?.issuer ?? null;
  const failures = store.validation_results?.activeManifest?.failure ?? [];
  const codes = failures.map((f) => f.code);
  const altered = codes.some((c) => c.startsWith('assertion.bmffHash') || c.startsWith('assertion.dataHash'));
  const state = store.validation_state === 'Trusted' ? 'trusted' : store.validation_state === 'Valid' ? 'valid' : 'invalid';
  const reason = state === 'trusted'
    ? `signed by ${signer ?? 'an unnamed signer'}, a signer this instance trusts, and unchanged since it was signed`
    : state === 'valid'
      ? `intact and correctly signed, but by ${signer ?? 'an unnamed signer'}, whom this instance does not trust`
      : altered ? ALTERED_REASON : `the C2PA manifest does not validate (${codes.join(', ') || 'unknown failure'})`;
  const createdAt = typeof g?.created_at === 'string' ? Date.parse(g.created_at) : NaN;
  return {
    state, reason, altered, signer,
    engine: typeof g?.engine === 'string' ? g.engine : null,
    model: typeof g?.model === 'string' ? g.model : null,
    videoId: typeof g?.video_id === 'string' ? g.video_id : null,
    author: authorOf(g),
    createdAt: Number.isFinite(createdAt) ? createdAt : null,
    digitalSourceType: typeof created?.digitalSourceType === 'string' ? created.digitalSourceType : null,
    training: g?.training === 'allowed' || g?.training === 'not-allowed' ? g.training as Training : null,
    ingredients: lineage(store, active, typeof g?.video_id === 'string' ? g.video_id : null),
  };
}

export class C2paVerifier implements Verifier {
  private readonly context: string;

  constructor(identity: Pick<SigningIdentity, 'trustAnchorsPem'>) {
    this.context = c2paContext(identity);
  }

  async verify(path: string): Promise<ManifestReport> {
    try {
      const { store } = await runC2pa({ op: 'read', path, context: this.context });
      return reportFromStore(store as Store);
    } catch (err) {
      if (!(err instanceof C2paError)) throw err;
      const msg = err.message;
      if (/JumbfNotFound|UnsupportedType|no manifest/i.test(msg)) return empty('no_manifest', NO_MANIFEST_REASON);
      // The reader also throws (instead of reporting) for some broken manifests; its message carries the codes.
      if (/bmffHash\.mismatch|hash mismatch/i.test(msg)) return empty('invalid', ALTERED_REASON, true);
      if (/signingCredential\.(invalid|untrusted)|certificate/i.test(msg)) return empty('invalid', 'the signing certificate is not acceptable to C2PA validators');
      return empty('invalid', `the file could not be read as a signed MP4 (${msg.slice(0, 200)})`);
    }
  }
}
