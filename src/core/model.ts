/**
 * Kassa's one model for every provider, and the endpoint's wire types. Framework-free: used by the elements, the
 * endpoint and the provider adapters alike.
 */

export const PROVIDER_NAMES = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDER_NAMES as readonly string[]).includes(value);
}

/** A payment's state, whatever the provider. */
export const PAYMENT_STATES = [
  'created',
  'action_required',
  'pending',
  'processing',
  'authorized',
  'paid',
  'failed',
  'declined',
  'cancelled',
  'expired',
  'refunded',
  'partially_refunded',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** States after which nothing more happens to a payment from the shopper's side. */
export const FINAL_STATES: ReadonlySet<PaymentState> = new Set([
  'paid',
  'failed',
  'declined',
  'cancelled',
  'expired',
  'refunded',
  'partially_refunded',
]);

/** Final states in which the shopper's money moved (or is held for the merchant). */
export const SUCCESS_STATES: ReadonlySet<PaymentState> = new Set(['paid', 'authorized', 'refunded', 'partially_refunded']);

export function isFinalState(state: PaymentState): boolean {
  return FINAL_STATES.has(state);
}

/**
 * Whether a shopper can stop waiting: a final state, or `authorized` — the money is held for the merchant, who
 * captures later (hi.health manual capture, card authorisations), so for the shopper the payment succeeded.
 */
export function isSettledForShopper(state: PaymentState): boolean {
  return FINAL_STATES.has(state) || state === 'authorized';
}

/** What kind of method it is, for grouping in the picker. */
export type MethodKind = 'card' | 'wallet' | 'bank' | 'invoice' | 'installments' | 'mobile' | 'health' | 'other';

/** One input a method needs from the shopper (MilkyPay service fields, a Swish number, Hero company details). */
export interface MethodField {
  key: string;
  type: 'text' | 'tel' | 'email' | 'number';
  /** Localized labels by language code, e.g. `{en: 'Phone', uk: 'Телефон'}`; provider text, shown as text only. */
  label: Record<string, string>;
  hint?: Record<string, string>;
  example?: string;
  /** The provider's pattern, untrusted: checked with a bounded, safe matcher. */
  pattern?: string;
  required: boolean;
}

/** A payment method as the endpoint lists it to the browser. */
export interface PaymentMethod {
  /** Kassa's id for the method, `<provider>:<provider's own code>`, e.g. `kronor:swish`. */
  id: string;
  provider: ProviderName;
  kind: MethodKind;
  /** Localized names by language code; `en` is always present. Provider text, shown as text only. */
  name: Record<string, string>;
  logo?: string;
  fields?: MethodField[];
  /** Amount limits in minor units, when the provider has them. */
  min?: number;
  max?: number;
}

/** What the browser does next after `POST /payments`. */
export type NextAction =
  | { type: 'redirect'; url: string }
  | { type: 'form'; url: string; method: 'GET' | 'POST'; fields: Record<string, string> }
  | { type: 'qr'; data: string; deepLink?: string; expiresAt?: string }
  | {
      type: 'kronor';
      /** The Kronor session token (short-lived, scoped to this one payment session). */
      sessionToken: string;
      httpUrl: string;
      wsUrl: string;
      /** Which Kronor payment to start in the browser: `swish`, `creditCard`, `mobilePay`, `vipps`, `p24`, `payPal`, `bankTransfer`. */
      paymentMethod: string;
      returnUrl: string;
    }
  | { type: 'none' };

/** One payment as the endpoint shows it to the browser. */
export interface PaymentView {
  /** Kassa's payment reference: in return URLs, status URLs and events. */
  reference: string;
  provider: ProviderName;
  method: string;
  order: string;
  amount: number;
  currency: string;
  state: PaymentState;
  /** The provider's own status value, kept for the merchant. */
  providerStatus: string | null;
  updatedAt: string;
}

/** `POST {endpoint}/session` answer. */
export interface SessionResponse {
  token: string;
  order: string;
  amount: number;
  currency: string;
  locale: string;
  methods: PaymentMethod[];
  expiresAt: string;
}

/** `POST {endpoint}/payments` answer. */
export interface PaymentResponse {
  payment: PaymentView;
  action: NextAction;
}

/** An RFC 9457 problem, as every endpoint error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** For validation problems: which field was wrong, as a dotted path. */
  field?: string;
}
