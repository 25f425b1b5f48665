/** The sandbox converts money exactly as Kassa does (src/core/money.ts), plus plain text for hosted pages. */
import { toMajor } from '../../src/core/money.ts';

export { currencyExponent, toMajor, toMinor } from '../../src/core/money.ts';

/** "49.90 EUR"-style text for hosted pages. */
export function formatAmount(minor: number, currency: string): string {
  return `${toMajor(minor, currency)} ${currency.toUpperCase()}`;
}
