/**
 * Every value the hi.health HiDirect simulator depends on, in one place. Values marked INVENTED are not in
 * hi.health's public documentation (seed 002 and docs.pay.hi.health); a merchant holding the real documentation can
 * correct them here without touching the simulator's logic.
 */

export const PROVIDER = 'hidirect';
/** The simulator's routes live under this prefix; the real base URL is `<HIDIRECT_BASE_URL>` (handed out per merchant). */
export const PREFIX = '/hidirect';

/** The sandbox's API key, sent as `x-api-key`. */
export const SANDBOX_API_KEY = 'sandbox-hidirect-key';
export const API_KEY_HEADER = 'x-api-key';

/** Every status a payment can have. AUTHORISED comes with cardCaptureMode MANUAL (seed: capture / cancel). */
export const STATUSES = ['INITIAL', 'CLAIMED', 'PENDING', 'AUTHORISED', 'SETTLED', 'DENIED', 'CANCELLED'] as const;
export type HidirectStatus = (typeof STATUSES)[number];
/**
 * INVENTED: the seed lists no status for a cancelled payment, though its callback description mentions "payment
 * cancelled" and `POST /payments/{id}/cancel` exists. CANCELLED is the plainest name for it.
 */
export const CANCELLED_STATUS: HidirectStatus = 'CANCELLED';
/** Statuses after which nothing more happens to a payment. */
export const FINAL_STATUSES: readonly HidirectStatus[] = ['SETTLED', 'DENIED', CANCELLED_STATUS];

export const CAPTURE_MODES = ['AUTO', 'MANUAL'] as const;
export type CaptureMode = (typeof CAPTURE_MODES)[number];
export const DEFAULT_CAPTURE_MODE: CaptureMode = 'AUTO';

/**
 * Where a confirmed payment lands. INVENTED: with AUTO capture the card is charged at once, so the payment goes
 * CLAIMED → SETTLED with no PENDING step (PENDING is reachable with the control API's status drill).
 */
export const PAID_STATUS: Record<CaptureMode, HidirectStatus> = { AUTO: 'SETTLED', MANUAL: 'AUTHORISED' };

/** hi.health's own docs disagree on units: the REST examples use major units, the webhook sample minor units. */
export type AmountUnit = 'major' | 'minor';
export const REST_AMOUNT_UNIT: AmountUnit = 'major';
export const WEBHOOK_AMOUNT_UNIT: AmountUnit = 'minor';
/** The token's payload in the seed's example carries minor units (`"amount":2001` for 20.01). */
export const TOKEN_AMOUNT_UNIT: AmountUnit = 'minor';

/** "We support only "EUR" or "eur" at the moment." */
export const SUPPORTED_CURRENCIES = ['EUR'] as const;
/** INVENTED: the docs give no upper bound for `amount.total`; this one keeps the sandbox honest about having one. */
export const MAX_TOTAL_MINOR = 1_000_000;
/** "Maximum 40 characters." */
export const MAX_MERCHANT_REFERENCE_LENGTH = 40;

/**
 * "If Payments are not captured within a span of 7 days, they are automatically cancelled." Counted from the moment
 * the payment became AUTHORISED; at 7 days exactly it is cancelled.
 */
export const AUTHORISATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The checkout token lives 2 hours: `exp - iat` in the seed's example token is 7 200 000 (milliseconds). */
export const TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
export const TOKEN_ISSUER = 'https://hi.health';
/** The seed's example token is signed with ES512; the sandbox signs with its own P-521 key. */
export const TOKEN_ALGORITHM = 'ES512';

/** Document upload: "There is a payload limit of 10 MB." INVENTED: read as 10 MiB. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_CONTENT_TYPE = 'application/pdf';
/** Every PDF starts with this header (`%PDF-1.7`, `%PDF-2.0`). */
export const PDF_MAGIC = '%PDF-';
export const DOCUMENT_TYPES = ['OTHER', 'INVOICE', 'PRESCRIPTION', 'CERTIFICATE', 'TEST_RESULT'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const DEFAULT_DOCUMENT_TYPE: DocumentType = 'OTHER';
/** What the seed's own upload example posts to (`/payments/<id>/invoice`); treated as an INVOICE upload. */
export const LEGACY_INVOICE_DOCUMENT_TYPE: DocumentType = 'INVOICE';

/** Webhook headers (names from docs.pay.hi.health/integration/webhooks). */
export const SIGNATURE_HEADER = 'Hi-Api-Signature';
export const SIGNATURE_FORMAT_HEADER = 'Hi-Api-Signature-Format';
export const HASH_ALGORITHM_HEADER = 'Hi-Api-Hash-Algorithm';
/**
 * The docs name the encoding in `Hi-Api-Signature-Format` and the hash in `Hi-Api-Hash-Algorithm`, and their Node.js
 * example hands both values straight to node:crypto ("an asymmetric signature algorithm such as RSA with SHA256").
 * INVENTED: which values hi.health really sends; the sandbox sends `base64` / `SHA256` unless a drill
 * (`POST /_sandbox/hidirect/settings`) picks another pair, so adapters can prove they follow the headers.
 */
export const SIGNATURE_FORMATS = ['base64', 'base64url', 'hex'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];
export const HASH_ALGORITHMS = ['SHA256', 'SHA384', 'SHA512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
export const SIGNATURE_FORMAT: SignatureFormat = 'base64';
export const HASH_ALGORITHM: HashAlgorithm = 'SHA256';
export const WEBHOOK_KEY_BITS = 2048;

/**
 * INVENTED: the shape of hi.health's error replies is undocumented. An `x-api-key` API answers a missing or wrong key
 * the way AWS API Gateway does (403 `{"message":"Forbidden"}`); every other error uses the same `{message}` body,
 * with `errors` listing each invalid field for a 400.
 */
export const AUTH_FAILURE = { status: 403, message: 'Forbidden' } as const;
export const MESSAGES = {
  invalidBody: 'Invalid request body',
  notFound: 'Payment not found',
  notPdf: 'The document is not a PDF',
  emptyDocument: 'The document is empty',
  tooLarge: `The document exceeds ${MAX_DOCUMENT_BYTES} bytes`,
  wrongContentType: `Content-Type must be ${DOCUMENT_CONTENT_TYPE}`,
} as const;

/** INVENTED: the merchant name the hosted checkout shows (the real one shows the merchant's registered name). */
export { MERCHANT_NAME as SANDBOX_MERCHANT_NAME } from '../core/merchant.ts';
