/**
 * Every Kronor constant the simulator uses, in one place. Values Kronor documents are marked with their source;
 * everything marked INVENTED is the plainest guess where the documentation is silent — change it here when the real
 * behaviour is known.
 */
import type { Outcome } from '../core/outcomes.ts';

export const PROVIDER = 'kronor';
export const GRAPHQL_PATH = '/kronor/v1/graphql';

// ---- auth ------------------------------------------------------------------------------------------------------

/** The sandbox's merchant token (the real one is a JWT issued in Kronor's portal), role `merchant-backend`. */
export const MERCHANT_TOKEN = 'sandbox-kronor-merchant-token';
/** Hasura roles: the seed names `payment-gateway` for session tokens; `merchant-backend` for server tokens. */
export const SESSION_ROLE = 'payment-gateway';
export const MERCHANT_ROLE = 'merchant-backend';

/**
 * The roles a merchant's API token can have. Seed ("Getting More Payment Request Details"): the
 * `transaction…Details` fields "are not available to the payment-gateway role. Please use merchant-backend or
 * merchant-read-only". INVENTED: what else each role lacks — `payment-gateway` sees everything but those details,
 * `merchant-read-only` has no mutations.
 */
export const MERCHANT_ROLES = ['merchant-backend', 'payment-gateway', 'merchant-read-only'] as const;
export type MerchantRole = (typeof MERCHANT_ROLES)[number];
/** Sandbox merchant tokens with a restricted role, to rehearse a merchant who configured the wrong token. */
export const PAYMENT_GATEWAY_TOKEN = 'sandbox-kronor-payment-gateway-token';
export const READ_ONLY_TOKEN = 'sandbox-kronor-read-only-token';
export const MERCHANT_TOKENS: Readonly<Record<string, MerchantRole>> = {
  [MERCHANT_TOKEN]: 'merchant-backend',
  [PAYMENT_GATEWAY_TOKEN]: 'payment-gateway',
  [READ_ONLY_TOKEN]: 'merchant-read-only',
};
/** Seed: the payment details the `payment-gateway` role may not read, on PaymentRequest and Payment. */
export const DETAILS_FIELD = /^transaction\w+Details$/;
export const DETAILS_TYPES = ['PaymentRequest', 'Payment'] as const;
/** INVENTED: the issuer and claims of the sandbox's session JWTs (Hasura's claims namespace). */
export const SESSION_TOKEN_ISSUER = 'kronor-sandbox';
export const HASURA_CLAIMS = 'https://hasura.io/jwt/claims';
/** INVENTED: the sandbox merchant's id and name, shown on hosted pages and in JWT claims. */
export const MERCHANT_ID = '1';
export { MERCHANT_NAME } from '../core/merchant.ts';

/** Hasura's own error codes (the `extensions.code` of every error). */
export const ERROR_CODES = {
  validation: 'validation-failed',
  accessDenied: 'access-denied',
  invalidJwt: 'invalid-jwt',
  invalidHeaders: 'invalid-headers',
  parseFailed: 'parse-failed',
  invalidJson: 'invalid-json',
  unexpected: 'unexpected',
  /** INVENTED: Kronor's actions refuse a request the current state does not allow (cancel a paid payment …) with this. */
  badRequest: 'bad-request',
} as const;

/** Hasura's wording for the auth refusals. */
export const AUTH_MESSAGES = {
  missing: "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
  malformed: 'Malformed Authorization header',
  expired: 'Could not verify JWT: JWTExpired',
  badSignature: 'Could not verify JWT: JWSError JWSInvalidSignature',
  badClaims: 'Could not verify JWT: JWTClaimsSetDecodeError',
  compactDecode: (parts: number) =>
    `Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${parts})`,
} as const;

/** INVENTED: Hasura closes a `graphql-transport-ws` socket whose connection_init fails with 4400 and the reason. */
export const WS_AUTH_FAILURE_CLOSE_CODE = 4400;

// ---- sessions --------------------------------------------------------------------------------------------------

/** INVENTED: the currency a session gets when `currency` is left out ("the merchant's default currency"). */
export const MERCHANT_DEFAULT_CURRENCY = 'SEK';
/** Documented: a session is usable for at most 24 hours. */
export const MAX_SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** INVENTED: slack for the merchant's clock when checking expiresAt against the 24 h maximum. */
export const EXPIRES_AT_TOLERANCE_MS = 60 * 1000;
/** INVENTED: the amount range (minor units) a session accepts; the schema's Int caps it anyway. */
export const SESSION_AMOUNT_LIMITS = { min: 1, max: 100_000_000 } as const;

/** Documented maximum lengths (schema descriptions). */
export const MAX_LENGTHS = {
  idempotencyKey: 64,
  merchantReference: 64,
  merchantReference2: 1000,
  message: 50,
  swishFlow: 64,
  webhookUrl: 1000,
} as const;
/** Documented: idempotency keys allow alphanumerics and `- _ . , [ ] +`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9\-_.,[\]+]+$/;
/** Documented: messages allow alphanumerics, Swedish characters and `: ; . , ? ! ( ) ” "` and space. */
export const MESSAGE_PATTERN = /^[A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]*$/;

// ---- payment methods -------------------------------------------------------------------------------------------

export const PAYMENT_METHODS = ['SWISH', 'CREDIT_CARD', 'MOBILEPAY', 'VIPPS', 'P24', 'PAYPAL', 'BANK_TRANSFER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Which currencies each method takes. Documented: Swish SEK, MobilePay DKK, Vipps NOK, P24 PLN.
 * INVENTED: the card, PayPal and bank-transfer lists (Kronor documents no list). A session currency no method
 * takes (ISK, RON here) is refused by newPaymentSession, as the schema describes.
 */
export const METHOD_CURRENCIES: Record<PaymentMethod, readonly string[]> = {
  SWISH: ['SEK'],
  MOBILEPAY: ['DKK'],
  VIPPS: ['NOK'],
  P24: ['PLN'],
  CREDIT_CARD: ['SEK', 'DKK', 'NOK', 'EUR', 'PLN', 'GBP', 'USD'],
  PAYPAL: ['SEK', 'DKK', 'NOK', 'EUR', 'PLN', 'GBP', 'USD', 'CHF', 'CZK', 'HUF'],
  BANK_TRANSFER: ['SEK', 'EUR'],
};

/** INVENTED: per-method amount limits in minor units (the real ones depend on the merchant's contracts). */
export const METHOD_AMOUNT_LIMITS: Record<PaymentMethod, { min: number; max: number }> = {
  SWISH: { min: 100, max: 15_000_000 },
  CREDIT_CARD: { min: 100, max: 50_000_000 },
  MOBILEPAY: { min: 100, max: 10_000_000 },
  VIPPS: { min: 100, max: 10_000_000 },
  P24: { min: 100, max: 5_000_000 },
  PAYPAL: { min: 100, max: 50_000_000 },
  BANK_TRANSFER: { min: 100, max: 100_000_000 },
};

/** Documented: P24 needs country PL. */
export const P24_COUNTRY = 'PL';
/** Documented: Swish flows. */
export const SWISH_FLOWS = ['mcom', 'ecom'] as const;
/** Documented (schema): bank transfer flows. */
export const BANK_TRANSFER_FLOWS = ['mcom', 'ecom'] as const;
/** Documented (schema): an execution date is after today and at most 90 days ahead. */
export const MAX_EXECUTION_DATE_DAYS = 90;
/** A Swedish mobile number as Swish takes it: 46 7x xxx xx xx (also written +46…, 07…). */
export const SWISH_NUMBER_PATTERN = /^(?:\+?46|0)(7\d{8})$/;

/** The session page's `paymentMethod` query values (Kronor's payment gateway URL) → the method. */
export const GATEWAY_METHODS: Record<string, PaymentMethod> = {
  swish: 'SWISH',
  creditCard: 'CREDIT_CARD',
  mobilePay: 'MOBILEPAY',
  vipps: 'VIPPS',
  p24: 'P24',
  payPal: 'PAYPAL',
  bankTransfer: 'BANK_TRANSFER',
};

/** INVENTED: the sandbox page path of each method's per-payment page (the URLs in transaction…Details). */
export const METHOD_PAGE_SEGMENTS: Record<PaymentMethod, string> = {
  SWISH: 'swish/phone',
  CREDIT_CARD: 'card',
  MOBILEPAY: 'mobilepay',
  VIPPS: 'vipps',
  P24: 'p24',
  PAYPAL: 'paypal',
  BANK_TRANSFER: 'bank-transfer',
};

export const METHOD_NAMES: Record<PaymentMethod, string> = {
  SWISH: 'Swish',
  CREDIT_CARD: 'Card',
  MOBILEPAY: 'MobilePay',
  VIPPS: 'Vipps',
  P24: 'Przelewy24',
  PAYPAL: 'PayPal',
  BANK_TRANSFER: 'Bank transfer',
};

/** INVENTED: the country a payment method status reports when the session named none (by currency). */
export const CURRENCY_COUNTRIES: Record<string, string> = { SEK: 'SE', DKK: 'DK', NOK: 'NO', PLN: 'PL', EUR: 'FI' };
export const FALLBACK_COUNTRY = 'SE';

/** INVENTED: the card a paid sandbox card payment reports to the merchant. */
export const SANDBOX_CARD = { number: '411111******1111', type: 'VISA' } as const;

/** INVENTED: the bank a sandbox bank transfer goes through. */
export const SANDBOX_BANK = { aspspId: 1, name: 'Sandbox Bank' } as const;

// ---- statuses and outcomes -------------------------------------------------------------------------------------

/** PaymentStatusEnum values both schemas share (the merchant schema has two more the session cannot see). */
export const PAYMENT_STATUSES = [
  'PRE_FLIGHT_CHECK',
  'INITIALIZING',
  'WAITING_FOR_PAYMENT',
  'WAITING_FOR_PROMOTION',
  'FLOW_COMPLETED',
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURE_DECLINED',
  'PAID',
  'RELEASED',
  'ERROR',
  'DECLINED',
  'CANCELLED',
  'CANCELLING',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment request the shopper can still act on. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['PRE_FLIGHT_CHECK', 'INITIALIZING', 'WAITING_FOR_PAYMENT', 'WAITING_FOR_PROMOTION'];
/** Statuses that mean money was (or will be) taken: such a request gets a resultingPaymentId and a Payment. */
export const SUCCESS_STATUSES: readonly PaymentStatus[] = ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PAID', 'RELEASED', 'CAPTURE_DECLINED'];

/** INVENTED: how long a new payment request stays INITIALIZING before it is WAITING_FOR_PAYMENT. */
export const INITIALIZING_MS = 30;

/** Final status per hosted-page outcome. `pay` is PAID, or AUTHORIZED for a card under manual capture. */
export const OUTCOME_STATUSES: Record<Exclude<Outcome, 'pay'>, PaymentStatus> = {
  decline: 'DECLINED',
  cancel: 'CANCELLED',
  fail: 'ERROR',
  /** INVENTED: a payment request that times out ends in ERROR (Swish reports its timeout as an error, TM01). */
  expire: 'ERROR',
};

/** Swish's own error codes, shown in transactionSwishDetails for each failing outcome (mapping INVENTED). */
export const SWISH_ERRORS: Record<Exclude<Outcome, 'pay'>, { code: string; message: string }> = {
  decline: { code: 'RF07', message: 'Transaction declined' },
  cancel: { code: 'BANKIDCL', message: 'Payer cancelled BankID signing' },
  fail: { code: 'DS24', message: 'Swish timed out waiting for an answer from the banks after payment was started' },
  expire: { code: 'TM01', message: 'Swish timed out before the payment was started' },
};

/** INVENTED: whether card payments stop at AUTHORIZED (manual capture) — a merchant setting at Kronor. */
export type CardCaptureMode = 'automatic' | 'manual';
export const DEFAULT_CARD_CAPTURE_MODE: CardCaptureMode = 'automatic';

/** INVENTED: the query parameter a bank transfer's requestRedirectState comes back in on the returnUrl. */
export const BANK_TRANSFER_STATE_PARAM = 'state';

/** INVENTED: the first Payment id (bigint) the sandbox hands out; capture/refund/release ids count on from here. */
export const FIRST_NUMERIC_ID = 100_001;

// ---- webhooks --------------------------------------------------------------------------------------------------

/** Documented header; the value is the hex HMAC-SHA256 of the raw body keyed with the setting's hmacSecret. */
export const SIGNATURE_HEADER = 'X-HMAC-SHA256-Signature';
/** INVENTED event for payment status changes; `captureStateUpdate` is the one event Kronor evidences. */
export const STATUS_EVENT = 'paymentStatusChanged';
export const CAPTURE_EVENT = 'captureStateUpdate';
export const WEBHOOK_EVENTS = [STATUS_EVENT, CAPTURE_EVENT] as const;
/** INVENTED: bytes of randomness in an hmacSecret (sent as hex). */
export const HMAC_SECRET_BYTES = 32;
