/**
 * What the browser asks Kronor with a session token, and how it reads the answers: the GraphQL documents of
 * `browser.ts` (each validated against Kronor's real session schema by `browser-requests.test.ts`) and the pure
 * mapping of one `PaymentRequest` row to a `KronorRequestView`. No Apollo here, so it is cheap to test and import.
 */
import type { PaymentState } from '../../core/model.ts';
import { kronorStatus, latestStatus, type StatusEntry } from './status.ts';

export type KronorMethod = 'swish' | 'creditCard' | 'mobilePay' | 'vipps' | 'p24' | 'payPal' | 'bankTransfer';

export const KRONOR_METHODS: readonly KronorMethod[] = ['swish', 'creditCard', 'mobilePay', 'vipps', 'p24', 'payPal', 'bankTransfer'];

export interface KronorRequestView {
  waitToken: string;
  /** The latest PaymentStatusEnum value. */
  status: string;
  state: PaymentState;
  /** The next step Kronor gives: a QR payload (Swish), an app link, or a page to open. */
  qrCode?: string;
  appUrl?: string;
  pageUrl?: string;
}

/** Every field a view needs; the subscription and the query select the same. */
const REQUEST_FIELDS = /* GraphQL */ `
  waitToken
  createdAt
  status {
    status
    enteredAt
  }
  transactionSwishDetails {
    qrCode
    returnUrl
    errorCode
  }
  transactionCreditCardDetails {
    sessionUrl
  }
  transactionMobilePayDetails {
    sessionUrl
  }
  transactionVippsDetails {
    sessionUrl
  }
  transactionP24Details {
    sessionUrl
  }
  transactionPayPalDetails {
    paymentUrl
  }
  transactionBankTransferDetails {
    payUrl
  }
`;

/** The session's payment requests, newest first; `$where` narrows to one waitToken, `$limit` to the newest. */
export const WATCH_REQUESTS = /* GraphQL */ `
  subscription KassaKronorWatchRequests($where: PaymentRequestBoolExp!, $limit: Int) {
    paymentRequests(where: $where, orderBy: [{ createdAt: DESC }], limit: $limit) {
      ${REQUEST_FIELDS}
    }
  }
`;

export const NEW_SWISH = /* GraphQL */ `
  mutation KassaKronorSwish($pay: SwishPaymentInput!) {
    newSwishPayment(pay: $pay) {
      waitToken
    }
  }
`;

export const NEW_CREDIT_CARD = /* GraphQL */ `
  mutation KassaKronorCreditCard($pay: CreditCardPaymentInput!) {
    newCreditCardPayment(pay: $pay) {
      waitToken
    }
  }
`;

export const NEW_MOBILEPAY = /* GraphQL */ `
  mutation KassaKronorMobilePay($pay: MobilePayPaymentInput!) {
    newMobilePayPayment(pay: $pay) {
      waitToken
    }
  }
`;

export const NEW_VIPPS = /* GraphQL */ `
  mutation KassaKronorVipps($pay: VippsPaymentInput!) {
    newVippsPayment(pay: $pay) {
      waitToken
    }
  }
`;

/** P24, PayPal and bank transfer answer a `paymentId`: the id their payment request is followed by (its waitToken). */
export const NEW_P24 = /* GraphQL */ `
  mutation KassaKronorP24($pay: P24PaymentInput!) {
    newP24Payment(pay: $pay) {
      paymentId
    }
  }
`;

export const NEW_PAYPAL = /* GraphQL */ `
  mutation KassaKronorPayPal($pay: PayPalPaymentInput!) {
    newPayPalPayment(pay: $pay) {
      paymentId
    }
  }
`;

export const NEW_BANK_TRANSFER = /* GraphQL */ `
  mutation KassaKronorBankTransfer($pay: BankTransferPaymentInput!) {
    newBankTransferPayment(pay: $pay) {
      paymentId
      paymentRequestId
    }
  }
`;

export const CANCEL = /* GraphQL */ `
  mutation KassaKronorCancel($cancel: PaymentCancelInput!) {
    cancelPayment(cancel: $cancel) {
      waitToken
    }
  }
`;

export const REFRESH = /* GraphQL */ `
  mutation KassaKronorRefresh {
    refreshPaymentStatus {
      result
    }
  }
`;

/** Every document the browser sends, by name (for the schema test). */
export const BROWSER_DOCUMENTS = {
  WATCH_REQUESTS,
  NEW_SWISH,
  NEW_CREDIT_CARD,
  NEW_MOBILEPAY,
  NEW_VIPPS,
  NEW_P24,
  NEW_PAYPAL,
  NEW_BANK_TRANSFER,
  CANCEL,
  REFRESH,
} as const;

/** Which mutation starts a method, and where its answer keeps the waitToken. */
export const START_MUTATIONS: Record<KronorMethod, { document: string; field: string; tokens: readonly string[] }> = {
  swish: { document: NEW_SWISH, field: 'newSwishPayment', tokens: ['waitToken'] },
  creditCard: { document: NEW_CREDIT_CARD, field: 'newCreditCardPayment', tokens: ['waitToken'] },
  mobilePay: { document: NEW_MOBILEPAY, field: 'newMobilePayPayment', tokens: ['waitToken'] },
  vipps: { document: NEW_VIPPS, field: 'newVippsPayment', tokens: ['waitToken'] },
  p24: { document: NEW_P24, field: 'newP24Payment', tokens: ['paymentId'] },
  payPal: { document: NEW_PAYPAL, field: 'newPayPalPayment', tokens: ['paymentId'] },
  bankTransfer: { document: NEW_BANK_TRANSFER, field: 'newBankTransferPayment', tokens: ['paymentRequestId', 'paymentId'] },
};

/**
 * The `pay` input of a method's start mutation. Swish: the app flow (`mcom`, QR code + app link), or with the
 * shopper's number the phone flow (`ecom`). MobilePay and Vipps: the web redirect flow, which works on every device.
 */
export function startInput(method: KronorMethod, options: { returnUrl: string; idempotencyKey: string; phone?: string }): Record<string, unknown> {
  const common = { idempotencyKey: options.idempotencyKey, returnUrl: options.returnUrl, merchantReturnUrl: options.returnUrl };
  switch (method) {
    case 'swish':
      return options.phone ? { ...common, flow: 'ecom', customerSwishNumber: options.phone } : { ...common, flow: 'mcom' };
    case 'mobilePay':
    case 'vipps':
      return { ...common, userFlow: 'WebRedirect' };
    default:
      return common;
  }
}

type Row = Record<string, unknown>;

function firstDetail(row: Row, field: string): Row | undefined {
  const list = row[field];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  return first && typeof first === 'object' ? (first as Row) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

/** A page for the shopper: https, or http on a loopback host (the local sandbox); anything else is dropped. */
export function safePageUrl(value: unknown): string | undefined {
  const url = text(value);
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return undefined;
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) || parsed.hostname.endsWith('.localhost');
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The Swish app link (`swish://paymentrequest?…`); no other scheme is handed on. */
export function safeAppUrl(value: unknown): string | undefined {
  const url = text(value);
  return url && /^swish:\/\/[^\s]*$/i.test(url) ? url : undefined;
}

function statusEntries(value: unknown): StatusEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is StatusEntry => typeof e === 'object' && e !== null && typeof (e as StatusEntry).status === 'string' && typeof (e as StatusEntry).enteredAt === 'string',
  );
}

/**
 * One PaymentRequest row → what the browser shows, or undefined for a row to ignore: no waitToken, no status yet,
 * or only INITIALIZING (Kronor's SDKs ignore those: the details are not there yet).
 */
export function requestView(value: unknown): KronorRequestView | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const row = value as Row;
  const waitToken = text(row.waitToken);
  const status = latestStatus(statusEntries(row.status));
  if (!waitToken || !status || status === 'INITIALIZING') return undefined;
  const swish = firstDetail(row, 'transactionSwishDetails');
  const { state } = kronorStatus({ status, swishErrorCode: text(swish?.errorCode) ?? null });
  const view: KronorRequestView = { waitToken, status, state };
  const qrCode = text(swish?.qrCode);
  const appUrl = safeAppUrl(swish?.returnUrl);
  const pageUrl = safePageUrl(
    firstDetail(row, 'transactionCreditCardDetails')?.sessionUrl ??
      firstDetail(row, 'transactionMobilePayDetails')?.sessionUrl ??
      firstDetail(row, 'transactionVippsDetails')?.sessionUrl ??
      firstDetail(row, 'transactionP24Details')?.sessionUrl ??
      firstDetail(row, 'transactionPayPalDetails')?.paymentUrl ??
      firstDetail(row, 'transactionBankTransferDetails')?.payUrl,
  );
  if (qrCode) view.qrCode = qrCode;
  if (appUrl) view.appUrl = appUrl;
  if (pageUrl) view.pageUrl = pageUrl;
  return view;
}

/** The row to report from a newest-first list: the one with `waitToken`, or the newest when none is named. */
export function pickRequest(rows: unknown, waitToken: string | undefined): KronorRequestView | undefined {
  if (!Array.isArray(rows)) return undefined;
  const row = waitToken === undefined ? rows[0] : rows.find((r: unknown) => !!r && typeof r === 'object' && (r as Row).waitToken === waitToken);
  return requestView(row);
}
