/**
 * After the sale: capture, cancel, refund and documents, for the merchant's server only (`kassa.payments.*`, or the
 * optional merchant routes). Each operation:
 * 1. is checked against what Kassa knows, after reading the payment again from its provider: its state (only an
 *    authorised payment is captured, only a paid one refunded) and what is left (no capture above the authorised
 *    amount, no refund above what was captured less what was refunded);
 * 2. is idempotent: its key is claimed in the store (a retry or a double click gets the first answer) and forwarded
 *    to the provider where it takes one;
 * 3. goes to the provider's adapter; an operation the provider does not document is `OperationNotSupported`;
 * 4. once the provider accepted it, is saved as a `payment.operation` event, and the payment is read again: the new
 *    state comes from the provider (`payment.updated`), never from assuming.
 * A refusal (Kassa's or the provider's) changes nothing and releases the key, so the same request may be tried again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isSettledForShopper, SUCCESS_STATES } from '../../core/model.ts';
import type { ProblemCode } from '../../core/problem-codes.ts';
import { merchantPayment, type MerchantPayment, type PaymentEvent, type PaymentOperationRecord } from '../events/event.ts';
import {
  operationProblem,
  OperationNotSupported,
  ProviderRefused,
  ProviderUnavailable,
  type DocumentType,
  type OperationProblem,
  type ProviderAdapter,
} from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { KassaStore, PaymentRecord, StoredResponse } from '../stores/store.ts';
import type { Ledger } from './ledger.ts';

export interface CaptureOptions {
  /** Minor units; the whole authorised amount when absent. */
  amount?: number;
  /** Makes a retry of this capture answer the first one's outcome. A new key per capture the merchant means. */
  idempotencyKey?: string;
}

export interface CancelOptions {
  reason?: string;
  idempotencyKey?: string;
}

export interface RefundOptions {
  /** Minor units; everything left to refund when absent. */
  amount?: number;
  /** Why, for the provider's records and the payment's history (≤ 500 characters). */
  reason?: string;
  /** Makes a retry of this refund answer the first one's outcome. A new key per refund the merchant means. */
  idempotencyKey?: string;
}

export interface DocumentOptions {
  /** hi.health's document types; `OTHER` when absent. */
  type?: DocumentType;
  /** The document: a PDF of at most 10 MB. */
  content: Uint8Array;
  idempotencyKey?: string;
}

export const DOCUMENT_TYPES: readonly DocumentType[] = ['OTHER', 'INVOICE', 'PRESCRIPTION', 'CERTIFICATE', 'TEST_RESULT'];
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const MAX_REASON_LENGTH = 500;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * An operation Kassa refused or the provider did: `code` says which (`operation-not-allowed`, `payment-not-found`,
 * `provider-refused`, `provider-unavailable`, `invalid-body`, `idempotency-conflict`) and `problem` is the RFC 9457
 * body an HTTP route answers. Nothing changed.
 */
export class PaymentOperationError extends Error {
  override readonly name = 'PaymentOperationError';
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
  }

  get problem(): OperationProblem {
    return operationProblem(this.code, this.message);
  }
}

export interface OperationsDeps {
  store: KassaStore;
  ledger: Ledger;
  adapters: Adapters;
  /** Reads the payment from its provider now and saves what it says. */
  reread: (record: PaymentRecord) => Promise<PaymentRecord>;
  providerTimeoutMs: number;
  /** How long an operation's answer is kept for its retries. */
  answerTtlMs: number;
  onError: (error: unknown, context: string) => void;
}

type Kind = PaymentOperationRecord['kind'];

interface Request {
  kind: Kind;
  amount?: number;
  reason?: string;
  documentType?: DocumentType;
  content?: Uint8Array;
  idempotencyKey?: string;
}

export class PaymentOperations {
  constructor(private readonly deps: OperationsDeps) {}

  /** Captures an authorised payment, in full or in part (where the provider takes a part). */
  capture(reference: string, options: CaptureOptions = {}): Promise<MerchantPayment> {
    return this.run(reference, { kind: 'capture', ...options });
  }

  /** Cancels a payment not paid yet, or voids an authorised one. */
  cancel(reference: string, options: CancelOptions = {}): Promise<MerchantPayment> {
    return this.run(reference, { kind: 'cancel', ...options });
  }

  /** Refunds a paid payment, in full or in part. */
  refund(reference: string, options: RefundOptions = {}): Promise<MerchantPayment> {
    return this.run(reference, { kind: 'refund', ...options });
  }

  /** Uploads a document for the payment (hi.health's reimbursement needs the invoice). */
  uploadDocument(reference: string, options: DocumentOptions): Promise<MerchantPayment> {
    const { type, content, idempotencyKey } = options;
    return this.run(reference, { kind: 'document', documentType: type ?? 'OTHER', content, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }

  /**
   * What the provider wants once a payment succeeded that creating it could not finish (Hero's `setOrderId`). Runs
   * for the event that first shows the payment holding money; repeats are harmless (events come at least once).
   */
  async afterEvent(event: PaymentEvent): Promise<void> {
    const { payment, previousState } = event;
    if (event.type !== 'payment.updated' || !SUCCESS_STATES.has(payment.state) || (previousState && SUCCESS_STATES.has(previousState))) return;
    const adapter = this.deps.adapters.get(payment.provider);
    if (!adapter?.afterSuccess) return;
    const record = await this.deps.store.getPayment(payment.reference);
    if (record) await adapter.afterSuccess(record, AbortSignal.timeout(this.deps.providerTimeoutMs * 3));
  }

  private async run(reference: string, request: Request): Promise<MerchantPayment> {
    checkRequest(request);
    const { store } = this.deps;
    const stored = await store.getPayment(reference);
    if (!stored) throw new PaymentOperationError('payment-not-found', `no payment ${reference}`);
    const adapter = this.deps.adapters.get(stored.provider);
    if (!adapter || !operationOf(adapter, request.kind)) throw new OperationNotSupported(stored.provider, request.kind);

    const key = request.idempotencyKey ?? randomUUID();
    const claimKey = `operation:${reference}:${key}`;
    const claim = await store.claimIdempotency(claimKey, fingerprint(request), this.deps.providerTimeoutMs * 4);
    if (claim.kind === 'conflict') throw new PaymentOperationError('idempotency-conflict', `the key ${key} was used for another operation on ${reference}`);
    if (claim.kind === 'replay') return replayed(claim.response, reference, request.kind);

    let accepted = false;
    try {
      // What the provider says now decides what may be done: a payment paid or refunded at the provider since the last
      // read is seen before Kassa checks it.
      const current = await this.deps.reread(stored);
      const amount = checkAllowed(current, request);
      const operation: PaymentOperationRecord = {
        kind: request.kind,
        ...(amount !== undefined ? { amount } : {}),
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.documentType ? { documentType: request.documentType } : {}),
        idempotencyKey: key,
      };
      await this.send(adapter, current, { ...request, amount }, `${reference}:${request.kind}:${key}`);
      accepted = true;
      const recorded = (await this.deps.ledger.recordOperation(reference, operation)) ?? current;
      const after = await this.deps.reread(recorded).catch((error: unknown) => {
        this.deps.onError(error, `reading ${reference} after its ${request.kind}`);
        return recorded;
      });
      const answer = merchantPayment(after);
      await store.finishIdempotency(claimKey, { status: 200, headers: {}, body: JSON.stringify(answer) }, this.deps.answerTtlMs);
      return answer;
    } catch (thrown) {
      const error = asOperationError(thrown, stored, request.kind);
      // Refused or provably not reached: nothing changed, so the same key may run again. Unanswered (or accepted and
      // then not saved), the provider may have done it and not every provider takes a key: the same key keeps this
      // answer and never does it twice.
      const uncertain = accepted || (thrown instanceof ProviderUnavailable ? !thrown.provablyNotProcessed : isTimeout(thrown));
      const finish = !uncertain
          ? store.finishIdempotency(claimKey, null, 0)
          : store.finishIdempotency(claimKey, { status: 0, headers: {}, body: JSON.stringify({ error: (error as Error).message }) }, this.deps.answerTtlMs);
      await finish.catch((e: unknown) => this.deps.onError(e, `finishing ${claimKey}`));
      throw error;
    }
  }

  private async send(adapter: ProviderAdapter, payment: PaymentRecord, request: Request, idempotencyKey: string): Promise<void> {
    const signal = AbortSignal.timeout(this.deps.providerTimeoutMs * 4);
    const input = { idempotencyKey, signal };
    const partial = request.amount !== undefined && request.amount < payment.amount;
    switch (request.kind) {
      case 'capture':
        return adapter.capturePayment!(payment, { ...input, ...(partial ? { amount: request.amount } : {}) });
      case 'cancel':
        return adapter.cancelPayment!(payment, input);
      case 'refund':
        return adapter.refundPayment!(payment, { ...input, amount: request.amount, ...(request.reason ? { reason: request.reason } : {}) });
      case 'document':
        return adapter.uploadDocument!(payment, { ...input, type: request.documentType ?? 'OTHER', content: request.content! });
    }
  }
}

function operationOf(adapter: ProviderAdapter, kind: Kind): unknown {
  switch (kind) {
    case 'capture':
      return adapter.capturePayment;
    case 'cancel':
      return adapter.cancelPayment;
    case 'refund':
      return adapter.refundPayment;
    case 'document':
      return adapter.uploadDocument;
  }
}

/** The request's own shape: amounts are positive whole minor units, reasons short, keys plain, documents PDFs. */
export function checkRequest(request: Request): void {
  const invalid = (message: string) => new PaymentOperationError('invalid-body', message);
  if (request.amount !== undefined && (!Number.isSafeInteger(request.amount) || request.amount < 1)) {
    throw invalid('amount must be a positive whole number of minor units');
  }
  if (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.length > MAX_REASON_LENGTH)) {
    throw invalid(`reason must be text of at most ${MAX_REASON_LENGTH} characters`);
  }
  if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
    throw invalid('idempotencyKey must be 8–128 letters, digits or _ . : -');
  }
  if (request.kind === 'document') {
    if (!DOCUMENT_TYPES.includes(request.documentType!)) throw invalid(`the document type must be one of ${DOCUMENT_TYPES.join(', ')}`);
    const content = request.content;
    if (!(content instanceof Uint8Array) || content.byteLength === 0) throw invalid('the document is empty');
    if (content.byteLength > MAX_DOCUMENT_BYTES) throw invalid('the document is larger than 10 MB');
    if (new TextDecoder().decode(content.subarray(0, 5)) !== '%PDF-') throw invalid('the document must be a PDF');
  }
}

/**
 * Whether the payment as just read allows the operation, and the amount it is for (the whole remainder when none was
 * given). Pure: a table test covers it.
 */
export function checkAllowed(payment: Pick<PaymentRecord, 'state' | 'amount' | 'capturedAmount' | 'refundedAmount' | 'reference'>, request: Pick<Request, 'kind' | 'amount'>): number | undefined {
  const refuse = (message: string) => new PaymentOperationError('operation-not-allowed', `${payment.reference}: ${message}`);
  const { state } = payment;
  switch (request.kind) {
    case 'capture': {
      if (state !== 'authorized') throw refuse(`only an authorized payment can be captured; this one is ${state}`);
      const amount = request.amount ?? payment.amount;
      if (amount > payment.amount) throw refuse(`${amount} is more than the ${payment.amount} authorized`);
      return amount;
    }
    case 'cancel':
      // Open (the shopper has not finished) or authorised: everything not settled, plus the authorisation itself.
      if (isSettledForShopper(state) && state !== 'authorized') throw refuse(`only an open or authorized payment can be cancelled; this one is ${state}`);
      return undefined;
    case 'refund': {
      if (state !== 'paid' && state !== 'partially_refunded') throw refuse(`only a paid payment can be refunded; this one is ${state}`);
      const left = (payment.capturedAmount ?? payment.amount) - (payment.refundedAmount ?? 0);
      if (left <= 0) throw refuse('nothing is left to refund');
      const amount = request.amount ?? left;
      if (amount > left) throw refuse(`${amount} is more than the ${left} left to refund`);
      return amount;
    }
    case 'document':
      return undefined;
  }
}

function fingerprint(request: Request): string {
  const hash = createHash('sha256').update(JSON.stringify([request.kind, request.amount ?? null, request.reason ?? null, request.documentType ?? null]));
  if (request.content) hash.update(request.content);
  return hash.digest('hex');
}

/** A kept answer again: the payment as the first request left it, or why that request's outcome is unknown. */
function replayed(response: StoredResponse, reference: string, kind: Kind): MerchantPayment {
  if (response.status === 200) return JSON.parse(response.body) as MerchantPayment;
  throw new PaymentOperationError(
    'provider-unavailable',
    `the provider did not answer the first ${kind} of ${reference} with this key, so it may have happened: read the payment, and if nothing changed, try again with a new key`,
  );
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function asOperationError(error: unknown, payment: PaymentRecord, kind: Kind): unknown {
  if (error instanceof PaymentOperationError || error instanceof OperationNotSupported) return error;
  if (error instanceof ProviderRefused) return new PaymentOperationError('provider-refused', `${payment.provider} refused the ${kind}: ${error.message}`);
  if (error instanceof ProviderUnavailable) return new PaymentOperationError('provider-unavailable', `${payment.provider} did not answer the ${kind}: ${error.message}`);
  if (isTimeout(error)) {
    return new PaymentOperationError('provider-unavailable', `${payment.provider} did not answer the ${kind} in time`);
  }
  return error;
}
