/**
 * Kronor webhooks: POST `{"events":[{"event","id","triggeredAt","additionalData":{…}}]}` with
 * `X-HMAC-SHA256-Signature` = hex HMAC-SHA256 of the raw body, keyed with the `hmacSecret` setWebhookUrl answered
 * (as a UTF-8 string). The signature is checked over the exact bytes first; only then is the body read, and only to
 * learn which payment it is about. INVENTED (providers.md): `paymentStatusChanged` with additionalData
 * `{paymentId: <waitToken>, status, reference, paymentMethod, amount}`; `captureStateUpdate` names no reference.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejected, type WebhookResult } from '../../server/provider.ts';

/** providers.md; configurable as `webhookSignatureHeader`. */
export const SIGNATURE_HEADER = 'X-HMAC-SHA256-Signature';
/** ASSUMED (the INVENTED payload of providers.md); configurable as `webhookReferenceField`. */
export const REFERENCE_FIELD = 'reference';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
/** Kronor's merchantReference is at most 64 characters. */
const MAX_REFERENCE_LENGTH = 64;

/** Throws `WebhookRejected` unless the header is the hex HMAC-SHA256 of exactly `body` under `secret`. */
export function checkSignature(headers: Headers, body: Uint8Array, secret: string, header = SIGNATURE_HEADER): void {
  const signature = headers.get(header)?.trim();
  if (!signature) throw new WebhookRejected(`kronor: the ${header} header is missing`);
  if (!HEX_SHA256.test(signature)) throw new WebhookRejected('kronor: the signature is not a hex HMAC-SHA256');
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
  // Both are 32 bytes (checked above), as timingSafeEqual needs.
  if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) throw new WebhookRejected('kronor: the signature does not match the body');
}

/**
 * Reads a verified body: the merchant reference of the first event that names one. A body Kassa cannot read is
 * refused (a genuine signature over an unreadable body is still doubt); events about no payment answer `{}`, to be
 * acknowledged and ignored.
 */
export function parseWebhook(body: Uint8Array, referenceField = REFERENCE_FIELD): WebhookResult {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookRejected('kronor: the webhook body is not JSON');
  }
  const events = isRecord(json) ? json.events : undefined;
  if (!Array.isArray(events) || events.length === 0) throw new WebhookRejected('kronor: the webhook body has no events');
  for (const event of events) {
    if (!isRecord(event) || typeof event.event !== 'string') throw new WebhookRejected('kronor: a webhook event has no name');
    const data = isRecord(event.additionalData) ? event.additionalData : {};
    const reference = Object.hasOwn(data, referenceField) ? data[referenceField] : undefined;
    if (typeof reference === 'string' && reference.length > 0 && reference.length <= MAX_REFERENCE_LENGTH) {
      // Kassa's payment id at Kronor is the merchantReference (see server.ts).
      return { reference, providerPaymentId: reference };
    }
  }
  return {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
