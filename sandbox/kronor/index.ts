/**
 * The Kronor simulator: Hasura-style GraphQL over HTTP and websockets at `/kronor/v1/graphql` (a merchant schema
 * and a session schema, each a subset of Kronor's real one), Kronor's payment gateway page, per-payment pages and
 * the Swish phone, signed webhooks, and drills under `/_sandbox/kronor/`. See README.md.
 */
import type { PaymentSummary, SandboxContext, Simulator } from '../core/context.ts';
import { UnknownPayment } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { SessionTokens } from './auth.ts';
import { GRAPHQL_PATH, PAYMENT_STATUSES, PROVIDER, type PaymentStatus } from './config.ts';
import { registerControl } from './control.ts';
import { graphqlHandler, loadSchemas, type EndpointDeps } from './graphql.ts';
import { registerPages } from './pages.ts';
import { merchantRoots, sessionRoots } from './resolvers.ts';
import { currentStatus, KronorStore, redirectAfter, type PaymentRecord } from './state.ts';
import { pageUrl } from './views.ts';
import { deliver, WebhookSettings } from './webhooks.ts';
import { KronorSockets } from './websocket.ts';

export function create(ctx: SandboxContext): Simulator {
  const tokens = new SessionTokens();
  const webhookSettings = new WebhookSettings();
  const store = new KronorStore(tokens, (payment) => ctx.presets.attach(PROVIDER, payment.waitToken));
  store.onChange((change) => deliver(ctx, webhookSettings, change));

  const resolverDeps = { store, webhookSettings };
  const deps: EndpointDeps = {
    ctx,
    store,
    tokens,
    engine: {
      schemas: loadSchemas(),
      roots: { session: sessionRoots(resolverDeps), merchant: merchantRoots(resolverDeps) },
    },
  };
  const sockets = new KronorSockets(deps);

  const find = (waitToken: string): PaymentRecord => {
    const payment = store.payments.get(waitToken);
    if (!payment) throw new UnknownPayment(PROVIDER, waitToken);
    return payment;
  };

  const decide = async (waitToken: string, outcome: Outcome) => {
    const payment = find(waitToken);
    const status = await store.decide(payment, outcome);
    return { status, redirectUrl: redirectAfter(payment) };
  };

  ctx.router.post(GRAPHQL_PATH, graphqlHandler(deps));
  ctx.onUpgrade(GRAPHQL_PATH, (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  registerPages(ctx, { store, tokens, decide });
  registerControl(ctx, { store, tokens, sockets });

  const summary = (payment: PaymentRecord): PaymentSummary => ({
    provider: PROVIDER,
    id: payment.waitToken,
    status: currentStatus(payment),
    amount: payment.amount,
    currency: payment.currency,
    reference: payment.reference,
    pageUrl: pageUrl(ctx.baseUrl(), payment),
    createdAt: payment.createdAt,
  });

  return {
    name: PROVIDER,
    statuses: PAYMENT_STATUSES,
    payments: () => [...store.payments.values()].map(summary),
    decide,
    setStatus: async (waitToken, status) => {
      await store.transition(find(waitToken), status as PaymentStatus);
    },
    dropConnections: () => sockets.dropAll(),
    reset: () => {
      store.reset();
      webhookSettings.reset();
      // Tokens from before the reset name sessions that no longer exist: a new key refuses them.
      tokens.rotate();
    },
    close: () => sockets.close(),
  };
}
