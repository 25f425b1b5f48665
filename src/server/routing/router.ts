/**
 * The session's list and each click's route, from one place: the providers' methods for the order, the merchant's
 * routing rules and provider health. A session lists what a click can be routed to, and nothing else.
 */
import type { PaymentMethod, ProviderName } from '../../core/model.ts';
import type { ResolvedOrder } from '../provider.ts';
import type { MethodLists } from '../sessions/methods.ts';
import type { ProviderHealth } from './health.ts';
import { entryFor, offersFor, providerEntry, type Offer, type RoutingConfig } from './rules.ts';

/** Where a click goes: the provider methods to try in order; `direct` when the shopper named one provider's method. */
export interface ClickRoute {
  candidates: PaymentMethod[];
  direct: boolean;
}

export class MethodRouter {
  constructor(
    private readonly deps: { methods: MethodLists; health: ProviderHealth; routing: RoutingConfig; configured: readonly ProviderName[] },
  ) {}

  /**
   * The session's entries: one per method type (or every provider's own, with `list: 'provider'`), leaving out
   * providers whose breaker is open — and a type none of whose providers is usable.
   */
  async entries(order: ResolvedOrder): Promise<PaymentMethod[]> {
    const offers = await this.offers(order);
    const usable = await Promise.all(offers.map((offer) => this.usable(offer.candidates)));
    if (this.deps.routing.list === 'provider') return usable.flat().map((method) => providerEntry(method, this.deps.routing));
    return offers.flatMap((offer, i) => (usable[i]!.length ? [entryFor(offer, usable[i]!, this.deps.routing)] : []));
  }

  /**
   * The route for the method id a click names: an entry's id (type and variant) goes over every provider routing
   * allows, in order; a provider's own method id (`whenthen:card`) only to that provider, when routing allows it for
   * the order. Undefined when the order cannot be paid with it. With `list: 'provider'` only provider ids are taken.
   */
  async route(order: ResolvedOrder, methodId: string): Promise<ClickRoute | undefined> {
    const offers = await this.offers(order);
    if (this.deps.routing.list !== 'provider') {
      const offer = offers.find((o) => o.key === methodId);
      if (offer) return { candidates: offer.candidates, direct: false };
    }
    for (const offer of offers) {
      const method = offer.candidates.find((m) => m.id === methodId);
      // A method Kassa has no type for is listed under its own id: its route is its one provider.
      if (method) return { candidates: [method], direct: offer.key !== methodId };
    }
    return undefined;
  }

  private async offers(order: ResolvedOrder): Promise<Offer[]> {
    return offersFor(await this.deps.methods.forOrder(order), order, this.deps.routing, this.deps.configured);
  }

  /** The candidates whose provider is not left out by its breaker (a probing one is usable: a click may probe it). */
  private async usable(candidates: readonly PaymentMethod[]): Promise<PaymentMethod[]> {
    const states = await Promise.all(candidates.map((m) => this.deps.health.state(m.provider, 'create')));
    return candidates.filter((_, i) => states[i] !== 'open');
  }
}
