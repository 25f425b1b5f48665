/**
 * The WhenThen adapter's configuration: what a merchant writes under `providers.whenthen`, checked once at start-up,
 * and the URLs and redirect hosts it resolves to per environment.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../../core/url-safety.ts';
import type { Environment } from '../../server/provider.ts';
import type { Holds, KassaSchema, SameShape } from '../../server/schema.ts';

/** WhenThen's GraphQL API (providers.md); WhenThen's own "sandbox" is Kassa's `staging`. */
export const GRAPHQL_URLS: Record<Exclude<Environment, 'sandbox'>, string> = {
  staging: 'https://api.sandbox.whenthen.co/api/graphql',
  production: 'https://api.whenthen.com/api/graphql',
};

/** Where the local sandbox simulates WhenThen, under `deps.sandboxUrl` (sandbox/whenthen/README.md). */
const SANDBOX_GRAPHQL_PATH = '/whenthen/graphql';
const SANDBOX_CHECKOUT_PATH = '/whenthen/hosted/checkout';

/**
 * INVENTED: where WhenThen's `requiresApmAuthorization` error sends the shopper (the error itself is INVENTED in
 * providers.md): PayPal's and Klarna's own approval pages. A merchant whose WhenThen account answers other hosts
 * lists them in `apmRedirectHosts`.
 */
export const DEFAULT_APM_REDIRECT_HOSTS: Record<Exclude<Environment, 'sandbox'>, readonly string[]> = {
  staging: ['www.sandbox.paypal.com', 'pay.playground.klarna.com'],
  production: ['www.paypal.com', 'pay.klarna.com'],
};

/**
 * INVENTED: the query parameters WhenThen's hosted checkout takes (its address and query are not public; the sandbox
 * takes these). A merchant whose checkout spells them otherwise sets `hostedCheckoutParameters`.
 */
export const DEFAULT_HOSTED_CHECKOUT_PARAMETERS = { clientToken: 'clientToken', redirectUrl: 'redirectUrl', orderId: 'orderId', flowId: 'flowId' } as const;

/**
 * INVENTED (providers.md): how WhenThen signs its webhooks — `X-WhenThen-Signature: hex(HMAC-SHA256(secret, raw
 * body))` — and the event type that carries a payment. Each part can be set in `webhookSignature` / `webhookEventType`.
 */
export const DEFAULT_WEBHOOK_SIGNATURE = { header: 'X-WhenThen-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '' } as const;
export const DEFAULT_WEBHOOK_EVENT_TYPE = 'payment.updated';

/**
 * The `extensions.code` values the adapter acts on. The APM one is INVENTED in providers.md after the documented
 * `error.authorize.requires3DSecure`; the rest are the sandbox's INVENTED `error.<area>.<reason>` spellings (WhenThen
 * publishes no error list). `errorCodes` sets WhenThen's real ones.
 */
export const DEFAULT_ERROR_CODES = {
  requiresApmAuthorization: 'error.authorize.requiresApmAuthorization',
  invalidStatus: 'error.payment.invalidStatus',
  unauthenticated: 'error.auth.unauthenticated',
  forbidden: 'error.auth.forbidden',
} as const;

/** INVENTED: how many payments one listPayments page asks for (WhenThen documents no maximum; the sandbox's is 100). */
export const DEFAULT_LIST_PAGE_SIZE = 100;

export const METHOD_CODES = ['card', 'paypal', 'klarna'] as const;
export type MethodCode = (typeof METHOD_CODES)[number];

/** The private key travels to one URL and the shopper to the other: https only, plain http only on loopback. */
function secureUrl(option: string) {
  return z
    .url({ protocol: /^https?$/, error: `${option} must be an absolute http(s) URL`, abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || isLoopbackHost(url.hostname);
    }, `${option} must use https (plain http only for a loopback host)`)
    .refine((value) => {
      const url = new URL(value);
      return !url.username && !url.password && !url.search && !url.hash;
    }, `${option} must not carry credentials, a query or a fragment`);
}

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$/;

/** A URL query parameter's name. */
const queryName = (option: string) =>
  z.string().trim().min(1, `${option} must not be empty`).max(64).regex(/^[A-Za-z0-9_.\-[\]]+$/, `${option} must be a plain query parameter name`);

/** An HTTP header's name (RFC 9110 token). */
const headerName = z.string().trim().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, 'webhookSignature.header must be an HTTP header name');

const errorCode = (option: string) => z.string().trim().min(1, `errorCodes.${option} must not be empty`).max(128);

const hostedCheckoutParameters = z
  .strictObject({
    clientToken: queryName('hostedCheckoutParameters.clientToken').default(DEFAULT_HOSTED_CHECKOUT_PARAMETERS.clientToken),
    redirectUrl: queryName('hostedCheckoutParameters.redirectUrl').default(DEFAULT_HOSTED_CHECKOUT_PARAMETERS.redirectUrl),
    orderId: queryName('hostedCheckoutParameters.orderId').default(DEFAULT_HOSTED_CHECKOUT_PARAMETERS.orderId),
    flowId: queryName('hostedCheckoutParameters.flowId').default(DEFAULT_HOSTED_CHECKOUT_PARAMETERS.flowId),
  })
  .refine((names) => new Set(Object.values(names)).size === 4, 'hostedCheckoutParameters must name four different parameters')
  .prefault({});

const webhookSignature = z
  .strictObject({
    header: headerName.default(DEFAULT_WEBHOOK_SIGNATURE.header),
    algorithm: z.enum(['sha256', 'sha512'], { error: "webhookSignature.algorithm must be 'sha256' or 'sha512'" }).default(DEFAULT_WEBHOOK_SIGNATURE.algorithm),
    encoding: z.enum(['hex', 'base64'], { error: "webhookSignature.encoding must be 'hex' or 'base64'" }).default(DEFAULT_WEBHOOK_SIGNATURE.encoding),
    /** Text before the digest in the header, e.g. `sha256=`. */
    prefix: z.string().max(32).default(DEFAULT_WEBHOOK_SIGNATURE.prefix),
  })
  .prefault({});

const errorCodes = z
  .strictObject({
    requiresApmAuthorization: errorCode('requiresApmAuthorization').default(DEFAULT_ERROR_CODES.requiresApmAuthorization),
    invalidStatus: errorCode('invalidStatus').default(DEFAULT_ERROR_CODES.invalidStatus),
    unauthenticated: errorCode('unauthenticated').default(DEFAULT_ERROR_CODES.unauthenticated),
    forbidden: errorCode('forbidden').default(DEFAULT_ERROR_CODES.forbidden),
  })
  .prefault({});

const schema = z
  .strictObject({
    environment: z.enum(['sandbox', 'staging', 'production'], { error: "environment must be 'sandbox', 'staging' or 'production'" }),
    /** WhenThen's private key, sent as `Authorization: Bearer …`; server side only. */
    apiKey: z.string({ error: 'apiKey is required (WhenThen dashboard → developer settings → private key)' }).trim().min(1, 'apiKey must not be empty'),
    /** The secret WhenThen signs webhooks with (see `webhookSignature`). */
    webhookSecret: z.string({ error: 'webhookSecret is required: the secret WhenThen signs webhooks with' }).min(1, 'webhookSecret must not be empty'),
    /** The WhenThen flow payments run through (developer settings); left out, the account's default flow runs. */
    flowId: z.string().trim().min(1, 'flowId must not be empty').max(128).optional(),
    /** Overrides WhenThen's GraphQL endpoint for the environment. */
    graphqlUrl: secureUrl('graphqlUrl').optional(),
    /** WhenThen's hosted card checkout; the shopper goes to `{hostedCheckoutUrl}?clientToken=…&redirectUrl=…&orderId=…`. */
    hostedCheckoutUrl: secureUrl('hostedCheckoutUrl').optional(),
    /** The names of the hosted checkout's query parameters (INVENTED defaults, see DEFAULT_HOSTED_CHECKOUT_PARAMETERS). */
    hostedCheckoutParameters,
    /** How WhenThen signs webhooks: header, HMAC algorithm, digest encoding, prefix (INVENTED defaults). */
    webhookSignature,
    /** The webhook event type that carries a payment; other types are acknowledged and ignored (INVENTED default). */
    webhookEventType: z.string().trim().min(1, 'webhookEventType must not be empty').max(128).default(DEFAULT_WEBHOOK_EVENT_TYPE),
    /** WhenThen's `extensions.code` values for the errors the adapter acts on (INVENTED defaults). */
    errorCodes,
    /** How many payments one listPayments page asks for when finding a payment by orderId (INVENTED default). */
    listPageSize: z.number().int('listPageSize must be a whole number').min(1, 'listPageSize must be at least 1').max(1000, 'listPageSize must be at most 1000').default(DEFAULT_LIST_PAGE_SIZE),
    /** The methods offered, in this order. */
    methods: z
      .array(z.enum(METHOD_CODES, { error: `methods may hold only ${METHOD_CODES.join(', ')}` }))
      .min(1, 'methods must name at least one method')
      .refine((codes) => new Set(codes).size === codes.length, 'methods must not repeat a method')
      .default([...METHOD_CODES]),
    /** Hosts PayPal / Klarna approval pages may be on (staging and production); defaults to PayPal's and Klarna's. */
    apmRedirectHosts: z
      .array(z.string().toLowerCase().regex(HOST, 'apmRedirectHosts must be host names (with a port, if any)'))
      .min(1, 'apmRedirectHosts must name at least one host')
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.environment === 'sandbox') return;
    if (config.methods.includes('card') && !config.hostedCheckoutUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostedCheckoutUrl'],
        message: `hostedCheckoutUrl is required for ${config.environment} when card is offered: WhenThen's hosted checkout address is not public; use the one WhenThen gave you`,
      });
    }
  });

// A type literal, not an interface: it converts to and from a plain record, as the inferred type did.
/** What a merchant writes under `providers.whenthen` (options with a default may be left out). */
export type WhenthenConfig = {
  environment: Environment;
  /** WhenThen's private key, sent as `Authorization: Bearer …`; server side only. */
  apiKey: string;
  /** The secret WhenThen signs webhooks with (see `webhookSignature`). */
  webhookSecret: string;
  /** The WhenThen flow payments run through (developer settings); left out, the account's default flow runs. */
  flowId?: string;
  /** Overrides WhenThen's GraphQL endpoint for the environment. */
  graphqlUrl?: string;
  /** WhenThen's hosted card checkout; required outside `sandbox` when card is offered. */
  hostedCheckoutUrl?: string;
  /** The names of the hosted checkout's query parameters (four different names). */
  hostedCheckoutParameters?: Partial<WhenthenCheckoutParameters>;
  /** How WhenThen signs webhooks: header, HMAC algorithm, digest encoding, prefix. */
  webhookSignature?: Partial<WhenthenWebhookSignature>;
  /** The webhook event type that carries a payment; other types are acknowledged and ignored. */
  webhookEventType?: string;
  /** WhenThen's `extensions.code` values for the errors the adapter acts on. */
  errorCodes?: Partial<WhenthenErrorCodes>;
  /** How many payments one listPayments page asks for when finding a payment by orderId (1 to 1000). */
  listPageSize?: number;
  /** The methods offered, in this order; all three by default. */
  methods?: MethodCode[];
  /** Hosts PayPal / Klarna approval pages may be on (staging and production); defaults to PayPal's and Klarna's. */
  apmRedirectHosts?: string[];
};

/** The query parameters of WhenThen's hosted checkout address. */
export interface WhenthenCheckoutParameters {
  clientToken: string;
  redirectUrl: string;
  orderId: string;
  flowId: string;
}

/** Where and how a webhook's signature is carried. */
export interface WhenthenWebhookSignature {
  header: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  /** Text before the digest in the header, e.g. `sha256=`. */
  prefix: string;
}

export interface WhenthenErrorCodes {
  requiresApmAuthorization: string;
  invalidStatus: string;
  unauthenticated: string;
  forbidden: string;
}

type WhenthenDefaulted = 'hostedCheckoutParameters' | 'webhookSignature' | 'webhookEventType' | 'errorCodes' | 'listPageSize' | 'methods';

/** The configuration once checked, defaults applied. */
export type ResolvedWhenthenConfig = Omit<WhenthenConfig, WhenthenDefaulted> & {
  hostedCheckoutParameters: WhenthenCheckoutParameters;
  webhookSignature: WhenthenWebhookSignature;
  webhookEventType: string;
  errorCodes: WhenthenErrorCodes;
  listPageSize: number;
  methods: MethodCode[];
};

/** Checks `providers.whenthen` and applies its defaults. */
export const whenthenConfigSchema: KassaSchema<ResolvedWhenthenConfig> = schema;

/** @internal */
export type WhenthenConfigTypesHold = [
  Holds<SameShape<z.input<typeof schema>, WhenthenConfig>>,
  Holds<SameShape<z.output<typeof schema>, ResolvedWhenthenConfig>>,
];

export interface WhenthenEndpoints {
  graphqlUrl: string;
  /** Undefined only when card is not offered outside the sandbox. */
  hostedCheckoutUrl: string | undefined;
  /** Every host the shopper may be sent to. */
  redirectHosts: string[];
}

export function whenthenEndpoints(config: ResolvedWhenthenConfig, sandboxUrl: string): WhenthenEndpoints {
  const offersCard = config.methods.includes('card');
  const offersApm = config.methods.some((m) => m !== 'card');
  if (config.environment === 'sandbox') {
    const base = sandboxUrl.replace(/\/+$/, '');
    const graphqlUrl = config.graphqlUrl ?? `${base}${SANDBOX_GRAPHQL_PATH}`;
    const hostedCheckoutUrl = config.hostedCheckoutUrl ?? `${base}${SANDBOX_CHECKOUT_PATH}`;
    // The sandbox serves its APM pages from the host that answered the API.
    const hosts = [...(offersCard ? [hostOf(hostedCheckoutUrl)] : []), ...(offersApm ? [hostOf(graphqlUrl)] : [])];
    return { graphqlUrl, hostedCheckoutUrl, redirectHosts: unique(hosts) };
  }
  const hosts = [
    ...(offersCard && config.hostedCheckoutUrl ? [hostOf(config.hostedCheckoutUrl)] : []),
    ...(offersApm ? (config.apmRedirectHosts ?? DEFAULT_APM_REDIRECT_HOSTS[config.environment]) : []),
  ];
  return {
    graphqlUrl: config.graphqlUrl ?? GRAPHQL_URLS[config.environment],
    hostedCheckoutUrl: config.hostedCheckoutUrl,
    redirectHosts: unique(hosts),
  };
}

function hostOf(url: string): string {
  return new URL(url).host;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
