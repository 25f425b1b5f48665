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
import { HttpProblem, jsonResponse, problemResponse } from './http/problems.ts';
import { matchRoute, withoutBody, type Route } from './http/router.ts';
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
  const watcher = new StatusWatcher(store, (record) => status.refresh(record), onError);
  const reconciler = new Reconciler({ store, read: (record) => status.refresh(record), onError, owner, readTimeoutMs: config.providerTimeoutMs });
  const streams = new StatusStreams({ ...config, store, watcher });
  const webhooks = new Webhooks({ store, adapters, status });
  const limits = new RateLimits(store);
  const merchantApi = config.merchantApi && new MerchantApi({ config: config.merchantApi, operations, store, tokens, maxBodyBytes: config.maxBodyBytes, onError });

  /** The endpoint's HTTP API, under `basePath`; each browser-facing route is rate-limited per client first. */
  const routes: Array<Route<Client>> = [
    ['GET', 'health', () => jsonResponse({ status: 'ok', providers: config.enabled })],
    ['POST', 'session', async ({ request, client }) => {
      await limits.check(client, 'session', config.rateLimitPerMinute);
      return sessions.create(request);
    }],
    ['POST', 'payments', async ({ request, url, client }) => {
      await limits.check(client, 'payments', config.rateLimitPerMinute);
      return payments.create(request, url, client);
    }],
    ['GET', 'payments/*', async ({ client, ids: [reference] }) => {
      await limits.check(client, 'status', config.statusRateLimitPerMinute);
      return jsonResponse(await status.read(reference!));
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

  let warnedNoClientAddress = false;
  const kassa = async function kassa(request: Request, context: { clientAddress?: string } = {}): Promise<Response> {
    const url = new URL(request.url);
    const client = new Client(() => context.clientAddress ?? config.clientAddress?.(request) ?? undefined, () => {
      if (warnedNoClientAddress) return;
      warnedNoClientAddress = true;
      onError(
        new Error('Kassa: no client address: pass it as kassa(request, { clientAddress }) or set clientAddress in the configuration (README: "The client address in other runtimes")'),
        `${request.method} ${url.pathname}`,
      );
    });
    // Problems carry the CORS headers too, so a page on an allowed origin can read (and localize) them.
    let cors: Record<string, string> = {};
    const withCors = (response: Response) => {
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    };
    try {
      if (!url.pathname.startsWith(config.basePath)) throw new HttpProblem('not-found');
      const path = url.pathname.slice(config.basePath.length) || '/';
      // Providers and the merchant's own servers are not browsers: no CORS for their routes.
      const notFromBrowser = path.startsWith('/webhooks/') || path.startsWith('/return/') || path.startsWith('/merchant/');
      cors = notFromBrowser ? {} : corsHeaders(request, url, config.allowedOrigins);
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...cors, 'access-control-max-age': '600' } });
      const { run, ids } = matchRoute(routes, request, path);
      const response = await run({ request, url, client, ids });
      return withCors(request.method === 'HEAD' ? await withoutBody(response) : response);
    } catch (error) {
      if (error instanceof HttpProblem) return withCors(problemResponse(error));
      // A client that went away mid-request is not the endpoint's error: nothing to report.
      if (request.signal.aborted) return problemResponse(new HttpProblem('bad-request', 'the client went away'));
      onError(error, `${request.method} ${url.pathname}`);
      return withCors(problemResponse(new HttpProblem('internal')));
    }
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
    payments: merchantView,
    close: async () => {
      watcher.close();
      orphans.close();
      await reconciler.close();
      await delivery.close();
    },
  });
}
