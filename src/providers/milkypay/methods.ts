/**
 * MilkyPay's payment pre-request answer → Kassa's payment methods: one method per visible service of the order's
 * currency, named and pictured by the service's payment method, with the service's customer inputs as fields and
 * its amount limits in minor units.
 *
 * Everything here is provider text and untrusted: names and labels are kept as plain strings of bounded length,
 * logos only through `safeImageUrl`, patterns only when Kassa's linear-time matcher (re2js) compiles them.
 */
import type { FieldKind, MethodField, MethodKind, MethodType, PaymentMethod } from '../../core/model.ts';
import { currencyExponent } from '../../core/money.ts';
import { compileSafePattern } from '../../core/safe-pattern.ts';
import { safeImageUrl } from '../../core/url-safety.ts';

export const PROVIDER = 'milkypay';
const ID_PREFIX = `${PROVIDER}:`;

/** Service codes and field keys are identifiers (`payment_card_eur_hpp`, `blik_code`); anything else is dropped. */
const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const LANGUAGE = /^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$/;
const MAX_TEXT = 200;

/** Corefy's method categories → Kassa's picker groups; anything else is `other`. */
const KIND_BY_CATEGORY: Readonly<Record<string, MethodKind>> = {
  payment_card: 'card',
  card: 'card',
  ewallet: 'wallet',
  e_wallet: 'wallet',
  wallet: 'wallet',
  online_banking: 'bank',
  bank_transfer: 'bank',
  banking: 'bank',
  mobile_commerce: 'mobile',
  mobile: 'mobile',
  invoice: 'invoice',
  installments: 'installments',
};

/** Corefy's payment method codes → what the shopper pays with; anything else is `other` (listed as MilkyPay names it). */
const TYPE_BY_METHOD: Readonly<Record<string, MethodType>> = {
  payment_card: 'card',
  card: 'card',
  paypal: 'paypal',
  klarna: 'klarna',
  blik: 'blik',
  mbway: 'mbway',
  przelewy24: 'p24',
  p24: 'p24',
  bank_transfer: 'bank-transfer',
};

/** MilkyPay's service field keys Kassa knows the meaning of. */
const KIND_BY_FIELD_KEY: Readonly<Record<string, FieldKind>> = {
  phone: 'phone',
  msisdn: 'phone',
  phone_number: 'phone',
  email: 'email',
  blik_code: 'blik-code',
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Kassa's method id for a service, and back. */
export const methodId = (serviceCode: string) => `${ID_PREFIX}${serviceCode}`;
export function serviceCodeOf(methodIdValue: string): string | undefined {
  const code = methodIdValue.startsWith(ID_PREFIX) ? methodIdValue.slice(ID_PREFIX.length) : '';
  return CODE.test(code) ? code : undefined;
}

/** The pre-request's `data` → the methods for `currency`, in the account's order (`position`, then as listed). */
export function methodsFromPrerequest(answer: unknown, currency: string): PaymentMethod[] {
  const data = isObject(answer) && isObject(answer.data) ? answer.data : undefined;
  if (!data || !isObject(data.services)) return [];
  const catalogue = isObject(data.methods) ? data.methods : {};
  const listed: Array<{ method: PaymentMethod; position: number }> = [];
  for (const service of Object.values(data.services)) {
    if (!isObject(service) || typeof service.code !== 'string' || !CODE.test(service.code)) continue;
    // The pre-request may list services in other currencies; Kassa charges the order's own currency only.
    if (service.currency !== currency) continue;
    const info = typeof service.method === 'string' ? catalogue[service.method] : undefined;
    const about = isObject(info) ? info : {};
    if (about.hide === true) continue;
    listed.push({ method: toMethod(service, about, currency), position: typeof about.position === 'number' ? about.position : Infinity });
  }
  // A stable sort keeps the answer's order among equal positions.
  return listed.sort((a, b) => a.position - b.position).map((entry) => entry.method);
}

function toMethod(service: Json, about: Json, currency: string): PaymentMethod {
  const code = service.code as string;
  const fallbackName = typeof service.method === 'string' ? service.method : code;
  const method: PaymentMethod = {
    id: methodId(code),
    provider: PROVIDER,
    kind: KIND_BY_CATEGORY[typeof about.category === 'string' ? about.category : ''] ?? 'other',
    type: (typeof service.method === 'string' && Object.hasOwn(TYPE_BY_METHOD, service.method) && TYPE_BY_METHOD[service.method]) || 'other',
    name: localized(about.name, fallbackName),
  };
  const logo = safeImageUrl(about.logo) ?? safeImageUrl(about.icon);
  if (logo) method.logo = logo;
  const fields = Array.isArray(service.fields) ? fieldsOf(service.fields) : [];
  if (fields.length) method.fields = fields;
  const min = minorLimit(service.amount_min, currency, 'min');
  const max = minorLimit(service.amount_max, currency, 'max');
  if (min !== undefined) method.min = min;
  if (max !== undefined) method.max = max;
  return method;
}

/** `{en, ru, uk}` → the same map with only short strings kept; `en` is always there (first other language, or the fallback). */
export function localized(value: unknown, fallback: string): Record<string, string> {
  const texts: Record<string, string> = {};
  if (isObject(value)) {
    for (const [language, text] of Object.entries(value)) {
      if (LANGUAGE.test(language) && typeof text === 'string' && text.trim()) texts[language] = text.trim().slice(0, MAX_TEXT);
    }
  }
  texts.en ??= Object.values(texts)[0] ?? fallback;
  return texts;
}

function fieldsOf(list: unknown[]): MethodField[] {
  return list
    .filter((f): f is Json => isObject(f) && typeof f.key === 'string' && CODE.test(f.key))
    .sort((a, b) => (typeof a.position === 'number' ? a.position : Infinity) - (typeof b.position === 'number' ? b.position : Infinity))
    .map(toField);
}

function toField(field: Json): MethodField {
  const key = field.key as string;
  const result: MethodField = { key, type: inputType(field.type, key), label: localized(field.label, key), required: field.required === true };
  const kind = Object.hasOwn(KIND_BY_FIELD_KEY, key) ? KIND_BY_FIELD_KEY[key] : undefined;
  if (kind) result.kind = kind;
  if (isObject(field.hint)) {
    const hint = localized(field.hint, '');
    if (hint.en) result.hint = hint;
  }
  if ((typeof field.example === 'string' && field.example) || typeof field.example === 'number') result.example = String(field.example).slice(0, MAX_TEXT);
  // A pattern re2js cannot run (a backreference, a lookaround) would not be applied anyway; MilkyPay checks the value again.
  if (typeof field.regexp === 'string' && compileSafePattern(field.regexp)) result.pattern = field.regexp;
  return result;
}

/** MilkyPay types its inputs `string` even for a phone number; the key tells the keyboard a phone wants. */
function inputType(type: unknown, key: string): MethodField['type'] {
  if (type === 'email' || /e-?mail/i.test(key)) return 'email';
  if (type === 'phone' || type === 'tel' || /phone|msisdn/i.test(key)) return 'tel';
  if (type === 'number' || type === 'integer' || type === 'numeric') return 'number';
  return 'text';
}

/**
 * A limit in major units (`0.01`, `1000000`) → minor units, rounded inwards so the endpoint never offers the method
 * for an amount MilkyPay would refuse.
 */
export function minorLimit(value: unknown, currency: string, bound: 'min' | 'max'): number | undefined {
  const major = typeof value === 'string' ? Number(value) : value;
  if (typeof major !== 'number' || !Number.isFinite(major) || major < 0) return undefined;
  // toPrecision(15) drops float noise (0.1 * 100 = 10.000000000000002) before rounding.
  const minor = Number((major * 10 ** currencyExponent(currency)).toPrecision(15));
  return bound === 'min' ? Math.ceil(minor) : Math.floor(minor);
}
