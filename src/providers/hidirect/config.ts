/**
 * The hi.health HiDirect adapter's configuration: what a merchant writes under `providers.hidirect`, checked once at
 * start-up, and the URLs it resolves to per environment.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { PAYMENT_STATES, type PaymentState } from '../../core/model.ts';
import type { Environment } from '../../server/provider.ts';
import type { Holds, KassaSchema, SameShape } from '../../server/schema.ts';
import { isLoopbackHost } from '../../core/url-safety.ts';

/** hi.health's hosted checkout per environment (providers.md); its `sandbox` is Kassa's `staging`. */
export const CHECKOUT_URLS = {
  staging: 'https://pay.sandbox.hi.health/',
  production: 'https://pay.hi.health/',
} as const;

/** Where the local sandbox simulates hi.health, under `deps.sandboxUrl`. */
export const SANDBOX_PREFIX = '/hidirect';

/**
 * INVENTED: hi.health publishes no upper bound for `amount.total`; the sandbox uses 10 000 EUR. In minor units, and
 * configurable (`maxAmount`).
 */
export const DEFAULT_MAX_AMOUNT = 1_000_000;

const unit = z.enum(['major', 'minor']);
/** Whether an amount is in major units (`12.50`) or minor units (`1250`). */
export type AmountUnit = 'major' | 'minor';

/**
 * The encodings `Hi-Api-Signature-Format` may name and the hashes `Hi-Api-Hash-Algorithm` may name. hi.health's docs
 * name neither value ("an asymmetric signature algorithm such as RSA with SHA256", encoded "for http transport") and
 * pass both to node:crypto: these are the text encodings and SHA-2 hashes it reads for an RSA signature.
 */
export const SIGNATURE_FORMATS = ['base64', 'base64url', 'hex'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];
export const HASH_ALGORITHMS = ['SHA256', 'SHA384', 'SHA512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/**
 * INVENTED: hi.health documents no status codes. Capture and cancel of a payment that is not pre-authorised, and a
 * document it will not take, are refused with one of these (the sandbox answers 409, 400, 413, 415).
 */
export const DEFAULT_REFUSAL_STATUSES = [400, 409, 413, 415, 422];

/** "There is a payload limit of 10 MB", read as 10 MiB (the limit of the API gateways an `x-api-key` API suggests). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** https, or plain http only on loopback (the local sandbox): the API key must not travel in the clear. */
const secureUrl = (name: string) =>
  z.url({ error: `${name} must be an absolute URL`, abort: true }).refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, `${name} must use https (plain http only for localhost)`);

/** The key that verifies webhooks: an RSA public key or hi.health's X.509 certificate, as PEM. */
export function loadWebhookKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  return key;
}

const webhookPublicKey = z
  .string()
  .refine((pem) => !/PRIVATE KEY/.test(pem), 'webhookPublicKey must be the public key or certificate, never a private key')
  .refine((pem) => {
    try {
      loadWebhookKey(pem);
      return true;
    } catch {
      return false;
    }
  }, 'webhookPublicKey must be a PEM RSA public key or X.509 certificate');

const schema = z
  .strictObject({
    environment: z.enum(['sandbox', 'staging', 'production']),
    /** Sent as `x-api-key`; server side only. */
    apiKey: z.string({ error: 'apiKey is required' }).min(1, 'apiKey is required'),
    /** The REST API's base URL (hi.health hands it out per merchant); defaults to the sandbox's in `sandbox`. */
    baseUrl: secureUrl('baseUrl').optional(),
    /** The hosted checkout; the one-time token is added as `?token=`. */
    checkoutUrl: secureUrl('checkoutUrl').optional(),
    /** hi.health's published webhook key (PEM). In `sandbox` it may be left out: it is fetched once from the sandbox. */
    webhookPublicKey: webhookPublicKey.optional(),
    /** `MANUAL` only pre-authorises the card: the merchant captures within 7 days. */
    cardCaptureMode: z.enum(['AUTO', 'MANUAL']).default('AUTO'),
    /** Whether the shopper must upload a prescription during checkout. */
    prescriptionRequired: z.boolean().default(false),
    /** A hi.health-issued sub-merchant id: the payment is made for that merchant. */
    merchantId: z.string().min(1).optional(),
    /** hi.health's docs disagree on units: major units in the REST examples, minor units in the webhook sample. */
    restAmountUnit: unit.default('major'),
    webhookAmountUnit: unit.default('minor'),
    /** The largest order hi.health is offered for, in minor units (INVENTED default, see DEFAULT_MAX_AMOUNT). */
    maxAmount: z.number().int().positive().default(DEFAULT_MAX_AMOUNT),
    /** The signature encodings accepted in `Hi-Api-Signature-Format`; all three by default. */
    webhookSignatureFormats: z.array(z.enum(SIGNATURE_FORMATS)).min(1, 'webhookSignatureFormats must name at least one encoding').default([...SIGNATURE_FORMATS]),
    /** The hashes accepted in `Hi-Api-Hash-Algorithm` (any spelling node:crypto reads); SHA-2 only, all three by default. */
    webhookHashAlgorithms: z.array(z.enum(HASH_ALGORITHMS)).min(1, 'webhookHashAlgorithms must name at least one hash').default([...HASH_ALGORITHMS]),
    /** HTTP statuses with which hi.health refuses a capture, cancel or document (INVENTED, see DEFAULT_REFUSAL_STATUSES). */
    refusalStatuses: z.array(z.number().int().min(400).max(499)).min(1).default(DEFAULT_REFUSAL_STATUSES),
    /** The largest document uploaded, in bytes; larger ones are refused before sending. */
    maxDocumentBytes: z.number().int().positive().default(DEFAULT_MAX_DOCUMENT_BYTES),
    /**
     * hi.health statuses → Kassa states, over the built-in map (status.ts): for a status hi.health sends that its docs
     * do not list (the built-in CANCELLED for a cancelled payment is INVENTED), e.g. `{"VOIDED": "cancelled"}`.
     */
    statuses: z.record(z.string().regex(/^[A-Za-z_]{1,40}$/, 'statuses keys must be status names'), z.enum(PAYMENT_STATES)).default({}),
  })
  .superRefine((config, ctx) => {
    if (config.environment === 'sandbox') return;
    if (!config.baseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: `baseUrl is required for ${config.environment}: hi.health hands out the API's base URL per merchant`,
      });
    }
    if (!config.webhookPublicKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookPublicKey'],
        message: `webhookPublicKey is required for ${config.environment}: hi.health's published webhook key or certificate (PEM)`,
      });
    }
  });

// A type literal, not an interface: it converts to and from a plain record, as the inferred type did.
/** What a merchant writes under `providers.hidirect` (options with a default may be left out). */
export type HidirectConfig = {
  environment: Environment;
  /** Sent as `x-api-key`; server side only. */
  apiKey: string;
  /** The REST API's base URL (hi.health hands it out per merchant); required outside `sandbox`. */
  baseUrl?: string;
  /** The hosted checkout; the one-time token is added as `?token=`. */
  checkoutUrl?: string;
  /** hi.health's published webhook key (PEM); required outside `sandbox`. */
  webhookPublicKey?: string;
  /** `MANUAL` only pre-authorises the card: the merchant captures within 7 days. `AUTO` by default. */
  cardCaptureMode?: 'AUTO' | 'MANUAL';
  /** Whether the shopper must upload a prescription during checkout. */
  prescriptionRequired?: boolean;
  /** A hi.health-issued sub-merchant id: the payment is made for that merchant. */
  merchantId?: string;
  /** Units of the REST API's amounts (`major` by default). */
  restAmountUnit?: AmountUnit;
  /** Units of the webhooks' amounts (`minor` by default). */
  webhookAmountUnit?: AmountUnit;
  /** The largest order hi.health is offered for, in minor units. */
  maxAmount?: number;
  /** The signature encodings accepted in `Hi-Api-Signature-Format`; all three by default. */
  webhookSignatureFormats?: SignatureFormat[];
  /** The hashes accepted in `Hi-Api-Hash-Algorithm`; SHA-2 only, all three by default. */
  webhookHashAlgorithms?: HashAlgorithm[];
  /** HTTP statuses (4xx) with which hi.health refuses a capture, cancel or document. */
  refusalStatuses?: number[];
  /** The largest document uploaded, in bytes; larger ones are refused before sending. */
  maxDocumentBytes?: number;
  /** hi.health statuses → Kassa states, over the built-in map, e.g. `{"VOIDED": "cancelled"}`. */
  statuses?: Record<string, PaymentState>;
};

type HidirectDefaulted =
  | 'cardCaptureMode'
  | 'prescriptionRequired'
  | 'restAmountUnit'
  | 'webhookAmountUnit'
  | 'maxAmount'
  | 'webhookSignatureFormats'
  | 'webhookHashAlgorithms'
  | 'refusalStatuses'
  | 'maxDocumentBytes'
  | 'statuses';

/** The configuration once checked, defaults applied. */
export type ResolvedHidirectConfig = Omit<HidirectConfig, HidirectDefaulted> & Required<Pick<HidirectConfig, HidirectDefaulted>>;

/** Checks `providers.hidirect` and applies its defaults. */
export const hidirectConfigSchema: KassaSchema<ResolvedHidirectConfig> = schema;

/** @internal */
export type HidirectConfigTypesHold = [
  Holds<SameShape<z.input<typeof schema>, HidirectConfig>>,
  Holds<SameShape<z.output<typeof schema>, ResolvedHidirectConfig>>,
];

export interface HidirectUrls {
  /** No trailing slash. */
  api: string;
  checkout: string;
  /** Where the webhook key is fetched when none is configured (the sandbox only). */
  publicKey: string | undefined;
}

export function hidirectUrls(config: ResolvedHidirectConfig, sandboxUrl: string): HidirectUrls {
  const sandbox = `${sandboxUrl.replace(/\/$/, '')}${SANDBOX_PREFIX}`;
  // The schema requires baseUrl outside the sandbox.
  const api = (config.baseUrl ?? sandbox).replace(/\/+$/, '');
  const checkout = config.checkoutUrl ?? (config.environment === 'sandbox' ? `${sandbox}/pay` : CHECKOUT_URLS[config.environment]);
  const publicKey = config.environment === 'sandbox' && !config.webhookPublicKey ? `${api}/public-key.pem` : undefined;
  return { api, checkout, publicKey };
}
