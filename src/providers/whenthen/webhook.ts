/**
 * WhenThen webhooks (INVENTED in providers.md): POST `{"type":"payment.updated","data":<Payment>}` with
 * `X-WhenThen-Signature: hex(HMAC-SHA256(webhookSecret, rawBody))`. Every part of that scheme is configuration
 * (`webhookSignature`, `webhookEventType`), these being the defaults. The signature is checked over the exact bytes
 * first; only then is the body read, and only to learn which payment it is about.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejected } from '../../server/provider.ts';

export interface SignatureScheme {
  header: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  /** Text before the digest in the header (e.g. `sha256=`); empty for none. */
  prefix: string;
}

const DIGEST_BYTES = { sha256: 32, sha512: 64 } as const;
const MAX_ID_LENGTH = 128;

/** The digest a signature header carries, or undefined when it is not one in the scheme's encoding and length. */
export function decodeSignature(value: string, scheme: SignatureScheme): Buffer | undefined {
  if (!value.startsWith(scheme.prefix)) return undefined;
  const text = value.slice(scheme.prefix.length).trim();
  const well = scheme.encoding === 'hex' ? /^[0-9a-f]+$/i.test(text) : /^[A-Za-z0-9+/]+={0,2}$/.test(text);
  if (!well) return undefined;
  const digest = Buffer.from(text, scheme.encoding);
  return digest.length === DIGEST_BYTES[scheme.algorithm] ? digest : undefined;
}

/** Throws `WebhookRejected` unless the scheme's header carries the HMAC of exactly `body` under `secret`. */
export function checkSignature(headers: Headers, body: Uint8Array, secret: string, scheme: SignatureScheme): void {
  const signature = headers.get(scheme.header)?.trim();
  if (!signature) throw new WebhookRejected(`whenthen: the ${scheme.header} header is missing`);
  const given = decodeSignature(signature, scheme);
  if (!given) throw new WebhookRejected(`whenthen: the signature is not a ${scheme.encoding} HMAC-${scheme.algorithm.toUpperCase()}`);
  const expected = createHmac(scheme.algorithm, secret).update(body).digest();
  // Both are the algorithm's digest length here (checked above), as timingSafeEqual needs.
  if (!timingSafeEqual(given, expected)) throw new WebhookRejected('whenthen: the signature does not match the body');
}

/** What a verified payment event says about its payment; `undefined` for an event about something else. */
export interface WebhookPayment {
  id: string;
  /** Kassa's reference when the payment carries it (`orderId`, or the `kassaReference` metadata Kassa sets). */
  reference: string | undefined;
  /** RFC 3339; with the amount, lets the adapter find the payment's orderId when the body does not carry it. */
  date: string | undefined;
  /** Minor units. */
  amount: number | undefined;
}

/**
 * Reads a verified body. A body Kassa cannot read is refused (a genuine signature over an unreadable body is still
 * doubt); an event of another type is answered `undefined`, to be acknowledged and ignored.
 */
export function parseWebhook(body: Uint8Array, paymentEventType: string): WebhookPayment | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookRejected('whenthen: the webhook body is not JSON');
  }
  if (!isRecord(json) || typeof json.type !== 'string') throw new WebhookRejected('whenthen: the webhook body has no event type');
  if (json.type !== paymentEventType) return undefined;
  const data = json.data;
  if (!isRecord(data) || typeof data.id !== 'string' || !data.id || data.id.length > MAX_ID_LENGTH) {
    throw new WebhookRejected('whenthen: the webhook names no payment');
  }
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const reference = [data.orderId, metadata.kassaReference].find((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH);
  const amount = isRecord(data.amount) ? data.amount.rawAmount : undefined;
  return {
    id: data.id,
    reference,
    date: typeof data.date === 'string' && !Number.isNaN(Date.parse(data.date)) ? data.date : undefined,
    amount: typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 ? amount : undefined,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
