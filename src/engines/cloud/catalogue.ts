// Model cards for cloud adapters, built from each adapter's catalogue: the provider's facts
// (durations, sizes and how they map to the provider's own parameters) plus a price that says where
// it came from and when it was checked. The operator can override any price in config.
import type { ModelCard } from '../../domain/model-card.js';

export interface PriceInfo {
  usdPerSecond: number;
  /** Where the number came from: the provider's price page, or a secondary source we name. */
  source: string;
  checkedAt: string;
}

export interface CatalogueEntry<P = unknown> {
  card: Omit<ModelCard, 'kind' | 'available' | 'pricePerSecondUsd' | 'negativePrompt'> & { negativePrompt?: boolean };
  price: PriceInfo;
  /** The provider's own name for the model and per-size parameters, for the adapter's use. */
  provider: P;
  /** False while the provider cannot offer it (e.g. an upstream that did not answer); default true. */
  available?: boolean;
}

export interface PriceOverrides {
  [modelId: string]: { usdPerSecond: number; checkedAt?: string };
}

/** The published card: kind cloud, the (possibly overridden) price, and the price's provenance in the text. */
export function publishCard(entry: CatalogueEntry, overrides: PriceOverrides): { card: ModelCard; price: PriceInfo } {
  const o = overrides[entry.card.id];
  const price: PriceInfo = o
    ? { usdPerSecond: o.usdPerSecond, source: 'set by this server\'s operator', checkedAt: o.checkedAt ?? entry.price.checkedAt }
    : entry.price;
  const card: ModelCard = {
    negativePrompt: false,
    ...entry.card,
    kind: 'cloud',
    available: entry.available ?? true,
    pricePerSecondUsd: price.usdPerSecond,
    description: `${entry.card.description} Price used for quotas and caps: $${price.usdPerSecond.toFixed(3)} per second (${price.source}, checked ${price.checkedAt}).`,
  };
  return { card, price };
}

/** "1280x720" → the size's aspect ratio reduced, e.g. "16:9". */
export function aspectOf(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(width, height);
  return `${width / g}:${height / g}`;
}
