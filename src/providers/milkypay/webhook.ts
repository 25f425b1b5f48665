/**
 * MilkyPay callbacks: a POST of the invoice's JSON:API object, signed in `X-Signature` with
 * `base64(sha1(secret + rawBody + secret))` (the binary digest), the secret being the account's live or test key.
 *
 * The signature is checked over the exact bytes received, with a timing-safe compare, before the body is read at
 * all; any doubt rejects the callback. The body then only says which invoice it is about: the endpoint re-reads it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookRejected, type WebhookRequest, type WebhookResult } from '../../server/provider.ts';

const SHA1_BYTES = 20;
/** Exactly the base64 of a 20-byte digest. */
const SIGNATURE = /^[A-Za-z0-9+/]{27}=$/;
const INVOICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_REFERENCE = 255;

export function callbackSignature(secret: string, body: Uint8Array): Buffer {
  const key = Buffer.from(secret, 'utf8');
  return createHash('sha1').update(key).update(body).update(key).digest();
}

/** Throws `WebhookRejected` unless `X-Signature` is MilkyPay's signature of these exact bytes. */
export function checkSignature(request: WebhookRequest, secret: string): void {
  const header = request.headers.get('x-signature')?.trim() ?? '';
  if (!SIGNATURE.test(header)) throw new WebhookRejected('milkypay: the callback has no valid X-Signature header');
  const given = Buffer.from(header, 'base64');
  const expected = callbackSignature(secret, request.body);
  if (given.length !== SHA1_BYTES || !timingSafeEqual(given, expected)) throw new WebhookRejected('milkypay: the callback signature does not match');
}

/** Which invoice a verified callback is about: its id and the merchant reference (Kassa's payment reference). */
export function callbackSubject(body: Uint8Array): WebhookResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookRejected('milkypay: the callback body is not JSON');
  }
  const data = (parsed as { data?: { type?: unknown; id?: unknown; attributes?: { reference_id?: unknown } } } | null)?.data;
  if (!data || data.type !== 'payment-invoices' || typeof data.id !== 'string' || !INVOICE_ID.test(data.id)) {
    throw new WebhookRejected('milkypay: the callback is not about a payment invoice');
  }
  const reference = data.attributes?.reference_id;
  return {
    providerPaymentId: data.id,
    ...(typeof reference === 'string' && reference && reference.length <= MAX_REFERENCE ? { reference } : {}),
  };
}
