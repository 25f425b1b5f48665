/**
 * MilkyPay payment invoices in memory: creation, the outcome and drill transitions, lazy expiry and the callback
 * log. Pure bookkeeping — no HTTP here; `index.ts` answers requests and sends callbacks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Outcome } from '../core/outcomes.ts';
import {
  OUTCOME_RESULTS,
  STATUS_AFTER_CREATE,
  STATUS_RESOLUTIONS,
  SUCCESS_TEST_CARD,
  UNDECIDED_STATUSES,
  type InvoiceStatus,
  type MilkyPayConfig,
  type ReturnKind,
} from './config.ts';
import type { CatalogueService } from './catalogue.ts';
import type { CustomerInput, InvoiceDraft, ReturnUrls } from './validation.ts';

export type InvoiceSource = 'merchant_api' | 'public_api';

export interface CallbackLog {
  status: 'done' | 'failed';
  processed: number;
  response_code: number | null;
  transaction_status: InvoiceStatus;
}

export interface Invoice {
  id: string;
  serialNumber: string;
  referenceId: string;
  service: CatalogueService;
  currency: string;
  amountMinor: number;
  description: string | null;
  paymentFlow: 'charge' | 'verify';
  testMode: boolean;
  source: InvoiceSource;
  status: InvoiceStatus;
  resolution: string;
  /** Unix seconds, as the platform writes `created`, `updated` and `processed`. */
  created: number;
  updated: number;
  processed: number | null;
  processedMinor: number | null;
  refundedMinor: number | null;
  createdAtIso: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  returnUrl: string | null;
  returnUrls: ReturnUrls | null;
  callbackUrl: string | null;
  metadata: Record<string, unknown> | null;
  customer: (CustomerInput & { id: string }) | null;
  serviceFields: Record<string, string>;
  /** The hosted page's session id and the token its POST form must carry (`flow_data.metadata`). */
  sid: string;
  token: string;
  paidWithCard: boolean;
  callbackLogs: Record<string, CallbackLog>;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 characters like the platform's `QGcJxoBxnYStkuvN` serial numbers. */
export function serial(length = 16): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

const unixSeconds = (ms: number) => Math.floor(ms / 1000);

export function isUndecided(invoice: Invoice): boolean {
  return UNDECIDED_STATUSES.includes(invoice.status);
}

export class InvoiceStore {
  private readonly invoices = new Map<string, Invoice>();
  /** Customers are account objects: the same `customer.reference_id` keeps its `cus_…` id. */
  private readonly customers = new Map<string, string>();

  constructor(private readonly config: MilkyPayConfig) {}

  create(draft: InvoiceDraft, source: InvoiceSource, testMode: boolean, now = Date.now()): Invoice {
    const serialNumber = serial();
    const invoice: Invoice = {
      id: `cpi_${serialNumber}`,
      serialNumber,
      referenceId: draft.referenceId ?? randomUUID(),
      service: draft.service,
      currency: draft.currency,
      amountMinor: draft.amountMinor,
      description: draft.description,
      paymentFlow: draft.paymentFlow,
      testMode,
      source,
      status: STATUS_AFTER_CREATE,
      resolution: 'ok',
      created: unixSeconds(now),
      updated: unixSeconds(now),
      processed: null,
      processedMinor: null,
      refundedMinor: null,
      createdAtIso: new Date(now).toISOString(),
      expiresAt: draft.expiresAt ?? now + this.config.defaultInvoiceLifetimeMs,
      returnUrl: draft.returnUrl,
      returnUrls: draft.returnUrls,
      callbackUrl: draft.callbackUrl ?? this.config.accountCallbackUrl,
      metadata: draft.metadata,
      customer: draft.customer ? { ...draft.customer, id: this.customerId(draft.customer.reference_id) } : null,
      serviceFields: draft.serviceFields,
      sid: `cgi_${serial()}`,
      token: randomBytes(24).toString('base64url'),
      paidWithCard: false,
      callbackLogs: {},
    };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  get(id: string): Invoice | undefined {
    return this.invoices.get(id);
  }

  byReference(referenceId: string): Invoice | undefined {
    for (const invoice of this.invoices.values()) if (invoice.referenceId === referenceId) return invoice;
    return undefined;
  }

  /** Newest first, as the platform lists operations. */
  list(): Invoice[] {
    return [...this.invoices.values()].reverse();
  }

  reset(): void {
    this.invoices.clear();
    this.customers.clear();
  }

  private customerId(referenceId: string): string {
    let id = this.customers.get(referenceId);
    if (!id) {
      id = `cus_${serial()}`;
      this.customers.set(referenceId, id);
    }
    return id;
  }
}

/** Moves an undecided invoice to an outcome's final status; throws when the shopper already finished. */
export function applyOutcome(invoice: Invoice, outcome: Outcome, now = Date.now()): ReturnKind {
  if (!isUndecided(invoice)) {
    throw new Error(`milkypay invoice ${invoice.id} is already ${invoice.status}; it cannot be decided again`);
  }
  const result = OUTCOME_RESULTS[outcome];
  moveTo(invoice, result.status, result.resolution, now);
  return result.returnTo;
}

/** A drill: any status, with the resolution and amounts that status implies. */
export function applyStatus(invoice: Invoice, status: InvoiceStatus, now = Date.now()): void {
  moveTo(invoice, status, STATUS_RESOLUTIONS[status] ?? 'ok', now);
}

/** Expires an undecided invoice whose lifetime is over (the platform does it on its own; the sandbox on next read). */
export function expireIfDue(invoice: Invoice, now = Date.now()): boolean {
  if (!isUndecided(invoice) || now < invoice.expiresAt) return false;
  moveTo(invoice, 'expired', 'expired', now);
  return true;
}

function moveTo(invoice: Invoice, status: InvoiceStatus, resolution: string, now: number): void {
  invoice.status = status;
  invoice.resolution = resolution;
  invoice.updated = unixSeconds(now);
  const half = Math.floor(invoice.amountMinor / 2);
  switch (status) {
    case 'processed':
      settle(invoice, invoice.amountMinor, now);
      break;
    case 'partially_processed': // INVENTED: a partial payment is half the invoice.
      settle(invoice, half, now);
      break;
    case 'refunded':
      invoice.refundedMinor = invoice.processedMinor ?? invoice.amountMinor;
      break;
    case 'partially_refunded': // INVENTED: a partial refund is half the invoice.
      invoice.refundedMinor = Math.min(half, invoice.processedMinor ?? half);
      break;
    default:
      break;
  }
}

function settle(invoice: Invoice, minor: number, now: number): void {
  invoice.processed = unixSeconds(now);
  invoice.processedMinor = minor;
  invoice.paidWithCard = invoice.service.method === 'payment_card';
}

/** Where the browser goes after the page: `return_urls` wins over `return_url` (seed), per outcome kind. */
export function returnUrlFor(invoice: Invoice, kind: ReturnKind): string | null {
  return invoice.returnUrls?.[kind] ?? invoice.returnUrl;
}

/** Records one callback attempt under its unix time, as `callback_logs` shows them. */
export function logCallback(invoice: Invoice, at: number, status: InvoiceStatus, responseCode: number | null): void {
  let key = String(unixSeconds(at));
  for (let n = 1; key in invoice.callbackLogs; n++) key = `${unixSeconds(at)}.${n}`;
  invoice.callbackLogs[key] = {
    status: responseCode === 200 ? 'done' : 'failed',
    processed: unixSeconds(Date.now()),
    response_code: responseCode,
    transaction_status: status,
  };
}

export function cardPayload(invoice: Invoice): unknown {
  return invoice.paidWithCard ? { token: null, client_ip: '', payment_card: { ...SUCCESS_TEST_CARD } } : null;
}
