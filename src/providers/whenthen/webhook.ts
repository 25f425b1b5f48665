/**
 * WhenThen webhooks (INVENTED in providers.md): POST `{"type":"payment.updated","data":<Payment>}` with
 * `X-WhenThen-Signature: hex(HMAC-SHA256(webhookSecret, rawBody))`. The signature is checked over the exact bytes
 * first; only then is the body read, and only to learn which payment it is about.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejected } from '../../server/provider.ts';

export const SIGNATURE_HEADER = 'x-whenthen-signature';
export const PAYMENT_UPDATED = 'payment.updated';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const MAX_ID_LENGTH = 128;

/** Throws `WebhookRejected` unless the header is the hex HMAC-SHA256 of exactly `body` under `secret`. */
export function checkSignature(headers: Headers, body: Uint8Array, secret: string): void {
  const signature = headers.get(SIGNATURE_HEADER)?.trim();
  if (!signature) throw new WebhookRejected('whenthen: the X-WhenThen-Signature header is missing');
  if (!HEX_SHA256.test(signature)) throw new WebhookRejected('whenthen: the signature is not a hex HMAC-SHA256');
  const expected = createHmac('sha256', secret).update(body).digest();
  // Both are 32 bytes here (checked above), as timingSafeEqual needs.
  if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) throw new WebhookRejected('whenthen: the signature does not match the body');
}

/** What a verified `payment.updated` says about its payment; `undefined` for an event about something else. */
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
export function parseWebhook(body: Uint8Array): WebhookPayment | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookRejected('whenthen: the webhook body is not JSON');
  }
  if (!isRecord(json) || typeof json.type !== 'string') throw new WebhookRejected('whenthen: the webhook body has no event type');
  if (json.type !== PAYMENT_UPDATED) return undefined;
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
