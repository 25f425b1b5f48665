/**
 * hi.health webhooks: an RSA-SHA256 signature (PKCS#1 v1.5, base64) over the exact body in `Hi-Api-Signature`,
 * with `Hi-Api-Signature-Format` and `Hi-Api-Hash-Algorithm` naming the encoding and hash. Then the body, read only
 * to learn which payment it is about.
 */
import { verify, type KeyObject } from 'node:crypto';
import { toMinor } from '../../core/money.ts';
import { WebhookRejected } from '../../server/provider.ts';
import type { AmountUnit } from './config.ts';

export const SIGNATURE_HEADER = 'hi-api-signature';
export const SIGNATURE_FORMAT_HEADER = 'hi-api-signature-format';
export const HASH_ALGORITHM_HEADER = 'hi-api-hash-algorithm';

/** INVENTED values (the docs say "RSA with SHA256", "encoded for http transport"); the only ones verified here. */
const SIGNATURE_FORMATS = new Set(['base64']);
const HASH_ALGORITHMS = new Set(['sha256', 'sha-256']);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A 4096-bit RSA signature is 684 base64 characters; anything much longer is not a signature. */
const MAX_SIGNATURE_LENGTH = 2048;

/**
 * The signature from the headers, or `WebhookRejected`. The declared format and hash are only checked against the one
 * scheme verified here: a webhook claiming another scheme is refused, not trusted. Needs no key, so a webhook without
 * a signature is turned away before any key is fetched.
 */
export function readSignature(headers: Headers): Buffer {
  const signature = headers.get(SIGNATURE_HEADER)?.trim();
  if (!signature) throw new WebhookRejected('hidirect: the Hi-Api-Signature header is missing');
  const format = headers.get(SIGNATURE_FORMAT_HEADER)?.trim().toLowerCase();
  if (format !== undefined && !SIGNATURE_FORMATS.has(format)) throw new WebhookRejected('hidirect: unsupported signature format');
  const algorithm = headers.get(HASH_ALGORITHM_HEADER)?.trim().toLowerCase();
  if (algorithm !== undefined && !HASH_ALGORITHMS.has(algorithm)) throw new WebhookRejected('hidirect: unsupported hash algorithm');
  if (signature.length > MAX_SIGNATURE_LENGTH || !BASE64.test(signature)) throw new WebhookRejected('hidirect: the signature is not base64');
  return Buffer.from(signature, 'base64');
}

/** Throws `WebhookRejected` unless `signature` is `key`'s RSA-SHA256 signature of exactly `body`. */
export function checkSignature(body: Uint8Array, signature: Buffer, key: KeyObject): void {
  let valid = false;
  try {
    // An asymmetric verification: nothing secret is compared, so there is no timing to leak.
    valid = verify('sha256', body, key, signature);
  } catch {
    // A signature of the wrong size for the key, for instance.
  }
  if (!valid) throw new WebhookRejected('hidirect: the signature does not match the body');
}

export interface HidirectNotification {
  id: string;
  status: string;
  merchantReference: string | null;
  /** Minor units. */
  amount: number;
  currency: string;
}

const MAX_ID_LENGTH = 128;

/**
 * Reads a signed body `{amount, currency, createdAt, id, merchantReference, prescriptionRequired, status,
 * updatedAt}`. Anything else is refused: a genuine signature over a body Kassa cannot read is still doubt.
 */
export function parseNotification(body: Uint8Array, amountUnit: AmountUnit): HidirectNotification {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookRejected('hidirect: the webhook body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WebhookRejected('hidirect: the webhook body is not an object');
  const { id, status, merchantReference, amount, currency } = json as Record<string, unknown>;
  if (typeof id !== 'string' || !id || id.length > MAX_ID_LENGTH) throw new WebhookRejected('hidirect: the webhook names no payment');
  if (typeof status !== 'string' || !status) throw new WebhookRejected('hidirect: the webhook carries no status');
  if (merchantReference !== null && merchantReference !== undefined && typeof merchantReference !== 'string') {
    throw new WebhookRejected('hidirect: merchantReference is not a string');
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) throw new WebhookRejected('hidirect: the webhook carries no currency');
  const minor = amountToMinor(amount, amountUnit, currency.toUpperCase());
  if (minor === undefined) throw new WebhookRejected(`hidirect: the webhook amount is not in ${amountUnit} units`);
  return { id, status, merchantReference: merchantReference ?? null, amount: minor, currency: currency.toUpperCase() };
}

/** A JSON number in the given unit → minor units; undefined when it cannot be one (a fraction of a cent, a string). */
export function amountToMinor(value: unknown, unit: AmountUnit, currency: string): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (unit === 'minor') return Number.isSafeInteger(value) ? value : undefined;
  return toMinor(String(value), currency);
}
