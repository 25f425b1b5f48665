/**
 * Input checks shared by the GraphQL API and the hosted checkout. Each throws WhenThen's own kind of error (see
 * ERROR_CODES); GraphQL itself already refused wrong types and missing required fields before these run.
 */
import {
  AMOUNT_MAX_MINOR,
  AMOUNT_MIN_MINOR,
  DEFAULT_CARD_BEHAVIOUR,
  ERROR_CODES,
  SUPPORTED_CURRENCIES,
  TEST_CARDS,
  type CardBehaviour,
} from './config.ts';
import { whenThenError } from './errors.ts';

export function requireAmount(amount: number | null | undefined, field = 'amount'): number {
  if (amount === null || amount === undefined) throw whenThenError(ERROR_CODES.invalidAmount, `${field} is required`);
  if (!Number.isInteger(amount) || amount < AMOUNT_MIN_MINOR || amount > AMOUNT_MAX_MINOR) {
    throw whenThenError(
      ERROR_CODES.invalidAmount,
      `${field} must be an integer number of minor units from ${AMOUNT_MIN_MINOR} to ${AMOUNT_MAX_MINOR}, got ${amount}`,
    );
  }
  return amount;
}

export function requireCurrency(currency: string | null | undefined, field = 'currencyCode'): string {
  if (!currency) throw whenThenError(ERROR_CODES.unsupportedCurrency, `${field} is required`);
  if (!SUPPORTED_CURRENCIES.has(currency)) {
    throw whenThenError(ERROR_CODES.unsupportedCurrency, `${field} ${JSON.stringify(currency)} is not a supported ISO 4217 currency`);
  }
  return currency;
}

/** Redirect targets must be absolute http(s) URLs: the shopper's browser is sent there. */
export function requireUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw whenThenError(ERROR_CODES.invalidUrl, `${field} must be an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw whenThenError(ERROR_CODES.invalidUrl, `${field} must be an http or https URL`);
  }
  return url;
}

export function optionalUrl(url: string | null | undefined, field: string): string | null {
  return url ? requireUrl(url, field) : null;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type CardBrand = 'VISA' | 'MASTERCARD' | 'AMEX' | 'MAESTRO' | 'CARD';

/** The scheme from the card number's first digits; CARD when the sandbox does not know it. */
export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'VISA';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return 'MASTERCARD';
  if (/^3[47]/.test(digits)) return 'AMEX';
  if (/^(50|5[6-9]|6)/.test(digits)) return 'MAESTRO';
  return 'CARD';
}

export function cardBehaviour(digits: string): CardBehaviour {
  return TEST_CARDS.find((card) => card.number === digits)?.behaviour ?? DEFAULT_CARD_BEHAVIOUR;
}

export interface CardInput {
  number?: string | null;
  expMonth: number;
  expYear: number;
  cvc?: string | null | undefined;
}

export interface CheckedCard {
  digits: string;
  expMonth: number;
  /** Four digits; a two-digit year is read as 20YY. */
  expYear: number;
}

/** Checks a card the way an acquirer would, naming the first problem with WhenThen's decline vocabulary. */
export function checkCard(card: CardInput, now: Date): CheckedCard {
  const digits = (card.number ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
    throw whenThenError(ERROR_CODES.incorrectNumber, 'The card number is incorrect');
  }
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    throw whenThenError(ERROR_CODES.invalidDate, 'expMonth must be from 1 to 12');
  }
  const expYear = card.expYear >= 0 && card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  if (!Number.isInteger(expYear) || expYear < 2000 || expYear > 2100) {
    throw whenThenError(ERROR_CODES.invalidDate, 'expYear must be a year such as 2030');
  }
  // A card is valid through the last day of its expiry month.
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (expYear * 12 + card.expMonth < thisMonth) throw whenThenError(ERROR_CODES.expiredCard, 'The card has expired');
  if (card.cvc !== null && card.cvc !== undefined && !/^\d{3,4}$/.test(card.cvc)) {
    throw whenThenError(ERROR_CODES.invalidCvc, 'The CVC must be 3 or 4 digits');
  }
  return { digits, expMonth: card.expMonth, expYear };
}
