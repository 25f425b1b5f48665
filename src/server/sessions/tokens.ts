/**
 * The short-lived token the browser carries, signed with the merchant's secret (HS256, jose): a session token binds
 * an order to the amount and currency `resolveOrder` answered. Nothing in it is secret; it only cannot be altered or
 * reused elsewhere. (A payment's status is read by its reference alone, and a read cannot make provider work beyond
 * the payment's read interval, so there is no payment token to check.)
 */
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'kassa';

export interface SessionClaims {
  order: string;
  amount: number;
  currency: string;
  /** Random per session: scopes idempotency keys and derived payment references. */
  session: string;
}

export class TokenInvalid extends Error {}

export class Tokens {
  /** Imported once: importing the raw secret for every token cost more than signing it. */
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    private readonly sessionTtlSeconds: number,
  ) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async signSession(claims: SessionClaims): Promise<{ token: string; expiresAt: Date }> {
    return this.sign('session', { ord: claims.order, amt: claims.amount, cur: claims.currency, sid: claims.session }, this.sessionTtlSeconds);
  }

  async verifySession(token: string): Promise<SessionClaims> {
    const p = await this.verify(token, 'session');
    return { order: str(p.ord), amount: int(p.amt), currency: str(p.cur), session: str(p.sid) };
  }

  /** Whether `token` is a shopper's session token this endpoint issued (valid or lately expired): never a merchant's credential. */
  async isShopperToken(token: string): Promise<boolean> {
    try {
      await jwtVerify(token, await this.key, { issuer: ISSUER, algorithms: ['HS256'], clockTolerance: 86_400 });
      return true;
    } catch {
      return false;
    }
  }

  private async sign(type: string, claims: Record<string, unknown>, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims, typ: type })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(await this.key);
    return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  private async verify(token: string, type: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (payload.typ !== type) throw new TokenInvalid(`not a ${type} token`);
      return payload;
    } catch (error) {
      if (error instanceof TokenInvalid) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenInvalid('the token has expired');
      throw new TokenInvalid('the token is not valid');
    }
  }
}

function str(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new TokenInvalid('the token is not valid');
  return value;
}

function int(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TokenInvalid('the token is not valid');
  return value;
}
