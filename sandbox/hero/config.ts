/**
 * Every Hero default in one place. Values marked INVENTED are not in Hero's public documentation; they are the
 * plainest behaviour the sandbox could pick, kept here so a merchant with Hero's real numbers can change them.
 */
import { MERCHANT_NAME } from '../core/merchant.ts';
import type { Outcome } from '../core/outcomes.ts';

export const PROVIDER = 'hero' as const;

/** Hero's own spelling, capital X (seed: "type Enum"; providers.md lists the values). */
export const PAYMENT_TYPES = ['Pay1X', 'Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay45D', 'Pay60D'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** The labels Hero's own shop plugin shows for each type. */
export const PAYMENT_TYPE_LABELS: Record<PaymentType, string> = {
  Pay1X: 'Paiement comptant',
  Pay3X: 'Paiement en 3 fois sans frais',
  Pay4X: 'Paiement en 4 fois sans frais',
  Pay15D: 'Paiement à 15 jours',
  Pay30D: 'Paiement à 30 jours',
  Pay45D: 'Paiement à 45 jours',
  Pay60D: 'Paiement à 60 jours',
};

/** Hero only moves euros; amounts are euro cents (seed: "5000 for a 50€ payment"). */
export const CURRENCY = 'EUR';

export interface MerchantAccount {
  apiKey: string;
  name: string;
  /** false gives MERCHANT_PRODUCT_DISABLED on createPayment (seed error table). */
  productEnabled: boolean;
  /** Types Hero's team switched on for this account; any other type gives INVALID_PAYMENT_TYPE. */
  enabledTypes: readonly PaymentType[];
}

/**
 * INVENTED test accounts. The demo shop has every type but Pay45D, so INVALID_PAYMENT_TYPE (a real enum value the
 * account is not configured for) can be seen; the second key belongs to an account that may not take payments.
 */
export const MERCHANT_ACCOUNTS: readonly MerchantAccount[] = [
  {
    apiKey: 'sandbox-hero-key',
    name: MERCHANT_NAME,
    productEnabled: true,
    enabledTypes: ['Pay1X', 'Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay60D'],
  },
  { apiKey: 'sandbox-hero-disabled-key', name: 'Kassa Disabled Shop', productEnabled: false, enabledTypes: [] },
];

/** Hero's header is `Authorization: Api-Key <key>`. */
export const AUTH_SCHEME = 'Api-Key';

export interface AmountRange {
  /** Smallest amount in euro cents, inclusive. */
  paymentMin: number;
  /** Largest amount in euro cents, inclusive. */
  paymentMax: number;
}

/**
 * INVENTED per-type limits (Hero sets them per merchant and does not publish them). availablePaymentTypes(amount)
 * lists the enabled types whose range holds the amount; createPayment answers "Amount XX is smaller than
 * paymentMin YY" / "… bigger than paymentMax YY" with the chosen type's range.
 */
export const PAYMENT_TYPE_RANGES: Record<PaymentType, AmountRange> = {
  Pay1X: { paymentMin: 1_00, paymentMax: 100_000_00 },
  Pay3X: { paymentMin: 100_00, paymentMax: 30_000_00 },
  Pay4X: { paymentMin: 100_00, paymentMax: 30_000_00 },
  Pay15D: { paymentMin: 50_00, paymentMax: 50_000_00 },
  Pay30D: { paymentMin: 50_00, paymentMax: 50_000_00 },
  Pay45D: { paymentMin: 50_00, paymentMax: 50_000_00 },
  Pay60D: { paymentMin: 50_00, paymentMax: 50_000_00 },
};

export interface CustomerLimits {
  /** What the customer already owes Hero, in cents, before any payment made in this sandbox. */
  current: number;
  /** Ceiling for deferred payments (Pay15D … Pay60D), in cents. */
  maxPay30D: number;
  /** Ceiling for instalments (Pay3X, Pay4X), in cents. */
  maxPay3X: number;
}

/** INVENTED: what maxPaymentForCustomer answers for any customer not listed below. */
export const DEFAULT_CUSTOMER_LIMITS: CustomerLimits = { current: 0, maxPay30D: 50_000_00, maxPay3X: 30_000_00 };

/** INVENTED: one documented customer with low limits, so a method picker's hiding logic can be seen. */
export const LIMITED_CUSTOMER_REFERENCE = 'hero-limited-customer';
export const CUSTOMER_LIMITS: Record<string, CustomerLimits> = {
  [LIMITED_CUSTOMER_REFERENCE]: { current: 200_00, maxPay30D: 1_000_00, maxPay3X: 500_00 },
};

/** INVENTED: financed types whose accepted amounts (less refunds) add to a customer's `current`; Pay1X is cash. */
export const FINANCED_TYPES: readonly PaymentType[] = ['Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay45D', 'Pay60D'];

/**
 * The states a Hero payment can be in, named after what getPaymentsInfos shows. Only PAYMENT_NOT_INITIATED,
 * ACCEPTED and NONE come from the seed; the others are INVENTED names for the other outcomes.
 */
export const HERO_STATES = ['PAYMENT_NOT_INITIATED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const;
export type HeroState = (typeof HERO_STATES)[number];

export const FINAL_STATES: readonly HeroState[] = ['ACCEPTED', 'REFUSED', 'CANCELLED', 'EXPIRED', 'FAILED'];

export interface StateView {
  isSuccess: boolean;
  error: string | null;
  reviewStatus: string;
  reason: string;
}

/** getPaymentsInfos fields per state; seed examples give the first and third rows, the rest are INVENTED. */
export const STATE_VIEWS: Record<HeroState, StateView> = {
  PAYMENT_NOT_INITIATED: { isSuccess: false, error: 'PAYMENT_NOT_INITIATED', reviewStatus: 'NONE', reason: 'None' },
  IN_REVIEW: { isSuccess: false, error: 'PAYMENT_IN_REVIEW', reviewStatus: 'PENDING', reason: 'None' },
  ACCEPTED: { isSuccess: true, error: null, reviewStatus: 'ACCEPTED', reason: '' },
  REFUSED: { isSuccess: false, error: 'PAYMENT_REFUSED', reviewStatus: 'REFUSED', reason: 'RISK_REVIEW_REFUSED' },
  CANCELLED: { isSuccess: false, error: 'PAYMENT_CANCELLED', reviewStatus: 'NONE', reason: 'None' },
  EXPIRED: { isSuccess: false, error: 'PAYMENT_EXPIRED', reviewStatus: 'NONE', reason: 'None' },
  FAILED: { isSuccess: false, error: 'PAYMENT_FAILED', reviewStatus: 'NONE', reason: 'None' },
};

/** What each hosted-page outcome leaves the payment in. */
export const OUTCOME_STATES: Record<Outcome, HeroState> = {
  pay: 'ACCEPTED',
  decline: 'REFUSED',
  cancel: 'CANCELLED',
  expire: 'EXPIRED',
  fail: 'FAILED',
};

/**
 * The real Hero refuses redirect URIs on `.localhost`; the sandbox accepts loopback hosts so local demos work.
 * Set to false to get Hero's refusal.
 */
export const ACCEPT_LOOPBACK_REDIRECTS = true;

/** INVENTED: longest text Hero takes in any string input field. */
export const MAX_TEXT_LENGTH = 255;

/** INVENTED: most payment ids one getPaymentsInfos call takes. */
export const MAX_PAYMENT_IDS = 100;

/** INVENTED: how long a refund stays in pendingRefundAmount before it counts as refunded (0: at once). */
export const REFUND_SETTLE_MS = 0;

/** Hero's published rate limit (providers.md); over it, HTTP 429. */
export const RATE_LIMIT = { enabled: true, perSecond: 200, perMinute: 1800 };

/** INVENTED: the prefix of payment ids, taken from the seed's refund example `paycheckout-6cd6e21d-…`. */
export const PAYMENT_ID_PREFIX = 'paycheckout-';

/** INVENTED codes for errors the seed does not name. */
export const ERROR_CODES = {
  notLogged: 'NOT_LOGGED',
  productDisabled: 'MERCHANT_PRODUCT_DISABLED',
  invalidType: 'INVALID_PAYMENT_TYPE',
  /** INVENTED: the extensions.code next to Hero's "Amount XX is smaller than paymentMin YY" messages. */
  amountOutOfRange: 'AMOUNT_OUT_OF_RANGE',
  /** INVENTED: createPayment input that fails Hero's checks (empty name, bad e-mail, bad URI …). */
  validation: 'VALIDATION_ERROR',
  /** INVENTED: paymentStatus for an id Hero does not know. */
  paymentNotFound: 'PAYMENT_NOT_FOUND',
} as const;
