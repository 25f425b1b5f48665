/**
 * WhenThen's rules for the operations on an existing payment (seed 003), as pure code: the status each needs, the
 * amount it may move, and the status it leaves. lifecycle.ts applies an outcome to a stored payment; the table in
 * whenthen.test.ts covers every rule.
 */
import { ERROR_CODES } from './config.ts';
import type { ErrorCode } from './errors.ts';
import type { PaymentStatus } from './state.ts';

export type PaymentOperation = 'capture' | 'refund' | 'cancel';

/**
 * The seed: capture "when its status is AUTHORISED"; refund "when it has a status of SUCCEEDED" (a payment refunded
 * in part, PARTIAL_REFUNDED, still has money to refund); cancel "when it has a status of AUTHORISED".
 */
export const OPERATION_STATUSES: Readonly<Record<PaymentOperation, readonly PaymentStatus[]>> = {
  capture: ['AUTHORISED'],
  refund: ['SUCCEEDED', 'PARTIAL_REFUNDED'],
  cancel: ['AUTHORISED'],
};

export interface PaymentFigures {
  status: PaymentStatus;
  /** Minor units: authorised, or captured once a capture happened. */
  amount: number;
  /** Minor units refunded so far. */
  refundedAmount: number;
}

export type OperationOutcome =
  | { ok: true; status: PaymentStatus; amount: number; refundedAmount: number; /** Minor units captured or refunded now. */ moved: number }
  | { ok: false; code: ErrorCode; message: string };

const refused = (code: ErrorCode, message: string): OperationOutcome => ({ ok: false, code, message });

function inRange(amount: number, limit: number): boolean {
  return Number.isInteger(amount) && amount >= 1 && amount <= limit;
}

/**
 * What `operation` does to a payment with these figures, or WhenThen's refusal. Without an amount, capture takes the
 * authorised amount and refund "the original amount of the payment" (the seed, for both), so a refund without an
 * amount of a payment already refunded in part asks for more than is left and is refused.
 */
export function operationOutcome(payment: PaymentFigures, operation: PaymentOperation, requested?: number | null): OperationOutcome {
  const allowed = OPERATION_STATUSES[operation];
  if (!allowed.includes(payment.status)) {
    return refused(ERROR_CODES.invalidStatus, `Cannot ${operation} a payment whose status is ${payment.status}: ${operation} needs ${allowed.join(' or ')}`);
  }
  switch (operation) {
    case 'capture': {
      const amount = requested ?? payment.amount;
      if (!inRange(amount, payment.amount)) {
        return refused(ERROR_CODES.invalidAmount, `The capture amount must be from 1 to the ${payment.amount} authorised, got ${amount}`);
      }
      return { ok: true, status: 'SUCCEEDED', amount, refundedAmount: 0, moved: amount };
    }
    case 'refund': {
      const left = payment.amount - payment.refundedAmount;
      const amount = requested ?? payment.amount;
      if (!inRange(amount, left)) {
        return refused(ERROR_CODES.invalidAmount, `The refund amount must be from 1 to the ${left} left to refund, got ${amount}`);
      }
      const refundedAmount = payment.refundedAmount + amount;
      return { ok: true, status: refundedAmount === payment.amount ? 'REFUNDED' : 'PARTIAL_REFUNDED', amount: payment.amount, refundedAmount, moved: amount };
    }
    case 'cancel':
      return { ok: true, status: 'CANCELLED', amount: payment.amount, refundedAmount: payment.refundedAmount, moved: 0 };
  }
}

/** Whether an AUTHORISED payment's authorisation has lapsed by `now` (epoch ms); other statuses never lapse. */
export function hasLapsed(payment: { status: PaymentStatus; authorisedAt: string | null }, now: number, lifetimeMs: number): boolean {
  if (payment.status !== 'AUTHORISED' || payment.authorisedAt === null) return false;
  return now - Date.parse(payment.authorisedAt) >= lifetimeMs;
}
