/**
 * Kronor's input rules, as pure functions that throw a `validation-failed` KronorError. GraphQL itself already
 * refuses missing required fields, wrong types and unknown enum values; these are the rules the schema's
 * descriptions and the seed state on top.
 */
import { isIP } from 'node:net';
import {
  BANK_TRANSFER_FLOWS,
  EXPIRES_AT_TOLERANCE_MS,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_EXECUTION_DATE_DAYS,
  MAX_LENGTHS,
  MAX_SESSION_LIFETIME_MS,
  MERCHANT_DEFAULT_CURRENCY,
  MESSAGE_PATTERN,
  METHOD_AMOUNT_LIMITS,
  METHOD_CURRENCIES,
  METHOD_NAMES,
  P24_COUNTRY,
  PAYMENT_METHODS,
  SESSION_AMOUNT_LIMITS,
  SWISH_FLOWS,
  SWISH_NUMBER_PATTERN,
  WEBHOOK_EVENTS,
  type PaymentMethod,
} from './config.ts';
import { invalid } from './errors.ts';

export interface OrderLine {
  name: string;
  pricePerItem: number;
  quantity: number;
  taxRate: number;
  totalAmount: number;
  totalTaxAmount: number;
  totalDiscountAmount?: number | null;
  reference?: string | null;
  itemUrl?: string | null;
  imageUrl?: string | null;
}

export interface AdditionalData {
  name: string;
  email: string;
  ip: string;
  language: string;
  phoneNumber?: string | null;
  customerReference?: string | null;
  shippingAddress?: Record<string, unknown> | null;
  orderLines?: OrderLine[] | null;
}

export interface SessionInput {
  amount: number;
  currency?: string | null;
  country?: string | null;
  expiresAt: string;
  idempotencyKey: string;
  merchantReference: string;
  merchantReference2?: string | null;
  message: string;
  preferredGateway?: string | null;
  allowExecutionDate?: boolean | null;
  saveCardDetails?: boolean | null;
  additionalData?: AdditionalData | null;
}

/** A session's terms once validated (currency defaulted, expiry parsed). */
export interface SessionTerms {
  amount: number;
  currency: string;
  country: string | null;
  expiresAtMs: number;
  merchantReference: string;
  merchantReference2: string | null;
  message: string;
  preferredGateway: string | null;
  allowExecutionDate: boolean;
  additionalData: AdditionalData | null;
}

export function checkIdempotencyKey(key: string): void {
  if (!key) invalid('idempotencyKey must not be empty');
  if (key.length > MAX_LENGTHS.idempotencyKey) invalid(`idempotencyKey is longer than ${MAX_LENGTHS.idempotencyKey} characters`);
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    invalid('idempotencyKey may only contain alphanumeric characters and - _ . , [ ] +');
  }
}

export function checkSessionInput(input: SessionInput, now: number): SessionTerms {
  checkIdempotencyKey(input.idempotencyKey);
  if (!Number.isInteger(input.amount) || input.amount < SESSION_AMOUNT_LIMITS.min || input.amount > SESSION_AMOUNT_LIMITS.max) {
    invalid(`amount must be between ${SESSION_AMOUNT_LIMITS.min} and ${SESSION_AMOUNT_LIMITS.max} (minor units)`);
  }
  const currency = input.currency ?? MERCHANT_DEFAULT_CURRENCY;
  if (methodsForCurrency(currency).length === 0) invalid(`no payment method is available for currency ${currency}`);
  if (!input.merchantReference) invalid('merchantReference must not be empty');
  if (input.merchantReference.length > MAX_LENGTHS.merchantReference) {
    invalid(`merchantReference is longer than ${MAX_LENGTHS.merchantReference} characters`);
  }
  if ((input.merchantReference2?.length ?? 0) > MAX_LENGTHS.merchantReference2) {
    invalid(`merchantReference2 is longer than ${MAX_LENGTHS.merchantReference2} characters`);
  }
  if (input.message.length > MAX_LENGTHS.message) invalid(`message is longer than ${MAX_LENGTHS.message} characters`);
  if (!MESSAGE_PATTERN.test(input.message)) {
    invalid('message may only contain alphanumeric and Swedish characters, spaces and : ; . , ? ! ( ) ” "');
  }
  if (input.preferredGateway && input.preferredGateway !== 'KRONOR') invalid('preferredGateway only supports KRONOR');
  const expiresAtMs = checkExpiresAt(input.expiresAt, now);
  if (input.additionalData) checkAdditionalData(input.additionalData, input.amount);
  return {
    amount: input.amount,
    currency,
    country: input.country ?? null,
    expiresAtMs,
    merchantReference: input.merchantReference,
    merchantReference2: input.merchantReference2 ?? null,
    message: input.message,
    preferredGateway: input.preferredGateway ?? null,
    allowExecutionDate: input.allowExecutionDate ?? false,
    additionalData: input.additionalData ?? null,
  };
}

/** ISO 8601 with a time, in the future, at most 24 hours ahead. */
export function checkExpiresAt(value: string, now: number): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) invalid(`expiresAt must be an ISO 8601 timestamp, e.g. 1970-01-01T00:00:00Z; got "${value}"`);
  if (ms <= now) invalid('expiresAt must be in the future');
  if (ms > now + MAX_SESSION_LIFETIME_MS + EXPIRES_AT_TOLERANCE_MS) invalid('expiresAt must be at most 24 hours in the future');
  return ms;
}

function checkAdditionalData(data: AdditionalData, amount: number): void {
  if (!data.name.trim()) invalid('additionalData.name must not be empty');
  if (!/^[^@\s]+@[^@\s]+$/.test(data.email)) invalid('additionalData.email is not an email address');
  // INVENTED: Kronor keeps it as the customer's IP address, so something else is refused.
  if (isIP(data.ip) === 0) invalid(`additionalData.ip must be an IPv4 or IPv6 address; got "${data.ip}"`);
  for (const [index, line] of (data.orderLines ?? []).entries()) {
    // Real schema: quantity "Needs to be a positive number", taxRate "Needs to be a non-negative number".
    if (line.quantity < 1) invalid(`additionalData.orderLines[${index}].quantity must be positive`);
    if (line.taxRate < 0) invalid(`additionalData.orderLines[${index}].taxRate must not be negative`);
    // INVENTED: the tax is part of the tax-included total.
    if (line.totalTaxAmount < 0 || line.totalTaxAmount > line.totalAmount) {
      invalid(`additionalData.orderLines[${index}].totalTaxAmount must be between 0 and totalAmount`);
    }
  }
  if (data.orderLines && data.orderLines.length > 0) {
    const total = data.orderLines.reduce((sum, line) => sum + line.totalAmount, 0);
    if (total !== amount) invalid(`the sum of orderLines totalAmount (${total}) must equal amount (${amount})`);
  }
}

export function methodsForCurrency(currency: string): PaymentMethod[] {
  return PAYMENT_METHODS.filter((method) => METHOD_CURRENCIES[method].includes(currency));
}

/** What a session must have for a method: its currency, amount limits, and P24's and PayPal's extra data. */
export function checkMethodAvailable(method: PaymentMethod, session: SessionTerms): void {
  const name = METHOD_NAMES[method];
  if (!METHOD_CURRENCIES[method].includes(session.currency)) {
    invalid(`${name} is not available for ${session.currency}; it takes ${METHOD_CURRENCIES[method].join(', ')}`);
  }
  const limits = METHOD_AMOUNT_LIMITS[method];
  if (session.amount < limits.min || session.amount > limits.max) {
    invalid(`amount ${session.amount} is outside the ${name} limits ${limits.min}–${limits.max} (minor units)`);
  }
  if (method === 'P24') {
    if (session.country !== P24_COUNTRY) invalid(`${name} needs a session with country ${P24_COUNTRY}`);
    if (!session.additionalData?.name) invalid(`${name} needs additionalData.name in the payment session`);
  }
  if (method === 'PAYPAL') {
    if (!session.additionalData?.shippingAddress) invalid(`${name} needs additionalData.shippingAddress in the payment session`);
    if (!session.additionalData?.orderLines?.length) invalid(`${name} needs additionalData.orderLines in the payment session`);
  }
}

/** Any absolute URL with a scheme: web return pages and app schemes (`myapp://kronor`) alike. */
export function checkUrl(value: string, field: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(`${field} must be an absolute URL`);
  }
  if (['javascript:', 'data:'].includes(url.protocol)) invalid(`${field} must not use ${url.protocol}`);
}

export function checkWebUrl(value: string, field: string): void {
  checkUrl(value, field);
  if (!/^https?:$/.test(new URL(value).protocol)) invalid(`${field} must be an http or https URL`);
}

/** mcom or ecom; ecom needs the shopper's Swish number. Returns the number as Swish stores it (46…). */
export function checkSwishInput(flow: string, customerSwishNumber: string | null | undefined): string | null {
  if (flow.length > MAX_LENGTHS.swishFlow || !(SWISH_FLOWS as readonly string[]).includes(flow)) {
    invalid(`flow must be one of ${SWISH_FLOWS.join(', ')}; got "${flow}"`);
  }
  if (flow === 'mcom') return customerSwishNumber ? normalizeSwishNumber(customerSwishNumber) : null;
  if (!customerSwishNumber) invalid("customerSwishNumber is required for the 'ecom' flow");
  return normalizeSwishNumber(customerSwishNumber);
}

function normalizeSwishNumber(raw: string): string {
  const match = SWISH_NUMBER_PATTERN.exec(raw.replace(/[\s-]/g, ''));
  if (!match) invalid(`customerSwishNumber "${raw}" is not a Swedish mobile number (e.g. 46701234567)`);
  return `46${match[1]}`;
}

/** Bank transfer: flow mcom|ecom when given; an execution date only when the session allows one. */
export function checkBankTransferInput(
  input: { flow?: string | null; executionDate?: string | null },
  allowExecutionDate: boolean,
  now: number,
): void {
  if (input.flow != null && !(BANK_TRANSFER_FLOWS as readonly string[]).includes(input.flow)) {
    invalid(`flow must be one of ${BANK_TRANSFER_FLOWS.join(', ')}; got "${input.flow}"`);
  }
  if (input.executionDate == null) return;
  if (!allowExecutionDate) invalid('this payment session does not allow an executionDate');
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.executionDate);
  const date = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(date) || new Date(date).toISOString().slice(0, 10) !== input.executionDate) {
    invalid('executionDate must be a date in yyyy-mm-dd format');
  }
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const days = (date - today) / 86_400_000;
  if (days < 1 || days > MAX_EXECUTION_DATE_DAYS) invalid(`executionDate must be after today and at most ${MAX_EXECUTION_DATE_DAYS} days ahead`);
}

export function checkWebhookInput(url: string, events: Array<{ event: string; enabled: boolean }>): void {
  if (url.length > MAX_LENGTHS.webhookUrl) invalid(`webhookUrl is longer than ${MAX_LENGTHS.webhookUrl} characters`);
  checkWebUrl(url, 'webhookUrl');
  for (const { event } of events) {
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(event)) invalid(`unknown webhook event "${event}"; known: ${WEBHOOK_EVENTS.join(', ')}`);
  }
}

/** A positive whole amount in minor units (capture, refund, release). */
export function checkPositiveAmount(amount: number, field = 'amount'): void {
  if (!Number.isInteger(amount) || amount <= 0) invalid(`${field} must be a positive whole number of minor units`);
}
