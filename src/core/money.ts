/**
 * Money in Kassa is integer minor units plus an ISO 4217 currency. Hero, WhenThen and Kronor speak minor units too;
 * MilkyPay and hi.health speak decimal major units ("123.45"), converted at their edge with each currency's real
 * exponent (JPY 0, KWD 3).
 */
const EXPONENTS: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** 12345 SEK → "123.45"; 500 JPY → "500". */
export function toMajor(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** "123.45" or 123.45 → 12345 for a two-decimal currency; undefined when the value has more decimals than the currency allows. */
export function toMinor(major: string | number, currency: string): number | undefined {
  const exp = currencyExponent(currency);
  const text = typeof major === 'number' ? major.toFixed(exp) : major.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, frac = ''] = match;
  if (frac.replace(/0+$/, '').length > exp) return undefined;
  const minor = Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0').slice(0, exp) || '0');
  return sign ? -minor : minor;
}
