/**
 * The MilkyPay adapter's configuration: what a merchant writes under `providers.milkypay`, checked once at start-up,
 * and the URLs and hosts it resolves to per environment.
 *
 * MilkyPay (a white-label of Corefy/PayCore) hands out its API hosts per merchant, so there is no public default for
 * staging or production (INVENTED in providers.md): `baseUrl` is required there. The public API lives under
 * `{baseUrl}/public-api`, the private API under `{baseUrl}/api`; either may be overridden on its own.
 *
 * Its hosted pages live on other hosts than its API (the seed's samples: `hpp_url` on `pay.psp.name`, the card
 * gateway's `flow_data.action` on `cardgate-staging.psp.name`). Which host an invoice sends the shopper to is known
 * only once the invoice exists, so the allow-list is settled here, at start-up: the documented hosts by default per
 * environment, or the merchant's `redirectHosts` instead.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../../core/url-safety.ts';
import { DEFAULT_INVOICE_OPTIONS, type InvoiceOptions } from './invoice.ts';
import type { Environment } from '../../server/provider.ts';
import type { Holds, KassaSchema, SameShape } from '../../server/schema.ts';
import { FAILED_STATES, type FailedState } from './status.ts';

/** Where the local sandbox simulates MilkyPay, under `deps.sandboxUrl`. */
export const SANDBOX_PREFIX = '/milkypay';

/** https, or plain http only on loopback (the local sandbox): the API key must not travel in the clear. */
const secureUrl = (name: string) =>
  z.url({ error: `${name} must be an absolute URL`, abort: true }).refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, `${name} must use https (plain http only for localhost)`);

const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

/**
 * The hosted-page hosts the seed's samples show, per environment. The samples are test-mode invoices: staging gets
 * both hosts; production gets `pay.psp.name` (its name carries no environment), and its card gateway host is not
 * documented, so a production account whose invoices use `flow_data` elsewhere lists it in `redirectHosts`.
 */
export const DOCUMENTED_REDIRECT_HOSTS: Readonly<Record<'staging' | 'production', readonly string[]>> = {
  staging: ['pay.psp.name', 'cardgate-staging.psp.name'],
  production: ['pay.psp.name'],
};

/** A host name with an optional port, as `URL.host` writes it (`pay.example.com`, `127.0.0.1:4010`). */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

/** A resolution as the platform spells them (`insufficient_funds`). */
const RESOLUTION = /^[A-Za-z0-9_.-]{1,64}$/;

const schema = z
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
     * Hosts of the hosted payment page and payment gateways the shopper may be sent to (`hpp_url`,
     * `flow_data.action`), replacing the environment's documented ones; the API's own host is always allowed.
     */
    redirectHosts: z
      .array(z.string().trim().toLowerCase().regex(HOST, 'redirectHosts entries must be host names, e.g. pay.example.com or pay.example.com:8443'))
      .min(1, "redirectHosts must name at least one host of MilkyPay's hosted pages (leave it out for the documented ones)")
      .max(20)
      .optional(),
    /** Sent as the invoice's `test_mode`; by default true for a `pk_test_…` public key. */
    testMode: z.boolean().optional(),
    /** Longest `description` sent (the platform publishes no bound; 255 is assumed). */
    descriptionMaxLength: z.int({ error: 'descriptionMaxLength must be a whole number' }).min(1).max(10_000).optional(),
    /** A guest's `customer.reference_id`: the e-mail (assumed default) or `none` (no customer object is sent). */
    guestCustomerReference: z.enum(['email', 'none'], { error: "guestCustomerReference must be 'email' or 'none'" }).optional(),
    /** `process_failed` resolutions → states, over the assumed ones (`declined` … → declined, the rest failed). */
    resolutionStates: z
      .record(z.string(), z.enum(FAILED_STATES, { error: `resolutionStates values must be one of ${FAILED_STATES.join(', ')}` }))
      .superRefine((map, ctx) => {
        for (const key of Object.keys(map)) {
          if (!RESOLUTION.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: "resolutionStates keys must be MilkyPay's resolutions, e.g. do_not_honor" });
        }
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.environment === 'sandbox' || config.baseUrl || (config.publicApiUrl && config.privateApiUrl)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: `baseUrl is required for ${config.environment}: MilkyPay hands out its API hosts per merchant`,
    });
  });

// A type literal, not an interface: it converts to and from a plain record, as the inferred type did.
/** What a merchant writes under `providers.milkypay`. */
export type MilkypayConfig = {
  environment: Environment;
  /** `pk_test_…` / `pk_live_…`: sent in the body of public API calls (the payment pre-request). */
  publicKey: string;
  /** HTTP Basic user of the private API. */
  accountId: string;
  /** HTTP Basic password of the private API; server side only. */
  apiKey: string;
  /** The live or test secret key that signs callbacks (`X-Signature`). */
  callbackSecret: string;
  /** MilkyPay's API base for this merchant; defaults to the sandbox's in `sandbox`, required otherwise. */
  baseUrl?: string;
  /** Overrides `{baseUrl}/public-api` when the public API has its own host. */
  publicApiUrl?: string;
  /** Overrides `{baseUrl}/api` when the private API has its own host. */
  privateApiUrl?: string;
  /** Hosts of the hosted payment page and payment gateways the shopper may be sent to, replacing the documented ones. */
  redirectHosts?: string[];
  /** Sent as the invoice's `test_mode`; by default true for a `pk_test_…` public key. */
  testMode?: boolean;
  /** Longest `description` sent (255 assumed). */
  descriptionMaxLength?: number;
  /** A guest's `customer.reference_id`: the e-mail (assumed default) or `none` (no customer object is sent). */
  guestCustomerReference?: 'email' | 'none';
  /** `process_failed` resolutions → states, over the assumed ones, e.g. `{"do_not_honor": "declined"}`. */
  resolutionStates?: Record<string, FailedState>;
};

/** Checks `providers.milkypay`. */
export const milkypayConfigSchema: KassaSchema<MilkypayConfig> = schema;

/** @internal */
export type MilkypayConfigTypesHold = [Holds<SameShape<z.input<typeof schema>, MilkypayConfig>>, Holds<SameShape<z.output<typeof schema>, MilkypayConfig>>];

export interface MilkypayEndpoints {
  /** No trailing slash. */
  publicApi: string;
  privateApi: string;
  /** Exact hosts (with port, if any) the shopper may be sent to: the API's, then the hosted pages'. */
  redirectHosts: string[];
  invoice: InvoiceOptions;
  /** Keys lower case, as resolutions are read. */
  resolutionStates: Record<string, (typeof FAILED_STATES)[number]>;
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
  const pageHosts = config.redirectHosts ?? (config.environment === 'sandbox' ? [] : DOCUMENTED_REDIRECT_HOSTS[config.environment]);
  const redirectHosts = [...new Set([ownHost, ...pageHosts])];
  const invoice: InvoiceOptions = {
    testMode: config.testMode ?? config.publicKey.startsWith('pk_test_'),
    descriptionMaxLength: config.descriptionMaxLength ?? DEFAULT_INVOICE_OPTIONS.descriptionMaxLength,
    guestCustomerReference: config.guestCustomerReference ?? DEFAULT_INVOICE_OPTIONS.guestCustomerReference,
  };
  const resolutionStates = Object.fromEntries(Object.entries(config.resolutionStates ?? {}).map(([key, state]) => [key.trim().toLowerCase(), state]));
  return { publicApi, privateApi, redirectHosts, invoice, resolutionStates };
}
