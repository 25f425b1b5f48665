/**
 * How a stored payment looks from outside: WhenThen's `Payment` (authorize, get, capture … and the webhook's `data`)
 * and `PaymentInternal` (listPayments' nodes), with the field names and units of the real schema — amounts as
 * `Amount {rawAmount (minor units), currency, formattedAmount}`, dates as RFC 3339.
 */
import { GATEWAY, ERROR_CODES, STATEMENT_DESCRIPTOR, TEAM_ID } from './config.ts';
import { whenThenError } from './errors.ts';
import { NODE_ID_PREFIX, type StoredCard, type WhenThenPayment } from './state.ts';

export interface AmountView {
  rawAmount: number;
  currency: string;
  formattedAmount: string;
}

/** "€90.02", as the seed's examples show it. */
export function amountView(minor: number, currency: string): AmountView {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
  return { rawAmount: minor, currency, formattedAmount: format.format(minor / 10 ** exponent) };
}

const BRAND_NAMES: Record<string, string> = { VISA: 'Visa', MASTERCARD: 'Mastercard', AMEX: 'American Express', MAESTRO: 'Maestro' };

/** `paymentCore.paymentMethod`: the card scheme for cards, else the method itself. */
function methodEnum(payment: WhenThenPayment): string {
  return payment.card ? payment.card.brand : payment.methodType;
}

export function cardDetails(card: StoredCard) {
  return {
    id: card.id,
    number: `**** **** **** ${card.last4}`,
    expires: `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`,
    fingerprint: card.fingerprint,
    paymentMethod: card.brand,
    type: 'CREDIT',
    product: null,
    issuingBank: null,
    category: null,
    country: null,
    brand: BRAND_NAMES[card.brand] ?? null,
    name: card.name,
  };
}

function methodDetails(payment: WhenThenPayment) {
  if (payment.card) return cardDetails(payment.card);
  return {
    id: null, number: null, expires: null, fingerprint: null, paymentMethod: methodEnum(payment), type: null,
    product: null, issuingBank: null, category: null, country: null, brand: null, name: null,
  };
}

const APPROVED: ReadonlySet<string> = new Set(['AUTHORISED', 'SUCCEEDED', 'REFUNDED', 'PARTIAL_REFUNDED', 'DISPUTED']);

function core(payment: WhenThenPayment) {
  const networkStatus = APPROVED.has(payment.status)
    ? 'approved_by_network'
    : payment.status === 'DECLINED'
      ? 'declined_by_network'
      : null;
  return {
    processorStatus: payment.status.toLowerCase(),
    paymentMethod: methodEnum(payment),
    outcome: {
      networkStatus,
      reason: payment.reason,
      riskLevel: 'NORMAL',
      riskScore: 20,
      type: 'PAYMENT',
      declineCode: payment.declineCode,
      declineType: null,
      processorDeclineCode: null,
      processorDeclineType: null,
    },
  };
}

function details(payment: WhenThenPayment) {
  return {
    statementDescriptor: STATEMENT_DESCRIPTOR,
    localCurrency: payment.currency,
    localAmount: amountView(payment.amount, payment.currency),
    exchangeRate: null,
    fee: null,
    tax: null,
    processingFee: null,
    net: null,
    description: payment.description,
  };
}

function flows(payment: WhenThenPayment) {
  return payment.flowId
    ? [{ name: 'Sandbox flow', date: payment.createdAt, flowId: payment.flowId, flowInstanceId: payment.flowInstanceId }]
    : null;
}

function customer(payment: WhenThenPayment) {
  return payment.customer ? { ...payment.customer, phone: null } : null;
}

/** WhenThen's `Payment` as plain JSON (the webhook's `data`); `date` in UTC. */
export function paymentJson(payment: WhenThenPayment) {
  return {
    id: payment.id,
    sourceId: payment.sourceId,
    date: payment.createdAt,
    status: payment.status,
    type: 'PAYMENT',
    amount: amountView(payment.amount, payment.currency),
    refundedAmount: payment.refundedAmount ? amountView(payment.refundedAmount, payment.currency) : null,
    currency: payment.currency,
    country: null,
    flowId: payment.flowId,
    flowInstanceId: payment.flowInstanceId,
    paymentGateway: { name: GATEWAY.name, logo: GATEWAY.logo },
    paymentCore: core(payment),
    paymentDetails: details(payment),
    paymentTimeline: { overview: payment.events, flows: flows(payment) },
    paymentCustomer: customer(payment),
    metadata: payment.metadata ?? null,
    paymentMethodDetails: methodDetails(payment),
    attachments: [],
  };
}

/** WhenThen's `PaymentInternal`, the node type of listPayments. */
export function paymentInternalJson(payment: WhenThenPayment) {
  const json = paymentJson(payment);
  return {
    ...json,
    id: `${NODE_ID_PREFIX}${payment.id}`,
    teamId: TEAM_ID,
    orderId: payment.orderId,
    connectionId: GATEWAY.id,
    eci: null,
    paymentProcessingOrigin: payment.headless ? 'HEADLESS' : 'AUTOMATION',
    threeDSecureVersion: payment.challenge === 'three-d-secure' ? '2.2.0' : null,
    threeDSecureAuthenticationResult: payment.threeDSecureResult,
    paymentGateway: { id: GATEWAY.id, name: GATEWAY.name, logo: GATEWAY.logo },
    paymentTimeline: {
      overview: json.paymentTimeline.overview,
      flows: flows(payment)?.map((flow) => ({ id: flow.flowInstanceId, ...flow })) ?? null,
    },
    paymentConnections: { latestCharge: payment.updatedAt, invoice: null, payout: null },
    paymentReceipt: null,
    fraud: null,
  };
}

/** Adds the `date(tz)` argument the schema gives Payment and PaymentInternal. */
function withDateArgument<T extends { date: string }>(json: T): Omit<T, 'date'> & { date: (args: { tz: string }) => string } {
  return { ...json, date: ({ tz }) => formatInTimeZone(json.date, tz) };
}

export const paymentGraph = (payment: WhenThenPayment) => withDateArgument(paymentJson(payment));
export const paymentInternalGraph = (payment: WhenThenPayment) => withDateArgument(paymentInternalJson(payment));

/**
 * An RFC 3339 time in another zone: `Z`/`UTC`, an offset (`+02:00`) or an IANA name (`Europe/Stockholm`).
 * INVENTED: an unknown zone is an error (WhenThen does not document what it does).
 */
export function formatInTimeZone(iso: string, tz: string): string {
  const date = new Date(iso);
  const offset = offsetMinutes(tz, date);
  if (offset === undefined) throw whenThenError(ERROR_CODES.invalidTimeZone, `Unknown time zone ${JSON.stringify(tz)}`);
  if (offset === 0) return date.toISOString();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function offsetMinutes(tz: string, at: Date): number | undefined {
  if (tz === 'Z' || tz.toUpperCase() === 'UTC') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
    return minutes > 18 * 60 ? undefined : (fixed[1] === '-' ? -1 : 1) * minutes;
  }
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
    if (!match) return undefined;
    return match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  } catch {
    return undefined;
  }
}
