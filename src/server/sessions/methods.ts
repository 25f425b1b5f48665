/** The methods an order can be paid with: every enabled provider's list, each cached briefly, filtered by amount. */
import type { PaymentMethod } from '../../core/model.ts';
import type { ProviderAdapter, ResolvedOrder } from '../provider.ts';
import type { Adapters } from '../providers.ts';

export class MethodLists {
  private readonly cache = new Map<string, { expires: number; methods: Promise<PaymentMethod[]> }>();

  constructor(
    private readonly adapters: Adapters,
    private readonly options: { cacheSeconds: number; timeoutMs: number; onError: (error: unknown, context: string) => void },
  ) {}

  /** Every enabled provider's methods for the order; a failing provider is left out (and reported). */
  async forOrder(order: ResolvedOrder): Promise<PaymentMethod[]> {
    const lists = await Promise.all([...this.adapters.values()].map((adapter) => this.providerMethods(adapter, order)));
    return lists.flat().filter((m) => (m.min === undefined || order.amount >= m.min) && (m.max === undefined || order.amount <= m.max));
  }

  private async providerMethods(adapter: ProviderAdapter, order: ResolvedOrder): Promise<PaymentMethod[]> {
    const key = `${adapter.name}:${adapter.methodsCacheKey?.(order) ?? order.currency}`;
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || entry.expires < now) {
      entry = { expires: now + this.options.cacheSeconds * 1000, methods: adapter.listMethods(order, AbortSignal.timeout(this.options.timeoutMs)) };
      this.cache.set(key, entry);
      entry.methods.catch(() => this.cache.delete(key));
    }
    try {
      return await entry.methods;
    } catch (error) {
      this.options.onError(error, `listing ${adapter.name} methods`);
      return [];
    }
  }
}
