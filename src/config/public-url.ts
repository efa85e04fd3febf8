// The address to put in links the server or the CLI hands to people (invite links, the setup
// link): MELIES_PUBLIC_URL when set, else what the configuration says the server listens on.
import type { Config } from './config.js';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\])$/;

export interface LinkBase {
  /** No trailing slash; null when it cannot be known (port 0 picks a port at start). */
  url: string | null;
  /** True when the link only works on this machine (loopback or wildcard address, port 0): only MELIES_PUBLIC_URL can say what others open. */
  guessed: boolean;
}

export function linkBase(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): LinkBase {
  if (config.publicUrl) return { url: config.publicUrl.replace(/\/+$/, ''), guessed: false };
  if (config.port === 0) return { url: null, guessed: true };
  const host = WILDCARD.has(config.host) ? '127.0.0.1' : config.host;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { url: `http://${bracketed}:${config.port}`, guessed: WILDCARD.has(config.host) || LOOPBACK.test(config.host) };
}
