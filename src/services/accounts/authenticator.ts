// How a request's credentials become a Principal. Two implementations, picked once in app/:
// local mode (one implicit user with every scope; credentials are ignored, since the openai SDK
// always sends some key) and multi-user mode (API keys and session cookies, checked every time).
import { LOCAL_USER_ID, SCOPES, type Principal } from '../../domain/account.js';
import type { AuthService } from './auth.service.js';
import type { FailureThrottle } from './failure-throttle.js';

export interface Credentials {
  bearer?: string;
  sessionToken?: string;
  /** The caller's address: unknown keys are throttled per address. */
  address?: string | null;
}

export type Authentication = { principal: Principal } | { failure: 'none' | 'invalid_key' };

export interface Authenticator {
  readonly mode: 'local' | 'multi';
  authenticate(creds: Credentials): Promise<Authentication>;
}

export const LOCAL_PRINCIPAL: Principal = Object.freeze({ userId: LOCAL_USER_ID, role: 'admin', scopes: SCOPES, plan: null, via: 'local' });

export class LocalAuthenticator implements Authenticator {
  readonly mode = 'local' as const;
  async authenticate(): Promise<Authentication> {
    return { principal: LOCAL_PRINCIPAL };
  }
}

export class AccountAuthenticator implements Authenticator {
  readonly mode = 'multi' as const;
  constructor(private readonly auth: AuthService, private readonly throttle: FailureThrottle) {}

  async authenticate(creds: Credentials): Promise<Authentication> {
    // A Bearer key wins and cookies are ignored: API clients are never subject to a browser session.
    if (creds.bearer !== undefined) {
      // A valid key always works: keys are 256 random bits, so no one guesses one, and throttling
      // the address would lock out everyone behind the same NAT when one script keeps a revoked
      // key. Unknown keys past the address's limit get a 429 instead of a 401: scanners slow down.
      const principal = await this.auth.authenticateKey(creds.bearer);
      if (principal) return { principal };
      // Checked and counted in one step, so parallel bad keys (on any server) cannot all slip past.
      await this.throttle.begin({ address: creds.address }, 'unknown or revoked API keys from this address');
      return { failure: 'invalid_key' };
    }
    if (creds.sessionToken) {
      const principal = await this.auth.authenticateSession(creds.sessionToken);
      if (principal) return { principal };
    }
    return { failure: 'none' };
  }
}
