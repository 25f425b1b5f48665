/**
 * The methods an order can be paid with: every enabled provider's list, each cached briefly, filtered by amount. A
 * provider whose listing keeps failing is not asked while its breaker is open: sessions do not wait on it.
 */
import type { PaymentMethod } from '../../core/model.ts';
import type { ProviderAdapter, ResolvedOrder } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { ProviderHealth } from '../routing/health.ts';

export class MethodLists {
  private readonly cache = new Map<string, { expires: number; methods: Promise<PaymentMethod[]> }>();

  constructor(
    private readonly adapters: Adapters,
    private readonly options: { cacheSeconds: number; timeoutMs: number; health: ProviderHealth; onError: (error: unknown, context: string) => void },
  ) {}

  /** Every enabled provider's methods for the order, in the order providers are configured; a failing provider is left out (and reported). */
  async forOrder(order: ResolvedOrder): Promise<PaymentMethod[]> {
    const lists = await Promise.all([...this.adapters.values()].map((adapter) => this.providerMethods(adapter, order)));
    return lists.flat().filter((m) => (m.min === undefined || order.amount >= m.min) && (m.max === undefined || order.amount <= m.max));
  }

  private async providerMethods(adapter: ProviderAdapter, order: ResolvedOrder): Promise<PaymentMethod[]> {
    const key = `${adapter.name}:${adapter.methodsCacheKey?.(order) ?? order.currency}`;
    const entry = this.cache.get(key);
    if (!entry || entry.expires < Date.now()) {
      if (!(await this.options.health.admit(adapter.name, 'methods'))) return [];
      // Another session may have started the same listing while this one asked the breaker.
      return this.cachedOrListed(adapter, order, key);
    }
    return this.settled(adapter, entry);
  }

  private cachedOrListed(adapter: ProviderAdapter, order: ResolvedOrder, key: string): Promise<PaymentMethod[]> {
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || entry.expires < now) {
      const { health } = this.options;
      const methods = adapter.listMethods(order, AbortSignal.timeout(this.options.timeoutMs));
      entry = { expires: now + this.options.cacheSeconds * 1000, methods };
      this.cache.set(key, entry);
      methods.then(
        () => health.succeeded(adapter.name, 'methods'),
        () => {
          this.cache.delete(key);
          return health.failed(adapter.name, 'methods');
        },
      );
    }
    return this.settled(adapter, entry);
  }

  private async settled(adapter: ProviderAdapter, entry: { methods: Promise<PaymentMethod[]> }): Promise<PaymentMethod[]> {
    try {
      return await entry.methods;
    } catch (error) {
      this.options.onError(error, `listing ${adapter.name} methods`);
      return [];
    }
  }
}
