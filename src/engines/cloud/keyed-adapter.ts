// What most cloud adapters share: one API key (sent as a bearer token unless the provider wants
// another header), the key listed as a secret to redact, a catalogue of models (fixed, or replaced
// by an adapter that discovers it), and the usual reading of error answers.
import type { CatalogueEntry } from './catalogue.js';
import type { ProviderAnswer, ProviderFault } from './http-client.js';
import { classifyStatus } from './wire.js';

export abstract class KeyedAdapter<M> {
  constructor(protected readonly apiKey: string, protected entries: CatalogueEntry<M>[]) {}

  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  secrets(): string[] {
    return [this.apiKey];
  }

  catalogue(): CatalogueEntry<M>[] {
    return this.entries;
  }

  classify(a: ProviderAnswer): ProviderFault | null {
    return classifyStatus(a);
  }
}
