/**
 * hi.health webhooks: an RSA signature over the exact body in `Hi-Api-Signature`, encoded as `Hi-Api-Signature-Format`
 * says, made with the hash `Hi-Api-Hash-Algorithm` names. hi.health's own Node.js example hands both header values
 * straight to node:crypto ("an asymmetric signature algorithm such as RSA with SHA256"), so every spelling node:crypto
 * reads for an RSA SHA-2 signature is understood here; which of them are accepted is the merchant's configuration. Then
 * the body, read only to learn which payment it is about.
 */
import { verify, type KeyObject } from 'node:crypto';
import { WebhookRejected } from '../../server/provider.ts';
import { paymentAmount } from './amount.ts';
import type { AmountUnit, HashAlgorithm, SignatureFormat } from './config.ts';

export const SIGNATURE_HEADER = 'hi-api-signature';
export const SIGNATURE_FORMAT_HEADER = 'hi-api-signature-format';
export const HASH_ALGORITHM_HEADER = 'hi-api-hash-algorithm';

/** The encodings and hashes a merchant accepts (config `webhookSignatureFormats`, `webhookHashAlgorithms`). */
export interface AcceptedSignatures {
  formats: readonly SignatureFormat[];
  hashAlgorithms: readonly HashAlgorithm[];
}

/** A signature and every (hash, bytes) reading of it the headers allow; one must verify. */
export interface SignatureCandidates {
  readings: Array<{ hashAlgorithm: HashAlgorithm; signature: Buffer }>;
}

/** A 4096-bit RSA signature is 1024 hex characters; anything much longer is not a signature. */
const MAX_SIGNATURE_LENGTH = 2048;

/**
 * `Hi-Api-Signature-Format` → the encoding it names. node:crypto reads `base64` leniently (either alphabet, padding
 * optional), so `base64` and `base64url` both accept both alphabets here too.
 */
export function signatureFormatNamed(value: string): SignatureFormat | undefined {
  const name = value.trim().toLowerCase();
  return name === 'base64' || name === 'base64url' || name === 'hex' ? name : undefined;
}

/**
 * `Hi-Api-Hash-Algorithm` → the SHA-2 hash it names, in any spelling node:crypto or its users write for RSA with it:
 * `SHA256`, `sha-256`, `RSA-SHA256`, `sha256WithRSAEncryption`, `SHA256withRSA` (Java), `RS256` (JOSE). SHA-1, MD5 and
 * anything else are undefined: too weak, or not what hi.health describes.
 */
export function hashAlgorithmNamed(value: string): HashAlgorithm | undefined {
  const name = value.trim().toLowerCase();
  const match = /^(?:rsa[-_]?)?sha[-_]?(256|384|512)(?:with[-_]?rsa(?:encryption)?)?$/.exec(name) ?? /^rs(256|384|512)$/.exec(name);
  return match ? (`SHA${match[1]}` as HashAlgorithm) : undefined;
}

/** The signature's bytes in one encoding, or undefined when the text is not in it. */
export function decodeSignature(text: string, format: SignatureFormat): Buffer | undefined {
  if (format === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, format) : undefined;
}

/**
 * The signature from the headers, or `WebhookRejected`. A declared encoding or hash the merchant does not accept is
 * refused, not tried anyway; a header hi.health left out means every accepted value is tried (each needs a genuine
 * RSA signature all the same). Needs no key, so a webhook without a signature is turned away before any key is fetched.
 */
export function readSignature(headers: Headers, accepted: AcceptedSignatures): SignatureCandidates {
  const text = headers.get(SIGNATURE_HEADER)?.trim();
  if (!text) throw new WebhookRejected('hidirect: the Hi-Api-Signature header is missing');
  if (text.length > MAX_SIGNATURE_LENGTH) throw new WebhookRejected('hidirect: the signature is too long');

  const declaredFormat = headers.get(SIGNATURE_FORMAT_HEADER);
  let formats = accepted.formats;
  if (declaredFormat !== null) {
    const format = signatureFormatNamed(declaredFormat);
    if (!format || !accepted.formats.includes(format)) throw new WebhookRejected('hidirect: unsupported signature format');
    formats = [format];
  }
  const declaredHash = headers.get(HASH_ALGORITHM_HEADER);
  let hashAlgorithms = accepted.hashAlgorithms;
  if (declaredHash !== null) {
    const hashAlgorithm = hashAlgorithmNamed(declaredHash);
    if (!hashAlgorithm || !accepted.hashAlgorithms.includes(hashAlgorithm)) throw new WebhookRejected('hidirect: unsupported hash algorithm');
    hashAlgorithms = [hashAlgorithm];
  }

  const signatures = formats.map((format) => decodeSignature(text, format)).filter((bytes): bytes is Buffer => bytes !== undefined);
  if (signatures.length === 0) throw new WebhookRejected(`hidirect: the signature is not ${formats.join(' or ')}`);
  return { readings: hashAlgorithms.flatMap((hashAlgorithm) => signatures.map((signature) => ({ hashAlgorithm, signature }))) };
}

/** Throws `WebhookRejected` unless one reading is `key`'s RSA signature (PKCS#1 v1.5) of exactly `body`. */
export function checkSignature(body: Uint8Array, candidates: SignatureCandidates, key: KeyObject): void {
  const valid = candidates.readings.some(({ hashAlgorithm, signature }) => {
    try {
      // An asymmetric verification: nothing secret is compared, so there is no timing to leak.
      return verify(hashAlgorithm, body, key, signature);
    } catch {
      // A signature of the wrong size for the key, for instance.
      return false;
    }
  });
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
  const notification = json as Record<string, unknown>;
  const { id, status, merchantReference } = notification;
  if (typeof id !== 'string' || !id || id.length > MAX_ID_LENGTH) throw new WebhookRejected('hidirect: the webhook names no payment');
  if (typeof status !== 'string' || !status) throw new WebhookRejected('hidirect: the webhook carries no status');
  if (merchantReference !== null && merchantReference !== undefined && typeof merchantReference !== 'string') {
    throw new WebhookRejected('hidirect: merchantReference is not a string');
  }
  const amount = paymentAmount(notification, amountUnit);
  if (!amount) throw new WebhookRejected(`hidirect: the webhook carries no amount in ${amountUnit} units with its currency`);
  return { id, status, merchantReference: merchantReference ?? null, amount: amount.minor, currency: amount.currency };
}
