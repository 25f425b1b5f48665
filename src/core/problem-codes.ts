/**
 * The codes of every failure the endpoint can answer, and how to read one from a problem `type`
 * (`urn:kassa:problem:<code>`). Kept apart from the statuses and titles (problems.ts, server only) because the
 * browser needs only the codes: each element shows its own localized message per code.
 */
export const PROBLEM_CODES = [
  'invalid-body',
  'unsupported-media-type',
  'body-too-large',
  'idempotency-key-required',
  'idempotency-conflict',
  'invalid-token',
  'token-mismatch',
  'origin-not-allowed',
  'order-not-found',
  'order-refused',
  'order-already-paid',
  'unknown-method',
  'invalid-fields',
  'payment-not-found',
  'not-found',
  'method-not-allowed',
  'unknown-provider',
  'webhook-invalid',
  'rate-limited',
  'provider-refused',
  'provider-unavailable',
  'method-unavailable',
  'unsafe-redirect',
  'internal',
  'bad-request',
  'request-timeout',
  'headers-too-large',
  'expectation-failed',
  'too-many-streams',
  'server-busy',
  'body-already-parsed',
  'client-address-unknown',
  'operation-not-supported',
  'operation-not-allowed',
  'forbidden',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

const PREFIX = 'urn:kassa:problem:';
const KNOWN: ReadonlySet<string> = new Set(PROBLEM_CODES);

export function problemType(code: ProblemCode): string {
  return `${PREFIX}${code}`;
}

/** The code of a problem `type`, or undefined for a type Kassa does not know (shown as a generic error). */
export function problemCode(type: unknown): ProblemCode | undefined {
  if (typeof type !== 'string' || !type.startsWith(PREFIX)) return undefined;
  const code = type.slice(PREFIX.length);
  return KNOWN.has(code) ? (code as ProblemCode) : undefined;
}
