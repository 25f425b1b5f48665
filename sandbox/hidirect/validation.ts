/**
 * Checks a `POST /payments` body the way the seed describes each field, and collects every problem at once so the
 * 400 reply names them all.
 */
import { toMajor, toMinor } from '../core/money.ts';
import {
  CAPTURE_MODES,
  DEFAULT_CAPTURE_MODE,
  MAX_MERCHANT_REFERENCE_LENGTH,
  MAX_TOTAL_MINOR,
  SUPPORTED_CURRENCIES,
  type CaptureMode,
} from './config.ts';
import type { AmountDetails, MerchantUrls, NewPayment } from './state.ts';

export interface FieldError {
  field: string;
  message: string;
}

export type Parsed = { ok: true; value: NewPayment } | { ok: false; errors: FieldError[] };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "A positive integer or a positive float with up to 2 decimal places", as a JSON number. Returns cents. */
export function parseMajorAmount(value: unknown, currency: string, allowZero: boolean): number | string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  const minor = toMinor(String(value), currency);
  if (minor === undefined) return 'must have at most 2 decimal places';
  if (minor < 0 || (minor === 0 && !allowZero)) return allowZero ? 'must not be negative' : 'must be positive';
  if (minor > MAX_TOTAL_MINOR) return `must not exceed ${toMajor(MAX_TOTAL_MINOR, currency)}`;
  return minor;
}

function parseUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function parseCreatePayment(body: unknown): Parsed {
  if (!isObject(body)) return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): undefined => {
    errors.push({ field, message });
    return undefined;
  };

  let currency = SUPPORTED_CURRENCIES[0] as string;
  let amountMinor: number | undefined;
  if (!isObject(body.amount)) fail('amount', 'is required and must be an object');
  else {
    const { total, currency: rawCurrency } = body.amount;
    if (typeof rawCurrency !== 'string') fail('amount.currency', 'is required and must be a string');
    else if (!(SUPPORTED_CURRENCIES as readonly string[]).includes(rawCurrency.toUpperCase())) {
      fail('amount.currency', `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`);
    } else currency = rawCurrency.toUpperCase();
    if (total === undefined) fail('amount.total', 'is required');
    else {
      const parsed = parseMajorAmount(total, currency, false);
      if (typeof parsed === 'string') fail('amount.total', parsed);
      else amountMinor = parsed;
    }
  }

  const amountDetails = parseAmountDetails(body.amountDetails, currency, amountMinor ?? 0, fail);

  let merchantReference: string | null = null;
  if (body.merchantReference !== undefined && body.merchantReference !== null) {
    if (typeof body.merchantReference !== 'string') fail('merchantReference', 'must be a string');
    else if (body.merchantReference.length > MAX_MERCHANT_REFERENCE_LENGTH) {
      fail('merchantReference', `must be at most ${MAX_MERCHANT_REFERENCE_LENGTH} characters`);
    } else merchantReference = body.merchantReference;
  }

  const merchantUrls = parseMerchantUrls(body.merchantUrls, fail);

  let prescriptionRequired = false;
  if (body.prescriptionRequired !== undefined) {
    if (typeof body.prescriptionRequired !== 'boolean') fail('prescriptionRequired', 'must be a boolean');
    else prescriptionRequired = body.prescriptionRequired;
  }

  let cardCaptureMode: CaptureMode = DEFAULT_CAPTURE_MODE;
  if (body.cardCaptureMode !== undefined) {
    if (!(CAPTURE_MODES as readonly unknown[]).includes(body.cardCaptureMode)) fail('cardCaptureMode', `must be one of ${CAPTURE_MODES.join(', ')}`);
    else cardCaptureMode = body.cardCaptureMode as CaptureMode;
  }

  let merchantId: string | null = null;
  if (body.merchantId !== undefined) {
    if (typeof body.merchantId !== 'string' || body.merchantId.trim() === '') fail('merchantId', 'must be a non-empty string');
    else merchantId = body.merchantId;
  }

  if (errors.length || amountMinor === undefined || !merchantUrls || !amountDetails) return { ok: false, errors };
  return {
    ok: true,
    value: { amountMinor, currency, amountDetails, merchantReference, merchantUrls, prescriptionRequired, cardCaptureMode, merchantId },
  };
}

const REDIRECTS = ['successRedirect', 'failureRedirect', 'cancelRedirect'] as const;

function parseMerchantUrls(value: unknown, fail: (field: string, message: string) => undefined): MerchantUrls | undefined {
  if (!isObject(value)) return fail('merchantUrls', 'is required and must be an object');
  const urls: Partial<MerchantUrls> = {};
  let valid = true;
  for (const name of REDIRECTS) {
    const url = parseUrl(value[name]);
    if (url) urls[name] = url;
    else {
      fail(`merchantUrls.${name}`, 'is required and must be an absolute http(s) URL');
      valid = false;
    }
  }
  // "callback (optional)": without it no webhook is sent.
  if (value.callback !== undefined && value.callback !== null) {
    const url = parseUrl(value.callback);
    if (url) urls.callback = url;
    else {
      fail('merchantUrls.callback', 'must be an absolute http(s) URL');
      valid = false;
    }
  }
  return valid ? (urls as MerchantUrls) : undefined;
}

/**
 * INVENTED: the responses carry `amountDetails {tax, shipping, subtotal}` but the request fields for it are
 * undocumented; the simulator accepts the same object at the top level and otherwise reports the whole total as
 * subtotal.
 */
function parseAmountDetails(
  value: unknown,
  currency: string,
  totalMinor: number,
  fail: (field: string, message: string) => undefined,
): AmountDetails | undefined {
  if (value === undefined || value === null) return { tax: 0, shipping: 0, subtotal: totalMinor };
  if (!isObject(value)) return fail('amountDetails', 'must be an object');
  const details: AmountDetails = { tax: 0, shipping: 0, subtotal: 0 };
  let valid = true;
  for (const name of ['tax', 'shipping', 'subtotal'] as const) {
    if (value[name] === undefined) continue;
    const parsed = parseMajorAmount(value[name], currency, true);
    if (typeof parsed === 'number') details[name] = parsed;
    else {
      fail(`amountDetails.${name}`, parsed);
      valid = false;
    }
  }
  return valid ? details : undefined;
}
