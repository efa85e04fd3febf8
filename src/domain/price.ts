// What a video costs, from its model card's price: the one formula behind plan budgets
// (services/accounts/quota.ts), provider spend caps (services/spend-caps.ts) and the cost recorded
// on a made video (jobs/). Micro-dollars, so sums stay exact integers in the ledgers.
import type { ModelCard } from './model-card.js';

/** A request's dollar cost in micro-dollars (0 for local engines, whose cards have no price). */
export function priceMicros(card: ModelCard, seconds: number): number {
  return Math.round((card.pricePerSecondUsd ?? 0) * seconds * 1e6);
}

/** "$1.23", for messages. */
export const usd = (micros: number) => `$${(micros / 1e6).toFixed(2)}`;
