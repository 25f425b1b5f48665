/**
 * The Kronor adapter's configuration: what a merchant writes under `providers.kronor`, checked once at start-up,
 * and the URLs and redirect hosts it resolves to per environment.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopbackHost } from '../../core/url-safety.ts';
import type { Environment } from '../../server/provider.ts';
import type { Holds, KassaSchema, SameShape } from '../../server/schema.ts';
import { KRONOR_COUNTRIES, KRONOR_MESSAGE, KRONOR_METHOD_CODES, type KronorMethodCode } from './methods.ts';

/** Kronor's public endpoints (providers.md): GraphQL over HTTP and websockets, and the payment gateway page. */
export const KRONOR_URLS: Record<Exclude<Environment, 'sandbox'>, Omit<Endpoints, 'merchantWsUrl'>> = {
  staging: {
    graphqlUrl: 'https://staging.kronor.io/v1/graphql',
    wsUrl: 'wss://staging.kronor.io/v1/graphql',
    paymentGatewayUrl: 'https://payment-gateway.staging.kronor.io/payment',
  },
  production: {
    graphqlUrl: 'https://kronor.io/v1/graphql',
    wsUrl: 'wss://kronor.io/v1/graphql',
    paymentGatewayUrl: 'https://payment-gateway.kronor.io/payment',
  },
};

/** Where the local sandbox simulates Kronor, under `deps.sandboxUrl` (sandbox/kronor/README.md). */
const SANDBOX_GRAPHQL_PATH = '/kronor/v1/graphql';
const SANDBOX_GATEWAY_PATH = '/kronor/payment';

/** ASSUMED: long enough to pay, short enough that an abandoned session does not linger. */
export const DEFAULT_SESSION_TTL_MINUTES = 30;

/**
 * Values Kassa had to choose where Kronor's documentation is silent, each a configuration option (README: "Values
 * Kassa chose"). The real schema or the seed fixes what is around them (lengths, characters), not the values.
 */
export const KRONOR_DEFAULTS = {
  /** ASSUMED: who Kassa says made a capture, release or refund (`generatedFrom`; Kronor's portal says "Portal"). */
  generatedFrom: 'Kassa',
  /** ASSUMED: Kronor requires a refund message for the customer (real schema); this one when no reason is given. */
  refundMessage: 'Refund',
  /**
   * ASSUMED: the IP address Kronor gets when the shopper's is unknown and the method cannot do without
   * `additionalData` (P24, PayPal), whose `ip` the real schema requires. Other methods leave additionalData out then.
   */
  unknownShopperIp: '0.0.0.0',
  /** ASSUMED: the tax rate (percent) of a PayPal order line that carries none. */
  taxRate: 0,
  /** ASSUMED: Kronor is a Swedish gateway; a session with no better hint takes place in Sweden. */
  country: 'SE',
  /**
   * Hasura's `validation-failed` (real) and `bad-request` (ASSUMED, the sandbox's): the error codes with which Kronor
   * refuses an input or a state. Any other code is Kronor failing, retried and reported as unavailable.
   */
  refusalErrorCodes: ['validation-failed', 'bad-request'],
  /** providers.md: the header Kronor signs webhooks in. */
  webhookSignatureHeader: 'X-HMAC-SHA256-Signature',
  /** ASSUMED (providers.md, INVENTED there): the field of a webhook event's additionalData naming the merchantReference. */
  webhookReferenceField: 'reference',
} as const;

/** Kronor's methods, with what it documents no limits or currencies for overridable (see methods.ts). */
const methodCode = z.enum(KRONOR_METHOD_CODES, { error: `methods may only list ${KRONOR_METHOD_CODES.join(', ')}` });
const minorUnits = (option: string) =>
  z.number({ error: `${option} must be a number of minor units` }).int(`${option} must be a whole number of minor units`).min(1, `${option} must be at least 1`);

/** Kronor: a session lives at most 24 hours. */
export const MAX_SESSION_TTL_MINUTES = 24 * 60;

export interface Endpoints {
  graphqlUrl: string;
  wsUrl: string;
  /** The websocket the merchant's server subscribes to with the merchant token. */
  merchantWsUrl: string;
  /** Kronor's hosted payment gateway page (`…/payment?paymentMethod=…&token=…`). */
  paymentGatewayUrl: string;
}

/** A URL the merchant token or the shopper goes to: secure, or plain only on a loopback host (the sandbox). */
function endpointUrl(option: string, secure: 'https' | 'wss') {
  const plain = secure === 'https' ? 'http' : 'ws';
  return z
    .string({ error: `${option} must be an absolute ${secure} URL` })
    .refine((value) => URL.canParse(value), { error: `${option} must be an absolute ${secure} URL`, abort: true })
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === `${secure}:` || (url.protocol === `${plain}:` && isLoopbackHost(url.hostname));
    }, { error: `${option} must use ${secure} (plain ${plain} only for a loopback host)`, abort: true })
    .refine((value) => {
      const url = new URL(value);
      return !url.username && !url.password && !url.search && !url.hash;
    }, `${option} must not carry credentials, a query or a fragment`);
}

const schema = z.strictObject({
  environment: z.enum(['sandbox', 'staging', 'production'], { error: "environment must be 'sandbox', 'staging' or 'production'" }),
  /** The merchant token from Kronor's portal, sent as `Authorization: Bearer …`; server side only. */
  merchantToken: z
    .string({ error: 'merchantToken is required (Kronor portal → API tokens)' })
    .trim()
    .min(1, 'merchantToken must not be empty'),
  /** The `hmacSecret` Kronor answered to `setWebhookUrl`: webhooks are signed with it. */
  webhookSecret: z
    .string({ error: 'webhookSecret is required: the hmacSecret Kronor answered to setWebhookUrl' })
    .min(16, 'webhookSecret is too short to be the hmacSecret setWebhookUrl answered'),
  /** Overrides Kronor's GraphQL endpoint (the merchant's server and the shopper's browser both call it). */
  graphqlUrl: endpointUrl('graphqlUrl', 'https').optional(),
  /** Overrides the websocket endpoint the browser subscribes to; by default the graphqlUrl with wss. */
  wsUrl: endpointUrl('wsUrl', 'wss').optional(),
  /**
   * Overrides the websocket the endpoint follows the merchant's payments on, with the merchant token. Kronor serves
   * both tokens on one endpoint (`wss://kronor.io/v1/graphql` beside `https://kronor.io/v1/graphql`), so by default
   * it is the graphqlUrl with wss (the browser's wsUrl when only that is set).
   */
  merchantWsUrl: endpointUrl('merchantWsUrl', 'wss').optional(),
  /** Overrides Kronor's hosted payment gateway page. */
  paymentGatewayUrl: endpointUrl('paymentGatewayUrl', 'https').optional(),
  /** How long a Kronor payment session stays usable, in minutes (Kronor allows up to 24 hours). */
  sessionTtlMinutes: z
    .number({ error: 'sessionTtlMinutes must be a number of minutes' })
    .int('sessionTtlMinutes must be a whole number of minutes')
    .min(1, 'sessionTtlMinutes must be at least 1')
    .max(MAX_SESSION_TTL_MINUTES, `sessionTtlMinutes must be at most ${MAX_SESSION_TTL_MINUTES} (Kronor's 24 hours)`)
    .default(DEFAULT_SESSION_TTL_MINUTES),
  /**
   * The methods this merchant's Kronor contract covers, by Kassa code (`kronor:<code>`). Default: all but
   * `swish-ecom`, which is opt-in (see methods.ts).
   */
  methods: z
    .array(methodCode)
    .min(1, 'methods must list at least one method')
    .optional(),
  /** Per method, the amount range Kassa offers it for (minor units); Kronor publishes none (it depends on contracts). */
  methodLimits: z
    .partialRecord(
      methodCode,
      z.strictObject({ min: minorUnits('methodLimits min'), max: minorUnits('methodLimits max') }).refine((l) => l.min <= l.max, 'methodLimits min must not be above max'),
    )
    .optional(),
  /** Per method, the currencies Kassa offers it in; Kronor documents them for Swish, MobilePay, Vipps and P24 only. */
  methodCurrencies: z
    .partialRecord(methodCode, z.array(z.string().regex(/^[A-Z]{3}$/, 'methodCurrencies must list ISO 4217 codes, e.g. SEK')).min(1, 'methodCurrencies must list at least one currency'))
    .optional(),
  /** Who Kassa says made a capture, release or refund (Kronor's `generatedFrom`, at most 100 characters). */
  generatedFrom: z.string().trim().min(1, 'generatedFrom must not be empty').max(100, 'generatedFrom must be at most 100 characters').default(KRONOR_DEFAULTS.generatedFrom),
  /** The message a refund shows the customer when the merchant gave no reason (Kronor's message characters, at most 50). */
  defaultRefundMessage: z
    .string()
    .trim()
    .min(1, 'defaultRefundMessage must not be empty')
    .max(50, 'defaultRefundMessage must be at most 50 characters (Kronor)')
    .regex(KRONOR_MESSAGE, 'defaultRefundMessage may only use letters, digits, Swedish letters, spaces and : ; . , ? ! ( ) ” "')
    .default(KRONOR_DEFAULTS.refundMessage),
  /** The IP address sent when the shopper's is unknown and the method needs additionalData (P24, PayPal). */
  unknownShopperIp: z
    .string()
    .refine((value) => isIP(value) !== 0, 'unknownShopperIp must be an IPv4 or IPv6 address')
    .default(KRONOR_DEFAULTS.unknownShopperIp),
  /** The tax rate, in percent, of a PayPal order line that carries none (Kassa's OrderLine.taxRate). */
  defaultTaxRate: z
    .number({ error: 'defaultTaxRate must be a percentage' })
    .min(0, 'defaultTaxRate must not be negative')
    .max(100, 'defaultTaxRate must be at most 100 (percent)')
    .default(KRONOR_DEFAULTS.taxRate),
  /** The session's country when neither the method, the customer nor the currency tells it. */
  defaultCountry: z
    .string()
    .refine((value) => KRONOR_COUNTRIES.has(value), 'defaultCountry must be one of the countries Kronor takes (ISO 3166-1 alpha-2, upper case)')
    .default(KRONOR_DEFAULTS.country),
  /** The error codes (`extensions.code`) with which Kronor refuses an input or a state, rather than failing. */
  refusalErrorCodes: z
    .array(z.string().min(1))
    .min(1, 'refusalErrorCodes must list at least one code')
    .default([...KRONOR_DEFAULTS.refusalErrorCodes]),
  /** The header carrying a webhook's signature. */
  webhookSignatureHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'webhookSignatureHeader must be a header name')
    .default(KRONOR_DEFAULTS.webhookSignatureHeader),
  /** The field of a webhook event's additionalData that names the payment's merchantReference. */
  webhookReferenceField: z.string().min(1).default(KRONOR_DEFAULTS.webhookReferenceField),
});

// A type literal, not an interface: it converts to and from a plain record, as the inferred type did.
/** What a merchant writes under `providers.kronor` (options with a default may be left out). */
export type KronorConfig = {
  environment: Environment;
  /** The merchant token from Kronor's portal, sent as `Authorization: Bearer …`; server side only. */
  merchantToken: string;
  /** The `hmacSecret` Kronor answered to `setWebhookUrl`: webhooks are signed with it (at least 16 characters). */
  webhookSecret: string;
  /** Overrides Kronor's GraphQL endpoint (the merchant's server and the shopper's browser both call it). */
  graphqlUrl?: string;
  /** Overrides the websocket endpoint the browser subscribes to; by default the graphqlUrl with wss. */
  wsUrl?: string;
  /** Overrides the websocket the endpoint follows the merchant's payments on; by default the graphqlUrl with wss. */
  merchantWsUrl?: string;
  /** Overrides Kronor's hosted payment gateway page. */
  paymentGatewayUrl?: string;
  /** How long a Kronor payment session stays usable, in minutes (1 to 1440; 30 by default). */
  sessionTtlMinutes?: number;
  /** The methods this merchant's Kronor contract covers, by Kassa code; by default all but `swish-ecom`. */
  methods?: KronorMethodCode[];
  /** Per method, the amount range Kassa offers it for (minor units); Kronor publishes none. */
  methodLimits?: Partial<Record<KronorMethodCode, { min: number; max: number }>>;
  /** Per method, the currencies (ISO 4217) Kassa offers it in. */
  methodCurrencies?: Partial<Record<KronorMethodCode, string[]>>;
  /** Who Kassa says made a capture, release or refund (Kronor's `generatedFrom`, at most 100 characters). */
  generatedFrom?: string;
  /** The message a refund shows the customer when the merchant gave no reason (at most 50 characters). */
  defaultRefundMessage?: string;
  /** The IP address sent when the shopper's is unknown and the method needs additionalData (P24, PayPal). */
  unknownShopperIp?: string;
  /** The tax rate, in percent, of a PayPal order line that carries none. */
  defaultTaxRate?: number;
  /** The session's country (ISO 3166-1 alpha-2) when neither the method, the customer nor the currency tells it. */
  defaultCountry?: string;
  /** The error codes (`extensions.code`) with which Kronor refuses an input or a state, rather than failing. */
  refusalErrorCodes?: string[];
  /** The header carrying a webhook's signature. */
  webhookSignatureHeader?: string;
  /** The field of a webhook event's additionalData that names the payment's merchantReference. */
  webhookReferenceField?: string;
};

type KronorDefaulted =
  | 'sessionTtlMinutes'
  | 'generatedFrom'
  | 'defaultRefundMessage'
  | 'unknownShopperIp'
  | 'defaultTaxRate'
  | 'defaultCountry'
  | 'refusalErrorCodes'
  | 'webhookSignatureHeader'
  | 'webhookReferenceField';

/** The configuration once checked, defaults applied. */
export type ResolvedKronorConfig = Omit<KronorConfig, KronorDefaulted> & Required<Pick<KronorConfig, KronorDefaulted>>;

/** Checks `providers.kronor` and applies its defaults. */
export const kronorConfigSchema: KassaSchema<ResolvedKronorConfig> = schema;

/** The Kronor options whose access to the API is all a call needs (`setKronorWebhookUrl`). @internal */
export const kronorAccessSchema = schema.pick({ environment: true, merchantToken: true, graphqlUrl: true });

/** @internal */
export type KronorConfigTypesHold = [
  Holds<SameShape<z.input<typeof schema>, KronorConfig>>,
  Holds<SameShape<z.output<typeof schema>, ResolvedKronorConfig>>,
];

export function kronorEndpoints(
  config: Pick<ResolvedKronorConfig, 'environment' | 'graphqlUrl' | 'wsUrl' | 'paymentGatewayUrl'> & { merchantWsUrl?: string | undefined },
  sandboxUrl: string,
): Endpoints {
  const base = sandboxUrl.replace(/\/+$/, '');
  const defaults: Omit<Endpoints, 'merchantWsUrl'> =
    config.environment === 'sandbox'
      ? { graphqlUrl: `${base}${SANDBOX_GRAPHQL_PATH}`, wsUrl: toWebSocketUrl(`${base}${SANDBOX_GRAPHQL_PATH}`), paymentGatewayUrl: `${base}${SANDBOX_GATEWAY_PATH}` }
      : KRONOR_URLS[config.environment];
  const graphqlUrl = config.graphqlUrl ?? defaults.graphqlUrl;
  // A moved GraphQL endpoint moves its websocket with it, unless the websocket is named too.
  const wsUrl = config.wsUrl ?? (config.graphqlUrl ? toWebSocketUrl(config.graphqlUrl) : defaults.wsUrl);
  return {
    graphqlUrl,
    wsUrl,
    // The merchant's server reaches the same endpoint as the API: the graphqlUrl with wss when it was moved.
    merchantWsUrl: config.merchantWsUrl ?? (config.graphqlUrl ? toWebSocketUrl(config.graphqlUrl) : wsUrl),
    paymentGatewayUrl: config.paymentGatewayUrl ?? defaults.paymentGatewayUrl,
  };
}

/**
 * Hosts the shopper's browser may be sent to: the GraphQL and websocket endpoints it calls with the session token,
 * and Kronor's payment gateway page.
 */
export function kronorRedirectHosts(endpoints: Endpoints): string[] {
  return [...new Set([endpoints.graphqlUrl, endpoints.wsUrl, endpoints.paymentGatewayUrl].map((url) => new URL(url).host))];
}

function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}
