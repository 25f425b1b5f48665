/**
 * The WhenThen simulator: WhenThen's GraphQL API at `POST /whenthen/graphql` (`Authorization: Bearer
 * sandbox-whenthen-key`, or a client token for what a browser may do), its 3-D Secure and APM pages, a hosted card
 * checkout, and `payment.updated` webhooks to the endpoint registered at `/_sandbox/whenthen/webhook-endpoint`.
 * README.md in this folder lists the routes, credentials, statuses and INVENTED defaults.
 */
import type { DecideResult, PaymentSummary, SandboxContext, Simulator } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { PROVIDER } from './config.ts';
import { registerControlRoutes } from './control.ts';
import { graphqlHandler } from './graphql-endpoint.ts';
import { IdempotencyKeys } from './idempotency.ts';
import { applyOutcome, challengePath, returnUrl } from './lifecycle.ts';
import { registerPages } from './pages.ts';
import { createRootValue } from './resolvers.ts';
import { buildWhenThenSchema } from './schema.ts';
import { PAYMENT_STATUSES, WhenThenStore, type PaymentStatus, type WhenThenPayment } from './state.ts';
import { registerWebhookEndpointRoutes, sendPaymentWebhook } from './webhooks.ts';

export function create(ctx: SandboxContext): Simulator {
  const store = new WhenThenStore();
  const idempotency = new IdempotencyKeys();
  const notify = (payment: WhenThenPayment) => sendPaymentWebhook(ctx, store, payment);

  async function decide(id: string, outcome: Outcome): Promise<DecideResult> {
    const payment = applyOutcome(store, store.require(id), outcome);
    await notify(payment);
    return { status: payment.status, redirectUrl: returnUrl(payment) };
  }

  const rootValue = createRootValue({
    store,
    onCreated: async (payment) => {
      ctx.presets.attach(PROVIDER, payment.id);
      await notify(payment);
    },
    onChanged: notify,
  });
  ctx.router.post('/whenthen/graphql', graphqlHandler({ ctx, store, schema: buildWhenThenSchema(), rootValue, idempotency }));
  registerPages({ ctx, store, decide, notify });
  registerWebhookEndpointRoutes(ctx, store);
  registerControlRoutes(ctx, store, notify);

  const summary = (payment: WhenThenPayment): PaymentSummary => {
    const page = challengePath(payment);
    return {
      provider: PROVIDER,
      id: payment.id,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      reference: payment.orderId,
      pageUrl: page ? `${ctx.baseUrl()}${page}` : null,
      createdAt: payment.createdAt,
    };
  };

  return {
    name: PROVIDER,
    statuses: PAYMENT_STATUSES,
    payments: () => store.all().map(summary),
    decide,
    async setStatus(id, status) {
      const payment = store.require(id);
      store.transition(payment, status as PaymentStatus, 'Set through the sandbox control API');
      await notify(payment);
    },
    reset() {
      store.reset();
      idempotency.reset();
    },
  };
}
