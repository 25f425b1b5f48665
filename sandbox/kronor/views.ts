/**
 * Records → the objects graphql-js resolves: PaymentRequest as the session and the merchant see it, Payment, and
 * the rows Hasura's `where`/`orderBy` read. Nested list fields with arguments are functions, which graphql-js's
 * default resolver calls with the field's arguments.
 */
import {
  CURRENCY_COUNTRIES,
  FALLBACK_COUNTRY,
  METHOD_PAGE_SEGMENTS,
  PAYMENT_METHODS,
  SANDBOX_BANK,
  SANDBOX_CARD,
  SUCCESS_STATUSES,
  type PaymentMethod,
} from './config.ts';
import { applyListArgs, type ListArgs, type Row } from './filters.ts';
import { currentStatus, refundStatus, type PaymentRecord, type StatusEntry } from './state.ts';

export type Role = 'session' | 'merchant';
type View = Record<string, unknown>;

/** The per-payment page a shopper opens (the URL in the request's transaction…Details). */
export function pageUrl(baseUrl: string, payment: Pick<PaymentRecord, 'method' | 'waitToken'>): string {
  return `${baseUrl}/kronor/${METHOD_PAGE_SEGMENTS[payment.method]}/${payment.waitToken}`;
}

/** Swish's m-commerce QR code carries the payment request token prefixed with "D". */
export function swishQrCode(payment: PaymentRecord): string | null {
  return payment.flow === 'mcom' ? `D${payment.providerSessionId}` : null;
}

/** The Swish app link that opens the payment request and comes back to returnUrl. */
export function swishAppLink(payment: PaymentRecord): string | null {
  if (payment.flow !== 'mcom') return null;
  return `swish://paymentrequest?token=${payment.providerSessionId}&callbackurl=${encodeURIComponent(payment.returnUrl)}`;
}

function statusList(entries: StatusEntry[]) {
  return (args: ListArgs = {}) => applyListArgs(entries, (e) => ({ ...e }), args);
}

function latest(payment: PaymentRecord): StatusEntry[] {
  return payment.history.slice(-1);
}

function methodStatus(payment: PaymentRecord): View {
  return {
    country: payment.country ?? CURRENCY_COUNTRIES[payment.currency] ?? FALLBACK_COUNTRY,
    currency: payment.currency,
    enabled: true,
    gateway: 'KRONOR',
    id: PAYMENT_METHODS.indexOf(payment.method) + 1,
    paymentMethod: payment.method,
  };
}

/** One detail row for the request's own method once it left INITIALIZING, none for the other methods. */
function details(payment: PaymentRecord, method: PaymentMethod, build: () => View): View[] {
  return payment.method === method && currentStatus(payment) !== 'INITIALIZING' ? [build()] : [];
}

function paid(payment: PaymentRecord): boolean {
  return payment.paymentId !== null;
}

function sessionDetails(payment: PaymentRecord, baseUrl: string): View {
  const url = pageUrl(baseUrl, payment);
  const id = payment.providerSessionId;
  return {
    transactionSwishDetails: details(payment, 'SWISH', () => ({
      amount: payment.amount,
      customerSwishNumber: payment.customerSwishNumber,
      dateCreated: payment.createdAt,
      datePaid: payment.datePaid,
      errorCode: payment.error?.code ?? null,
      errorMessage: payment.error?.message ?? null,
      qrCode: swishQrCode(payment),
      returnUrl: swishAppLink(payment),
    })),
    transactionCreditCardDetails: details(payment, 'CREDIT_CARD', () => ({ sessionId: id, sessionUrl: url })),
    transactionMobilePayDetails: details(payment, 'MOBILEPAY', () => ({
      gateway: 'KRONOR',
      qrCodeUrl: payment.userFlow === 'QR' ? `${url}/qr` : null,
      redirectUrl: payment.returnUrl,
      sessionId: id,
      sessionUrl: url,
      userFlow: payment.userFlow,
    })),
    transactionVippsDetails: details(payment, 'VIPPS', () => ({ sessionId: id, sessionUrl: url })),
    transactionP24Details: details(payment, 'P24', () => ({ sessionId: id, sessionUrl: url })),
    transactionPayPalDetails: details(payment, 'PAYPAL', () => ({
      errorCode: null,
      errorMessage: null,
      orderId: id.slice(0, 17).toUpperCase(),
      paymentUrl: url,
    })),
    transactionBankTransferDetails: details(payment, 'BANK_TRANSFER', () => bankTransferDetails(payment, url)),
  };
}

function bankTransferDetails(payment: PaymentRecord, url: string): View {
  return {
    aspspId: payment.aspspId ?? SANDBOX_BANK.aspspId,
    authorizationUrl: null,
    bankName: SANDBOX_BANK.name,
    orderId: payment.providerSessionId.slice(0, 12),
    payUrl: url,
  };
}

/** The merchant schema's detail types hold what happened (card used, errors), not where to pay. */
function merchantDetails(payment: PaymentRecord, baseUrl: string): View {
  return {
    transactionSwishDetails: details(payment, 'SWISH', () => ({
      customerSwishNumber: payment.customerSwishNumber,
      dateCreated: payment.createdAt,
      datePaid: payment.datePaid,
      errorCode: payment.error?.code ?? null,
      errorMessage: payment.error?.message ?? null,
    })),
    transactionCreditCardDetails: details(payment, 'CREDIT_CARD', () => ({
      cardNumber: paid(payment) ? SANDBOX_CARD.number : null,
      cardType: paid(payment) ? SANDBOX_CARD.type : null,
      errorMessage: null,
    })),
    transactionMobilePayDetails: details(payment, 'MOBILEPAY', () => ({
      gateway: 'KRONOR',
      qrCodeUrl: payment.userFlow === 'QR' ? `${pageUrl(baseUrl, payment)}/qr` : null,
      redirectUrl: payment.returnUrl,
      userFlow: payment.userFlow,
    })),
    transactionVippsDetails: details(payment, 'VIPPS', () => ({ cardType: null })),
    transactionP24Details: details(payment, 'P24', () => ({
      errorMessage: null,
      sessionId: payment.providerSessionId,
      verified: paid(payment),
    })),
    transactionPayPalDetails: details(payment, 'PAYPAL', () => ({ errorCode: null, errorMessage: null })),
  };
}

export function paymentRequestView(payment: PaymentRecord, role: Role, baseUrl: string): View {
  const view: View = {
    amount: payment.amount,
    createdAt: payment.createdAt,
    currency: payment.currency,
    latestStatus: statusList(latest(payment)),
    merchantReturnUrl: payment.merchantReturnUrl,
    message: payment.message,
    paymentFlow: payment.flow,
    paymentMethodUsed: methodStatus(payment),
    paymentProvider: payment.method,
    reference: payment.reference,
    resultingPaymentId: payment.paymentId,
    // `status` is the current status (a one-row list, as Hasura's CurrentPaymentStatus relationship returns).
    status: statusList(latest(payment)),
    statusHistory: statusList(payment.history),
    transactionId: payment.transactionId,
    waitToken: payment.waitToken,
  };
  if (role === 'session') return { ...view, ...sessionDetails(payment, baseUrl) };
  return {
    ...view,
    ...merchantDetails(payment, baseUrl),
    transactionBankTransferDetails: details(payment, 'BANK_TRANSFER', () => bankTransferDetails(payment, pageUrl(baseUrl, payment))),
    merchantReference2: payment.merchantReference2,
    customer: payment.customer ? { ...payment.customer } : null,
    payment: () => (payment.paymentId === null ? null : paymentView(payment, baseUrl)),
  };
}

/** A Payment exists once its request was AUTHORIZED or PAID. */
export function paymentView(payment: PaymentRecord, baseUrl: string): View {
  const paymentId = payment.paymentId;
  return {
    ...merchantDetails(payment, baseUrl),
    amountAuthorized: payment.amountAuthorized,
    amountPaid: payment.amountPaid,
    captures: payment.captures.map((c) => ({
      amount: c.amount,
      captureType: 'MERCHANT',
      createdAt: c.createdAt,
      createdBy: c.createdBy,
      generatedFrom: c.generatedFrom,
      id: c.id,
      message: c.message,
      paymentId,
      status: c.history.slice(-1),
      statusHistory: c.history,
      transactionId: c.transactionId,
    })),
    createdAt: paymentCreatedAt(payment),
    currency: payment.currency,
    currentStatus: currentStatus(payment),
    customer: payment.customer ? { ...payment.customer } : null,
    id: paymentId,
    latestStatus: statusList(latest(payment)),
    merchantReference: payment.reference,
    merchantReference2: payment.merchantReference2,
    paymentMethod: payment.method,
    paymentMethodUsed: methodStatus(payment),
    paymentRefundStatus: refundStatus(payment),
    refunds: payment.refunds.map((r) => ({
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      generatedFrom: r.generatedFrom,
      message: r.message,
      paymentId,
      status: r.history.slice(-1),
      statusHistory: r.history,
      totalAmount: r.amount,
      transactionId: r.transactionId,
      waitToken: r.waitToken,
    })),
    status: statusList(latest(payment)),
    transactionId: payment.transactionId,
    transactionReleases: payment.releases.map((r) => ({
      amount: r.amount,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      currentStatus: r.history[r.history.length - 1]!.status,
      generatedFrom: r.generatedFrom,
      id: r.id,
      paymentId,
      statusHistory: r.history,
    })),
  };
}

/** When the request first reached a success status. */
function paymentCreatedAt(payment: PaymentRecord): string {
  const entry = payment.history.find((e) => SUCCESS_STATUSES.includes(e.status));
  return entry?.enteredAt ?? payment.createdAt;
}

export function paymentRequestRow(payment: PaymentRecord): Row {
  return {
    amount: payment.amount,
    createdAt: payment.createdAt,
    currency: payment.currency,
    merchantReference2: payment.merchantReference2,
    merchantReturnUrl: payment.merchantReturnUrl,
    message: payment.message,
    paymentFlow: payment.flow,
    paymentProvider: payment.method,
    reference: payment.reference,
    resultingPaymentId: payment.paymentId,
    transactionId: payment.transactionId,
    waitToken: payment.waitToken,
    status: latest(payment).map((e) => ({ ...e })),
    statusHistory: payment.history.map((e) => ({ ...e })),
  };
}

export function paymentRow(payment: PaymentRecord): Row {
  return {
    amountAuthorized: payment.amountAuthorized,
    amountPaid: payment.amountPaid,
    createdAt: paymentCreatedAt(payment),
    currency: payment.currency,
    currentStatus: currentStatus(payment),
    id: payment.paymentId,
    merchantReference: payment.reference,
    merchantReference2: payment.merchantReference2,
    paymentMethod: payment.method,
    paymentRefundStatus: refundStatus(payment),
    status: latest(payment).map((e) => ({ ...e })),
    transactionId: payment.transactionId,
  };
}
