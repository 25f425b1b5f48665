/**
 * What Kronor lets a merchant do with a Payment, as pure functions over its amounts and status (seed: "Capturing
 * Authorized Card Payment", "Release Payment", "Refunds"; schema: PaymentCaptureInput "Amount should be in between
 * 0 and authorized amount"). Each answers the refusal, or null when the operation may go ahead.
 *
 * Kronor documents no time limit on capturing an authorisation, so none is simulated: an authorisation the card
 * network lets lapse shows up at Kronor only as a status (RELEASED, CAPTURE_DECLINED), which `setStatus` rehearses.
 */
import type { PaymentStatus } from './config.ts';

/** What the rules look at (minor units). */
export interface MoneyFacts {
  paymentId: number | null;
  status: PaymentStatus;
  amountAuthorized: number | null;
  /** Captured so far by the merchant's captures. */
  captured: number;
  amountPaid: number;
  /** Refunded or being refunded. */
  refunded: number;
}

/** `invalid`: an input Kronor refuses (validation-failed); `conflict`: the payment's status does not allow it. */
export interface Refusal {
  kind: 'invalid' | 'conflict';
  message: string;
}

const CAPTURABLE: readonly PaymentStatus[] = ['AUTHORIZED', 'PARTIALLY_CAPTURED'];

/** Captures take what is left of the authorisation, in as many parts as the merchant likes; never more, never twice. */
export function captureRefusal(facts: MoneyFacts, amount: number): Refusal | null {
  if (!CAPTURABLE.includes(facts.status)) {
    const why = facts.status === 'PAID' ? 'it was captured in full already' : 'only an AUTHORIZED payment can be captured';
    return { kind: 'conflict', message: `payment ${facts.paymentId} is ${facts.status}; ${why}` };
  }
  const left = (facts.amountAuthorized ?? 0) - facts.captured;
  if (amount > left) return { kind: 'invalid', message: `amount ${amount} is more than the ${left} left to capture` };
  return null;
}

/** Seed: only the full amount, and not once anything was captured ("not possible to release the remaining money"). */
export function releaseRefusal(facts: MoneyFacts, amount: number): Refusal | null {
  if (facts.status !== 'AUTHORIZED') {
    return { kind: 'conflict', message: `payment ${facts.paymentId} is ${facts.status}; only an AUTHORIZED payment with nothing captured can be released` };
  }
  if (amount !== facts.amountAuthorized) return { kind: 'invalid', message: `only the full amount (${facts.amountAuthorized}) can be released` };
  return null;
}

/** Seed: partial refunds "until the amount refunded reaches the amount paid"; an authorisation is released, not refunded. */
export function refundRefusal(facts: MoneyFacts, amount: number): Refusal | null {
  if (facts.amountPaid === 0) {
    const why = facts.status === 'AUTHORIZED' ? 'nothing was captured yet: release it instead' : 'nothing was paid that could be refunded';
    return { kind: 'conflict', message: `payment ${facts.paymentId} is ${facts.status}; ${why}` };
  }
  const left = facts.amountPaid - facts.refunded;
  if (amount > left) return { kind: 'invalid', message: `amount ${amount} is more than the ${left} left to refund` };
  return null;
}
