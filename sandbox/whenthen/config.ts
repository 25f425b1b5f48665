/**
 * Every WhenThen default in one place. Values marked INVENTED are not in WhenThen's public documentation (seed 003,
 * providers.md, the real schema); they are the plainest behaviour the sandbox could pick, kept here so a merchant
 * with WhenThen's real numbers can change them without touching the simulator's code.
 */
import type { Outcome } from '../core/outcomes.ts';

export const PROVIDER = 'whenthen' as const;

/** The private (server) key the sandbox accepts: `Authorization: Bearer sandbox-whenthen-key`. */
export const PRIVATE_KEY = 'sandbox-whenthen-key';

/** INVENTED: how long a client token from generateClientToken lives; `ttl` answers it in seconds. */
export const CLIENT_TOKEN_TTL_SECONDS = 15 * 60;

/** INVENTED: the operations a browser may call with a client token; everything else needs the private key. */
export const CLIENT_TOKEN_OPERATIONS: ReadonlySet<string> = new Set(['tokenisePaymentMethod', 'authorizePayment']);

/**
 * Error codes in `errors[].extensions.code`. `requires3DSecure` is documented (providers.md); the APM one is INVENTED
 * in providers.md; the rest are INVENTED in the same `error.<operation>.<reason>` spelling. Bad card and amount input
 * uses the decline names WhenThen itself lists in the seed (INVALID_AMOUNT, UNSUPPORTED_CURRENCY, …).
 */
export const ERROR_CODES = {
  requires3DSecure: 'error.authorize.requires3DSecure',
  requiresApmAuthorization: 'error.authorize.requiresApmAuthorization',
  unauthenticated: 'error.auth.unauthenticated',
  forbidden: 'error.auth.forbidden',
  paymentNotFound: 'error.payment.notFound',
  invalidStatus: 'error.payment.invalidStatus',
  unsupportedPaymentMethod: 'error.authorize.unsupportedPaymentMethod',
  missingPaymentMethod: 'error.authorize.missingPaymentMethod',
  unknownPaymentMethodToken: 'error.authorize.unknownPaymentMethodToken',
  missingApmRedirectUrl: 'error.authorize.missingApmRedirectUrl',
  clientTokenMismatch: 'error.authorize.clientTokenMismatch',
  invalidUrl: 'error.request.invalidUrl',
  invalidTimeZone: 'error.request.invalidTimeZone',
  invalidPagination: 'error.listPayments.invalidPagination',
  idempotencyKeyReused: 'error.idempotency.keyReused',
  invalidAmount: 'INVALID_AMOUNT',
  unsupportedCurrency: 'UNSUPPORTED_CURRENCY',
  incorrectNumber: 'INCORRECT_NUMBER',
  invalidDate: 'INVALID_DATE',
  expiredCard: 'EXPIRED_CARD',
  invalidCvc: 'INVALID_CVC',
} as const;

/** INVENTED: the smallest and largest amount in minor units (the largest fits `Amount.rawAmount: Int!`). */
export const AMOUNT_MIN_MINOR = 1;
export const AMOUNT_MAX_MINOR = 99_999_999;

/** INVENTED: the currencies the sandbox's gateway connection accepts (ISO 4217, upper case only). */
export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set([
  'EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'PLN', 'CHF', 'CZK', 'AUD', 'CAD', 'JPY',
]);

/** `paymentMethod.type` values the seed names ("e.g. CARD, APPLE_PAY, GOOGLE_PAY, PAYPAL, KLARNA"). */
export const CARD = 'CARD';
export const WALLET_TYPES: ReadonlySet<string> = new Set(['APPLE_PAY', 'GOOGLE_PAY']);
/** INVENTED (providers.md): PayPal and Klarna go through an APM page, like 3-D Secure goes through a challenge. */
export const APM_TYPES: ReadonlySet<string> = new Set(['PAYPAL', 'KLARNA']);
/** How the APM page names each method to the shopper. */
export const APM_LABELS: Record<string, string> = { PAYPAL: 'PayPal', KLARNA: 'Klarna' };

/**
 * Capture. The seed: a flow payment "will be captured immediately, and return a status of SUCCEEDED", unless the flow
 * has a delayed-capture automation; a headless payment returns AUTHORISED and waits for capturePayment. So a payment
 * stays AUTHORISED when `headlessMode: true` or its flowId is one of these INVENTED delayed-capture flows.
 */
export const MANUAL_CAPTURE_FLOW_IDS: ReadonlySet<string> = new Set(['sandbox-flow-manual-capture']);

/**
 * The seed: "Uncaptured Payments will be cancelled after approximately seven days. This can different per PSP." The
 * sandbox cancels an AUTHORISED payment seven days after it was authorised.
 */
export const AUTHORISATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const LAPSED_REASON = 'The authorisation lapsed: it was not captured within 7 days';

export type CardBehaviour = 'succeed' | 'three-d-secure' | 'decline';

export interface TestCard {
  number: string;
  behaviour: CardBehaviour;
  label: string;
}

/**
 * INVENTED test cards (the numbers are the usual gateway test numbers, so they pass a Luhn check). Any other
 * Luhn-valid number behaves like DEFAULT_CARD_BEHAVIOUR.
 */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', behaviour: 'succeed', label: 'Visa, succeeds without 3-D Secure' },
  { number: '5555555555554444', behaviour: 'succeed', label: 'Mastercard, succeeds without 3-D Secure' },
  { number: '4000000000003220', behaviour: 'three-d-secure', label: 'Visa, needs 3-D Secure' },
  { number: '4000000000000002', behaviour: 'decline', label: 'Visa, declined (GENERAL_DECLINE)' },
];
export const DEFAULT_CARD_BEHAVIOUR: CardBehaviour = 'succeed';
/** What the hosted checkout's card form is prefilled with; the expiry is this many years ahead of today. */
export const PREFILLED_CARD = { number: '4242 4242 4242 4242', cvc: '123', yearsAhead: 3, month: 12 } as const;

/** The hosted pages' merchant name (INVENTED: a client token does not say which shop it is for). */
export { MERCHANT_NAME } from '../core/merchant.ts';

/** INVENTED: how the sandbox's own gateway shows up in payments (`paymentGateway`) and its team in listPayments. */
export const GATEWAY = { id: 'sandbox-gateway', name: 'WhenThen Sandbox', logo: null } as const;
export const TEAM_ID = 'sandbox-team';
export const STATEMENT_DESCRIPTOR = 'WHENTHEN';

/**
 * Outcome → status. `pay` depends on capture (see MANUAL_CAPTURE_FLOW_IDS); `expire` ends INACTIVE (INVENTED:
 * WhenThen documents no expiry, and INACTIVE is its status for a payment that stopped without an outcome).
 */
export const OUTCOME_STATUS: Record<Exclude<Outcome, 'pay'>, 'DECLINED' | 'CANCELLED' | 'FAILED' | 'INACTIVE'> = {
  decline: 'DECLINED',
  cancel: 'CANCELLED',
  fail: 'FAILED',
  expire: 'INACTIVE',
};

/** INVENTED decline details per outcome, in WhenThen's own decline vocabulary (seed "Name" list). */
export const OUTCOME_DETAILS: Record<Exclude<Outcome, 'pay'>, { reason: string; declineCode: string | null }> = {
  decline: { reason: 'Declined by the issuer', declineCode: 'GENERAL_DECLINE' },
  cancel: { reason: 'Cancelled by the shopper', declineCode: null },
  fail: { reason: 'The payment processor failed', declineCode: 'PROCESSING_ERROR' },
  expire: { reason: 'The shopper did not finish in time', declineCode: null },
};

/** INVENTED: listPayments answers this many payments when neither `first` nor `last` is given, and at most the max. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** INVENTED: how long an X-Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Webhooks (INVENTED in providers.md): `{type, data: Payment}` signed with hex HMAC-SHA256 of the raw body. */
export const WEBHOOK_EVENT_TYPE = 'payment.updated';
export const WEBHOOK_SIGNATURE_HEADER = 'X-WhenThen-Signature';
export const DEFAULT_WEBHOOK_SECRET = 'sandbox-whenthen-webhook-secret';
