/**
 * Hero payments in memory: creation, state moves, refunds, and what getPaymentsInfos and maxPaymentForCustomer
 * derive from them. No HTTP here; the clock is injectable so refund settling can be tested.
 */
import { randomUUID } from 'node:crypto';
import { UnknownPayment } from '../core/context.ts';
import {
  CUSTOMER_LIMITS,
  DEFAULT_CUSTOMER_LIMITS,
  FINAL_STATES,
  FINANCED_TYPES,
  PAYMENT_ID_PREFIX,
  PROVIDER,
  REFUND_SETTLE_MS,
  STATE_VIEWS,
  type CustomerLimits,
  type HeroState,
  type PaymentType,
} from './config.ts';
import type { IssuerInput } from './validate.ts';

export interface Refund {
  amount: number;
  /** Epoch ms; the refund counts as pending until the store's `refundSettleMs` after it. */
  at: number;
}

export interface HeroPayment {
  id: string;
  /** The API key that created it: other accounts neither see nor refund it. */
  merchantKey: string;
  /** Euro cents. */
  amount: number;
  type: PaymentType;
  redirectUri: string;
  comebackUri: string | null;
  issuer: IssuerInput;
  orderId: string | null;
  state: HeroState;
  refunds: Refund[];
  createdAt: string;
}

export interface NewHeroPayment {
  merchantKey: string;
  amount: number;
  type: PaymentType;
  redirectUri: string;
  comebackUri: string | null;
  issuer: IssuerInput;
}

/** One row of getPaymentsInfos, field for field. */
export interface PaymentInfos {
  paymentId: string;
  isSuccess: boolean;
  error: string | null;
  reviewStatus: string;
  reason: string;
  initialPaymentAmount: number;
  pendingRefundAmount: number;
  refundedAmount: number;
}

/** The functional refusals of refundPaymentCheckout the sandbox can produce (seed's FUNCTIONAL_ERROR list). */
export type RefundRefusal =
  | { errorCode: 'UNAUTHORIZED'; message: string }
  | { errorCode: 'FUNCTIONAL_ERROR'; message: 'INVALID_PAYMENT_CHECKOUT' | 'PAYMENT_NOT_STARTED' | 'AMOUNT_TOO_LOW' | 'AMOUNT_TOO_HIGH' };

export function isFinal(state: HeroState): boolean {
  return FINAL_STATES.includes(state);
}

/** A refund is pending (`pendingRefundAmount`) for `settleMs` after it was made, then refunded (`refundedAmount`). */
export function refundTotals(payment: HeroPayment, now: number, settleMs: number = REFUND_SETTLE_MS): { pending: number; refunded: number } {
  let pending = 0;
  let refunded = 0;
  for (const refund of payment.refunds) {
    if (now - refund.at < settleMs) pending += refund.amount;
    else refunded += refund.amount;
  }
  return { pending, refunded };
}

export function infosOf(payment: HeroPayment, now: number, settleMs: number = REFUND_SETTLE_MS): PaymentInfos {
  const view = STATE_VIEWS[payment.state];
  const totals = refundTotals(payment, now, settleMs);
  return {
    paymentId: payment.id,
    isSuccess: view.isSuccess,
    error: view.error,
    reviewStatus: view.reviewStatus,
    reason: view.reason,
    initialPaymentAmount: payment.amount,
    pendingRefundAmount: totals.pending,
    refundedAmount: totals.refunded,
  };
}

/**
 * Why a refund of `amount` cents by `merchantKey` must be refused, or undefined when it may go ahead. What is left
 * counts pending refunds as spent: Hero took them and will not refund that money twice.
 */
export function refundRefusal(payment: HeroPayment | undefined, merchantKey: string, amount: number): RefundRefusal | undefined {
  if (!payment) return { errorCode: 'FUNCTIONAL_ERROR', message: 'INVALID_PAYMENT_CHECKOUT' };
  if (payment.merchantKey !== merchantKey) {
    return { errorCode: 'UNAUTHORIZED', message: "You don't have permission to perform this action" };
  }
  if (payment.state !== 'ACCEPTED') return { errorCode: 'FUNCTIONAL_ERROR', message: 'PAYMENT_NOT_STARTED' };
  if (amount < 1) return { errorCode: 'FUNCTIONAL_ERROR', message: 'AMOUNT_TOO_LOW' };
  const alreadyRefunded = payment.refunds.reduce((sum, r) => sum + r.amount, 0);
  if (amount > payment.amount - alreadyRefunded) return { errorCode: 'FUNCTIONAL_ERROR', message: 'AMOUNT_TOO_HIGH' };
  return undefined;
}

export function limitsFor(customerReference: string): CustomerLimits {
  return CUSTOMER_LIMITS[customerReference] ?? DEFAULT_CUSTOMER_LIMITS;
}

/**
 * INVENTED: `current` is the customer's listed debt plus every accepted financed payment (Pay1X is cash) the same
 * merchant made for that customerReference, less what was refunded.
 */
export function customerCurrent(payments: Iterable<HeroPayment>, merchantKey: string, customerReference: string): number {
  let current = limitsFor(customerReference).current;
  for (const p of payments) {
    if (p.merchantKey !== merchantKey || p.issuer.customerReference !== customerReference) continue;
    if (p.state !== 'ACCEPTED' || !FINANCED_TYPES.includes(p.type)) continue;
    current += p.amount - p.refunds.reduce((sum, r) => sum + r.amount, 0);
  }
  return current;
}

export class HeroStore {
  private readonly byId = new Map<string, HeroPayment>();
  /** How long a refund stays pending; the control API changes it for drills, reset restores the default. */
  refundSettleMs = REFUND_SETTLE_MS;

  constructor(readonly now: () => number = Date.now) {}

  /** The payment's getPaymentsInfos row as of now. */
  infos(payment: HeroPayment): PaymentInfos {
    return infosOf(payment, this.now(), this.refundSettleMs);
  }

  /** Counts every pending refund of the payment as refunded from now on; answers how many cents settled. */
  settleRefunds(payment: HeroPayment): number {
    const { pending } = refundTotals(payment, this.now(), this.refundSettleMs);
    const settledAt = this.now() - this.refundSettleMs;
    for (const refund of payment.refunds) refund.at = Math.min(refund.at, settledAt);
    return pending;
  }

  create(input: NewHeroPayment): HeroPayment {
    const payment: HeroPayment = {
      ...input,
      id: `${PAYMENT_ID_PREFIX}${randomUUID()}`,
      orderId: null,
      state: 'PAYMENT_NOT_INITIATED',
      refunds: [],
      createdAt: new Date(this.now()).toISOString(),
    };
    this.byId.set(payment.id, payment);
    return payment;
  }

  get(id: string): HeroPayment | undefined {
    return this.byId.get(id);
  }

  require(id: string): HeroPayment {
    const payment = this.byId.get(id);
    if (!payment) throw new UnknownPayment(PROVIDER, id);
    return payment;
  }

  /** The payment if it exists and belongs to the account asking; Hero answers as if other accounts' ids did not exist. */
  visibleTo(id: string, merchantKey: string): HeroPayment | undefined {
    const payment = this.byId.get(id);
    return payment?.merchantKey === merchantKey ? payment : undefined;
  }

  all(): HeroPayment[] {
    return [...this.byId.values()];
  }

  moveTo(id: string, state: HeroState): HeroPayment {
    const payment = this.require(id);
    payment.state = state;
    return payment;
  }

  refund(payment: HeroPayment, amount: number): void {
    payment.refunds.push({ amount, at: this.now() });
  }

  reset(): void {
    this.byId.clear();
    this.refundSettleMs = REFUND_SETTLE_MS;
  }
}
