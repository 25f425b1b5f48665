/**
 * Every failure the endpoint can answer, each with a stable `type` (an RFC 9457 problem type URI), its HTTP status
 * and an English title — for the endpoint; the browser reads only the codes (problem-codes.ts) and shows a localized
 * message per code, never the raw detail.
 */
import { problemCode, problemType, type ProblemCode } from './problem-codes.ts';

export const PROBLEMS = {
  'invalid-body': { status: 400, title: 'The request body is not valid' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'idempotency-key-required': { status: 400, title: 'An Idempotency-Key header is required' },
  'idempotency-conflict': { status: 409, title: 'This Idempotency-Key was used with another request' },
  'invalid-token': { status: 401, title: 'The token is missing, altered or expired' },
  'token-mismatch': { status: 403, title: 'The token does not belong to this order or payment' },
  'origin-not-allowed': { status: 403, title: 'This origin may not call the endpoint' },
  'order-not-found': { status: 404, title: 'The order does not exist' },
  'order-refused': { status: 422, title: 'The order cannot be paid' },
  'order-already-paid': { status: 409, title: 'The order already has a successful payment' },
  'unknown-method': { status: 422, title: 'The payment method is not available for this order' },
  'invalid-fields': { status: 422, title: 'A payment field is missing or not valid' },
  'payment-not-found': { status: 404, title: 'The payment does not exist' },
  'not-found': { status: 404, title: 'There is nothing at this address' },
  'method-not-allowed': { status: 405, title: 'This HTTP method is not allowed here' },
  'unknown-provider': { status: 404, title: 'The provider is not enabled' },
  'webhook-invalid': { status: 401, title: 'The webhook signature is not valid' },
  'rate-limited': { status: 429, title: 'Too many requests; try again shortly' },
  'provider-refused': { status: 422, title: 'The payment provider refused the payment' },
  'provider-unavailable': { status: 503, title: 'The payment provider is not reachable right now' },
  'method-unavailable': { status: 503, title: 'No payment provider can take this payment method right now' },
  'unsafe-redirect': { status: 502, title: 'The payment provider answered with an address Kassa does not trust' },
  internal: { status: 500, title: 'Something went wrong in the endpoint' },
  'bad-request': { status: 400, title: 'The request is not valid HTTP Kassa can answer' },
  'request-timeout': { status: 408, title: 'The request took too long to arrive' },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  'expectation-failed': { status: 417, title: 'The endpoint does not meet this Expect header' },
  'too-many-streams': { status: 429, title: 'Too many open status streams from this client' },
  'server-busy': { status: 503, title: 'The endpoint is at its limit of open status streams; try again shortly' },
  'body-already-parsed': { status: 500, title: 'A body parser read the request before Kassa: mount Kassa before it' },
  'client-address-unknown': { status: 500, title: "The endpoint does not know the client's address: pass clientAddress" },
  'operation-not-supported': { status: 422, title: 'The payment provider does not support this operation' },
  'operation-not-allowed': { status: 409, title: "The payment's state or what is left of it does not allow this operation" },
  forbidden: { status: 403, title: "Only the merchant's server may do this" },
} as const satisfies Record<ProblemCode, { status: number; title: string }>;

export { problemCode, problemType, type ProblemCode };
