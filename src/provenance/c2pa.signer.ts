// The Signer over @contentauth/c2pa-wasm (see docs/notes/c2pa-library.md for why this library).
import type { SigningIdentity } from './instance-keys.js';
import { createdManifest, parentIngredient, previousIngredient, resignManifest, uploadIngredient } from './manifest.js';
import type { GenerationFacts, Signer } from './provenance.js';
import { runC2pa } from './c2pa-runner.js';

/** c2pa-rs settings: our trust anchors, so ingredients (a remix's parent) validate against them. */
export function c2paContext(identity: Pick<SigningIdentity, 'trustAnchorsPem'>): string {
  return JSON.stringify({ trust: { trust_anchors: identity.trustAnchorsPem }, verify: { verify_trust: true } });
}

export class C2paSigner implements Signer {
  private readonly context: string;

  constructor(private readonly identity: SigningIdentity) {
    this.context = c2paContext(identity);
  }

  async signCreated(facts: GenerationFacts, source: string, output: string): Promise<void> {
    const parentFile = facts.parent?.file;
    await runC2pa({
      op: 'sign', manifest: createdManifest(facts), source, output, context: this.context,
      ingredients: [
        ...(parentFile ? [{ json: parentIngredient(facts), path: parentFile }] : []),
        ...(facts.sourceUpload?.file ? [{ json: uploadIngredient(facts), path: facts.sourceUpload.file }] : []),
      ],
      keyPem: this.identity.keyPem, chainDer: this.identity.chainDer,
    });
  }

  async resign(facts: GenerationFacts, source: string, output: string): Promise<void> {
    await runC2pa({
      op: 'sign', manifest: resignManifest(facts), source, output, context: this.context,
      ingredients: [{ json: previousIngredient(facts), path: source }],
      keyPem: this.identity.keyPem, chainDer: this.identity.chainDer,
    });
  }
}
