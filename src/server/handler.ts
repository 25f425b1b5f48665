/**
 * `createKassaHandler(config)`: the endpoint as one standard Fetch-API handler, `(request) => Promise<Response>`,
 * mountable in Node (see `node.ts`), Hono, Next.js route handlers or any runtime with `fetch`.
 *
 * Routes, under `basePath`: `POST /session`, `POST /payments`, `GET /payments/{ref}`, `GET /payments/{ref}/events`
 * (Server-Sent Events), `GET /return/{ref}`, `POST /webhooks/{provider}`, `GET /health`.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isFinalState, isProviderName, type PaymentMethod, type PaymentView, type ProviderName } from '../core/model.ts';
import { matchesSafePattern } from '../core/safe-pattern.ts';
import { isAllowedUrl } from '../core/url-safety.ts';
import { OrderRefused, resolveConfig, type KassaConfig, type ResolvedConfig } from './config.ts';
import { clientKey } from './client-address.ts';
import { HttpProblem, hasOriginalBody, jsonResponse, problemParts, problemResponse, readBytes, readJsonBody } from './http.ts';
import { ProviderReads, StreamSlots } from './limits.ts';
import { ProviderRefused, ProviderUnavailable, WebhookRejected, type ProviderAdapter, type ResolvedOrder, type StatusRead } from './provider.ts';
import { PROVIDER_MODULES } from './providers.ts';
import type { PaymentRecord, StoredResponse } from './store.ts';
import { StatusWatcher } from './watcher.ts';
import { TokenInvalid, Tokens } from './tokens.ts';

/**
 * The endpoint. `context.clientAddress` is the client's IP address, which rate limits and stream caps key on: the Node
 * listener passes it; other runtimes pass theirs (README: "The client address in other runtimes") or set
 * `clientAddress` in the configuration.
 */
export type KassaHandler = (request: Request, context?: { clientAddress?: string }) => Promise<Response>;

/** A BCP 47 language tag as the session answers it, e.g. `sv` or `de-CH`. */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const sessionBody = z.strictObject({
  order: z.string().min(1).max(128),
  locale: z.string().regex(LOCALE).max(35).optional(),
});

const paymentBody = z.strictObject({
  token: z.string().min(1).max(4096),
  method: z.string().min(3).max(128),
  fields: z.record(z.string().max(64), z.string().max(256)).optional(),
  /** Optional: when sent it must be the token's order (a token cannot be replayed for another order). */
  order: z.string().min(1).max(128).optional(),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
/** The longest wait passed on from a provider's `Retry-After`: a shopper is not told to wait longer than this. */
const MAX_RETRY_AFTER_SECONDS = 60;
const REFERENCE = /^kp_[A-Za-z0-9_-]{20,40}$/;

export function createKassaHandler(input: KassaConfig): KassaHandler {
  const config = resolveConfig(input);
  const tokens = new Tokens(config.secret, config.sessionTtlSeconds);
  const deps = { sandboxUrl: config.sandboxUrl, timeoutMs: config.providerTimeoutMs, attempts: 3 };
  const adapters = new Map<ProviderName, ProviderAdapter>();
  for (const name of config.enabled) {
    const module = PROVIDER_MODULES[name] as (typeof PROVIDER_MODULES)[ProviderName];
    adapters.set(name, (module.create as (c: unknown, d: typeof deps) => ProviderAdapter)(config.providers[name], deps));
  }
  const methodsCache = new Map<string, { expires: number; methods: Promise<PaymentMethod[]> }>();
  const providerReads = new ProviderReads(config.store, config.providerReadIntervalMs, (record) => refresh(record));
  const watcher = new StatusWatcher(config.store, (record) => providerReads.refresh(record), config.onError);
  const streams = new StreamSlots(config.maxStreamsPerClient, config.maxStreams);
  let warnedNoClientAddress = false;

  /** The routes, as [method, path pattern (`*` = one segment), handler given the `*` segments]. */
  const routes: Array<[method: string, pattern: string, run: (request: Request, url: URL, client: Client, ids: string[]) => Promise<Response> | Response]> = [
    ['GET', 'health', () => jsonResponse({ status: 'ok', providers: config.enabled })],
    ['POST', 'session', (request, _url, client) => createSession(request, client)],
    ['POST', 'payments', (request, url, client) => createPayment(request, url, client)],
    ['GET', 'payments/*', async (_request, _url, client, [ref]) => jsonResponse(await readPayment(ref!, client))],
    ['GET', 'payments/*/events', (request, _url, client, [ref]) => streamEvents(request, ref!, client)],
    ['GET', 'return/*', (_request, _url, client, [ref]) => returnTo(ref!, client)],
    ['POST', 'webhooks/*', (request, url, _client, [provider]) => webhook(request, url, provider!)],
  ];

  return async function kassa(request, context = {}) {
    const url = new URL(request.url);
    const client = new Client(() => context.clientAddress ?? config.clientAddress?.(request) ?? undefined, () => {
      if (warnedNoClientAddress) return;
      warnedNoClientAddress = true;
      config.onError(
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
      const isWebhook = path.startsWith('/webhooks/') || path.startsWith('/return/');
      cors = isWebhook ? {} : corsHeaders(request, url, config);
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...cors, 'access-control-max-age': '600' } });
      const response = await route(request, url, path, client);
      return withCors(request.method === 'HEAD' ? await withoutBody(response) : response);
    } catch (error) {
      if (error instanceof HttpProblem) return withCors(problemResponse(error));
      // A client that went away mid-request is not the endpoint's error: nothing to report.
      if (request.signal.aborted) return problemResponse(new HttpProblem('bad-request', 'the client went away'));
      config.onError(error, `${request.method} ${url.pathname}`);
      return withCors(problemResponse(new HttpProblem('internal')));
    }
  };

  /** Runs the route for the method and path (HEAD as GET); 405 (with `Allow`) when only the method is wrong, else 404. */
  async function route(request: Request, url: URL, path: string, client: Client): Promise<Response> {
    const parts = path.split('/').filter(Boolean);
    const wanted = request.method === 'HEAD' ? 'GET' : request.method;
    const allowed: string[] = [];
    for (const [method, pattern, run] of routes) {
      const segments = pattern.split('/');
      if (segments.length !== parts.length || !segments.every((s, i) => s === '*' || s === parts[i])) continue;
      if (method === wanted) return run(request, url, client, parts.filter((_, i) => segments[i] === '*'));
      allowed.push(...(method === 'GET' ? ['GET', 'HEAD'] : [method]));
    }
    if (allowed.length) throw new HttpProblem('method-not-allowed', undefined, undefined, { allow: allowed.join(', ') });
    throw new HttpProblem('not-found');
  }

  // ——— POST /session ———

  async function createSession(request: Request, client: Client): Promise<Response> {
    await limit(client, 'session', config.rateLimitPerMinute);
    const body = await readJsonBody(request, sessionBody, config.maxBodyBytes);
    const order = await resolveOrder(body.order, request);
    const methods = await methodsFor(order);
    const session = randomBytes(12).toString('base64url');
    const { token, expiresAt } = await tokens.signSession({ order: order.reference, amount: order.amount, currency: order.currency, session });
    const locale = body.locale ?? preferredLocale(request.headers.get('accept-language'));
    return jsonResponse({ token, order: order.reference, amount: order.amount, currency: order.currency, locale, methods, expiresAt: expiresAt.toISOString() }, 201);
  }

  async function resolveOrder(orderRef: string, request: Request): Promise<ResolvedOrder> {
    let order: ResolvedOrder | null;
    try {
      order = await config.resolveOrder(orderRef, request);
    } catch (error) {
      if (error instanceof OrderRefused) throw new HttpProblem(error.status === 404 ? 'order-not-found' : 'order-refused', error.message);
      throw error;
    }
    if (!order) throw new HttpProblem('order-not-found', `no order ${orderRef}`);
    if (!Number.isInteger(order.amount) || order.amount <= 0 || !/^[A-Z]{3}$/.test(order.currency)) {
      throw new Error(`resolveOrder answered an invalid order for ${orderRef}: amount must be a positive integer in minor units and currency ISO 4217 upper case`);
    }
    return { ...order, reference: orderRef };
  }

  /** Every enabled provider's methods for the order, each list cached briefly; a failing provider is left out. */
  async function methodsFor(order: ResolvedOrder): Promise<PaymentMethod[]> {
    const lists = await Promise.all(
      [...adapters.values()].map(async (adapter) => {
        const key = `${adapter.name}:${adapter.methodsCacheKey?.(order) ?? order.currency}`;
        const now = Date.now();
        let entry = methodsCache.get(key);
        if (!entry || entry.expires < now) {
          entry = { expires: now + config.methodsCacheSeconds * 1000, methods: adapter.listMethods(order, AbortSignal.timeout(config.providerTimeoutMs)) };
          methodsCache.set(key, entry);
          entry.methods.catch(() => methodsCache.delete(key));
        }
        try {
          return await entry.methods;
        } catch (error) {
          config.onError(error, `listing ${adapter.name} methods`);
          return [];
        }
      }),
    );
    return lists.flat().filter((m) => (m.min === undefined || order.amount >= m.min) && (m.max === undefined || order.amount <= m.max));
  }

  // ——— POST /payments ———

  async function createPayment(request: Request, url: URL, client: Client): Promise<Response> {
    await limit(client, 'payments', config.rateLimitPerMinute);
    const idempotencyKey = request.headers.get('idempotency-key');
    if (!idempotencyKey) throw new HttpProblem('idempotency-key-required');
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw new HttpProblem('invalid-body', 'Idempotency-Key must be 8–128 letters, digits or _ . : -', 'Idempotency-Key');
    const body = await readJsonBody(request, paymentBody, config.maxBodyBytes);
    const claims = await verify(() => tokens.verifySession(body.token));
    if (body.order !== undefined && body.order !== claims.order) throw new HttpProblem('token-mismatch', 'the token was issued for another order');

    const key = `${claims.session}:${idempotencyKey}`;
    const fingerprint = sha256(JSON.stringify([body.method, Object.entries(body.fields ?? {}).sort()]));
    const claim = await config.store.claimIdempotency(key, fingerprint, config.providerTimeoutMs * 4);
    if (claim.kind === 'replay') return replay(claim.response);
    if (claim.kind === 'conflict') throw new HttpProblem('idempotency-conflict');

    let adapter: ProviderAdapter | undefined;
    /** How far the request got: from `creating` on, the provider may have made a payment for this key. */
    let stage: 'checking' | 'creating' | 'created' = 'checking';
    let createSignal: AbortSignal | undefined;
    try {
      const order = await resolveOrder(claims.order, request);
      if (order.amount !== claims.amount || order.currency !== claims.currency) {
        throw new HttpProblem('token-mismatch', 'the order changed since the session started; start a new session');
      }
      const providerName = body.method.split(':')[0];
      adapter = isProviderName(providerName) ? adapters.get(providerName) : undefined;
      const method = adapter && (await methodsFor(order)).find((m) => m.id === body.method);
      if (!adapter || !method) throw new HttpProblem('unknown-method', `${body.method} is not available for this order`, 'method');
      const fields = checkFields(method, body.fields ?? {});

      const reference = `kp_${createHmac('sha256', config.secret).update(key).digest('base64url').slice(0, 24)}`;
      const base = publicBase(url);
      stage = 'creating';
      createSignal = AbortSignal.timeout(config.providerTimeoutMs * 4);
      const created = await adapter.createPayment({
        reference,
        order,
        method,
        fields,
        returnUrl: withParam(config.returnUrl, 'kassa_payment', reference),
        endpointReturnUrl: `${base}/return/${reference}`,
        webhookUrl: `${base}/webhooks/${adapter.name}`,
        idempotencyKey: reference,
        signal: createSignal,
      });
      stage = 'created';
      checkAction(adapter, created.action);
      const now = new Date().toISOString();
      const record: PaymentRecord = {
        reference,
        provider: adapter.name,
        method: method.id,
        order: order.reference,
        amount: order.amount,
        currency: order.currency,
        session: claims.session,
        providerPaymentId: created.providerPaymentId,
        state: created.state,
        providerStatus: created.providerStatus,
        action: created.action,
        data: created.data,
        createdAt: now,
        updatedAt: now,
      };
      await config.store.savePayment(record);
      const response = stored(201, { payment: view(record), action: created.action });
      await config.store.finishIdempotency(key, response, config.paymentTtlSeconds * 1000);
      return replay(response);
    } catch (thrown) {
      // The create's overall deadline surfaces as an abort from whichever call was running: the provider may have
      // made the payment, exactly as when a single call goes unanswered.
      const deadlinePassed = stage === 'creating' && createSignal?.aborted === true && isAbort(thrown);
      const error = deadlinePassed ? new ProviderUnavailable(`${adapter?.name}: no answer within ${config.providerTimeoutMs * 4} ms`) : thrown;
      const problem = toProblem(error);
      // A failure that may pass is released so a retry with the same key runs again — unless a payment may exist for
      // the key at a provider that would make a second one (Hero, hi.health): a create that went unanswered (timeout,
      // 5xx) may have happened, so the same key keeps answering this problem and never pays twice. A create the
      // provider provably did not process (429, connection refused) made nothing, so it may be asked again.
      const transient = problem.code === 'provider-unavailable' || problem.code === 'rate-limited' || problem.code === 'internal';
      const paymentMayExist = stage === 'created' || (stage === 'creating' && error instanceof ProviderUnavailable && !error.provablyNotProcessed);
      const release = transient && (adapter?.createIsIdempotent === true || !paymentMayExist);
      if (release) await config.store.finishIdempotency(key, null, 0);
      else await config.store.finishIdempotency(key, problemParts(problem), config.paymentTtlSeconds * 1000);
      if (problem.code === 'internal') throw error;
      throw problem;
    }
  }

  function checkFields(method: PaymentMethod, given: Record<string, string>): Record<string, string> {
    const known = new Map((method.fields ?? []).map((f) => [f.key, f]));
    for (const key of Object.keys(given)) {
      if (!known.has(key)) throw new HttpProblem('invalid-fields', `${method.id} has no field ${key}`, `fields.${key}`);
    }
    const fields: Record<string, string> = {};
    for (const field of known.values()) {
      const value = given[field.key]?.trim() ?? '';
      if (!value) {
        if (field.required) throw new HttpProblem('invalid-fields', `${field.key} is required`, `fields.${field.key}`);
        continue;
      }
      if (!matchesSafePattern(field.pattern, value)) throw new HttpProblem('invalid-fields', `${field.key} is not valid`, `fields.${field.key}`);
      fields[field.key] = value;
    }
    return fields;
  }

  /** Every URL a browser will be sent to must be on the provider's allow-list. */
  function checkAction(adapter: ProviderAdapter, action: PaymentRecord['action']): void {
    const urls: unknown[] = [];
    if (action.type === 'redirect' || action.type === 'form') urls.push(action.url);
    if (action.type === 'kronor') urls.push(action.httpUrl, action.wsUrl.replace(/^ws/, 'http'));
    if (action.type === 'qr' && action.deepLink && !/^(swish|mobilepay|vipps):/.test(action.deepLink)) urls.push(action.deepLink);
    for (const target of urls) {
      if (!isAllowedUrl(target, adapter.redirectHosts)) {
        throw new HttpProblem('unsafe-redirect', `${adapter.name} answered with a next step to a host that is not on its allow-list`);
      }
    }
  }

  // ——— GET /payments/{ref}, events, return ———

  async function findRecord(reference: string): Promise<PaymentRecord> {
    if (!REFERENCE.test(reference)) throw new HttpProblem('payment-not-found');
    const record = await config.store.getPayment(reference);
    if (!record) throw new HttpProblem('payment-not-found');
    return record;
  }

  /**
   * One status read. It never calls the provider by itself: it asks for a read that `ProviderReads` makes at most once
   * per payment per `providerReadIntervalMs`, however many clients, streams and instances ask.
   */
  async function readPayment(reference: string, client: Client): Promise<PaymentView> {
    await limit(client, 'status', config.statusRateLimitPerMinute);
    const record = await findRecord(reference);
    return view(isFinalState(record.state) ? record : await providerReads.refresh(record));
  }

  /** Re-reads a payment from its provider, saves and publishes a change; on a provider failure keeps what it had. */
  async function refresh(record: PaymentRecord): Promise<PaymentRecord> {
    const adapter = adapters.get(record.provider);
    if (!adapter) return record;
    let status: StatusRead;
    try {
      status = await adapter.readStatus(record, AbortSignal.timeout(config.providerTimeoutMs));
    } catch (error) {
      config.onError(error, `reading ${record.provider} payment ${record.reference}`);
      return record;
    }
    if (status.state === record.state && status.providerStatus === record.providerStatus) return record;
    const current = (await config.store.getPayment(record.reference)) ?? record;
    // A final state is never left for a non-final one by a late or out-of-order read.
    if (isFinalState(current.state) && !isFinalState(status.state)) return current;
    const updated = { ...current, state: status.state, providerStatus: status.providerStatus, updatedAt: new Date().toISOString() };
    // Saved before it is told: a listener that fails (the store reports it) cannot undo a saved change.
    await config.store.savePayment(updated);
    await config.store.publish(view(updated)).catch((error: unknown) => config.onError(error, `publishing payment ${record.reference}`));
    return updated;
  }

  async function streamEvents(request: Request, reference: string, client: Client): Promise<Response> {
    await limit(client, 'status', config.statusRateLimitPerMinute);
    const record = await findRecord(reference);
    const release = streams.open(client.key());
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        const send = (text: string) => {
          if (open) controller.enqueue(encoder.encode(text));
        };
        const close = () => {
          if (!open) return;
          open = false;
          cleanup();
          controller.close();
        };
        const push = (payment: PaymentView) => {
          send(`event: status\nid: ${Date.parse(payment.updatedAt)}\ndata: ${JSON.stringify(payment)}\n\n`);
          if (isFinalState(payment.state)) close();
        };
        const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
        // A stream ends after its lifetime even while the payment waits; the browser's EventSource opens a new one.
        const lifetime = setTimeout(close, config.streamLifetimeSeconds * 1000);
        const unwatch = watcher.watch(record.reference, push);
        cleanup = () => {
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          unwatch();
          release();
          request.signal.removeEventListener('abort', close);
        };
        request.signal.addEventListener('abort', close);
        send('retry: 2000\n\n');
        push(view(record));
        if (request.signal.aborted) close(); // the client left before the stream began: nothing to hold for it
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  }

  /** The providers' return URLs may point here: re-read the status, then on to the merchant's return page. */
  async function returnTo(reference: string, client: Client): Promise<Response> {
    await limit(client, 'status', config.statusRateLimitPerMinute);
    const record = await findRecord(reference);
    if (!isFinalState(record.state)) await providerReads.refresh(record);
    return new Response(null, { status: 303, headers: { location: withParam(config.returnUrl, 'kassa_payment', reference), 'cache-control': 'no-store' } });
  }

  // ——— POST /webhooks/{provider} ———

  async function webhook(request: Request, url: URL, name: string): Promise<Response> {
    const adapter = isProviderName(name) ? adapters.get(name) : undefined;
    if (!adapter) throw new HttpProblem('unknown-provider', `${name} is not enabled`);
    if (!hasOriginalBody(request)) {
      throw new HttpProblem('body-already-parsed', "a body parser turned the webhook into an object; its signature needs the provider's bytes: mount Kassa before it");
    }
    const body = await readBytes(request, 1_048_576);
    let result;
    try {
      result = await adapter.verifyWebhook({ method: request.method, url, headers: request.headers, body });
    } catch (error) {
      if (error instanceof WebhookRejected) throw new HttpProblem('webhook-invalid', error.message);
      throw error;
    }
    const record =
      (result.reference && REFERENCE.test(result.reference) ? await config.store.getPayment(result.reference) : undefined) ??
      (result.providerPaymentId ? await config.store.findPayment(adapter.name, result.providerPaymentId) : undefined);
    // The webhook's body is never trusted for the state: the payment is read again from the provider (now: a verified
    // webhook says something changed, so it does not wait for the read interval).
    if (record && !isFinalState(record.state)) await providerReads.refresh(record, { now: true });
    return adapter.webhookAnswer?.() ?? jsonResponse({ received: true });
  }

  // ——— helpers ———

  async function limit(client: Client, bucket: string, perMinute: number): Promise<void> {
    if (!(await config.store.hit(`${bucket}:${client.key()}`, perMinute, 60_000))) {
      throw new HttpProblem('rate-limited', undefined, undefined, { 'retry-after': '60' });
    }
  }

  function publicBase(url: URL): string {
    return config.publicUrl ?? `${url.origin}${config.basePath}`;
  }
}

/** The client of one request, by address; asking for its key without an address is the merchant's setup error. */
class Client {
  private cached: string | undefined;

  constructor(
    /** Called only when a route needs the address (inside the handler's error handling: the merchant's reader may throw). */
    private readonly address: () => string | undefined,
    private readonly onMissing: () => void,
  ) {}

  key(): string {
    if (this.cached) return this.cached;
    const address = this.address();
    if (!address) {
      this.onMissing();
      throw new HttpProblem('client-address-unknown');
    }
    return (this.cached = clientKey(address));
  }
}

/** The first language of `Accept-Language` when it is a well-formed tag, else English. */
function preferredLocale(header: string | null): string {
  const first = header?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return first.length <= 35 && LOCALE.test(first) ? first : 'en';
}

/** The answer to HEAD: the GET answer's status and headers (with its length), no body; an event stream is not opened. */
async function withoutBody(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) await response.body?.cancel().catch(() => {});
  else if (response.body) headers.set('content-length', String((await response.arrayBuffer()).byteLength));
  return new Response(null, { status: response.status, headers });
}

async function verify<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof TokenInvalid) throw new HttpProblem('invalid-token', error.message);
    throw error;
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ProviderRefused) return new HttpProblem('provider-refused', error.message, error.field);
  if (error instanceof ProviderUnavailable) {
    // The provider's own Retry-After (a 429's, a 503's) tells the browser when trying again may help.
    const wait = error.retryAfterSeconds;
    return new HttpProblem('provider-unavailable', undefined, undefined, wait === undefined ? {} : { 'retry-after': String(Math.min(wait, MAX_RETRY_AFTER_SECONDS)) });
  }
  return new HttpProblem('internal');
}

function view(record: PaymentRecord): PaymentView {
  return {
    reference: record.reference,
    provider: record.provider,
    method: record.method,
    order: record.order,
    amount: record.amount,
    currency: record.currency,
    state: record.state,
    providerStatus: record.providerStatus,
    updatedAt: record.updatedAt,
  };
}

function stored(status: number, body: unknown): StoredResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function replay(response: StoredResponse): Response {
  return new Response(response.body, { status: response.status, headers: { ...response.headers, 'cache-control': 'no-store' } });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function withParam(base: string, name: string, value: string): string {
  const url = new URL(base);
  url.searchParams.set(name, value);
  return url.href;
}

function corsHeaders(request: Request, url: URL, config: ResolvedConfig): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || origin === url.origin) return {};
  if (!config.allowedOrigins.includes(origin)) throw new HttpProblem('origin-not-allowed', `${origin} is not an allowed origin`);
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, idempotency-key',
    vary: 'origin',
  };
}
