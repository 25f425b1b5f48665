/**
 * Hero's payment types as Kassa methods: names, kinds, the customer-limit rule Hero's own plugin applies, and the
 * cache key the method list depends on. Pure functions; the adapter does the calls.
 */
import type { MethodKind, PaymentMethod } from '../../core/model.ts';
import type { ResolvedOrder } from '../../server/provider.ts';
import type { CustomerLimits } from './graphql.ts';
import { issuerFields, missingIssuerFields } from './issuer.ts';

/** Hero's `PaymentType` enum (capital X), in the order Hero's plugin shows them. */
export const PAYMENT_TYPES = ['Pay1X', 'Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay45D', 'Pay60D'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** Hero only moves euros (amounts are euro cents). */
export const HERO_CURRENCY = 'EUR';

const INSTALMENT_TYPES: ReadonlySet<PaymentType> = new Set(['Pay3X', 'Pay4X']);
const DEFERRED_TYPES: ReadonlySet<PaymentType> = new Set(['Pay15D', 'Pay30D', 'Pay45D', 'Pay60D']);

/** French names as Hero shows them (providers.md); English ones for other shoppers. */
const NAMES: Readonly<Record<PaymentType, { en: string; fr: string }>> = {
  Pay1X: { en: 'Pay in full', fr: 'Paiement comptant' },
  Pay3X: { en: 'Pay in 3 interest-free instalments', fr: 'Paiement en 3 fois sans frais' },
  Pay4X: { en: 'Pay in 4 interest-free instalments', fr: 'Paiement en 4 fois sans frais' },
  Pay15D: { en: 'Pay in 15 days', fr: 'Paiement à 15 jours' },
  Pay30D: { en: 'Pay in 30 days', fr: 'Paiement à 30 jours' },
  Pay45D: { en: 'Pay in 45 days', fr: 'Paiement à 45 jours' },
  Pay60D: { en: 'Pay in 60 days', fr: 'Paiement à 60 jours' },
};

export function isPaymentType(value: unknown): value is PaymentType {
  return typeof value === 'string' && (PAYMENT_TYPES as readonly string[]).includes(value);
}

/** Instalments are `installments`; deferred payment and Hero's cash payment are B2B invoices Hero settles. */
export function methodKind(type: PaymentType): MethodKind {
  return INSTALMENT_TYPES.has(type) ? 'installments' : 'invoice';
}

export function methodId(type: PaymentType): string {
  return `hero:${type}`;
}

/** `hero:Pay3X` → `Pay3X`; undefined for anything else. */
export function paymentTypeOf(methodId: string): PaymentType | undefined {
  const [provider, code, ...rest] = methodId.split(':');
  return provider === 'hero' && rest.length === 0 && isPaymentType(code) ? code : undefined;
}

/** Hero's answer, kept to the types Kassa knows (a new enum value is skipped, not shown unnamed), in Hero's order. */
export function knownPaymentTypes(answer: unknown): PaymentType[] {
  const given = new Set(Array.isArray(answer) ? answer : []);
  return PAYMENT_TYPES.filter((type) => given.has(type));
}

/**
 * Hero's plugin rule: a customer's remaining room is `max − current`; deferred types (Pay15D … Pay60D) are hidden
 * when the amount is over the room under `maxPay30D`, instalments (Pay3X, Pay4X) over the room under `maxPay3X`.
 * Pay1X is never financed, so never hidden. Without limits nothing is hidden (Hero checks again on its page).
 */
export function withinCustomerLimits(types: readonly PaymentType[], amount: number, limits: CustomerLimits | undefined): PaymentType[] {
  if (!limits) return [...types];
  const deferredRoom = limits.maxPay30D - limits.current;
  const instalmentRoom = limits.maxPay3X - limits.current;
  return types.filter((type) => {
    if (DEFERRED_TYPES.has(type)) return amount <= deferredRoom;
    if (INSTALMENT_TYPES.has(type)) return amount <= instalmentRoom;
    return true;
  });
}

/** Hero's limits answer, or undefined when it is not one (then no type is hidden). */
export function parseCustomerLimits(value: unknown): CustomerLimits | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { current, maxPay30D, maxPay3X } = value as Record<string, unknown>;
  const isCents = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  return isCents(current) && isCents(maxPay30D) && isCents(maxPay3X) ? { current, maxPay30D, maxPay3X } : undefined;
}

/**
 * One method per type. No `min`/`max`: Hero already filtered by amount, and a customer's remaining credit is not
 * something to hand to the browser.
 */
export function toMethods(types: readonly PaymentType[], order: ResolvedOrder): PaymentMethod[] {
  const missing = missingIssuerFields(order);
  return types.map((type) => {
    const method: PaymentMethod = { id: methodId(type), provider: 'hero', kind: methodKind(type), type: 'b2b-pay-later', variant: type, name: { ...NAMES[type] } };
    if (missing.length) method.fields = issuerFields(missing);
    return method;
  });
}

/**
 * What Hero's method list depends on: the exact amount (Hero's per-type ranges are per merchant and unpublished,
 * so no coarser bucket is safe), the customer (their limits) and which issuer details must be asked.
 */
export function methodsCacheKey(order: ResolvedOrder): string {
  if (order.currency !== HERO_CURRENCY) return order.currency;
  return JSON.stringify([order.currency, order.amount, order.customer?.reference ?? null, missingIssuerFields(order)]);
}
