// What most cloud adapters share: one API key (sent as a bearer token unless the provider wants
// another header), the key listed as a secret to redact, and a fixed catalogue of models.
import type { CatalogueEntry } from './catalogue.js';

export abstract class KeyedAdapter<M> {
  constructor(protected readonly apiKey: string, private readonly entries: CatalogueEntry<M>[]) {}

  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  secrets(): string[] {
    return [this.apiKey];
  }

  catalogue(): CatalogueEntry<M>[] {
    return this.entries;
  }
}
