/**
 * The session's list and each click's route, from one place: the providers' methods for the order, the merchant's
 * routing rules and provider health. A session lists what a click can be routed to, and nothing else.
 */
import type { PaymentMethod, ProviderName } from '../../core/model.ts';
import type { ResolvedOrder } from '../provider.ts';
import { takesAmount, type MethodLists } from '../sessions/methods.ts';
import type { ProviderHealth } from './health.ts';
import { entryFor, offersFor, providerEntry, type Offer, type RouteRule, type RoutingConfig } from './rules.ts';

/** Where a click goes: the provider methods to try in order; `direct` when the shopper named one provider's method. */
export interface ClickRoute {
  candidates: PaymentMethod[];
  direct: boolean;
}

/** How many routed lists are remembered; emptied when full (keys change as provider lists are refreshed). */
const MEMO_SIZE = 256;

/** The order's offers, as routing made them from one set of provider lists, and the entries made of them per health. */
interface Routed {
  offers: Offer[];
  /** Every provider among the offers' candidates: the breakers the entries depend on. */
  providers: ProviderName[];
  entries: Map<string, PaymentMethod[]>;
}

export class MethodRouter {
  /**
   * Routed lists by what routing depends on (see `routingKey`): sessions for the same kind of order reuse them instead
   * of grouping and routing the providers' methods again.
   */
  private readonly memo = new Map<string, Routed>();
  /** Ids for the provider lists seen: a refreshed list is a new array, so a new id and a new key. */
  private readonly listIds = new WeakMap<object, number>();
  private nextListId = 0;
  private readonly amountRules: readonly RouteRule[];
  private readonly countryMatters: boolean;

  constructor(
    private readonly deps: { methods: MethodLists; health: ProviderHealth; routing: RoutingConfig; configured: readonly ProviderName[] },
  ) {
    const rules = Object.values(deps.routing.methods ?? {})
      .flat()
      .flatMap((rule) => (typeof rule === 'string' ? [] : [rule]));
    this.amountRules = rules.filter((rule) => rule.minAmount !== undefined || rule.maxAmount !== undefined);
    this.countryMatters = rules.some((rule) => rule.countries);
  }

  /**
   * The session's entries: one per method type (or every provider's own, with `list: 'provider'`), leaving out
   * providers whose breaker is open — and a type none of whose providers is usable.
   */
  async entries(order: ResolvedOrder): Promise<PaymentMethod[]> {
    const routed = await this.routed(order);
    const states = await this.deps.health.states(routed.providers, 'create');
    const healthKey = states.join();
    let entries = routed.entries.get(healthKey);
    if (!entries) {
      // A probing provider is usable: a click may probe it.
      const open = new Set(routed.providers.filter((_, i) => states[i] === 'open'));
      entries = this.entriesOf(routed.offers, (candidates) => candidates.filter((m) => !open.has(m.provider)));
      routed.entries.set(healthKey, entries);
    }
    return entries;
  }

  /**
   * The route for the method id a click names: an entry's id (type and variant) goes over every provider routing
   * allows, in order; a provider's own method id (`whenthen:card`) only to that provider, when routing allows it for
   * the order. Undefined when the order cannot be paid with it. With `list: 'provider'` only provider ids are taken.
   */
  async route(order: ResolvedOrder, methodId: string): Promise<ClickRoute | undefined> {
    const { offers } = await this.routed(order);
    if (this.deps.routing.list !== 'provider') {
      const offer = offers.find((o) => o.key === methodId);
      if (offer) return { candidates: [...offer.candidates], direct: false };
    }
    for (const offer of offers) {
      const method = offer.candidates.find((m) => m.id === methodId);
      // A method Kassa has no type for is listed under its own id: its route is its one provider.
      if (method) return { candidates: [method], direct: offer.key !== methodId };
    }
    return undefined;
  }

  private entriesOf(offers: readonly Offer[], usable: (candidates: readonly PaymentMethod[]) => PaymentMethod[]): PaymentMethod[] {
    const { routing } = this.deps;
    if (routing.list === 'provider') return offers.flatMap((offer) => usable(offer.candidates)).map((method) => providerEntry(method, routing));
    return offers.flatMap((offer) => {
      const candidates = usable(offer.candidates);
      return candidates.length ? [entryFor(offer, candidates, routing)] : [];
    });
  }

  private async routed(order: ResolvedOrder): Promise<Routed> {
    const lists = await this.deps.methods.lists(order);
    const key = this.routingKey(order, lists);
    let routed = this.memo.get(key);
    if (!routed) {
      const methods = lists.flat().filter((m) => takesAmount(m, order.amount));
      const offers = offersFor(methods, order, this.deps.routing, this.deps.configured);
      const providers = [...new Set(offers.flatMap((offer) => offer.candidates.map((m) => m.provider)))];
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(key, (routed = { offers, providers, entries: new Map() }));
    }
    return routed;
  }

  /**
   * Everything routing reads from the order and the providers, as one key: the provider lists (by identity), the
   * currency, the shopper's country where a rule names countries, and for the amount which limits it is within —
   * each method's own and each rule's — rather than the amount itself, so orders of different amounts share a key.
   */
  routingKey(order: ResolvedOrder, lists: ReadonlyArray<readonly PaymentMethod[]>): string {
    let key = order.currency;
    for (const list of lists) key += `|${this.listId(list)}`;
    if (this.countryMatters) key += `|${order.customer?.country?.toUpperCase() ?? ''}`;
    let within = '|';
    for (const list of lists) {
      for (const method of list) if (method.min !== undefined || method.max !== undefined) within += takesAmount(method, order.amount) ? '1' : '0';
    }
    for (const rule of this.amountRules) {
      within += (rule.minAmount === undefined || order.amount >= rule.minAmount) && (rule.maxAmount === undefined || order.amount <= rule.maxAmount) ? '1' : '0';
    }
    return key + within;
  }

  private listId(list: readonly PaymentMethod[]): number {
    let id = this.listIds.get(list);
    if (id === undefined) this.listIds.set(list, (id = this.nextListId++));
    return id;
  }
}
