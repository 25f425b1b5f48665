/**
 * `createKassaHandler(config)`: the endpoint as one standard Fetch-API handler, `(request) => Promise<Response>`,
 * mountable in Node (see `http/node.ts`), Hono, Next.js route handlers or any runtime with `fetch`.
 *
 * This file only wires the endpoint's parts together; each concern is its own module:
 * `http/` (routing, CORS, bodies, problems, client address, the Node listener), `sessions/`, `payments/` (create,
 * the ledger every change goes through, the state machine), `status/` (reads, event streams, the watcher),
 * `events/` (the merchant's events and their delivery), `webhooks.ts` and `stores/`.
 */
import { randomUUID } from 'node:crypto';
import { resolveConfig, type KassaConfig } from './config.ts';
import { EventDelivery, type PaymentEventHook } from './events/delivery.ts';
import { merchantPayment, type MerchantPayment, type PaymentEvent } from './events/event.ts';
import { Client, RateLimits } from './http/client.ts';
import { corsHeaders } from './http/cors.ts';
import { answerRequest, FetchIncoming, jsonAnswer, problemAnswer, toResponse, withHeaders, withoutBody, type IncomingRequest, type RouteAnswer } from './http/exchange.ts';
import { HttpProblem } from './http/problems.ts';
import { routeMatcher, type Route } from './http/router.ts';
import { Payments } from './payments/create.ts';
import { Ledger } from './payments/ledger.ts';
import { MerchantApi } from './payments/merchant-api.ts';
import { PaymentOperations, type CancelOptions, type CaptureOptions, type DocumentOptions, type RefundOptions } from './payments/operations.ts';
import { OrderGuard } from './payments/order-guard.ts';
import { createAdapters } from './providers.ts';
import { ProviderHealth } from './routing/health.ts';
import { Orphans } from './routing/orphans.ts';
import { MethodRouter } from './routing/router.ts';
import { MethodLists } from './sessions/methods.ts';
import { orderResolver } from './sessions/orders.ts';
import { Sessions } from './sessions/sessions.ts';
import { Tokens } from './sessions/tokens.ts';
import { StatusReads } from './status/reads.ts';
import { StatusStreams } from './status/stream.ts';
import { Reconciler } from './status/reconciler.ts';
import { StatusWatcher } from './status/watcher.ts';
import { Webhooks } from './webhooks.ts';

/**
 * The endpoint. `context.clientAddress` is the client's IP address, which rate limits and stream caps key on: the Node
 * listener passes it; other runtimes pass theirs (README: "The client address in other runtimes") or set
 * `clientAddress` in the configuration.
 */
export interface KassaHandler {
  (request: Request, context?: { clientAddress?: string }): Promise<Response>;
  /** The merchant's server-side view of payments: the same truth `onPaymentEvent` tells. */
  readonly payments: KassaPayments;
  /**
   * For the server rendering the checkout page: the session `POST /session` would answer for `order`, as JSON to
   * write inside `<kassa-checkout>` in a `<script type="application/json">` (safe there as it is), so the checkout
   * shows its methods without asking. `request` (the shopper's request for the page) is passed to `resolveOrder`.
   * Throws as `POST /session` refuses (unknown, refused or already paid order): render the page without it then.
   */
  sessionJson(order: string, options?: { locale?: string; request?: Request }): Promise<string>;
  /** Stops the endpoint's background work (event delivery, reconciliation, status polling) and waits for work under way. */
  close(): Promise<void>;
}

export interface KassaPayments {
  /** A payment by its reference (`kp_…`), or undefined when unknown or past its retention. */
  get(reference: string): Promise<MerchantPayment | undefined>;
  /** Every payment attempt made for an order, oldest first, each with its state. */
  forOrder(order: string): Promise<MerchantPayment[]>;
  /** A payment's events, oldest first: its history, as `onPaymentEvent` heard it. */
  events(reference: string): Promise<PaymentEvent[]>;
  /**
   * Captures an authorised payment, in full or in part: answers the payment as its provider reads afterwards. Throws
   * `OperationNotSupported` where the provider has no capture, `PaymentOperationError` when the payment's state or
   * what is left does not allow it or the provider refuses (nothing changed then).
   */
  capture(reference: string, options?: CaptureOptions): Promise<MerchantPayment>;
  /** Cancels a payment not paid yet, or voids an authorised one (errors as `capture`). */
  cancel(reference: string, options?: CancelOptions): Promise<MerchantPayment>;
  /** Refunds a paid payment, in full (the default) or in part, never more than is left (errors as `capture`). */
  refund(reference: string, options?: RefundOptions): Promise<MerchantPayment>;
  /** Uploads a PDF for the payment (hi.health's reimbursement needs the invoice; errors as `capture`). */
  uploadDocument(reference: string, options: DocumentOptions): Promise<MerchantPayment>;
}

export function createKassaHandler(input: KassaConfig): KassaHandler {
  const config = resolveConfig(input);
  const { store, onError } = config;
  const adapters = createAdapters(config.enabled, config.providers, { sandboxUrl: config.sandboxUrl, timeoutMs: config.providerTimeoutMs, attempts: 3 });
  const tokens = new Tokens(config.secret, config.sessionTtlSeconds);
  const resolveOrder = orderResolver(config.resolveOrder);
  const publicBase = (url: URL) => config.publicUrl ?? `${url.origin}${config.basePath}`;
  /** This instance's name in the store's leases (event delivery, reconciliation reads, provider health probes). */
  const owner = randomUUID();
  const health = new ProviderHealth({ store, owner, config: config.health, onError });
  const methods = new MethodLists(adapters, { cacheSeconds: config.methodsCacheSeconds, timeoutMs: config.providerTimeoutMs, health, onError });
  const router = new MethodRouter({ methods, health, routing: config.routing, configured: config.enabled });
  // Each event goes through the order guard (a second charge of an order is found and refunded), then to the merchant.
  const onPaymentEvent: PaymentEventHook = async (event, context) => {
    await guard.onEvent(event).catch((error: unknown) => onError(error, `checking order ${event.payment.order} for a second payment`));
    await operations.afterEvent(event).catch((error: unknown) => onError(error, `finishing ${event.payment.provider} payment ${event.payment.reference} after its success`));
    await config.onPaymentEvent?.(event, context);
  };
  const delivery = new EventDelivery({ store, hook: onPaymentEvent, onError, owner, timeoutMs: config.paymentEventTimeoutMs });
  const ledger = new Ledger({
    store,
    onError,
    committed: async (record) => {
      delivery.notify(record.reference);
      status.follow(record.provider); // the provider's live feed, where it has one, from its first payment here
      await reconciler.track(record);
    },
  });

  const status = new StatusReads({ ...config, store, ledger, adapters });
  const operations = new PaymentOperations({
    store,
    ledger,
    adapters,
    reread: (record) => status.refresh(record, { now: true }),
    providerTimeoutMs: config.providerTimeoutMs,
    answerTtlMs: 24 * 60 * 60 * 1000,
    onError,
  });
  const guard = new OrderGuard({ ...config, store, ledger, operations });
  const orphans = new Orphans({ store, ledger, operations, adapters, providerTimeoutMs: config.providerTimeoutMs, onError });
  const sessions = new Sessions({ tokens, resolveOrder, router, guard, maxBodyBytes: config.maxBodyBytes });
  const payments = new Payments({ ...config, store, ledger, guard, adapters, tokens, resolveOrder, router, health, orphans, publicBase });
  const watcher = new StatusWatcher({ store, refreshAll: (records) => status.refreshAll(records), onError, intervalMs: config.providerReadIntervalMs });
  const reconciler = new Reconciler({ store, readAll: (records) => status.refreshAll(records), onError, readTimeoutMs: config.providerTimeoutMs });
  const streams = new StatusStreams({ ...config, store, watcher });
  const webhooks = new Webhooks({ store, adapters, status });
  const limits = new RateLimits(store);
  const merchantApi = config.merchantApi && new MerchantApi({ config: config.merchantApi, operations, store, tokens, maxBodyBytes: config.maxBodyBytes, onError });

  /** The endpoint's HTTP API, under `basePath`; each browser-facing route is rate-limited per client first. */
  const routes: Array<Route<Client>> = [
    ['GET', 'health', () => jsonAnswer({ status: 'ok', providers: config.enabled })],
    ['POST', 'session', async ({ request, client }) => {
      await limits.check(client, 'session', config.rateLimitPerMinute);
      return sessions.create(request);
    }],
    ['GET', 'session', async ({ request, client }) => {
      await limits.check(client, 'session', config.rateLimitPerMinute);
      return sessions.read(request);
    }],
    ['POST', 'payments', async ({ request, url, client }) => {
      await limits.check(client, 'payments', config.rateLimitPerMinute);
      return payments.create(request, url, client);
    }],
    ['GET', 'payments/*', async ({ client, ids: [reference] }) => {
      await limits.check(client, 'status', config.statusRateLimitPerMinute);
      return jsonAnswer(await status.read(reference!));
    }],
    ['GET', 'payments/*/events', async ({ request, client, ids: [reference] }) => {
      await limits.check(client, 'status', config.statusRateLimitPerMinute);
      return streams.open(request, reference!, client.key());
    }],
    ['GET', 'return/*', async ({ client, ids: [reference] }) => {
      await limits.check(client, 'status', config.statusRateLimitPerMinute);
      return status.returnTo(reference!, config.returnUrl);
    }],
    ['POST', 'webhooks/*', ({ request, url, ids: [provider] }) => webhooks.receive(request, url, provider!)],
    // Only with `merchantApi`: the merchant's own after-sale routes, each behind the merchant's authorize check.
    ...(merchantApi?.routes<Client>() ?? []),
  ];

  delivery.start();
  reconciler.start();
  // A configuration that cannot do what Kassa will ask (a Kronor token without read access) is said at start, not on
  // the first shopper's payment. The endpoint runs on: the check may only have met a provider's bad minute.
  for (const adapter of adapters.values()) {
    adapter.checkSetup?.(AbortSignal.timeout(config.providerTimeoutMs * 3)).catch((error: unknown) => onError(error, `checking the ${adapter.name} configuration`));
  }

  const matchRoute = routeMatcher(routes);
  let warnedNoClientAddress = false;
  /** Every request, from either entry: the route's answer with CORS headers, or the problem. */
  const answer = async (request: IncomingRequest, context: { clientAddress?: string } = {}): Promise<RouteAnswer> => {
    const url = request.url;
    const client = new Client(() => context.clientAddress ?? config.clientAddress?.(request.fetchRequest()) ?? undefined, () => {
      if (warnedNoClientAddress) return;
      warnedNoClientAddress = true;
      onError(
        new Error('Kassa: no client address: pass it as kassa(request, { clientAddress }) or set clientAddress in the configuration (README: "The client address in other runtimes")'),
        `${request.method} ${url.pathname}`,
      );
    });
    // Problems carry the CORS headers too, so a page on an allowed origin can read (and localize) them.
    let cors: Record<string, string> = {};
    try {
      if (!url.pathname.startsWith(config.basePath)) throw new HttpProblem('not-found');
      const path = url.pathname.slice(config.basePath.length) || '/';
      // Providers and the merchant's own servers are not browsers: no CORS for their routes.
      const notFromBrowser = path.startsWith('/webhooks/') || path.startsWith('/return/') || path.startsWith('/merchant/');
      cors = notFromBrowser ? {} : corsHeaders(request, url, config.allowedOrigins);
      if (request.method === 'OPTIONS') return { status: 204, headers: { ...cors, 'access-control-max-age': '600' } };
      const { run, ids } = matchRoute(request.method, path);
      const routeAnswer = await run({ request, url, client, ids });
      return withHeaders(request.method === 'HEAD' ? await withoutBody(routeAnswer) : routeAnswer, cors);
    } catch (error) {
      if (error instanceof HttpProblem) return withHeaders(problemAnswer(error), cors);
      // A client that went away mid-request is not the endpoint's error: nothing to report.
      if (request.signal.aborted) return problemAnswer(new HttpProblem('bad-request', 'the client went away'));
      onError(error, `${request.method} ${url.pathname}`);
      return withHeaders(problemAnswer(new HttpProblem('internal')), cors);
    }
  };
  const kassa = async function kassa(request: Request, context: { clientAddress?: string } = {}): Promise<Response> {
    return toResponse(await answer(new FetchIncoming(request), context));
  };

  const merchantView: KassaPayments = {
    get: async (reference) => {
      const record = await store.getPayment(reference);
      return record && merchantPayment(record);
    },
    forOrder: async (order) => (await store.orderPayments(order)).map(merchantPayment),
    events: (reference) => store.paymentEvents(reference),
    capture: (reference, options) => operations.capture(reference, options),
    cancel: (reference, options) => operations.cancel(reference, options),
    refund: (reference, options) => operations.refund(reference, options),
    uploadDocument: (reference, options) => operations.uploadDocument(reference, options),
  };
  return Object.assign(kassa, {
    // The Node listener's way in: its own request view, its answer written without a Response.
    [answerRequest]: answer,
    payments: merchantView,
    sessionJson: (order: string, options: { locale?: string; request?: Request } = {}) =>
      sessions.forPage(order, { ...options, sessionUrl: `${config.publicUrl ?? `http://localhost${config.basePath}`}/session` }),
    close: async () => {
      orphans.close();
      await Promise.all([watcher.close(), reconciler.close()]);
      await status.close();
      await delivery.close();
    },
  });
}
