/**
 * Who is calling: the merchant (fixed sandbox token) or a payment session (a JWT the sandbox minted in
 * newPaymentSession, expiring at the session's expiresAt). Refusals use Hasura's codes and wording.
 */
import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import {
  AUTH_MESSAGES,
  ERROR_CODES,
  HASURA_CLAIMS,
  MERCHANT_ID,
  MERCHANT_TOKENS,
  SESSION_ROLE,
  type MerchantRole,
  SESSION_TOKEN_ISSUER,
} from './config.ts';
import { hasuraError, type HasuraError } from './errors.ts';

/** The merchant with its token's role, or a payment session. */
export type Caller = { role: 'merchant'; access: MerchantRole } | { role: 'session'; sessionId: string };
export type AuthResult = { ok: true; caller: Caller } | { ok: false; error: HasuraError };

const SESSION_ID_CLAIM = 'x-hasura-payment-session-id';

/** Signs and checks session tokens; a new key on every reset, so tokens from before a reset are refused. */
export class SessionTokens {
  private key = randomBytes(32);

  rotate(): void {
    this.key = randomBytes(32);
  }

  mint(sessionId: string, expiresAtMs: number): Promise<string> {
    return new SignJWT({
      [HASURA_CLAIMS]: {
        'x-hasura-allowed-roles': [SESSION_ROLE],
        'x-hasura-default-role': SESSION_ROLE,
        'x-hasura-merchant-id': MERCHANT_ID,
        [SESSION_ID_CLAIM]: sessionId,
      },
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(SESSION_TOKEN_ISSUER)
      .setSubject(sessionId)
      .setIssuedAt()
      // Rounded up so the JWT never dies before the session; the session's own expiresAt is checked as well.
      .setExpirationTime(Math.ceil(expiresAtMs / 1000))
      .sign(this.key);
  }

  /** The session id inside a valid token, or Hasura's refusal message. */
  async verify(token: string): Promise<{ ok: true; sessionId: string } | { ok: false; message: string }> {
    const parts = token.split('.').length;
    if (parts !== 3) return { ok: false, message: AUTH_MESSAGES.compactDecode(parts) };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: SESSION_TOKEN_ISSUER, algorithms: ['HS256'] });
      const claims = payload[HASURA_CLAIMS] as Record<string, unknown> | undefined;
      const sessionId = claims?.[SESSION_ID_CLAIM];
      if (typeof sessionId !== 'string') return { ok: false, message: AUTH_MESSAGES.badClaims };
      return { ok: true, sessionId };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, message: AUTH_MESSAGES.expired };
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, message: AUTH_MESSAGES.badSignature };
      return { ok: false, message: AUTH_MESSAGES.badClaims };
    }
  }
}

/** Reads `Authorization: Bearer …` the way Hasura does in JWT mode. */
export async function authenticate(
  authorization: string | undefined,
  tokens: SessionTokens,
  sessionExpiresAt: (sessionId: string) => number | undefined,
  now = Date.now(),
): Promise<AuthResult> {
  if (!authorization?.trim()) return refuse(AUTH_MESSAGES.missing, ERROR_CODES.accessDenied);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return refuse(AUTH_MESSAGES.malformed, ERROR_CODES.invalidHeaders);
  const token = match[1]!;
  const access = Object.hasOwn(MERCHANT_TOKENS, token) ? MERCHANT_TOKENS[token] : undefined;
  if (access) return { ok: true, caller: { role: 'merchant', access } };
  const verified = await tokens.verify(token);
  if (!verified.ok) return refuse(verified.message, ERROR_CODES.invalidJwt);
  const expiresAt = sessionExpiresAt(verified.sessionId);
  if (expiresAt === undefined) return refuse(AUTH_MESSAGES.badClaims, ERROR_CODES.invalidJwt);
  if (expiresAt <= now) return refuse(AUTH_MESSAGES.expired, ERROR_CODES.invalidJwt);
  return { ok: true, caller: { role: 'session', sessionId: verified.sessionId } };
}

function refuse(message: string, code: string): AuthResult {
  return { ok: false, error: hasuraError(message, code) };
}

