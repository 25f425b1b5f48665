/**
 * The Hero simulator: Hero's GraphQL API at `POST /hero/graphql` (header `Authorization: Api-Key sandbox-hero-key`)
 * and its hosted payment page at `/hero/checkout/:id`. Hero "notifies" the merchant with a server-side GET to the
 * payment's redirectUri (INVENTED: no body, no signature; the merchant re-reads getPaymentsInfos).
 */
import type { DecideResult, PaymentSummary, SandboxContext, Simulator } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { checkoutPath, registerCheckoutRoutes } from './checkout.ts';
import { registerControl } from './control.ts';
import { CURRENCY, HERO_STATES, OUTCOME_STATES, PROVIDER, RATE_LIMIT, type HeroState } from './config.ts';
import { graphqlHandler, loadHeroSchema } from './graphql-endpoint.ts';
import { RateLimiter } from './rate-limit.ts';
import { createRootValue } from './resolvers.ts';
import { HeroStore, isFinal, type HeroPayment } from './state.ts';

/** Where the shopper's browser goes after an outcome: back to the method choice on cancel, else to redirectUri. */
export function redirectTarget(payment: HeroPayment, outcome: Outcome): string {
  return outcome === 'cancel' ? (payment.comebackUri ?? payment.redirectUri) : payment.redirectUri;
}

export function create(ctx: SandboxContext): Simulator {
  const store = new HeroStore();
  const limiter = new RateLimiter(RATE_LIMIT);

  const notify = (payment: HeroPayment) =>
    ctx.webhooks.send({ provider: PROVIDER, paymentId: payment.id, url: payment.redirectUri, method: 'GET' });

  async function decide(id: string, outcome: Outcome): Promise<DecideResult> {
    const payment = store.require(id);
    if (isFinal(payment.state)) throw new Error(`hero payment ${id} is already ${payment.state}`);
    store.moveTo(id, OUTCOME_STATES[outcome]);
    await notify(payment);
    return { status: payment.state, redirectUrl: redirectTarget(payment, outcome) };
  }

  const rootValue = createRootValue({ store, onCreated: (payment) => ctx.presets.attach(PROVIDER, payment.id) });
  ctx.router.post('/hero/graphql', graphqlHandler({ ctx, schema: loadHeroSchema(), rootValue, limiter }));
  registerCheckoutRoutes(ctx, store, decide);
  registerControl(ctx, store);

  const summary = (payment: HeroPayment): PaymentSummary => ({
    provider: PROVIDER,
    id: payment.id,
    status: payment.state,
    amount: payment.amount,
    currency: CURRENCY,
    reference: payment.orderId,
    pageUrl: `${ctx.baseUrl()}${checkoutPath(payment.id)}`,
    createdAt: payment.createdAt,
  });

  return {
    name: PROVIDER,
    statuses: HERO_STATES,
    payments: () => store.all().map(summary),
    decide,
    async setStatus(id, status) {
      const payment = store.moveTo(id, status as HeroState);
      await notify(payment);
    },
    reset() {
      store.reset();
      limiter.reset();
    },
  };
}
