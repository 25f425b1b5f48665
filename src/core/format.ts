/** Amounts for shoppers: integer minor units shown with Intl.NumberFormat in the shopper's locale. */
import { currencyExponent } from './money.ts';

/** One formatter per language and currency: making one costs far more than formatting with it. */
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * `minor` units of `currency` as read in `tag` ("€49.90", "49,90 kr"). `cache` keeps the formatters; the endpoint
 * passes one with a bound, since the tags it formats for are its clients' choice.
 */
export function formatAmount(minor: number, currency: string, tag: string, cache: Map<string, Intl.NumberFormat> = formatters): string {
  const exponent = currencyExponent(currency);
  const key = `${tag}|${currency}`;
  try {
    let format = cache.get(key);
    if (!format) cache.set(key, (format = new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent })));
    return format.format(minor / 10 ** exponent);
  } catch {
    return `${(minor / 10 ** exponent).toFixed(exponent)} ${currency}`;
  }
}
