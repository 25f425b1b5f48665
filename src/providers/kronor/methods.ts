/**
 * Kronor's methods and what a payment session needs for them. Kronor has no "list methods" call: which methods
 * exist depends on the session's currency (Swish SEK, MobilePay DKK, Vipps NOK, P24 PLN, card and PayPal broadly),
 * and P24 and PayPal need customer data in the session. All of it is pure code over the order.
 */
import type { MethodField, MethodKind, MethodType, PaymentMethod } from '../../core/model.ts';
import type { Customer, ResolvedOrder } from '../../server/provider.ts';

/** Kronor's own names for its payments (the payment gateway's `paymentMethod`; the browser's `newXPayment`). */
export type GatewayMethod = 'swish' | 'creditCard' | 'mobilePay' | 'vipps' | 'p24' | 'payPal' | 'bankTransfer';

/** Kassa's codes for Kronor methods: the gateway names, plus Swish's e-commerce flow (phone number). */
export const KRONOR_METHOD_CODES = ['swish', 'swish-ecom', 'creditCard', 'mobilePay', 'vipps', 'p24', 'payPal', 'bankTransfer'] as const;
export type KronorMethodCode = (typeof KRONOR_METHOD_CODES)[number];

export interface MethodSpec {
  paymentMethod: GatewayMethod;
  kind: MethodKind;
  type: MethodType;
  /** Which one of its type, when Kronor offers several (Swish by QR or app, Swish by mobile number). */
  variant?: string;
  name: Record<string, string>;
  currencies: readonly string[];
  /**
   * Minor units. ASSUMED: Kronor publishes no limits (they depend on the merchant's contracts); as the sandbox's.
   * Configurable: `methodLimits`.
   */
  limits: { min: number; max: number };
  /** What the session must carry besides amount and currency. */
  needs?: 'customer' | 'paypal';
  /** The country the payment takes place in, for methods bound to one (P24 requires PL). */
  country?: string;
  fields?: MethodField[];
}

/**
 * ASSUMED (as the sandbox): Kronor documents no currency list for card, PayPal and bank transfer. Configurable:
 * `methodCurrencies`.
 */
const CARD_CURRENCIES = ['SEK', 'DKK', 'NOK', 'EUR', 'PLN', 'GBP', 'USD'] as const;

/** A Swedish mobile number, as a shopper writes it: +46 70 123 45 67, 0701234567, 46701234567. */
export const SWISH_NUMBER_PATTERN = '^(\\+46|0046|46|0)[ -]?7[0-9 -]{8,12}$';

const SWISH_PHONE_FIELD: MethodField = {
  key: 'phone',
  type: 'tel',
  kind: 'swish-number',
  label: { en: 'Mobile number for Swish', sv: 'Mobilnummer för Swish' },
  hint: { en: 'You approve the payment in the Swish app on this phone.', sv: 'Du godkänner betalningen i Swish-appen i den här telefonen.' },
  example: '070 123 45 67',
  pattern: SWISH_NUMBER_PATTERN,
  required: true,
};

export const KRONOR_METHODS: Readonly<Record<KronorMethodCode, MethodSpec>> = {
  // The m-commerce flow: a QR code on a desktop, the Swish app on the same phone. Kronor's SDKs default to it.
  swish: {
    type: 'swish',
    paymentMethod: 'swish',
    kind: 'mobile',
    name: { en: 'Swish', sv: 'Swish' },
    currencies: ['SEK'],
    limits: { min: 100, max: 15_000_000 },
    country: 'SE',
  },
  // The e-commerce flow: the shopper types a number and approves on that phone. Opt-in (`methods` option).
  'swish-ecom': {
    type: 'swish', variant: 'phone',
    paymentMethod: 'swish',
    kind: 'mobile',
    name: { en: 'Swish with mobile number', sv: 'Swish med mobilnummer' },
    currencies: ['SEK'],
    limits: { min: 100, max: 15_000_000 },
    country: 'SE',
    fields: [SWISH_PHONE_FIELD],
  },
  creditCard: {
    type: 'card',
    paymentMethod: 'creditCard',
    kind: 'card',
    name: { en: 'Card', sv: 'Kort', da: 'Kort', nb: 'Kort', pl: 'Karta' },
    currencies: CARD_CURRENCIES,
    limits: { min: 100, max: 50_000_000 },
  },
  mobilePay: {
    type: 'mobilepay',
    paymentMethod: 'mobilePay',
    kind: 'mobile',
    name: { en: 'MobilePay', da: 'MobilePay' },
    currencies: ['DKK'],
    limits: { min: 100, max: 10_000_000 },
    country: 'DK',
  },
  vipps: {
    type: 'vipps',
    paymentMethod: 'vipps',
    kind: 'mobile',
    name: { en: 'Vipps', nb: 'Vipps' },
    currencies: ['NOK'],
    limits: { min: 100, max: 10_000_000 },
    country: 'NO',
  },
  p24: {
    type: 'p24',
    paymentMethod: 'p24',
    kind: 'bank',
    name: { en: 'Przelewy24', pl: 'Przelewy24' },
    currencies: ['PLN'],
    limits: { min: 100, max: 5_000_000 },
    needs: 'customer',
    country: 'PL',
  },
  payPal: {
    type: 'paypal',
    paymentMethod: 'payPal',
    kind: 'wallet',
    name: { en: 'PayPal' },
    currencies: [...CARD_CURRENCIES, 'CHF', 'CZK', 'HUF'],
    limits: { min: 100, max: 50_000_000 },
    needs: 'paypal',
  },
  bankTransfer: {
    type: 'bank-transfer',
    paymentMethod: 'bankTransfer',
    kind: 'bank',
    name: { en: 'Bank transfer', sv: 'Banköverföring', da: 'Bankoverførsel', nb: 'Bankoverføring' },
    currencies: ['SEK', 'EUR'],
    limits: { min: 100, max: 100_000_000 },
  },
};

export type MethodTable = Readonly<Record<KronorMethodCode, MethodSpec>>;

/** Kassa's method table with the merchant's own limits and currencies where it gave them. */
export function methodTable(
  limits: Partial<Record<KronorMethodCode, { min: number; max: number }>> = {},
  currencies: Partial<Record<KronorMethodCode, readonly string[]>> = {},
): MethodTable {
  const table = {} as Record<KronorMethodCode, MethodSpec>;
  for (const code of KRONOR_METHOD_CODES) {
    const spec = KRONOR_METHODS[code];
    table[code] = { ...spec, limits: limits[code] ?? spec.limits, currencies: currencies[code] ?? spec.currencies };
  }
  return table;
}

/** Swish's phone-number flow is opt-in: the QR / app flow already serves desktop and phone. */
export const DEFAULT_METHOD_CODES: readonly KronorMethodCode[] = KRONOR_METHOD_CODES.filter((code) => code !== 'swish-ecom');

const PREFIX = 'kronor:';

export function methodCodeOf(methodId: string): KronorMethodCode | undefined {
  if (!methodId.startsWith(PREFIX)) return undefined;
  const code = methodId.slice(PREFIX.length);
  return (KRONOR_METHOD_CODES as readonly string[]).includes(code) ? (code as KronorMethodCode) : undefined;
}

// ---- what Kronor's schema accepts ------------------------------------------------------------------------------

/** Kronor's `Country` enum (merchant schema). */
export const KRONOR_COUNTRIES: ReadonlySet<string> = new Set('AT BE CH CY CZ DE DK EE ES FI FO FR GB GR HR HU IE IS IT LT LU LV MT NL NO PL PT RO SE SI SK'.split(' '));
/** The languages Kronor's documentation names for a session (the schema's enum has more; these are the ones documented). */
const LANGUAGES: Readonly<Record<string, string>> = { sv: 'SV', da: 'DA', no: 'NO', nb: 'NO', nn: 'NO', is: 'IS', en: 'EN' };
/** The country a currency is at home in; EUR and USD have none. */
const CURRENCY_COUNTRIES: Readonly<Record<string, string>> = {
  SEK: 'SE', DKK: 'DK', NOK: 'NO', PLN: 'PL', ISK: 'IS', CHF: 'CH', CZK: 'CZ', HUF: 'HU', RON: 'RO', GBP: 'GB',
};
/** ASSUMED: Kronor is a Swedish gateway; a session with no better hint takes place in Sweden (`defaultCountry`). */
const FALLBACK_COUNTRY = 'SE';

/** Kronor's message: at most 50 of letters, digits, Swedish letters, spaces and `: ; . , ? ! ( ) ” "`. */
const MESSAGE_MAX = 50;
const NOT_IN_MESSAGE = /[^A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]+/g;
/** A whole message in Kronor's characters (real schema: RefundPaymentInput.message, PaymentSessionInput.message). */
export const KRONOR_MESSAGE = /^[A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]*$/;

export function sessionMessage(order: ResolvedOrder): string {
  const text = (order.description ?? `Order ${order.reference}`).replace(NOT_IN_MESSAGE, ' ').replace(/\s+/g, ' ').trim();
  return text.slice(0, MESSAGE_MAX).trim() || 'Payment';
}

export function sessionLanguage(customer: Customer | undefined): string {
  const code = customer?.language?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return LANGUAGES[code] ?? 'EN';
}

export function sessionCountry(order: ResolvedOrder, code: KronorMethodCode, fallback = FALLBACK_COUNTRY): string {
  const own = KRONOR_METHODS[code].country;
  if (own) return own;
  const customer = (order.customer?.country ?? order.customer?.address?.country)?.trim().toUpperCase();
  if (customer && KRONOR_COUNTRIES.has(customer)) return customer;
  return CURRENCY_COUNTRIES[order.currency] ?? fallback;
}

export interface AdditionalData {
  name: string;
  email: string;
  ip: string;
  language: string;
  phoneNumber?: string;
  customerReference?: string;
  shippingAddress?: ShippingAddress;
  orderLines?: OrderLineInput[];
}

/** The customer part of additionalData, before the shopper's IP address is known. */
export type CustomerData = Omit<AdditionalData, 'ip' | 'shippingAddress' | 'orderLines'>;

export interface ShippingAddress {
  firstName: string;
  lastName: string;
  streetAddress: string;
  streetAddress2?: string;
  postalCode: string;
  city: string;
  country: string;
  email: string;
  phoneNumber: string;
}

export interface OrderLineInput {
  name: string;
  reference?: string;
  pricePerItem: number;
  quantity: number;
  totalAmount: number;
  /** Hundredths of a percent (real schema: "`15%` … should be represented as `1500`"). */
  taxRate: number;
  totalTaxAmount: number;
}

/** Kronor's schema requires name, email, ip and language together: without a name and an email there is none. */
export function customerData(order: ResolvedOrder): CustomerData | undefined {
  const customer = order.customer;
  const name = customer?.name?.trim();
  const email = customer?.email?.trim();
  if (!name || !email || !/^[^@\s]+@[^@\s]+$/.test(email)) return undefined;
  const phone = customer?.phone?.trim();
  const reference = customer?.reference?.trim();
  return {
    name: name.slice(0, 100),
    email,
    language: sessionLanguage(customer),
    ...(phone ? { phoneNumber: phone.slice(0, 100) } : {}),
    ...(reference ? { customerReference: reference } : {}),
  };
}

/** Kronor's taxRate for a rate in percent: an Int in hundredths of a percent (25 % → 2500). */
export function kronorTaxRate(percent: number): number {
  return Math.round(percent * 100);
}

/** The tax inside a tax-included total (Kassa's prices include tax): total × rate / (100 + rate), in minor units. */
export function includedTax(total: number, percent: number): number {
  return Math.round((total * percent) / (100 + percent));
}

function isTaxRate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}

/**
 * PayPal needs a shipping address and order lines that add up to the amount (seed). Each line carries its own tax
 * rate, or `defaultTaxRate` (percent) when it has none. Undefined when the order cannot give all of it (a tax rate
 * that is not a percentage included: a wrong rate is worse than no PayPal).
 */
export function paypalData(order: ResolvedOrder, defaultTaxRate = 0): Pick<AdditionalData, 'shippingAddress' | 'orderLines'> | undefined {
  const customer = order.customer;
  const address = customer?.address;
  const names = customer?.name?.trim().split(/\s+/) ?? [];
  const email = customer?.email?.trim();
  const phone = customer?.phone?.trim();
  const country = address?.country.trim().toUpperCase();
  if (!address || names.length < 2 || !email || !phone || !country || !KRONOR_COUNTRIES.has(country)) return undefined;
  const lines = order.lines ?? [];
  if (!lines.length || lines.some((l) => !Number.isSafeInteger(l.quantity) || l.quantity <= 0 || !Number.isSafeInteger(l.unitPrice))) return undefined;
  if (!isTaxRate(defaultTaxRate) || lines.some((l) => l.taxRate !== undefined && !isTaxRate(l.taxRate))) return undefined;
  const orderLines = lines.map((line): OrderLineInput => {
    const totalAmount = line.unitPrice * line.quantity;
    const percent = line.taxRate ?? defaultTaxRate;
    return {
      name: line.name,
      ...(line.reference ? { reference: line.reference } : {}),
      pricePerItem: line.unitPrice,
      quantity: line.quantity,
      totalAmount,
      taxRate: kronorTaxRate(percent),
      totalTaxAmount: includedTax(totalAmount, percent),
    };
  });
  if (orderLines.reduce((sum, line) => sum + line.totalAmount, 0) !== order.amount) return undefined;
  return {
    shippingAddress: {
      firstName: names.slice(0, -1).join(' '),
      lastName: names[names.length - 1]!,
      streetAddress: address.line1,
      ...(address.line2 ? { streetAddress2: address.line2 } : {}),
      postalCode: address.postalCode,
      city: address.city,
      country,
      email,
      phoneNumber: phone,
    },
    orderLines,
  };
}

export interface SessionDataOptions {
  /** The shopper's IP address, when known (never the unspecified address). */
  shopperIp?: string;
  /** The address sent when the shopper's is unknown and the method cannot do without additionalData. */
  unknownShopperIp: string;
  /** Percent, for PayPal lines without a tax rate. */
  defaultTaxRate: number;
}

/**
 * The session's additionalData for a method: the customer when known, and PayPal's extras for PayPal. Its `ip` is
 * required by the real schema, so without the shopper's IP additionalData is left out, except for the methods that
 * need it (P24, PayPal), which get `unknownShopperIp`.
 */
export function sessionAdditionalData(order: ResolvedOrder, code: KronorMethodCode, options: SessionDataOptions): AdditionalData | undefined {
  const customer = customerData(order);
  if (!customer) return undefined;
  const needs = KRONOR_METHODS[code].needs;
  const ip = options.shopperIp ?? (needs ? options.unknownShopperIp : undefined);
  if (!ip) return undefined;
  if (needs !== 'paypal') return { ...customer, ip };
  const extras = paypalData(order, options.defaultTaxRate);
  return extras ? { ...customer, ip, ...extras } : { ...customer, ip };
}

/** Whether the order can pay with a method at all (currency and required session data; amount is the endpoint's). */
export function isOffered(code: KronorMethodCode, order: ResolvedOrder, table: MethodTable = KRONOR_METHODS): boolean {
  const spec = table[code];
  if (!spec.currencies.includes(order.currency)) return false;
  if (spec.needs === 'customer') return customerData(order) !== undefined;
  if (spec.needs === 'paypal') return customerData(order) !== undefined && paypalData(order) !== undefined;
  return true;
}

export function listKronorMethods(order: ResolvedOrder, enabled: readonly KronorMethodCode[], table: MethodTable = KRONOR_METHODS): PaymentMethod[] {
  return enabled
    .filter((code) => isOffered(code, order, table))
    .map((code) => {
      const spec = table[code];
      return {
        id: `${PREFIX}${code}`,
        provider: 'kronor' as const,
        kind: spec.kind,
        type: spec.type,
        ...(spec.variant ? { variant: spec.variant } : {}),
        name: { ...spec.name },
        min: spec.limits.min,
        max: spec.limits.max,
        ...(spec.fields ? { fields: spec.fields.map((f) => ({ ...f })) } : {}),
      };
    });
}

/** The method list depends on the currency and on whether P24's and PayPal's customer data is there. */
export function kronorMethodsCacheKey(order: ResolvedOrder): string {
  return `${order.currency}:${customerData(order) ? 'c' : '-'}${paypalData(order) ? 'p' : '-'}`;
}

/** A Swedish mobile number as Swish takes it (46…), or undefined. */
export function swishNumber(raw: string): string | undefined {
  const match = /^(?:\+46|0046|46|0)(7\d{8})$/.exec(raw.replace(/[\s-]/g, ''));
  return match ? `46${match[1]}` : undefined;
}
