/**
 * The Kronor adapter's configuration: what a merchant writes under `providers.kronor`, checked once at start-up,
 * and the URLs and redirect hosts it resolves to per environment.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../../core/url-safety.ts';
import type { Environment } from '../../server/provider.ts';
import { KRONOR_METHOD_CODES } from './methods.ts';

/** Kronor's public endpoints (providers.md): GraphQL over HTTP and websockets, and the payment gateway page. */
export const KRONOR_URLS: Record<Exclude<Environment, 'sandbox'>, Endpoints> = {
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

export const DEFAULT_SESSION_TTL_MINUTES = 30;
/** Kronor: a session lives at most 24 hours. */
export const MAX_SESSION_TTL_MINUTES = 24 * 60;

export interface Endpoints {
  graphqlUrl: string;
  wsUrl: string;
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

export const kronorConfigSchema = z.strictObject({
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
    .array(z.enum(KRONOR_METHOD_CODES, { error: `methods may only list ${KRONOR_METHOD_CODES.join(', ')}` }))
    .min(1, 'methods must list at least one method')
    .optional(),
});

/** What a merchant writes (sessionTtlMinutes may be left out). */
export type KronorConfig = z.input<typeof kronorConfigSchema>;
/** The configuration once checked, defaults applied. */
export type ResolvedKronorConfig = z.output<typeof kronorConfigSchema>;

export function kronorEndpoints(config: Pick<ResolvedKronorConfig, 'environment' | 'graphqlUrl' | 'wsUrl' | 'paymentGatewayUrl'>, sandboxUrl: string): Endpoints {
  const base = sandboxUrl.replace(/\/+$/, '');
  const defaults: Endpoints =
    config.environment === 'sandbox'
      ? { graphqlUrl: `${base}${SANDBOX_GRAPHQL_PATH}`, wsUrl: toWebSocketUrl(`${base}${SANDBOX_GRAPHQL_PATH}`), paymentGatewayUrl: `${base}${SANDBOX_GATEWAY_PATH}` }
      : KRONOR_URLS[config.environment];
  const graphqlUrl = config.graphqlUrl ?? defaults.graphqlUrl;
  return {
    graphqlUrl,
    // A moved GraphQL endpoint moves its websocket with it, unless the websocket is named too.
    wsUrl: config.wsUrl ?? (config.graphqlUrl ? toWebSocketUrl(config.graphqlUrl) : defaults.wsUrl),
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
