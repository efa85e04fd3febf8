// Kling's API authenticates with a short-lived JWT the client signs itself: HS256 with the secret
// key, claims {iss: access key, exp: now+1800, nbf: now-5} (app.klingai.com/global/dev/document-api,
// apiReference/commonInfo). Signed with node:crypto; a token is reused until 5 minutes before it
// expires, so a burst of calls signs once.
import { createHmac } from 'node:crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signKlingJwt(accessKey: string, secretKey: string, nowSeconds: number, ttlSeconds = 1800): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iss: accessKey, exp: nowSeconds + ttlSeconds, nbf: nowSeconds - 5 }));
  const signature = createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export class KlingToken {
  private token: string | null = null;
  private expiresAt = 0;

  constructor(private readonly accessKey: string, private readonly secretKey: string, private readonly now: () => number = Date.now) {}

  get(): string {
    const nowS = Math.floor(this.now() / 1000);
    if (!this.token || nowS > this.expiresAt - 300) {
      this.token = signKlingJwt(this.accessKey, this.secretKey, nowS);
      this.expiresAt = nowS + 1800;
    }
    return this.token;
  }
}
