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

/**
 * What the shopper pays with, whoever processes it: the session lists one entry per type (and `variant`), routed over
 * the providers that offer it. `other` is a provider method Kassa has no type for: it is listed as the provider names it.
 */
export const METHOD_TYPES = [
  'card',
  'paypal',
  'klarna',
  'swish',
  'mobilepay',
  'vipps',
  'blik',
  'mbway',
  'p24',
  'bank-transfer',
  'b2b-pay-later',
  'hi-health',
  'other',
] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

export function isMethodType(value: unknown): value is MethodType {
  return typeof value === 'string' && (METHOD_TYPES as readonly string[]).includes(value);
}

/** Card brands Kassa has a logo for (`kassa:<brand>`). */
export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'maestro'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/**
 * What a field asks for, whoever asks: the elements label, hint, check and autocomplete a known kind in the
 * shopper's language, and a fallback provider can be given the same answer under its own key.
 */
export const FIELD_KINDS = [
  'phone',
  'swish-number',
  'email',
  'blik-code',
  'company-name',
  'address-line1',
  'postal-code',
  'city',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** One input a method needs from the shopper (MilkyPay service fields, a Swish number, Hero company details). */
export interface MethodField {
  key: string;
  type: 'text' | 'tel' | 'email' | 'number';
  /** What the field asks for, when Kassa knows: the elements then use their own localized label and hint. */
  kind?: FieldKind;
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
  /**
   * Kassa's id for the method. A provider's own method is `<provider>:<provider's code>`, e.g. `kronor:swish`; a
   * session entry routed over providers is its type (and variant), e.g. `card`, `swish.phone`.
   */
  id: string;
  /** Who processes it: for a routed entry, the provider a payment goes to first. */
  provider: ProviderName;
  /** For a routed entry: every provider a payment may go to, in the order they are tried. */
  providers?: ProviderName[];
  kind: MethodKind;
  /** What the shopper pays with: the elements name a known type in the shopper's language. */
  type?: MethodType;
  /** Which one of its type, when a provider offers several (Hero's terms `Pay30D`, Swish by number `phone`). */
  variant?: string;
  /** Localized names by language code; `en` is always present. Provider text, shown as text only. */
  name: Record<string, string>;
  /** An image URL (checked), or a Kassa logo id `kassa:<type or card brand>` the elements draw themselves. */
  logo?: string;
  /** For cards: the brands accepted, shown as logos. */
  brands?: CardBrand[];
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
      /** When the Kronor session, and so the payment, stops being payable (ISO 8601): the checkout counts down to it. */
      expiresAt?: string;
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
  /** How the payment reached its provider: the first choice for its method, or a fallback after others failed. */
  route?: PaymentRoute;
  updatedAt: string;
}

/**
 * `first-choice`: the method's first healthy provider took it. `fallback`: providers before it failed to start the
 * payment. `direct`: the shopper chose this provider's own entry (the endpoint lists every provider's entry).
 * `orphan`: a payment a failed start left at a provider, found afterwards and cancelled by Kassa.
 */
export type PaymentRoute = 'first-choice' | 'fallback' | 'orphan' | 'direct';

/** `POST {endpoint}/session` answer. */
export interface SessionResponse {
  token: string;
  order: string;
  amount: number;
  currency: string;
  /**
   * `amount` in `currency` as the endpoint formatted it for `locale` ("€49.90"), with the options the checkout's own
   * formatting uses: for display only, never for money. The checkout shows it at first, so its first paint does not
   * wait for the browser's currency data, and switches to its own text where the browser formats differently.
   * Absent from endpoints older than this field.
   */
  amountText?: string;
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
