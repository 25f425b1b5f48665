/**
 * The hi.health HiDirect simulator: REST API (api.ts), hosted checkout (checkout.ts), payments and their moves
 * (lifecycle.ts, state.ts, clock.ts), signed webhooks and tokens (keys.ts), drills (control.ts). Every documented or
 * INVENTED value is in config.ts.
 */
import type { PaymentSummary, SandboxContext, Simulator } from '../core/context.ts';
import { registerApi } from './api.ts';
import { checkoutUrl, registerCheckout } from './checkout.ts';
import { PROVIDER, STATUSES, type HidirectStatus } from './config.ts';
import { registerControl } from './control.ts';
import { createKeys } from './keys.ts';
import { Lifecycle } from './lifecycle.ts';

export function create(ctx: SandboxContext): Simulator {
  const keys = createKeys();
  const lifecycle = new Lifecycle(ctx, keys);
  registerApi(ctx, lifecycle, keys);
  registerCheckout(ctx, lifecycle, keys);
  registerControl(ctx, lifecycle);

  return {
    name: PROVIDER,
    statuses: STATUSES,
    payments: () =>
      lifecycle.all().map(
        (p): PaymentSummary => ({
          provider: PROVIDER,
          id: p.id,
          status: p.status,
          amount: p.amountMinor,
          currency: p.currency,
          reference: p.merchantReference,
          pageUrl: checkoutUrl(ctx.baseUrl(), p.token),
          createdAt: p.createdAt,
        }),
      ),
    decide: (id, outcome) => lifecycle.decide(id, outcome),
    setStatus: async (id, status) => {
      // The control API has already checked `status` against `statuses`.
      await lifecycle.change(lifecycle.get(id), status as HidirectStatus);
    },
    reset: () => lifecycle.reset(),
  };
}
