/**
 * The short-lived tokens the browser carries, signed with the merchant's secret (HS256, jose). A session token binds
 * an order to the amount and currency `resolveOrder` answered; a payment token adds the provider, the provider's
 * payment id and Kassa's reference. Nothing in them is secret; they only cannot be altered or reused elsewhere.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { ProviderName } from '../core/model.ts';

const ISSUER = 'kassa';

export interface SessionClaims {
  order: string;
  amount: number;
  currency: string;
  /** Random per session: scopes idempotency keys and derived payment references. */
  session: string;
}

export interface PaymentClaims extends SessionClaims {
  provider: ProviderName;
  providerPaymentId: string;
  reference: string;
}

export class TokenInvalid extends Error {}

export class Tokens {
  /** Imported once: importing the raw secret for every token cost more than signing it. */
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    private readonly sessionTtlSeconds: number,
    private readonly paymentTtlSeconds: number,
  ) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async signSession(claims: SessionClaims): Promise<{ token: string; expiresAt: Date }> {
    return this.sign('session', { ord: claims.order, amt: claims.amount, cur: claims.currency, sid: claims.session }, this.sessionTtlSeconds);
  }

  async signPayment(claims: PaymentClaims): Promise<{ token: string; expiresAt: Date }> {
    return this.sign(
      'payment',
      { ord: claims.order, amt: claims.amount, cur: claims.currency, sid: claims.session, prv: claims.provider, pid: claims.providerPaymentId, ref: claims.reference },
      this.paymentTtlSeconds,
    );
  }

  async verifySession(token: string): Promise<SessionClaims> {
    const p = await this.verify(token, 'session');
    return { order: str(p.ord), amount: int(p.amt), currency: str(p.cur), session: str(p.sid) };
  }

  async verifyPayment(token: string): Promise<PaymentClaims> {
    const p = await this.verify(token, 'payment');
    return {
      order: str(p.ord),
      amount: int(p.amt),
      currency: str(p.cur),
      session: str(p.sid),
      provider: str(p.prv) as ProviderName,
      providerPaymentId: str(p.pid),
      reference: str(p.ref),
    };
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
