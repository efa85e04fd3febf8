// Every secret this server's configuration holds, for the one redactor (domain/redaction.ts) that
// keeps them out of stored errors, logs and answers: provider keys (Kling's access and secret key
// included), and the credentials inside configured URLs (database, Redis, cloud API bases, ComfyUI
// servers). Session and API-key secrets are per user and random: the server never holds them in
// the clear, so they are not here.
import type { Config } from './config.js';

/**
 * The password of a URL (decoded and as written) and any token-like query value. Not the user name:
 * it is no secret and often an ordinary word ("melies") that would be blanked everywhere.
 */
function urlSecrets(raw: string | null | undefined): string[] {
  if (!raw) return [];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (url.password) {
    out.push(url.password);
    try { out.push(decodeURIComponent(url.password)); } catch { /* as written only */ }
  }
  for (const [name, value] of url.searchParams) {
    if (/key|token|secret|password|pass|auth|sig/i.test(name)) out.push(value);
  }
  return out;
}

export function serverSecrets(config: Config): string[] {
  const cloud = config.cloud as unknown as Record<string, { baseUrl?: string } | undefined>;
  const urls = [
    config.databaseUrl, config.redisUrl,
    ...Object.values(cloud).map((p) => (p && typeof p === 'object' ? p.baseUrl : undefined)),
    ...config.comfyui.servers.map((s) => s.url),
  ];
  const s3 = config.s3.secretAccessKey ? [config.s3.secretAccessKey] : [];
  return [...new Set([...Object.values(config.providerKeys), ...s3, ...urls.flatMap(urlSecrets), ...urlSecrets(config.s3.endpoint)])];
}
