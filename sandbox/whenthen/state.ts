/**
 * What the WhenThen simulator remembers: payments, tokenised cards, client tokens and the webhook endpoint.
 * Status changes go through `transition`, so every change lands in the payment's timeline the same way.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { UnknownPayment } from '../core/context.ts';
import { CLIENT_TOKEN_TTL_SECONDS, DEFAULT_WEBHOOK_SECRET, PROVIDER, type CardBehaviour } from './config.ts';
import type { CardBrand, CheckedCard } from './validation.ts';

/** WhenThen's PaymentStatus enum, every value of the real schema. */
export const PAYMENT_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'AUTHORISED',
  'SUCCEEDED',
  'REFUNDED',
  'PARTIAL_REFUNDED',
  'CANCELLED',
  'FAILED',
  'DECLINED',
  'DISPUTED',
  'REMOVED',
  'NEEDS_3D_SECURE',
  'NEEDS_APM_AUTHORIZATION',
  'GATEWAY_HOLD',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The statuses in which the shopper still has something to do on a WhenThen page. */
const AWAITING_SHOPPER: ReadonlySet<PaymentStatus> = new Set(['NEEDS_3D_SECURE', 'NEEDS_APM_AUTHORIZATION']);

export function isAwaitingShopper(payment: WhenThenPayment): boolean {
  return AWAITING_SHOPPER.has(payment.status);
}

export interface StoredCard {
  id: string;
  token: string;
  createdAt: string;
  bin: string;
  last4: string;
  brand: CardBrand;
  expMonth: number;
  expYear: number;
  name: string | null;
  fingerprint: string;
  behaviour: CardBehaviour;
  metadata: unknown;
  externalId: string | null;
  billingAddress: Record<string, string | null> | null;
}

export interface ClientTokenGrant {
  token: string;
  amount: number | null;
  currency: string | null;
  expiresAt: number;
}

export interface TimelineEvent {
  title: string;
  time: string;
  message: string | null;
}

export interface Customer {
  id: string | null;
  email: string | null;
  name: string | null;
}

/** Which WhenThen page the shopper must pass before the payment is decided. */
export type Challenge = 'three-d-secure' | 'apm';

export interface WhenThenPayment {
  id: string;
  sourceId: string;
  createdAt: string;
  updatedAt: string;
  status: PaymentStatus;
  /** Minor units: the authorised amount, or the captured amount once a smaller capture happened. */
  amount: number;
  refundedAmount: number;
  currency: string;
  orderId: string | null;
  flowId: string | null;
  flowInstanceId: string | null;
  description: string | null;
  metadata: unknown;
  customer: Customer | null;
  /** `paymentMethod.type` as sent: CARD, APPLE_PAY, GOOGLE_PAY, PAYPAL, KLARNA. */
  methodType: string;
  card: StoredCard | null;
  manualCapture: boolean;
  /** When the payment last became AUTHORISED: its authorisation lapses AUTHORISATION_LIFETIME_MS later. */
  authorisedAt: string | null;
  headless: boolean;
  challenge: Challenge | null;
  threeDSecureRedirectUrl: string | null;
  /** AUTHENTICATED or FAILED once the 3-D Secure page was answered. */
  threeDSecureResult: 'AUTHENTICATED' | 'FAILED' | null;
  apmRedirectUrl: string | null;
  /** The merchant's redirectUrl when the payment came from the hosted checkout. */
  hostedRedirectUrl: string | null;
  reason: string | null;
  declineCode: string | null;
  events: TimelineEvent[];
}

/** What creating a payment needs; everything else starts empty. */
export type NewPayment = Pick<WhenThenPayment, 'status' | 'amount' | 'currency' | 'methodType'> &
  Partial<Omit<WhenThenPayment, 'sourceId' | 'createdAt' | 'updatedAt' | 'events' | 'refundedAmount' | 'flowInstanceId' | 'authorisedAt'>>;

/** A payment id as listPayments spells it (seed: "payments:f415645d-…"); the API accepts both spellings. */
export const NODE_ID_PREFIX = 'payments:';

export class WhenThenStore {
  private payments = new Map<string, WhenThenPayment>();
  private cards = new Map<string, StoredCard>();
  private clientTokens = new Map<string, ClientTokenGrant>();
  webhook: { url: string; secret: string } | null = null;
  /** How far WhenThen's clock runs ahead of the host's (negative: behind); the control API sets it. */
  clockOffsetMs = 0;

  /** WhenThen's own time (epoch ms): payments' dates, token expiry and the API's `Date` header follow it. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  create(input: NewPayment): WhenThenPayment {
    const createdAt = new Date(this.now()).toISOString();
    const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as NewPayment;
    const payment: WhenThenPayment = {
      id: randomUUID(),
      orderId: null,
      flowId: null,
      description: null,
      metadata: null,
      customer: null,
      card: null,
      manualCapture: false,
      headless: false,
      challenge: null,
      threeDSecureRedirectUrl: null,
      threeDSecureResult: null,
      apmRedirectUrl: null,
      hostedRedirectUrl: null,
      reason: null,
      declineCode: null,
      ...given,
      flowInstanceId: given.flowId ? randomUUID() : null,
      sourceId: `sbx_${randomBytes(12).toString('hex')}`,
      createdAt,
      updatedAt: createdAt,
      refundedAmount: 0,
      authorisedAt: input.status === 'AUTHORISED' ? createdAt : null,
      events: [{ title: `Payment ${input.status}`, time: createdAt, message: input.reason ?? null }],
    };
    if (this.payments.has(payment.id)) throw new Error(`whenthen payment ${payment.id} already exists`);
    this.payments.set(payment.id, payment);
    return payment;
  }

  find(id: string): WhenThenPayment | undefined {
    return this.payments.get(id.startsWith(NODE_ID_PREFIX) ? id.slice(NODE_ID_PREFIX.length) : id);
  }

  require(id: string): WhenThenPayment {
    const payment = this.find(id);
    if (!payment) throw new UnknownPayment(PROVIDER, id);
    return payment;
  }

  all(): WhenThenPayment[] {
    return [...this.payments.values()];
  }

  /** Moves a payment to a status and records it in its timeline. */
  transition(payment: WhenThenPayment, status: PaymentStatus, message: string | null = null): WhenThenPayment {
    const time = new Date(this.now()).toISOString();
    if (status === 'AUTHORISED' && payment.status !== 'AUTHORISED') payment.authorisedAt = time;
    payment.status = status;
    payment.updatedAt = time;
    payment.events.push({ title: `Payment ${status}`, time, message });
    return payment;
  }

  saveCard(card: CheckedCard, details: Pick<StoredCard, 'name' | 'behaviour' | 'brand' | 'metadata' | 'externalId' | 'billingAddress'>): StoredCard {
    const stored: StoredCard = {
      id: randomUUID(),
      token: `wt_tok_${randomBytes(12).toString('hex')}`,
      createdAt: new Date(this.now()).toISOString(),
      bin: card.digits.slice(0, 6),
      last4: card.digits.slice(-4),
      brand: details.brand,
      expMonth: card.expMonth,
      expYear: card.expYear,
      name: details.name,
      // Same card, same fingerprint, as gateways do; the number itself is not kept.
      fingerprint: createHash('sha256').update(card.digits).digest('base64url').slice(0, 16),
      behaviour: details.behaviour,
      metadata: details.metadata,
      externalId: details.externalId,
      billingAddress: details.billingAddress,
    };
    this.cards.set(stored.token, stored);
    return stored;
  }

  card(token: string): StoredCard | undefined {
    return this.cards.get(token);
  }

  issueClientToken(amount: number | null, currency: string | null): ClientTokenGrant {
    const grant: ClientTokenGrant = {
      token: `wt_ct_${randomBytes(24).toString('base64url')}`,
      amount,
      currency,
      expiresAt: this.now() + CLIENT_TOKEN_TTL_SECONDS * 1000,
    };
    this.clientTokens.set(grant.token, grant);
    return grant;
  }

  /** The grant behind a client token, or undefined when it is unknown or expired. */
  clientToken(token: string): ClientTokenGrant | undefined {
    const grant = this.clientTokens.get(token);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.now()) {
      this.clientTokens.delete(token);
      return undefined;
    }
    return grant;
  }

  setWebhook(url: string, secret: string = DEFAULT_WEBHOOK_SECRET): void {
    this.webhook = { url, secret };
  }

  reset(): void {
    this.payments.clear();
    this.cards.clear();
    this.clientTokens.clear();
    this.webhook = null;
    this.clockOffsetMs = 0;
  }
}
