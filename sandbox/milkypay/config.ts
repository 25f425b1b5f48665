/**
 * Every MilkyPay setting the simulator needs, in one place. The values MilkyPay's documentation does not give are
 * marked INVENTED; a merchant with the real account settings can change them here without touching the code.
 */
import { MERCHANT_NAME } from '../core/merchant.ts';
import type { Outcome } from '../core/outcomes.ts';

export interface MilkyPayConfig {
  /** The account's test public key (`pk_test_…`), sent in the body of public API calls. */
  publicKey: string;
  /** HTTP Basic user and password of the private API: `base64(accountId:apiKey)`. */
  accountId: string;
  apiKey: string;
  /** Callbacks are signed with the test or the live secret, by the mode the invoice was created in. */
  testCallbackSecret: string;
  /** INVENTED: the sandbox account has no separate live secret, so it signs live-mode invoices with the same one. */
  liveCallbackSecret: string;
  /** INVENTED: the commerce account the pre-request describes. */
  account: { name: string; description: string; website: string | null };
  /** INVENTED: the account's balance currency (`currency` of a payment-service). */
  accountCurrency: string;
  /** The account option "Forbid creation through the Public API" (seed: public invoicing needs it FALSE). */
  forbidPublicCreation: boolean;
  /** INVENTED: the account's "Invoice lifetime", used when an invoice has no `expires`. */
  defaultInvoiceLifetimeMs: number;
  /** Seed: `expires` must lie between 14 minutes and 2 days after creation. */
  expiresMinMs: number;
  expiresMaxMs: number;
  /** INVENTED: the account-level callback URL (dashboard setting) used when an invoice has no `callback_url`. */
  accountCallbackUrl: string | null;
}

export const MILKYPAY_DEFAULTS: MilkyPayConfig = {
  publicKey: 'pk_test_sandbox',
  accountId: 'sandbox-account',
  apiKey: 'sandbox-milkypay-key',
  testCallbackSecret: 'sandbox-milkypay-secret',
  liveCallbackSecret: 'sandbox-milkypay-secret',
  account: { name: MERCHANT_NAME, description: 'MilkyPay sandbox commerce account', website: null },
  accountCurrency: 'EUR',
  forbidPublicCreation: false,
  defaultInvoiceLifetimeMs: 24 * 60 * 60 * 1000,
  expiresMinMs: 14 * 60 * 1000,
  expiresMaxMs: 2 * 24 * 60 * 60 * 1000,
  accountCallbackUrl: null,
};

/** Every invoice status of the platform (the Corefy/PayCore status list). */
export const INVOICE_STATUSES = [
  'created',
  'processing',
  'process_pending',
  'processed',
  'partially_processed',
  'process_error',
  'refunding',
  'refund_pending',
  'refund_error',
  'expired',
  'terminated',
  'process_failed',
  'partially_refunded',
  'refunded',
  'refund_failed',
  'charged_back',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses in which the shopper has not finished yet, so an outcome can still be decided. */
export const UNDECIDED_STATUSES: readonly InvoiceStatus[] = ['created', 'processing', 'process_pending'];

/** Seed: right after creation the platform has invoked the provider, and the first callback says `process_pending`. */
export const STATUS_AFTER_CREATE: InvoiceStatus = 'process_pending';

/** Which return URL the shopper's browser goes to: `return_urls.success|fail|pending`, else `return_url`. */
export type ReturnKind = 'success' | 'fail' | 'pending';

export interface OutcomeResult {
  status: InvoiceStatus;
  resolution: string;
  returnTo: ReturnKind;
}

/**
 * What each hosted-page outcome does. pay and decline follow the documentation (processed/ok, process_failed/declined);
 * the seed's own example pairs process_failed with resolution `expired`. INVENTED: cancel → terminated (the status
 * for "terminated by a payer") with resolution `cancelled`; fail → process_failed with resolution `processing_error`.
 */
export const OUTCOME_RESULTS: Record<Outcome, OutcomeResult> = {
  pay: { status: 'processed', resolution: 'ok', returnTo: 'success' },
  decline: { status: 'process_failed', resolution: 'declined', returnTo: 'fail' },
  cancel: { status: 'terminated', resolution: 'cancelled', returnTo: 'fail' },
  expire: { status: 'expired', resolution: 'expired', returnTo: 'fail' },
  fail: { status: 'process_failed', resolution: 'processing_error', returnTo: 'fail' },
};

/** INVENTED: the resolution a drill (`setStatus`) gives each status; `ok` unless listed. */
export const STATUS_RESOLUTIONS: Partial<Record<InvoiceStatus, string>> = {
  process_failed: 'declined',
  process_error: 'processing_error',
  expired: 'expired',
  terminated: 'cancelled',
  refund_failed: 'refund_declined',
  refund_error: 'processing_error',
};

/** INVENTED: longest `reference_id` accepted. */
export const REFERENCE_ID_MAX_LENGTH = 255;

/** Seed: lists come in pages of 20 (`page[size]=20`); INVENTED: at most 100. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** INVENTED: `original_data.external_mid` of every sandbox invoice. */
export const SANDBOX_EXTERNAL_MID = 'org_SandboxKassa0001';

/** The platform's documented test card that succeeds without 3-D Secure; shown in the `payload` of paid card invoices. */
export const SUCCESS_TEST_CARD = {
  last: '0000',
  mask: '551928******0000',
  brand: 'mastercard',
  first: '551928',
  holder: null,
  network: 'mastercard',
  expiry_year: '30',
  issuer_name: 'MILKYPAY SANDBOX BANK',
  expiry_month: '12',
  issuer_country: 'US',
} as const;
