/**
 * Checks an invoice request the way the platform does: one message per field, Symfony-style, all at once.
 * The same rules serve the public flat body, the public HTML form post and the private JSON:API attributes.
 */
import { currencyExponent, toMinor } from '../core/money.ts';
import { findService, type CatalogueService } from './catalogue.ts';
import { REFERENCE_ID_MAX_LENGTH, type MilkyPayConfig } from './config.ts';
import { MESSAGES, type FieldErrors } from './errors.ts';

export interface ReturnUrls {
  success: string | null;
  fail: string | null;
  pending: string;
}

export interface CustomerInput {
  reference_id: string;
  [key: string]: unknown;
}

export interface InvoiceDraft {
  /** null when the merchant left it out: the platform then generates one. */
  referenceId: string | null;
  service: CatalogueService;
  currency: string;
  amountMinor: number;
  description: string | null;
  paymentFlow: 'charge' | 'verify';
  customer: CustomerInput | null;
  metadata: Record<string, unknown> | null;
  returnUrl: string | null;
  returnUrls: ReturnUrls | null;
  callbackUrl: string | null;
  /** Epoch milliseconds; null means "the account's invoice lifetime". */
  expiresAt: number | null;
  /** null when the request did not say (the public API takes the mode from the key). */
  testMode: boolean | null;
  serviceFields: Record<string, string>;
}

export type Validated = { ok: true; draft: InvoiceDraft } | { ok: false; errors: FieldErrors };

export interface ValidationOptions {
  /** Form posts carry every value as text, so booleans arrive as "true"/"1". */
  fromForm: boolean;
  now: number;
  config: MilkyPayConfig;
}

type Attributes = Record<string, unknown>;

export function validateInvoice(attrs: Attributes, options: ValidationOptions): Validated {
  const errors: FieldErrors = {};
  const referenceId = optionalText(attrs.reference_id, 'reference_id', errors, REFERENCE_ID_MAX_LENGTH);
  const currency = checkCurrency(attrs.currency, errors);
  const service = checkService(attrs.service, errors);
  if (service && currency && service.currency !== currency) errors.currency = MESSAGES.equalTo(service.currency);
  const amountMinor = checkAmount(attrs.amount, currency, service, errors);
  const description = optionalText(attrs.description, 'description', errors, 1024);
  const paymentFlow = checkPaymentFlow(attrs.flow, errors);
  const customer = checkCustomer(attrs.customer, errors);
  const metadata = optionalObject(attrs.metadata, 'metadata', errors);
  optionalObject(attrs.gateway_options, 'gateway_options', errors);
  const returnUrl = optionalUrl(attrs.return_url, 'return_url', errors);
  const returnUrls = checkReturnUrls(attrs.return_urls, errors);
  const callbackUrl = optionalUrl(attrs.callback_url, 'callback_url', errors);
  const expiresAt = checkExpires(attrs.expires, options, errors);
  const testMode = optionalBoolean(attrs.test_mode, 'test_mode', errors, options.fromForm);
  // The public JS SDK sends a service's customer inputs as `fields`; the documented name is `service_fields`.
  const serviceFields = service ? checkServiceFields(attrs.service_fields ?? attrs.fields, service, errors) : {};

  if (Object.keys(errors).length || !service || !currency || amountMinor === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    draft: {
      referenceId,
      service,
      currency,
      amountMinor,
      description,
      paymentFlow,
      customer,
      metadata,
      returnUrl,
      returnUrls,
      callbackUrl,
      expiresAt,
      testMode,
      serviceFields,
    },
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown, key: string, errors: FieldErrors, maxLength: number): string | null {
  if (isBlank(value)) return null;
  if (typeof value !== 'string') {
    errors[key] = MESSAGES.type('string');
    return null;
  }
  if (value.length > maxLength) errors[key] = MESSAGES.tooLong(maxLength);
  return value;
}

function checkCurrency(value: unknown, errors: FieldErrors): string | undefined {
  if (isBlank(value)) {
    errors.currency = MESSAGES.blank;
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.currency = MESSAGES.type('string');
    return undefined;
  }
  if (!/^[A-Z]{3}$/.test(value)) {
    errors.currency = MESSAGES.invalidCurrency;
    return undefined;
  }
  return value;
}

function checkService(value: unknown, errors: FieldErrors): CatalogueService | undefined {
  if (isBlank(value)) {
    errors.service = MESSAGES.blank;
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.service = MESSAGES.type('string');
    return undefined;
  }
  const service = findService(value);
  if (!service) errors.service = MESSAGES.invalidChoice;
  return service;
}

/** Reads `123.45` or `"123.45"` into minor units of the currency; every refusal is written into `errors.amount`. */
export function checkAmount(
  value: unknown,
  currency: string | undefined,
  service: CatalogueService | undefined,
  errors: FieldErrors,
): number | undefined {
  if (isBlank(value)) {
    errors.amount = MESSAGES.blank;
    return undefined;
  }
  // String(number) is the shortest exact form (49.999 stays "49.999"), so extra decimals are caught, not rounded.
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) {
    errors.amount = MESSAGES.type('numeric');
    return undefined;
  }
  if (Number(text) <= 0) {
    errors.amount = MESSAGES.greaterThanZero;
    return undefined;
  }
  if (!currency) return undefined;
  const minor = toMinor(text, currency);
  if (minor === undefined) {
    errors.amount = MESSAGES.decimals(currency, currencyExponent(currency));
    return undefined;
  }
  if (service && service.currency === currency) {
    const min = toMinor(service.amountMin, currency)!;
    const max = toMinor(service.amountMax, currency)!;
    if (minor < min || minor > max) {
      errors.amount = MESSAGES.between(service.amountMin, service.amountMax);
      return undefined;
    }
  }
  return minor;
}

function checkPaymentFlow(value: unknown, errors: FieldErrors): 'charge' | 'verify' {
  if (isBlank(value)) return 'charge';
  if (value === 'charge' || value === 'verify') return value;
  errors.flow = MESSAGES.invalidChoice;
  return 'charge';
}

function checkCustomer(value: unknown, errors: FieldErrors): CustomerInput | null {
  if (isBlank(value)) return null;
  if (!isPlainObject(value)) {
    errors.customer = MESSAGES.type('array');
    return null;
  }
  const reference = value.reference_id;
  if (isBlank(reference)) errors['customer.reference_id'] = MESSAGES.blank;
  else if (typeof reference !== 'string' && typeof reference !== 'number') errors['customer.reference_id'] = MESSAGES.type('string');
  const email = value.email;
  if (!isBlank(email) && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
    errors['customer.email'] = MESSAGES.invalidEmail;
  }
  return { ...value, reference_id: String(reference ?? '') };
}

function optionalObject(value: unknown, key: string, errors: FieldErrors): Record<string, unknown> | null {
  if (isBlank(value)) return null;
  if (!isPlainObject(value)) {
    errors[key] = MESSAGES.type('array');
    return null;
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function optionalUrl(value: unknown, key: string, errors: FieldErrors): string | null {
  if (isBlank(value)) return null;
  if (typeof value !== 'string') {
    errors[key] = MESSAGES.type('string');
    return null;
  }
  if (!isHttpUrl(value)) {
    errors[key] = MESSAGES.invalidUrl;
    return null;
  }
  return value;
}

/** Seed: `pending` is the attribute the `return_urls` object requires; `success` and `fail` fall back to `return_url`. */
function checkReturnUrls(value: unknown, errors: FieldErrors): ReturnUrls | null {
  if (isBlank(value)) return null;
  if (!isPlainObject(value)) {
    errors.return_urls = MESSAGES.type('array');
    return null;
  }
  const success = optionalUrl(value.success, 'return_urls.success', errors);
  const fail = optionalUrl(value.fail, 'return_urls.fail', errors);
  const pending = optionalUrl(value.pending, 'return_urls.pending', errors);
  if (isBlank(value.pending)) errors['return_urls.pending'] = MESSAGES.blank;
  return pending ? { success, fail, pending } : null;
}

function checkExpires(value: unknown, options: ValidationOptions, errors: FieldErrors): number | null {
  if (isBlank(value)) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) {
    errors.expires = MESSAGES.invalidDatetime;
    return null;
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    errors.expires = MESSAGES.invalidDatetime;
    return null;
  }
  const ahead = at - options.now;
  if (ahead < options.config.expiresMinMs || ahead > options.config.expiresMaxMs) {
    errors.expires = MESSAGES.expiresRange;
    return null;
  }
  return at;
}

function optionalBoolean(value: unknown, key: string, errors: FieldErrors, fromForm: boolean): boolean | null {
  if (isBlank(value)) return null;
  if (typeof value === 'boolean') return value;
  if (fromForm && typeof value === 'string') {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
  }
  errors[key] = MESSAGES.type('bool');
  return null;
}

/** A service's customer inputs: required ones must be there, and every given one must match the field's regexp. */
export function checkServiceFields(value: unknown, service: CatalogueService, errors: FieldErrors): Record<string, string> {
  if (!isBlank(value) && !isPlainObject(value)) {
    errors.service_fields = MESSAGES.type('array');
    return {};
  }
  const given = isPlainObject(value) ? value : {};
  const accepted: Record<string, string> = {};
  for (const field of service.fields) {
    const key = `service_fields.${field.key}`;
    const raw = given[field.key];
    if (isBlank(raw)) {
      if (field.required) errors[key] = MESSAGES.blank;
      continue;
    }
    if (typeof raw !== 'string') {
      errors[key] = MESSAGES.type('string');
      continue;
    }
    if (field.regexp && !new RegExp(field.regexp).test(raw)) {
      errors[key] = MESSAGES.invalid;
      continue;
    }
    accepted[field.key] = raw;
  }
  return accepted;
}

/** `customer[address][full_address]=…` form names → nested objects, as PHP reads them. */
export function formToObject(form: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of form) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match) continue;
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node = root;
    for (const [i, part] of path.entries()) {
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') break;
      if (i === path.length - 1) {
        node[part] = value;
      } else {
        const next = node[part];
        node = isPlainObject(next) ? next : (node[part] = {}) as Record<string, unknown>;
      }
    }
  }
  return root;
}
