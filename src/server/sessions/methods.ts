/**
 * The methods an order can be paid with: every enabled provider's list, each cached briefly, filtered by amount. A
 * provider whose listing keeps failing is not asked while its breaker is open: sessions do not wait on it.
 */
import type { PaymentMethod } from '../../core/model.ts';
import type { ProviderAdapter, ResolvedOrder } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { ProviderHealth } from '../routing/health.ts';

/** A provider's listing, shared by the sessions that ask while it is fresh; `listed` once it has arrived. */
interface CachedList {
  expires: number;
  methods: Promise<PaymentMethod[]>;
  listed?: PaymentMethod[];
}

/** What a provider that is not asked, or whose listing failed, offers: one array, so it reads as the same list each time. */
const NOTHING: readonly PaymentMethod[] = Object.freeze([]);

/** Whether the order's amount is within the method's own limits. */
export function takesAmount(method: PaymentMethod, amount: number): boolean {
  return (method.min === undefined || amount >= method.min) && (method.max === undefined || amount <= method.max);
}

export class MethodLists {
  private readonly cache = new Map<string, CachedList>();

  constructor(
    private readonly adapters: Adapters,
    private readonly options: { cacheSeconds: number; timeoutMs: number; health: ProviderHealth; onError: (error: unknown, context: string) => void },
  ) {}

  /** Every enabled provider's methods for the order, in the order providers are configured; a failing provider is left out (and reported). */
  async forOrder(order: ResolvedOrder): Promise<PaymentMethod[]> {
    return (await this.lists(order)).flat().filter((m) => takesAmount(m, order.amount));
  }

  /**
   * Each enabled provider's whole list for the order, not yet filtered by amount, in the order providers are
   * configured. While a provider's listing is cached, the same array is answered: a list that is the same object is
   * the same list (routing memoises on it).
   */
  lists(order: ResolvedOrder): Promise<ReadonlyArray<readonly PaymentMethod[]>> | ReadonlyArray<readonly PaymentMethod[]> {
    const now = Date.now();
    const lists: Array<readonly PaymentMethod[] | Promise<readonly PaymentMethod[]>> = [];
    let waiting = false;
    for (const adapter of this.adapters.values()) {
      const key = `${adapter.name}:${adapter.methodsCacheKey?.(order) ?? order.currency}`;
      const entry = this.cache.get(key);
      if (entry?.listed && entry.expires >= now) {
        lists.push(entry.listed);
      } else {
        lists.push(this.providerMethods(adapter, order, key));
        waiting = true;
      }
    }
    return waiting ? Promise.all(lists) : (lists as Array<readonly PaymentMethod[]>);
  }

  private async providerMethods(adapter: ProviderAdapter, order: ResolvedOrder, key: string): Promise<readonly PaymentMethod[]> {
    const entry = this.cache.get(key);
    if (!entry || entry.expires < Date.now()) {
      if (!(await this.options.health.admit(adapter.name, 'methods'))) return NOTHING;
      // Another session may have started the same listing while this one asked the breaker.
      return this.cachedOrListed(adapter, order, key);
    }
    return this.settled(adapter, entry);
  }

  private cachedOrListed(adapter: ProviderAdapter, order: ResolvedOrder, key: string): Promise<readonly PaymentMethod[]> {
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || entry.expires < now) {
      const { health } = this.options;
      const methods = adapter.listMethods(order, AbortSignal.timeout(this.options.timeoutMs));
      const listing: CachedList = (entry = { expires: now + this.options.cacheSeconds * 1000, methods });
      this.cache.set(key, listing);
      methods.then(
        (listed) => {
          listing.listed = listed;
          return health.succeeded(adapter.name, 'methods');
        },
        () => {
          this.cache.delete(key);
          return health.failed(adapter.name, 'methods');
        },
      );
    }
    return this.settled(adapter, entry);
  }

  private async settled(adapter: ProviderAdapter, entry: CachedList): Promise<readonly PaymentMethod[]> {
    try {
      return await entry.methods;
    } catch (error) {
      this.options.onError(error, `listing ${adapter.name} methods`);
      return NOTHING;
    }
  }
}
