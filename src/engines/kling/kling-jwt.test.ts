import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KlingToken, signKlingJwt } from './kling-jwt.js';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('Kling JWT', () => {
  it('is HS256 over header.payload with the secret key, claims iss/exp/nbf', () => {
    const token = signKlingJwt('AK123', 'SK456', 1_800_000_000);
    const [h, p, sig] = token.split('.');
    expect(decode(h!)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(p!)).toEqual({ iss: 'AK123', exp: 1_800_001_800, nbf: 1_799_999_995 });
    expect(sig).toBe(createHmac('sha256', 'SK456').update(`${h}.${p}`).digest('base64url'));
    expect(sig).not.toBe(createHmac('sha256', 'other').update(`${h}.${p}`).digest('base64url'));
    expect(token).not.toContain('SK456');
  });

  it('reuses a token until five minutes before it expires, then signs a new one', () => {
    let now = 1_800_000_000_000;
    const t = new KlingToken('AK', 'SK', () => now);
    const first = t.get();
    now += 1000 * 60 * 20;
    expect(t.get()).toBe(first);
    now += 1000 * 60 * 6; // 26 min: inside the last 5 minutes
    const second = t.get();
    expect(second).not.toBe(first);
    expect(decode(second.split('.')[1]!).exp).toBe(Math.floor(now / 1000) + 1800);
  });
});
