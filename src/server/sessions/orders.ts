/** The merchant's order, as its `resolveOrder` answers it: the only source of what is charged. */
import { OrderRefused, type ResolvedConfig } from '../config.ts';
import { HttpProblem } from '../http/problems.ts';
import type { ResolvedOrder } from '../provider.ts';

export type OrderResolver = (orderRef: string, request: Request) => Promise<ResolvedOrder>;

/** Wraps the merchant's lookup: refusals become problems, an answer that is not a payable order is the merchant's bug. */
export function orderResolver(resolveOrder: ResolvedConfig['resolveOrder']): OrderResolver {
  return async (orderRef, request) => {
    let order: ResolvedOrder | null;
    try {
      order = await resolveOrder(orderRef, request);
    } catch (error) {
      if (error instanceof OrderRefused) throw new HttpProblem(error.status === 404 ? 'order-not-found' : 'order-refused', error.message);
      throw error;
    }
    if (!order) throw new HttpProblem('order-not-found', `no order ${orderRef}`);
    if (!Number.isInteger(order.amount) || order.amount <= 0 || !/^[A-Z]{3}$/.test(order.currency)) {
      throw new Error(`resolveOrder answered an invalid order for ${orderRef}: amount must be a positive integer in minor units and currency ISO 4217 upper case`);
    }
    return { ...order, reference: orderRef };
  };
}
