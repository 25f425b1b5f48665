/**
 * hi.health's amounts ↔ Kassa's integer minor units. hi.health writes decimal major units in its REST examples
 * (`20.01`, "a positive float with up to 2 decimal places") and minor units in its webhook sample (`30000`), so the
 * unit of each edge is configured; a decimal is read exactly, digit by digit, never through floating-point arithmetic.
 */
import { toMajor, toMinor } from '../../core/money.ts';
import type { AmountUnit } from './config.ts';

/** Digits with an optional fraction: no sign, no exponent, no thousands separator. */
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Kassa's integer minor units → the JSON number hi.health reads in `unit` (49.9 for 4990 in major units). */
export function fromMinor(minor: number, unit: AmountUnit, currency: string): number {
  return unit === 'minor' ? minor : Number(toMajor(minor, currency));
}

/**
 * An amount as hi.health sends it — a JSON number (`20.01`) or a decimal string (`"20.01"`) — → minor units with the
 * currency's exponent; undefined when it cannot be one exactly (negative, more decimals than the currency has, an
 * exponent, not a number at all). A number is read through its shortest decimal form (`String(20.01)` is "20.01"),
 * which is the literal hi.health wrote. Minor units are whole, so a value with a decimal point is read as major
 * units even where minor units are configured: the unit hi.health uses is exactly what its docs disagree on.
 */
export function amountToMinor(value: unknown, unit: AmountUnit, currency: string): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  if (!DECIMAL.test(text)) return undefined;
  const minor = unit === 'minor' && !text.includes('.') ? Number(text) : toMinor(text, currency);
  return minor !== undefined && Number.isSafeInteger(minor) ? minor : undefined;
}

/**
 * The amount of a payment as hi.health shows it: `amount` beside `currency` (its replies and webhooks), or
 * `amount {total, currency}` (its entity table and the create body). Undefined when neither reads.
 */
export function paymentAmount(payment: Record<string, unknown>, unit: AmountUnit): { minor: number; currency: string } | undefined {
  const { amount } = payment;
  const nested = typeof amount === 'object' && amount !== null && !Array.isArray(amount) ? (amount as Record<string, unknown>) : undefined;
  const value = nested ? nested.total : amount;
  const currency = nested?.currency ?? payment.currency;
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) return undefined;
  const minor = amountToMinor(value, unit, currency.toUpperCase());
  return minor === undefined ? undefined : { minor, currency: currency.toUpperCase() };
}
