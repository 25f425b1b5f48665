/**
 * The MilkyPay adapter's configuration: what a merchant writes under `providers.milkypay`, checked once at start-up,
 * and the URLs and hosts it resolves to per environment.
 *
 * MilkyPay (a white-label of Corefy/PayCore) hands out its API hosts per merchant, so there is no public default for
 * staging or production (INVENTED in providers.md): `baseUrl` is required there. The public API lives under
 * `{baseUrl}/public-api`, the private API under `{baseUrl}/api`; either may be overridden on its own.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../../core/url-safety.ts';

/** Where the local sandbox simulates MilkyPay, under `deps.sandboxUrl`. */
export const SANDBOX_PREFIX = '/milkypay';

/** https, or plain http only on loopback (the local sandbox): the API key must not travel in the clear. */
const secureUrl = (name: string) =>
  z.url({ error: `${name} must be an absolute URL`, abort: true }).refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, `${name} must use https (plain http only for localhost)`);

const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

/** A host name with an optional port, as `URL.host` writes it (`pay.example.com`, `127.0.0.1:4010`). */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

export const milkypayConfigSchema = z
  .strictObject({
    environment: z.enum(['sandbox', 'staging', 'production']),
    /** `pk_test_…` / `pk_live_…`: sent in the body of public API calls (the payment pre-request). */
    publicKey: required('publicKey'),
    /** HTTP Basic user of the private API. */
    accountId: required('accountId'),
    /** HTTP Basic password of the private API; server side only. */
    apiKey: required('apiKey'),
    /** The live or test secret key that signs callbacks (`X-Signature`). */
    callbackSecret: required('callbackSecret'),
    /** MilkyPay's API base for this merchant; defaults to the sandbox's in `sandbox`, required otherwise. */
    baseUrl: secureUrl('baseUrl').optional(),
    /** Overrides `{baseUrl}/public-api` when the public API has its own host. */
    publicApiUrl: secureUrl('publicApiUrl').optional(),
    /** Overrides `{baseUrl}/api` when the private API has its own host. */
    privateApiUrl: secureUrl('privateApiUrl').optional(),
    /**
     * Hosts of the hosted payment page and payment gateways the shopper may be sent to, besides the API's own host
     * (`hpp_url` and `flow_data.action` may live elsewhere, e.g. `pay.psp.name`, `cardgate.psp.name`).
     */
    redirectHosts: z
      .array(z.string().toLowerCase().regex(HOST, 'redirectHosts entries must be host names, e.g. pay.example.com or pay.example.com:8443'))
      .max(20)
      .optional(),
    /** Sent as the invoice's `test_mode`; by default true for a `pk_test_…` public key. */
    testMode: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.environment === 'sandbox' || config.baseUrl || (config.publicApiUrl && config.privateApiUrl)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: `baseUrl is required for ${config.environment}: MilkyPay hands out its API hosts per merchant`,
    });
  });

export type MilkypayConfig = z.infer<typeof milkypayConfigSchema>;

export interface MilkypayEndpoints {
  /** No trailing slash. */
  publicApi: string;
  privateApi: string;
  /** Exact hosts (with port, if any) the shopper may be sent to. */
  redirectHosts: string[];
  testMode: boolean;
}

export function milkypayEndpoints(config: MilkypayConfig, sandboxUrl: string): MilkypayEndpoints {
  const trim = (url: string) => url.replace(/\/+$/, '');
  const sandboxBase = `${trim(sandboxUrl)}${SANDBOX_PREFIX}`;
  // The schema requires baseUrl (or both API URLs) outside the sandbox.
  const base = trim(config.baseUrl ?? sandboxBase);
  const publicApi = trim(config.publicApiUrl ?? `${base}/public-api`);
  const privateApi = trim(config.privateApiUrl ?? `${base}/api`);
  // The sandbox serves its hosted page from its own host; a real account's API host serves the public form post.
  const ownHost = config.environment === 'sandbox' ? new URL(sandboxUrl).host : new URL(config.baseUrl ?? publicApi).host;
  const redirectHosts = [...new Set([ownHost, ...(config.redirectHosts ?? [])])];
  return { publicApi, privateApi, redirectHosts, testMode: config.testMode ?? config.publicKey.startsWith('pk_test_') };
}
