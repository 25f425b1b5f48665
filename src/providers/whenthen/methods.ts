/**
 * WhenThen has no "list methods" call: what a merchant can take depends on the gateways connected to its account.
 * Kassa offers the methods the configuration names, for the currencies each can be paid in.
 */
import type { MethodKind, MethodType, PaymentMethod } from '../../core/model.ts';
import type { MethodCode } from './config.ts';

/**
 * INVENTED: the currencies Kassa offers WhenThen for. WhenThen publishes no list (it routes to the merchant's own
 * gateways); these are the ones the sandbox's gateway connection accepts.
 */
export const WHENTHEN_CURRENCIES: ReadonlySet<string> = new Set(['EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'PLN', 'CHF', 'CZK', 'AUD', 'CAD', 'JPY']);

/** The currencies PayPal accepts payments in (PayPal's published list), of those above. */
const PAYPAL_CURRENCIES: ReadonlySet<string> = new Set(['EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'PLN', 'CHF', 'CZK', 'AUD', 'CAD', 'JPY']);

/** The currencies Klarna sells in (Klarna's published markets), of those above: no JPY. */
const KLARNA_CURRENCIES: ReadonlySet<string> = new Set(['EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'PLN', 'CHF', 'CZK', 'AUD', 'CAD']);

/**
 * INVENTED limits in minor units: at least 1, at most what `Amount.rawAmount: Int!` can answer back, rounded down as
 * the sandbox does (99 999 999).
 */
export const AMOUNT_MIN = 1;
export const AMOUNT_MAX = 99_999_999;

interface MethodSpec {
  kind: MethodKind;
  type: MethodType;
  name: Record<string, string>;
  /** `paymentMethod.type` in authorizePayment; undefined for card, which goes through the hosted checkout. */
  apmType: 'PAYPAL' | 'KLARNA' | undefined;
  currencies: ReadonlySet<string>;
}

export const METHOD_SPECS: Readonly<Record<MethodCode, MethodSpec>> = {
  // Kassa renders no card inputs (PCI): the shopper types the card on WhenThen's hosted checkout.
  card: { kind: 'card', type: 'card', name: { en: 'Card', de: 'Karte', fr: 'Carte bancaire', sv: 'Kort' }, apmType: undefined, currencies: WHENTHEN_CURRENCIES },
  paypal: { kind: 'wallet', type: 'paypal', name: { en: 'PayPal' }, apmType: 'PAYPAL', currencies: PAYPAL_CURRENCIES },
  klarna: { kind: 'invoice', type: 'klarna', name: { en: 'Klarna' }, apmType: 'KLARNA', currencies: KLARNA_CURRENCIES },
};

export const METHOD_PREFIX = 'whenthen:';

export function methodId(code: MethodCode): string {
  return `${METHOD_PREFIX}${code}`;
}

/** The enabled method a Kassa method id names, or undefined. */
export function methodCodeOf(id: string, enabled: readonly MethodCode[]): MethodCode | undefined {
  return enabled.find((code) => methodId(code) === id);
}

export function acceptsCurrency(code: MethodCode, currency: string): boolean {
  return WHENTHEN_CURRENCIES.has(currency) && METHOD_SPECS[code].currencies.has(currency);
}

/**
 * The enabled methods for a currency, in the configured order. The amount is left to the endpoint (`min`/`max`):
 * the list is cached per currency.
 */
export function methodsFor(enabled: readonly MethodCode[], currency: string): PaymentMethod[] {
  return enabled
    .filter((code) => acceptsCurrency(code, currency))
    .map((code) => ({
      id: methodId(code),
      provider: 'whenthen',
      kind: METHOD_SPECS[code].kind,
      type: METHOD_SPECS[code].type,
      name: { ...METHOD_SPECS[code].name },
      min: AMOUNT_MIN,
      max: AMOUNT_MAX,
    }));
}
