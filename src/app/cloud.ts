// Composition of the cloud engines: an adapter is offered when its provider key is configured (and
// not switched off in config). Each becomes a CloudEngine with its settings resolved from config,
// the SSRF-guarded downloader, and — once the database is open — the spend ledger for its status.
// Also how many extra queue workers they need (cloud jobs mostly wait on a provider).
import type { Config } from '../config/config.js';
import type { CloudProviderSettings } from '../config/cloud.config.js';
import type { CloudAdapter } from '../engines/cloud/cloud-adapter.js';
import { CloudEngine, type CloudEngineDeps, type CloudEngineSettings } from '../engines/cloud/cloud-engine.js';
import { FalAdapter } from '../engines/fal/fal.adapter.js';
import { KlingAdapter } from '../engines/kling/kling.adapter.js';
import { LumaAdapter } from '../engines/luma/luma.adapter.js';
import { MinimaxAdapter } from '../engines/minimax/minimax.adapter.js';
import { OpenAiAdapter, OPENAI_BASE_URL } from '../engines/openai/openai.adapter.js';
import { ReplicateAdapter } from '../engines/replicate/replicate.adapter.js';
import { RunwayAdapter } from '../engines/runway/runway.adapter.js';
import { VeoAdapter } from '../engines/veo/veo.adapter.js';
import type { MediaBinaries } from '../media/binaries.js';
import { safeDownload } from '../net/safe-download.js';
import type { EngineLog } from './comfyui.js';
import type { Coordination } from '../coordination/coordination.js';

export interface CloudWiring {
  media: MediaBinaries;
  log?: EngineLog;
  /** Model ids of the other engines, so an upstream's clashing ids get an `openai/` prefix. */
  reservedIds: () => ReadonlySet<string>;
  /** Late-bound: the spend ledger exists only once the database is open. */
  spentTodayMicros?: (engine: string) => Promise<number>;
  fetch?: typeof fetch;
  /** Breakers, provider slots and retired models: memory when absent (one process), Redis to share them. */
  coordination?: Coordination;
}

function settingsFor(config: Config, p: CloudProviderSettings, adapter: CloudAdapter): CloudEngineSettings {
  const c = config.cloud;
  return {
    baseUrl: p.baseUrl,
    // An explicit interval wins; by default never faster than 5 s or than the provider asks.
    pollIntervalMs: p.pollIntervalMs ?? c.pollIntervalMs ?? Math.max(5000, adapter.minPollMs ?? 0),
    concurrency: p.concurrency,
    dailyCapUsd: p.dailyCapUsd,
    prices: p.prices,
    breaker: { ...c.breaker, ...p.breaker },
    retry: c.retry,
    requestTimeoutMs: c.requestTimeoutMs,
    createTimeoutMs: c.createTimeoutMs,
    downloadTimeoutMs: c.downloadTimeoutMs,
    maxDownloadBytes: c.maxDownloadBytes,
  };
}

export function cloudEngines(config: Config, w: CloudWiring): CloudEngine[] {
  const keys = config.providerKeys;
  const c = config.cloud;
  const adapters: Array<[CloudProviderSettings, CloudAdapter]> = [];
  if (keys.openai && c.openai.enabled) {
    adapters.push([c.openai, new OpenAiAdapter({
      apiKey: keys.openai, baseUrl: c.openai.baseUrl ?? OPENAI_BASE_URL, modelPrefix: c.openai.modelPrefix, refreshMs: c.openai.refreshMs,
      reservedIds: w.reservedIds, log: w.log,
    })]);
  }
  if (keys.veo && c.veo.enabled) adapters.push([c.veo, new VeoAdapter(keys.veo)]);
  if (keys.runway && c.runway.enabled) adapters.push([c.runway, new RunwayAdapter(keys.runway)]);
  if (keys.luma && c.luma.enabled) adapters.push([c.luma, new LumaAdapter(keys.luma)]);
  if (keys.kling_access && keys.kling_secret && c.kling.enabled) adapters.push([c.kling, new KlingAdapter(keys.kling_access, keys.kling_secret)]);
  if (keys.minimax && c.minimax.enabled) adapters.push([c.minimax, new MinimaxAdapter(keys.minimax)]);
  if (keys.replicate && c.replicate.enabled) adapters.push([c.replicate, new ReplicateAdapter(keys.replicate)]);
  if (keys.fal && c.fal.enabled) adapters.push([c.fal, new FalAdapter(keys.fal)]);

  const deps: CloudEngineDeps = {
    fetch: w.fetch,
    coordination: w.coordination,
    media: w.media,
    log: w.log,
    download: (url, file, o) => safeDownload(url, file, { ...o, allowPrivateNetworks: config.fetch.allowPrivateNetworks }),
    spentTodayMicros: (engine) => w.spentTodayMicros?.(engine) ?? Promise.resolve(0),
  };
  return adapters.map(([p, a]) => new CloudEngine(a, settingsFor(config, p, a), deps));
}

/** Queue workers the cloud engines need on top of `jobs.concurrency`: one per provider job in flight. */
export function cloudWorkerSlots(engines: readonly CloudEngine[]): number {
  return engines.reduce((n, e) => n + e.settings.concurrency, 0);
}

/** Daily caps in micro-dollars by engine id, for the spend ledger. */
export function dailyCapMicros(config: Config, engine: string): number | null {
  const p = (config.cloud as unknown as Record<string, CloudProviderSettings | undefined>)[engine];
  return p?.dailyCapUsd == null ? null : Math.round(p.dailyCapUsd * 1e6);
}
