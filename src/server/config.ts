/**
 * The endpoint's configuration, checked once when `createKassaHandler` is called: a missing or short secret, an
 * unknown option or a provider without its credentials stops the server at start-up with a message that names the
 * option, instead of failing on the first shopper.
 */
import { z } from 'zod';
import type { ProviderName } from '../core/model.ts';
import type { PaymentEventHook } from './events/delivery.ts';
import type { DuplicatePolicy } from './payments/order-guard.ts';
import type { ResolvedOrder } from './provider.ts';
import type { HealthConfig } from './routing/health.ts';
import { routingSchema, type RoutingConfig } from './routing/rules.ts';
import type { KassaSchemaError } from './schema.ts';
import { PROVIDER_MODULES, type ProviderConfigs } from './providers.ts';
import { MemoryStore, type KassaStore } from './stores/store.ts';

/** Raised by `resolveOrder` to refuse an order; `status` 404 (unknown) or 422 (cannot be paid now). */
export class OrderRefused extends Error {
  constructor(
    message: string,
    readonly status: 404 | 422 = 404,
  ) {
    super(message);
  }
}

export interface KassaConfig {
  /** Signs the tokens: at least 32 characters, random, kept on the server. */
  secret: string;
  /** The merchant's own order lookup: the only source of the amount. Return `null` or throw `OrderRefused` to refuse. */
  resolveOrder: (orderRef: string, request: Request) => Promise<ResolvedOrder | null> | ResolvedOrder | null;
  /** The merchant's return page (absolute URL); Kassa adds `kassa_payment=<reference>` to it. */
  returnUrl: string;
  /** The providers to enable, each with its environment and credentials. */
  providers: ProviderConfigs;
  /** Origins allowed to call the endpoint from a browser, besides the endpoint's own. */
  allowedOrigins?: string[];
  /** Where the endpoint is mounted, e.g. `/kassa`; requests outside it are answered 404. */
  basePath?: string;
  /**
   * The endpoint's public URL, e.g. `https://shop.example/kassa`: where providers send webhooks and shoppers come back.
   * Required unless every provider is in the `sandbox` environment (then it is taken from each request): a URL taken
   * from a request's `Host` would let anyone point a payment's webhooks and return elsewhere.
   */
  publicUrl?: string;
  /** Base URL of the local sandbox for providers in the `sandbox` environment. */
  sandboxUrl?: string;
  store?: KassaStore;
  /** The session token's lifetime; 900 s by default. */
  sessionTtlSeconds?: number;
  /** How long the answer to `POST /payments` is kept for a retry with the same Idempotency-Key; 7,200 s by default. */
  paymentTtlSeconds?: number;
  /** How long a provider's method list is reused for the same currency. */
  methodsCacheSeconds?: number;
  /** Per attempt, for every provider call. */
  providerTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Requests per client per minute on `POST /session`, and again on `POST /payments`; 120 by default. */
  rateLimitPerMinute?: number;
  /** Status requests per client per minute (`GET /payments/{ref}`, opening its event stream, `GET /return/{ref}`); 300 by default. */
  statusRateLimitPerMinute?: number;
  /** A payment is read from its provider at most once per this interval, however many ask; 2,000 ms by default. */
  providerReadIntervalMs?: number;
  /** Open status streams per client at once; 16 by default (a client behind a shared address may be many shoppers). */
  maxStreamsPerClient?: number;
  /** Open status streams in all, per endpoint instance; 500 by default. Beyond it a stream is answered 503. */
  maxStreams?: number;
  /** A status stream is closed after this long (the browser opens a new one); 300 s by default. */
  streamLifetimeSeconds?: number;
  /**
   * How to read the client's address from a request, for runtimes that do not pass it in the handler's context
   * (e.g. `(request) => request.headers.get('x-real-ip')` where the platform sets that header). Without an address
   * from either, rate-limited routes answer 500 `client-address-unknown` and `onError` says why: one shared bucket for
   * every shopper would let one client lock out all.
   */
  clientAddress?: (request: Request) => string | null | undefined;
  /**
   * Called on the server for every change of every payment: its creation and each change of state or provider status
   * (also after a final state, e.g. paid → refunded). Fulfil orders here, never from the browser. Events are saved
   * before they are delivered and delivered at least once, in order per payment: dedupe by `event.id`. A hook that
   * throws or runs past `paymentEventTimeoutMs` is called again later (with backoff) with the same event, and the
   * failure reaches `onError`; other payments' events are not held up.
   */
  onPaymentEvent?: PaymentEventHook;
  /** How long one call of `onPaymentEvent` may take before it counts as failed; 10,000 ms by default. */
  paymentEventTimeoutMs?: number;
  /**
   * What Kassa does when an order is paid twice (two tabs, two devices): the payment created later is marked
   * `duplicateOf` the first in its events and, with `'refund'` (the default), voided or refunded where its provider
   * allows it; with `'report'` only reported (`onError` and the event), for the merchant to settle.
   */
  duplicatePayments?: DuplicatePolicy;
  /**
   * Off by default. When set, the endpoint also answers the merchant's routes under `{basePath}/merchant/`: read a
   * payment with its events, capture, cancel, refund and upload documents (README: "After the sale"). `authorize` is
   * the merchant's own check of the caller (an API key, mTLS, a network rule); a request carrying a shopper's Kassa
   * token is refused before it is asked. Without this option those routes do not exist: call `kassa.payments.*`.
   */
  merchantApi?: MerchantApiConfig;
  /**
   * How methods are listed and payments routed over providers (README: "Routing over providers"): per method type,
   * the providers to try in order, with conditions; by default one entry per type, over every provider that offers
   * it in the order `providers` names them; `list: 'provider'` lists every provider's own entry instead.
   */
  routing?: RoutingConfig;
  /** When a provider counts as down and for how long it is left out (a circuit breaker per provider, shared through the store). */
  health?: HealthConfig;
  /** Where the endpoint reports its own errors (never the shopper's page); console.error by default. */
  onError?: (error: unknown, context: string) => void;
}

export interface MerchantApiConfig {
  /** True only for the merchant's own servers. Never consulted for a request that bears a shopper's token. */
  authorize: (request: Request) => boolean | Promise<boolean>;
}

export interface ResolvedConfig extends Required<Omit<KassaConfig, 'publicUrl' | 'providers' | 'clientAddress' | 'onPaymentEvent' | 'merchantApi' | 'health'>> {
  health: HealthConfig | undefined;
  publicUrl: string | undefined;
  merchantApi: MerchantApiConfig | undefined;
  clientAddress: KassaConfig['clientAddress'];
  onPaymentEvent: KassaConfig['onPaymentEvent'];
  providers: ProviderConfigs;
  enabled: ProviderName[];
}

const MIN_SECRET_LENGTH = 32;

const baseSchema = z.strictObject({
  secret: z.string({ error: 'secret is required' }).min(MIN_SECRET_LENGTH, `secret must be at least ${MIN_SECRET_LENGTH} characters`),
  resolveOrder: z.custom<KassaConfig['resolveOrder']>((v) => typeof v === 'function', 'resolveOrder must be a function'),
  returnUrl: z.url({ protocol: /^https?$/, error: 'returnUrl must be an absolute http(s) URL' }),
  providers: z.record(z.string(), z.unknown()),
  allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).optional(),
  basePath: z.string().regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'basePath must look like /kassa').optional(),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  sandboxUrl: z.url({ protocol: /^https?$/ }).optional(),
  store: z.custom<KassaStore>((v) => typeof v === 'object' && v !== null, 'store must implement KassaStore').optional(),
  sessionTtlSeconds: z.number().int().min(60).max(86_400).optional(),
  paymentTtlSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
  methodsCacheSeconds: z.number().int().min(0).max(3_600).optional(),
  providerTimeoutMs: z.number().int().min(100).max(60_000).optional(),
  maxBodyBytes: z.number().int().min(1_024).max(1_048_576).optional(),
  rateLimitPerMinute: z.number().int().min(1).optional(),
  statusRateLimitPerMinute: z.number().int().min(1).optional(),
  providerReadIntervalMs: z.number().int().min(100).max(60_000).optional(),
  maxStreamsPerClient: z.number().int().min(1).optional(),
  maxStreams: z.number().int().min(1).optional(),
  streamLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
  clientAddress: z.custom<NonNullable<KassaConfig['clientAddress']>>((v) => typeof v === 'function', 'clientAddress must be a function').optional(),
  onPaymentEvent: z.custom<NonNullable<KassaConfig['onPaymentEvent']>>((v) => typeof v === 'function', 'onPaymentEvent must be a function').optional(),
  paymentEventTimeoutMs: z.number().int().min(100).max(300_000).optional(),
  duplicatePayments: z.enum(['refund', 'report']).optional(),
  merchantApi: z
    .strictObject({ authorize: z.custom<MerchantApiConfig['authorize']>((v) => typeof v === 'function', 'merchantApi.authorize must be a function') })
    .optional(),
  routing: routingSchema.optional(),
  health: z
    .strictObject({
      failureThreshold: z.number().int().min(1).max(1_000).optional(),
      windowSeconds: z.number().int().min(1).max(3_600).optional(),
      openSeconds: z.number().min(0.1).max(3_600).optional(),
    })
    .optional(),
  onError: z.custom<NonNullable<KassaConfig['onError']>>((v) => typeof v === 'function', 'onError must be a function').optional(),
});

export class KassaConfigError extends Error {
  override name = 'KassaConfigError';
}

export function resolveConfig(config: KassaConfig): ResolvedConfig {
  const parsed = baseSchema.safeParse(config);
  if (!parsed.success) throw new KassaConfigError(`Kassa: invalid configuration — ${describe(parsed.error)}`);
  const providers: Record<string, unknown> = {};
  const enabled: ProviderName[] = [];
  for (const [name, value] of Object.entries(parsed.data.providers)) {
    const module = PROVIDER_MODULES[name as ProviderName];
    if (!module) {
      throw new KassaConfigError(`Kassa: invalid configuration — providers.${name} is not a provider Kassa knows (${Object.keys(PROVIDER_MODULES).join(', ')})`);
    }
    if (value === undefined || value === false) continue;
    const result = module.configSchema.safeParse(value);
    if (!result.success) throw new KassaConfigError(`Kassa: invalid configuration — ${describe(result.error, `providers.${name}.`)}`);
    providers[name] = result.data;
    enabled.push(name as ProviderName);
  }
  if (!enabled.length) throw new KassaConfigError('Kassa: invalid configuration — providers must enable at least one provider');
  const live = enabled.filter((name) => (providers[name] as { environment?: string }).environment !== 'sandbox');
  if (!parsed.data.publicUrl && live.length) {
    throw new KassaConfigError(
      `Kassa: invalid configuration — publicUrl is required outside the sandbox environment (${live.join(', ')}): ` +
        "the endpoint's public URL, e.g. https://shop.example/kassa, where providers send webhooks and shoppers return",
    );
  }
  return {
    secret: parsed.data.secret,
    resolveOrder: config.resolveOrder,
    returnUrl: parsed.data.returnUrl,
    providers: providers as ProviderConfigs,
    enabled,
    allowedOrigins: (parsed.data.allowedOrigins ?? []).map((o) => new URL(o).origin),
    basePath: parsed.data.basePath ?? '',
    publicUrl: parsed.data.publicUrl?.replace(/\/$/, ''),
    sandboxUrl: (parsed.data.sandboxUrl ?? 'http://127.0.0.1:4010').replace(/\/$/, ''),
    store: config.store ?? new MemoryStore(),
    sessionTtlSeconds: parsed.data.sessionTtlSeconds ?? 15 * 60,
    paymentTtlSeconds: parsed.data.paymentTtlSeconds ?? 2 * 60 * 60,
    methodsCacheSeconds: parsed.data.methodsCacheSeconds ?? 60,
    providerTimeoutMs: parsed.data.providerTimeoutMs ?? 8_000,
    maxBodyBytes: parsed.data.maxBodyBytes ?? 16 * 1024,
    rateLimitPerMinute: parsed.data.rateLimitPerMinute ?? 120,
    statusRateLimitPerMinute: parsed.data.statusRateLimitPerMinute ?? 300,
    providerReadIntervalMs: parsed.data.providerReadIntervalMs ?? 2_000,
    maxStreamsPerClient: parsed.data.maxStreamsPerClient ?? 16,
    maxStreams: parsed.data.maxStreams ?? 500,
    streamLifetimeSeconds: parsed.data.streamLifetimeSeconds ?? 300,
    clientAddress: config.clientAddress,
    onPaymentEvent: config.onPaymentEvent,
    paymentEventTimeoutMs: parsed.data.paymentEventTimeoutMs ?? 10_000,
    duplicatePayments: parsed.data.duplicatePayments ?? 'refund',
    merchantApi: config.merchantApi,
    routing: (parsed.data.routing ?? {}) as RoutingConfig,
    health: parsed.data.health,
    onError: config.onError ?? ((error, context) => console.error(`kassa: ${context}:`, error)),
  };
}

/** "providers.hero.apiKey: Required" — the first problem, named by its path; never echoes the value. */
export function describe(error: KassaSchemaError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'not valid';
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `${prefix}${path ? `${path}.` : ''}${issue.keys?.[0]} is not an option Kassa knows`;
  return path ? `${prefix}${path}: ${issue.message}` : `${prefix.replace(/\.$/, '')} ${issue.message}`.trim();
}
