/** Amounts for shoppers: integer minor units shown with Intl.NumberFormat in the shopper's locale. */
import { currencyExponent } from './money.ts';

export function formatAmount(minor: number, currency: string, tag: string): string {
  const exponent = currencyExponent(currency);
  try {
    return new Intl.NumberFormat(tag, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(minor / 10 ** exponent);
  } catch {
    return `${(minor / 10 ** exponent).toFixed(exponent)} ${currency}`;
  }
}
