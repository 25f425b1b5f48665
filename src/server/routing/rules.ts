/**
 * Routing over providers, as pure functions: which providers may take a method type for an order (the merchant's
 * rules, or the order providers are configured in), and the session's entries built from the providers' methods.
 * The list the shopper sees and the route a click takes come from the same `offersFor`, so the list never offers a
 * method that cannot be routed.
 */
import { z } from 'zod';
import {
  CARD_BRANDS,
  METHOD_TYPES,
  PROVIDER_NAMES,
  type CardBrand,
  type MethodType,
  type PaymentMethod,
  type ProviderName,
} from '../../core/model.ts';
import type { ResolvedOrder } from '../provider.ts';

/** One provider for a method type, taken only when every condition given holds. */
export interface RouteRule {
  provider: ProviderName;
  /** ISO 4217 codes the provider takes this type in (any when absent). */
  currencies?: string[];
  /** Minor units, inclusive. */
  minAmount?: number;
  maxAmount?: number;
  /** ISO 3166-1 alpha-2 countries of the shopper (`order.customer.country`); an order without one does not match. */
  countries?: string[];
}

export interface RoutingConfig {
  /**
   * Per method type, the providers to try, in order: a provider name, or a rule with conditions. A provider left out
   * of a type's list is never used for it. A type without a list goes to every provider that offers it, in the order
   * `providers` names them.
   */
  methods?: Partial<Record<MethodType, Array<ProviderName | RouteRule>>>;
  /**
   * `type` (the default): one entry per method type, routed over its providers with failover. `provider`: every
   * provider's own entry (the shopper chooses the provider; no failover).
   */
  list?: 'type' | 'provider';
  /** The card brands card entries show; Visa and Mastercard by default. */
  cardBrands?: CardBrand[];
}

const ISO_CURRENCY = /^[A-Z]{3}$/;
const ISO_COUNTRY = /^[A-Z]{2}$/;

const ruleSchema = z.union([
  z.enum(PROVIDER_NAMES),
  z
    .strictObject({
      provider: z.enum(PROVIDER_NAMES),
      currencies: z.array(z.string().regex(ISO_CURRENCY, 'currencies are ISO 4217 codes such as EUR')).min(1).optional(),
      minAmount: z.number().int().min(0).optional(),
      maxAmount: z.number().int().min(0).optional(),
      countries: z.array(z.string().regex(ISO_COUNTRY, 'countries are ISO 3166-1 alpha-2 codes such as SE')).min(1).optional(),
    })
    .refine((rule) => rule.minAmount === undefined || rule.maxAmount === undefined || rule.minAmount <= rule.maxAmount, 'minAmount is above maxAmount'),
]);

/** @internal */
export const routingSchema = z.strictObject({
  methods: z.partialRecord(z.enum(METHOD_TYPES), z.array(ruleSchema)).optional(),
  list: z.enum(['type', 'provider']).optional(),
  cardBrands: z.array(z.enum(CARD_BRANDS)).optional(),
});

/** The conditions of a rule that hold for the order. */
export function ruleMatches(rule: RouteRule, order: ResolvedOrder): boolean {
  if (rule.currencies && !rule.currencies.includes(order.currency)) return false;
  if (rule.minAmount !== undefined && order.amount < rule.minAmount) return false;
  if (rule.maxAmount !== undefined && order.amount > rule.maxAmount) return false;
  if (rule.countries) {
    const country = order.customer?.country?.toUpperCase();
    if (!country || !rule.countries.includes(country)) return false;
  }
  return true;
}

/** The providers that may take `type` for the order, in the order they are tried. */
export function providersFor(type: MethodType, order: ResolvedOrder, routing: RoutingConfig, configured: readonly ProviderName[]): ProviderName[] {
  const rules = routing.methods?.[type];
  if (!rules) return [...configured];
  const chosen: ProviderName[] = [];
  for (const entry of rules) {
    const rule = typeof entry === 'string' ? { provider: entry } : entry;
    if (configured.includes(rule.provider) && !chosen.includes(rule.provider) && ruleMatches(rule, order)) chosen.push(rule.provider);
  }
  return chosen;
}

/** What a method is listed under: its type and variant, or (for `other`) the provider's own method. */
export function offerKey(method: PaymentMethod): string {
  const type = method.type ?? 'other';
  if (type === 'other') return method.id;
  return method.variant ? `${type}.${method.variant}` : type;
}

/** One entry the shopper can choose, and the provider methods that may take it, in the order they are tried. */
export interface Offer {
  key: string;
  candidates: PaymentMethod[];
}

/**
 * The order's offers: provider methods (already filtered by amount) grouped by `offerKey`, each group kept to the
 * providers routing allows for its type, in routing order. Offers keep the order their first method was listed in.
 */
export function offersFor(methods: readonly PaymentMethod[], order: ResolvedOrder, routing: RoutingConfig, configured: readonly ProviderName[]): Offer[] {
  const grouped = new Map<string, PaymentMethod[]>();
  for (const method of methods) {
    const key = offerKey(method);
    const group = grouped.get(key) ?? [];
    // A provider offers one method per key: a second would be the same choice twice.
    if (!group.some((m) => m.provider === method.provider)) group.push(method);
    grouped.set(key, group);
  }
  const offers: Offer[] = [];
  for (const [key, group] of grouped) {
    const routed = providersFor(group[0]!.type ?? 'other', order, routing, configured);
    const candidates = routed.flatMap((provider) => group.filter((m) => m.provider === provider));
    if (candidates.length) offers.push({ key, candidates });
  }
  return offers;
}

export const DEFAULT_CARD_BRANDS: readonly CardBrand[] = ['visa', 'mastercard'];

/**
 * The session's entry for an offer: its first usable candidate's method under the offer's key, with Kassa's logo for
 * its type and every provider it may go to. `usable` are the candidates whose provider is healthy (at least one).
 */
export function entryFor(offer: Offer, usable: readonly PaymentMethod[], routing: RoutingConfig): PaymentMethod {
  const first = usable[0] ?? offer.candidates[0]!;
  const type = first.type ?? 'other';
  const entry: PaymentMethod = {
    id: type === 'other' ? first.id : offer.key,
    provider: first.provider,
    providers: usable.map((m) => m.provider),
    kind: first.kind,
    type,
    name: { ...first.name },
    logo: type === 'other' ? (first.logo ?? 'kassa:other') : `kassa:${type}`,
  };
  if (first.variant) entry.variant = first.variant;
  if (type === 'card') entry.brands = [...(routing.cardBrands ?? DEFAULT_CARD_BRANDS)];
  if (first.fields?.length) entry.fields = first.fields.map((f) => ({ ...f }));
  return entry;
}

/** A provider's own entry, for the `provider` list: as the provider lists it, with a logo. */
export function providerEntry(method: PaymentMethod, routing: RoutingConfig): PaymentMethod {
  const type = method.type ?? 'other';
  const entry: PaymentMethod = { ...method, type, logo: method.logo ?? `kassa:${type}` };
  delete entry.min;
  delete entry.max;
  if (type === 'card') entry.brands = [...(routing.cardBrands ?? DEFAULT_CARD_BRANDS)];
  return entry;
}

/**
 * The shopper's inputs as a candidate takes them: its own keys, or a field of the same kind under another key (the
 * entry showed the first candidate's fields). Undefined when a required field has no value: the candidate is skipped.
 */
export function fieldsForCandidate(candidate: PaymentMethod, given: Readonly<Record<string, string>>, shown: readonly PaymentMethod['fields'][]): Record<string, string> | undefined {
  const byKind = new Map<string, string>();
  for (const fields of shown) {
    for (const field of fields ?? []) {
      const value = given[field.key];
      if (field.kind && value !== undefined && !byKind.has(field.kind)) byKind.set(field.kind, value);
    }
  }
  const fields: Record<string, string> = {};
  for (const field of candidate.fields ?? []) {
    const value = given[field.key] ?? (field.kind ? byKind.get(field.kind) : undefined);
    if (value === undefined || !value.trim()) {
      if (field.required) return undefined;
      continue;
    }
    fields[field.key] = value;
  }
  return fields;
}
