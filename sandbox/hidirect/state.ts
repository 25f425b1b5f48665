/**
 * HiDirect payments in memory and the rules for moving them: which outcome leads to which status, which status may
 * still be decided, captured or cancelled. Everything here is pure apart from the store itself.
 */
import { randomBytes } from 'node:crypto';
import type { Outcome } from '../core/outcomes.ts';
import {
  AUTHORISATION_LIFETIME_MS,
  CANCELLED_STATUS,
  FINAL_STATUSES,
  PAID_STATUS,
  type CaptureMode,
  type DocumentType,
  type HidirectStatus,
} from './config.ts';

export interface MerchantUrls {
  callback?: string;
  successRedirect: string;
  failureRedirect: string;
  cancelRedirect: string;
}

/** Amounts inside the simulator are integer cents; the edges convert (see views.ts). */
export interface AmountDetails {
  tax: number;
  shipping: number;
  subtotal: number;
}

export interface StoredDocument {
  id: string;
  type: DocumentType;
  size: number;
  createdAt: string;
}

export interface Payment {
  id: string;
  amountMinor: number;
  currency: string;
  amountDetails: AmountDetails;
  merchantReference: string | null;
  merchantUrls: MerchantUrls;
  prescriptionRequired: boolean;
  cardCaptureMode: CaptureMode;
  merchantId: string | null;
  status: HidirectStatus;
  /** When the payment last became AUTHORISED (milliseconds since the epoch): its 7 days run from here. */
  authorisedAt: number | null;
  createdAt: string;
  updatedAt: string | null;
  token: string;
  /** Milliseconds since the epoch, as in the token's own `exp`. */
  tokenExpiresAt: number;
  /** The token opens the checkout once. */
  tokenUsed: boolean;
  documents: StoredDocument[];
}

/** What validation hands over for a new payment. */
export type NewPayment = Pick<
  Payment,
  'amountMinor' | 'currency' | 'amountDetails' | 'merchantReference' | 'merchantUrls' | 'prescriptionRequired' | 'cardCaptureMode' | 'merchantId'
>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (26 Crockford base32 characters, time first), the id format hi.health's examples show. */
export function ulid(now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return time + random;
}

export function isFinal(status: HidirectStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Where the shopper's outcome takes the payment. INVENTED for fail (DENIED) and expire (CANCELLED): see README. */
export function finalStatusFor(outcome: Outcome, mode: CaptureMode): HidirectStatus {
  switch (outcome) {
    case 'pay':
      return PAID_STATUS[mode];
    case 'decline':
    case 'fail':
      return 'DENIED';
    case 'cancel':
    case 'expire':
      return CANCELLED_STATUS;
  }
}

/**
 * Whether an outcome may still happen. An open payment takes any outcome; an AUTHORISED one only `expire`
 * (the documented auto-cancel after 7 days without capture) — capturing or cancelling it is the merchant's move.
 */
export function canDecide(status: HidirectStatus, outcome: Outcome): boolean {
  if (status === 'AUTHORISED') return outcome === 'expire';
  return !isFinal(status);
}

/**
 * The statuses a decision walks through. A shopper has to log in before confirming, declining or cancelling, so an
 * INITIAL payment is CLAIMED first (with its own callback); expiry happens with nobody on the page.
 */
export function decisionPath(payment: Pick<Payment, 'status' | 'cardCaptureMode'>, outcome: Outcome): HidirectStatus[] {
  const final = finalStatusFor(outcome, payment.cardCaptureMode);
  return payment.status === 'INITIAL' && outcome !== 'expire' ? ['CLAIMED', final] : [final];
}

/** Where hi.health sends the browser after an outcome; INVENTED: no query parameters are added. */
export function redirectFor(outcome: Outcome, urls: MerchantUrls): string | null {
  switch (outcome) {
    case 'pay':
      return urls.successRedirect;
    case 'decline':
    case 'fail':
      return urls.failureRedirect;
    case 'cancel':
      return urls.cancelRedirect;
    case 'expire':
      return null;
  }
}

/** Capture and cancel are "only possible on Payments created with cardCaptureMode = MANUAL and with status AUTHORISED". */
export function refusalForManualAction(payment: Pick<Payment, 'status' | 'cardCaptureMode'>, action: 'capture' | 'cancel'): string | null {
  if (payment.cardCaptureMode !== 'MANUAL') return `Only payments with cardCaptureMode MANUAL can be ${action === 'capture' ? 'captured' : 'cancelled'}`;
  if (payment.status !== 'AUTHORISED') return `Payment is ${payment.status}; ${action} needs status AUTHORISED`;
  return null;
}

/** Whether an authorisation went uncaptured for 7 days, so hi.health cancels it ("automatically cancelled"). */
export function authorisationLapsed(payment: Pick<Payment, 'status' | 'authorisedAt'>, now: number): boolean {
  return payment.status === 'AUTHORISED' && payment.authorisedAt !== null && now - payment.authorisedAt >= AUTHORISATION_LIFETIME_MS;
}

export class PaymentStore {
  private readonly byId = new Map<string, Payment>();

  add(input: NewPayment, id: string, token: string, createdAt: Date, tokenExpiresAt: number): Payment {
    const payment: Payment = {
      ...input,
      id,
      status: 'INITIAL',
      authorisedAt: null,
      createdAt: createdAt.toISOString(),
      updatedAt: null,
      token,
      tokenExpiresAt,
      tokenUsed: false,
      documents: [],
    };
    this.byId.set(id, payment);
    return payment;
  }

  get(id: string): Payment | undefined {
    return this.byId.get(id);
  }

  all(): Payment[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
  }
}
