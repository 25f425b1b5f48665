/**
 * Kronor's state: payment sessions, the payment requests made in them (one per attempt, keyed by waitToken), and
 * what happens to a request once it succeeded (the Payment with its captures, refunds and releases).
 * Every status change goes to the listeners (subscriptions and webhooks) as it happens.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Outcome } from '../core/outcomes.ts';
import type { SessionTokens } from './auth.ts';
import {
  BANK_TRANSFER_STATE_PARAM,
  DEFAULT_CARD_CAPTURE_MODE,
  FIRST_NUMERIC_ID,
  INITIALIZING_MS,
  METHOD_NAMES,
  OPEN_STATUSES,
  OUTCOME_STATUSES,
  SUCCESS_STATUSES,
  SWISH_ERRORS,
  type CardCaptureMode,
  type PaymentMethod,
  type PaymentStatus,
} from './config.ts';
import { conflict, invalid } from './errors.ts';
import { captureRefusal, refundRefusal, releaseRefusal, type MoneyFacts, type Refusal } from './rules.ts';
import type { SessionTerms } from './validation.ts';

export interface StatusEntry<S extends string = PaymentStatus> {
  status: S;
  enteredAt: string;
}

export interface SessionRecord extends SessionTerms {
  id: string;
  token: string;
  createdAt: string;
  deviceInformation: Record<string, string> | null;
}

export interface CaptureRecord {
  id: number;
  transactionId: string;
  amount: number;
  message: string | null;
  createdBy: string | null;
  generatedFrom: string | null;
  createdAt: string;
  history: Array<StatusEntry<'CAPTURING' | 'CAPTURE_DONE'>>;
}

export interface RefundRecord {
  waitToken: string;
  transactionId: string;
  amount: number;
  message: string;
  merchantReference: string | null;
  createdBy: string | null;
  generatedFrom: string | null;
  createdAt: string;
  history: Array<StatusEntry<'INITIALIZING' | 'PAID'>>;
}

export interface ReleaseRecord {
  id: number;
  amount: number;
  merchantReference: string | null;
  createdBy: string | null;
  generatedFrom: string | null;
  createdAt: string;
  history: Array<StatusEntry<'IN_PROGRESS' | 'DONE'>>;
}

/** What the shopper's browser sent with newXPayment, beyond the method itself. */
export interface PaymentStart {
  returnUrl: string;
  merchantReturnUrl: string | null;
  flow: string | null;
  customerSwishNumber: string | null;
  userFlow: string | null;
  paymentMethodId: number | null;
  p24RegulationAccept: boolean | null;
  aspspId: number | null;
  executionDate: string | null;
  requestRedirectState: string | null;
}

/** The customer the session's additionalData named (Kronor's CustomerPaymentData). */
export interface CustomerRecord {
  id: number;
  name: string;
  email: string;
  ip: string;
}

export interface PaymentRecord extends PaymentStart {
  waitToken: string;
  sessionId: string;
  customer: CustomerRecord | null;
  method: PaymentMethod;
  amount: number;
  currency: string;
  country: string | null;
  reference: string;
  merchantReference2: string | null;
  message: string;
  createdAt: string;
  transactionId: string;
  /** Random ids the provider behind the method would hand out (card session, PayPal order, Swish token …). */
  providerSessionId: string;
  history: StatusEntry[];
  /** Assigned once the request is AUTHORIZED or PAID: the Payment's id (resultingPaymentId). */
  paymentId: number | null;
  amountAuthorized: number | null;
  amountPaid: number;
  datePaid: string | null;
  error: { code: string; message: string } | null;
  captures: CaptureRecord[];
  refunds: RefundRecord[];
  releases: ReleaseRecord[];
}

export type Change =
  | { kind: 'status'; payment: PaymentRecord; status: PaymentStatus }
  | { kind: 'capture'; payment: PaymentRecord; capture: CaptureRecord; status: CaptureRecord['history'][number]['status'] };

export type ChangeListener = (change: Change) => void | Promise<unknown>;

/** Hasura prints timestamptz with an explicit offset. */
export function timestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function currentStatus(payment: PaymentRecord): PaymentStatus {
  return payment.history[payment.history.length - 1]!.status;
}

export function isOpen(payment: PaymentRecord): boolean {
  return OPEN_STATUSES.includes(currentStatus(payment));
}

function transactionId(prefix: string): string {
  return `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`;
}

export class KronorStore {
  readonly sessions = new Map<string, SessionRecord>();
  /** By waitToken, in creation order. */
  readonly payments = new Map<string, PaymentRecord>();
  cardCaptureMode: CardCaptureMode = DEFAULT_CARD_CAPTURE_MODE;
  private readonly idempotent = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextNumericId = FIRST_NUMERIC_ID;
  private nextCustomerId = 1;

  constructor(
    private readonly tokens: SessionTokens,
    /** Called for every new payment request (the sandbox binds preset outcomes here). */
    private readonly onCreated: (payment: PaymentRecord) => void = () => {},
  ) {}

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `run` once per scope+key: a repeat gets the first result (or waits for it). A failed first attempt is
   * forgotten, so a corrected retry with the same key goes through.
   */
  once<T>(scope: string, key: string, run: () => Promise<T> | T): Promise<T> {
    const id = `${scope}\u0000${key}`;
    const existing = this.idempotent.get(id);
    if (existing) return existing as Promise<T>;
    const result = Promise.resolve().then(run);
    this.idempotent.set(id, result);
    result.catch(() => this.idempotent.delete(id));
    return result;
  }

  // ---- sessions ------------------------------------------------------------------------------------------------

  async createSession(terms: SessionTerms): Promise<SessionRecord> {
    const id = randomUUID();
    const token = await this.tokens.mint(id, terms.expiresAtMs);
    const session: SessionRecord = { ...terms, id, token, createdAt: timestamp(), deviceInformation: null };
    this.sessions.set(id, session);
    return session;
  }

  session(id: string): SessionRecord {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no Kronor session ${id}`);
    return session;
  }

  /** Documented reference check: an unexpired session with the same merchantReference, amount and currency. */
  reusableSession(terms: SessionTerms, now = Date.now()): SessionRecord | undefined {
    return [...this.sessions.values()].find(
      (s) =>
        s.merchantReference === terms.merchantReference &&
        s.amount === terms.amount &&
        s.currency === terms.currency &&
        s.expiresAtMs > now,
    );
  }

  /** A successful payment for a merchantReference, in any of its sessions. */
  successfulPaymentFor(merchantReference: string): PaymentRecord | undefined {
    return [...this.payments.values()].find((p) => p.reference === merchantReference && p.paymentId !== null);
  }

  paymentsOfSession(sessionId: string): PaymentRecord[] {
    return [...this.payments.values()].filter((p) => p.sessionId === sessionId);
  }

  // ---- payment requests ----------------------------------------------------------------------------------------

  /**
   * Starts a payment in a session, applying Kronor's documented rules: a session that already has a paid or
   * authorized payment answers with that one; a pending payment of the same method and parameters is returned
   * instead of a second one. INVENTED: the same method with other parameters while one is pending is refused.
   */
  startPayment(session: SessionRecord, method: PaymentMethod, start: PaymentStart): PaymentRecord {
    const existing = this.paymentsOfSession(session.id);
    const succeeded = existing.find((p) => p.paymentId !== null);
    if (succeeded) return succeeded;
    const pending = existing.find((p) => p.method === method && isOpen(p));
    if (pending) {
      if (sameStart(pending, start)) return pending;
      conflict(`a ${METHOD_NAMES[method]} payment is already in progress in this session; cancel it first`);
    }
    const now = timestamp();
    const payment: PaymentRecord = {
      ...start,
      waitToken: randomUUID(),
      sessionId: session.id,
      customer: this.customerOf(session),
      method,
      amount: session.amount,
      currency: session.currency,
      country: session.country,
      reference: session.merchantReference,
      merchantReference2: session.merchantReference2,
      message: session.message,
      createdAt: now,
      transactionId: transactionId('TX'),
      providerSessionId: randomBytes(16).toString('hex'),
      history: [{ status: 'INITIALIZING', enteredAt: now }],
      paymentId: null,
      amountAuthorized: null,
      amountPaid: 0,
      datePaid: null,
      error: null,
      captures: [],
      refunds: [],
      releases: [],
    };
    this.payments.set(payment.waitToken, payment);
    this.onCreated(payment);
    void this.emit({ kind: 'status', payment, status: 'INITIALIZING' });
    this.later(INITIALIZING_MS, () => this.promote(payment));
    return payment;
  }

  /** The session's customer, as Kronor keeps it with each payment made in the session. */
  private customerOf(session: SessionRecord): CustomerRecord | null {
    const data = session.additionalData;
    if (!data) return null;
    return { id: this.nextCustomerId++, name: data.name, email: data.email, ip: data.ip };
  }

  /** INITIALIZING → WAITING_FOR_PAYMENT, when the method's provider has answered (at once in the sandbox). */
  promote(payment: PaymentRecord): Promise<void> {
    if (currentStatus(payment) !== 'INITIALIZING') return Promise.resolve();
    return this.transition(payment, 'WAITING_FOR_PAYMENT');
  }

  /** Appends a status and tells every listener; resolves when the webhooks are delivered. */
  transition(payment: PaymentRecord, status: PaymentStatus): Promise<void> {
    payment.history.push({ status, enteredAt: timestamp() });
    if (SUCCESS_STATUSES.includes(status) && payment.paymentId === null) {
      payment.paymentId = this.nextNumericId++;
    }
    if (status === 'AUTHORIZED') payment.amountAuthorized = payment.amount;
    if (status === 'PAID' && payment.captures.length === 0) {
      payment.amountPaid = payment.amount;
      payment.datePaid = timestamp();
      if (payment.method === 'CREDIT_CARD') payment.amountAuthorized = payment.amount;
    }
    return this.emit({ kind: 'status', payment, status });
  }

  /**
   * What the hosted page's buttons do. Pay: PAID, or AUTHORIZED for a card under manual capture; a bank transfer
   * passes FLOW_COMPLETED first. The others: the outcome's failure status, with Swish's error code.
   */
  async decide(payment: PaymentRecord, outcome: Outcome): Promise<PaymentStatus> {
    if (!isOpen(payment)) throw new Error(`Kronor payment ${payment.waitToken} is already ${currentStatus(payment)}`);
    await this.promote(payment);
    if (outcome === 'pay') {
      if (payment.method === 'CREDIT_CARD' && this.cardCaptureMode === 'manual') {
        await this.transition(payment, 'AUTHORIZED');
      } else {
        if (payment.method === 'BANK_TRANSFER') await this.transition(payment, 'FLOW_COMPLETED');
        await this.transition(payment, 'PAID');
      }
    } else {
      if (payment.method === 'SWISH') payment.error = SWISH_ERRORS[outcome];
      await this.transition(payment, OUTCOME_STATUSES[outcome]);
    }
    return currentStatus(payment);
  }

  /** Cancels open requests (CANCELLING, then CANCELLED); returns the last one's waitToken. */
  cancel(payments: PaymentRecord[]): string | null {
    let last: string | null = null;
    for (const payment of payments.filter(isOpen)) {
      void this.transition(payment, 'CANCELLING');
      void this.transition(payment, 'CANCELLED');
      last = payment.waitToken;
    }
    return last;
  }

  // ---- payments: capture, release, refund ----------------------------------------------------------------------

  /** The Payment a merchant names by `paymentId` (resultingPaymentId) or `paymentTransactionId`: exactly one. */
  findPayment(paymentId: unknown, paymentTransactionId: string | null | undefined): PaymentRecord {
    const hasId = paymentId !== null && paymentId !== undefined;
    if (hasId === Boolean(paymentTransactionId)) invalid('pass exactly one of paymentId or paymentTransactionId');
    const found = [...this.payments.values()].find((p) =>
      p.paymentId !== null && (hasId ? String(p.paymentId) === String(paymentId) : p.transactionId === paymentTransactionId),
    );
    if (!found) invalid(`no payment found for ${hasId ? `paymentId ${String(paymentId)}` : `paymentTransactionId ${paymentTransactionId}`}`);
    return found;
  }

  capture(payment: PaymentRecord, input: { amount: number; message?: string | null; createdBy?: string | null; generatedFrom?: string | null }): CaptureRecord {
    refuseIf(captureRefusal(moneyFacts(payment), input.amount));
    const now = timestamp();
    const capture: CaptureRecord = {
      id: this.nextNumericId++,
      transactionId: transactionId('CP'),
      amount: input.amount,
      message: input.message ?? null,
      createdBy: input.createdBy ?? null,
      generatedFrom: input.generatedFrom ?? null,
      createdAt: now,
      // The sandbox's acquirer answers at once, so the capture is done as soon as it is registered.
      history: [
        { status: 'CAPTURING', enteredAt: now },
        { status: 'CAPTURE_DONE', enteredAt: now },
      ],
    };
    payment.captures.push(capture);
    payment.amountPaid = capturedAmount(payment);
    if (payment.amountPaid === payment.amountAuthorized) payment.datePaid = now;
    // Kronor announces each state of the capture (captureStateUpdate), then the payment's new status.
    for (const { status } of capture.history) void this.emit({ kind: 'capture', payment, capture, status });
    void this.transition(payment, payment.amountPaid === payment.amountAuthorized ? 'PAID' : 'PARTIALLY_CAPTURED');
    return capture;
  }

  /** Documented: only the full authorized amount, and only before anything was captured. */
  release(payment: PaymentRecord, input: { amount: number; merchantReference?: string | null; createdBy?: string | null; generatedFrom?: string | null }): ReleaseRecord {
    refuseIf(releaseRefusal(moneyFacts(payment), input.amount));
    if (input.merchantReference && this.allReleases().some((r) => r.merchantReference === input.merchantReference)) {
      invalid(`merchantReference ${input.merchantReference} was already used for a release`);
    }
    const now = timestamp();
    const release: ReleaseRecord = {
      id: this.nextNumericId++,
      amount: input.amount,
      merchantReference: input.merchantReference ?? null,
      createdBy: input.createdBy ?? null,
      generatedFrom: input.generatedFrom ?? null,
      createdAt: now,
      history: [
        { status: 'IN_PROGRESS', enteredAt: now },
        { status: 'DONE', enteredAt: now },
      ],
    };
    payment.releases.push(release);
    void this.transition(payment, 'RELEASED');
    return release;
  }

  /**
   * Partial refunds up to what was paid; merchantReference unique across refunds (documented). Kronor evidences no
   * webhook for refunds, so none is sent: the merchant reads them from the payment.
   */
  refund(payment: PaymentRecord, input: { amount: number; message: string; merchantReference?: string | null; createdBy?: string | null; generatedFrom?: string | null }): RefundRecord {
    refuseIf(refundRefusal(moneyFacts(payment), input.amount));
    if (input.merchantReference && this.allRefunds().some((r) => r.merchantReference === input.merchantReference)) {
      invalid(`merchantReference ${input.merchantReference} was already used for a refund`);
    }
    const now = timestamp();
    const refund: RefundRecord = {
      waitToken: randomUUID(),
      transactionId: transactionId('RF'),
      amount: input.amount,
      message: input.message,
      merchantReference: input.merchantReference ?? null,
      createdBy: input.createdBy ?? null,
      generatedFrom: input.generatedFrom ?? null,
      createdAt: now,
      history: [
        { status: 'INITIALIZING', enteredAt: now },
        { status: 'PAID', enteredAt: now },
      ],
    };
    payment.refunds.push(refund);
    return refund;
  }

  private allRefunds(): RefundRecord[] {
    return [...this.payments.values()].flatMap((p) => p.refunds);
  }

  private allReleases(): ReleaseRecord[] {
    return [...this.payments.values()].flatMap((p) => p.releases);
  }

  // ---- housekeeping --------------------------------------------------------------------------------------------

  /** Listeners run at once (subscribers snapshot every status in order); one that throws does not stop the rest. */
  private emit(change: Change): Promise<void> {
    const pending = [...this.listeners].map((listener) => {
      try {
        return listener(change);
      } catch (error) {
        console.error('kronor sandbox: a change listener failed', error);
        return undefined;
      }
    });
    return Promise.all(pending).then(() => undefined);
  }

  private later(ms: number, run: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.sessions.clear();
    this.payments.clear();
    this.idempotent.clear();
    this.cardCaptureMode = DEFAULT_CARD_CAPTURE_MODE;
    this.nextNumericId = FIRST_NUMERIC_ID;
    this.nextCustomerId = 1;
  }
}

export function moneyFacts(payment: PaymentRecord): MoneyFacts {
  return {
    paymentId: payment.paymentId,
    status: currentStatus(payment),
    amountAuthorized: payment.amountAuthorized,
    captured: capturedAmount(payment),
    amountPaid: payment.amountPaid,
    refunded: refundedAmount(payment),
  };
}

function refuseIf(refusal: Refusal | null): void {
  if (refusal) (refusal.kind === 'conflict' ? conflict : invalid)(refusal.message);
}

export function capturedAmount(payment: PaymentRecord): number {
  return payment.captures.reduce((sum, c) => sum + c.amount, 0);
}

export function refundedAmount(payment: PaymentRecord): number {
  return payment.refunds.reduce((sum, r) => sum + r.amount, 0);
}

export function refundStatus(payment: PaymentRecord): 'NO_REFUND' | 'PARTIALLY_REFUNDED' | 'FULLY_REFUNDED' {
  const refunded = refundedAmount(payment);
  if (refunded === 0) return 'NO_REFUND';
  return refunded >= payment.amountPaid ? 'FULLY_REFUNDED' : 'PARTIALLY_REFUNDED';
}

/** Documented: the same method "with the same parameters" reuses the pending request. */
function sameStart(payment: PaymentStart, start: PaymentStart): boolean {
  return (Object.keys(start) as Array<keyof PaymentStart>).every((key) => payment[key] === start[key]);
}

/**
 * Where the shopper's browser goes after deciding: the request's returnUrl (a bank transfer adds its
 * requestRedirectState). A Swish ecom payment is approved on the phone, so the browser goes nowhere.
 */
export function redirectAfter(payment: PaymentRecord): string | null {
  if (payment.method === 'SWISH' && payment.flow === 'ecom') return null;
  if (payment.method === 'BANK_TRANSFER' && payment.requestRedirectState) {
    const url = new URL(payment.returnUrl);
    url.searchParams.set(BANK_TRANSFER_STATE_PARAM, payment.requestRedirectState);
    return url.toString();
  }
  return payment.returnUrl;
}
