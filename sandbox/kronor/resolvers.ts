/**
 * The root resolvers of both roles. graphql-js's default resolver calls `root[field](args, context)`, so each root
 * is a plain object of functions. Every mutation with an idempotencyKey runs once per key and caller: a repeat
 * returns the first result without doing anything again.
 */
import type { Caller } from './auth.ts';
import type { PaymentMethod } from './config.ts';
import { conflict, invalid } from './errors.ts';
import { applyListArgs, type ListArgs } from './filters.ts';
import { liveQuery } from './live.ts';
import { currentStatus, isOpen, type KronorStore, type PaymentRecord, type PaymentStart, type SessionRecord } from './state.ts';
import {
  checkBankTransferInput,
  checkIdempotencyKey,
  checkMethodAvailable,
  checkPositiveAmount,
  checkSessionInput,
  checkSwishInput,
  checkUrl,
  checkWebhookInput,
  type SessionInput,
} from './validation.ts';
import { paymentRequestRow, paymentRequestView, paymentRow, paymentView, type Role } from './views.ts';
import type { WebhookSettingInput, WebhookSettings } from './webhooks.ts';

export interface KronorContext {
  caller: Caller;
  /** The sandbox's own URL, for the page links in payment details. */
  baseUrl: string;
}

export interface Roots {
  query: Record<string, unknown>;
  mutation: Record<string, unknown>;
  subscription: Record<string, unknown>;
}

export interface ResolverDeps {
  store: KronorStore;
  webhookSettings: WebhookSettings;
}

type Args<K extends string, T> = Record<K, T>;

/** The idempotency scope of a mutation: per session for the browser, per merchant for the server. */
function scope(ctx: KronorContext, operation: string): string {
  return ctx.caller.role === 'session' ? `session:${ctx.caller.sessionId}:${operation}` : `merchant:${operation}`;
}

function callerSession(store: KronorStore, ctx: KronorContext): SessionRecord {
  if (ctx.caller.role !== 'session') throw new Error('a session operation reached the merchant role');
  return store.session(ctx.caller.sessionId);
}

function requestsQuery(role: Role, rows: () => PaymentRecord[], baseUrl: string, args: ListArgs) {
  return applyListArgs(rows(), paymentRequestRow, args).map((p) => paymentRequestView(p, role, baseUrl));
}

function paymentsQuery(store: KronorStore, baseUrl: string, args: ListArgs) {
  const paid = [...store.payments.values()].filter((p) => p.paymentId !== null);
  return applyListArgs(paid, paymentRow, args).map((p) => paymentView(p, baseUrl));
}

/** A live query over snapshots of the records, re-run on every change `relevant` lets through. */
function live<T>(store: KronorStore, relevant: (p: PaymentRecord) => boolean, compute: () => T, options: { coalesce?: boolean } = {}) {
  return liveQuery((notify) => store.onChange((change) => (relevant(change.payment) ? notify() : undefined)), compute, options);
}

function snapshot(records: PaymentRecord[]): PaymentRecord[] {
  return records.map((r) => structuredClone(r));
}

// ---- the session role ----------------------------------------------------------------------------------------

interface CommonPayInput {
  idempotencyKey: string;
  returnUrl: string;
  merchantReturnUrl?: string | null;
}

interface PayInput extends CommonPayInput {
  flow?: string | null;
  customerSwishNumber?: string | null;
  userFlow?: string | null;
  paymentMethodId?: number | string | null;
  p24RegulationAccept?: boolean | null;
  aspspId?: number | string | null;
  executionDate?: string | null;
  requestRedirectState?: string | null;
}

/** The checks every newXPayment shares, then the start as the store keeps it. */
function paymentStart(input: PayInput, extra: Partial<PaymentStart> = {}): PaymentStart {
  checkIdempotencyKey(input.idempotencyKey);
  checkUrl(input.returnUrl, 'returnUrl');
  if (input.merchantReturnUrl) checkUrl(input.merchantReturnUrl, 'merchantReturnUrl');
  return {
    returnUrl: input.returnUrl,
    merchantReturnUrl: input.merchantReturnUrl ?? null,
    flow: input.flow ?? null,
    customerSwishNumber: null,
    userFlow: input.userFlow ?? null,
    paymentMethodId: input.paymentMethodId == null ? null : Number(input.paymentMethodId),
    p24RegulationAccept: input.p24RegulationAccept ?? null,
    aspspId: input.aspspId == null ? null : Number(input.aspspId),
    executionDate: input.executionDate ?? null,
    requestRedirectState: input.requestRedirectState ?? null,
    ...extra,
  };
}

/**
 * Starts a payment of `method` for a session, with the method's own input rules. Shared by the GraphQL mutations
 * and Kronor's payment gateway page.
 */
export function startMethodPayment(store: KronorStore, session: SessionRecord, method: PaymentMethod, input: PayInput, now = Date.now()): PaymentRecord {
  checkMethodAvailable(method, session);
  switch (method) {
    case 'SWISH': {
      const customerSwishNumber = checkSwishInput(input.flow ?? '', input.customerSwishNumber);
      return store.startPayment(session, method, paymentStart(input, { customerSwishNumber }));
    }
    case 'MOBILEPAY':
      if (session.preferredGateway === 'KRONOR' && !input.userFlow) invalid('userFlow must be set when the preferredGateway is KRONOR');
      return store.startPayment(session, method, paymentStart(input));
    case 'BANK_TRANSFER':
      checkBankTransferInput(input, session.allowExecutionDate, now);
      return store.startPayment(session, method, paymentStart(input));
    default:
      return store.startPayment(session, method, paymentStart(input));
  }
}

export function sessionRoots({ store }: ResolverDeps): Roots {
  /** A newXPayment mutation: once per idempotency key, then the method's own result shape. */
  const pay =
    <R>(operation: string, method: PaymentMethod, result: (p: PaymentRecord) => R) =>
    ({ pay: input }: Args<'pay', PayInput>, ctx: KronorContext) =>
      store.once(scope(ctx, operation), input.idempotencyKey, () => result(startMethodPayment(store, callerSession(store, ctx), method, input)));

  const requestsOf = (ctx: KronorContext) => () => store.paymentsOfSession(callerSession(store, ctx).id);

  return {
    query: {
      paymentRequests: (args: ListArgs, ctx: KronorContext) => requestsQuery('session', requestsOf(ctx), ctx.baseUrl, args),
    },
    subscription: {
      paymentRequests: (args: ListArgs, ctx: KronorContext) => {
        const session = callerSession(store, ctx);
        return live(
          store,
          (p) => p.sessionId === session.id,
          () => ({ paymentRequests: requestsQuery('session', () => snapshot(requestsOf(ctx)()), ctx.baseUrl, args) }),
        );
      },
    },
    mutation: {
      newSwishPayment: pay('newSwishPayment', 'SWISH', (p) => ({ waitToken: p.waitToken })),
      newCreditCardPayment: pay('newCreditCardPayment', 'CREDIT_CARD', (p) => ({ waitToken: p.waitToken, gateway: 'KRONOR', authToken: null })),
      newMobilePayPayment: pay('newMobilePayPayment', 'MOBILEPAY', (p) => ({ waitToken: p.waitToken, gateway: 'KRONOR' })),
      newVippsPayment: pay('newVippsPayment', 'VIPPS', (p) => ({ waitToken: p.waitToken, gateway: 'KRONOR' })),
      newP24Payment: pay('newP24Payment', 'P24', (p) => ({ paymentId: p.waitToken })),
      newPayPalPayment: pay('newPayPalPayment', 'PAYPAL', (p) => ({ paymentId: p.waitToken })),
      newBankTransferPayment: pay('newBankTransferPayment', 'BANK_TRANSFER', (p) => ({
        paymentId: p.waitToken,
        paymentRequestId: p.waitToken,
        gateway: 'KRONOR',
      })),
      capturePayPalPayment: ({ pay: input }: Args<'pay', { idempotencyKey: string; paymentId: string }>, ctx: KronorContext) =>
        store.once(scope(ctx, 'capturePayPalPayment'), input.idempotencyKey, () => {
          checkIdempotencyKey(input.idempotencyKey);
          const payment = requestsOf(ctx)().find((p) => p.waitToken === input.paymentId && p.method === 'PAYPAL');
          if (!payment) invalid(`no PayPal payment ${input.paymentId} in this session`);
          // Kronor captures an approved PayPal order by itself; capturing again is harmless, before approval it is refused.
          if (payment.paymentId !== null) return { paymentId: payment.waitToken };
          if (isOpen(payment)) conflict('the PayPal order has not been approved by the payer yet');
          return conflict(`the PayPal payment is ${currentStatus(payment)}`);
        }),
      cancelPayment: ({ cancel }: Args<'cancel', { idempotencyKey: string }>, ctx: KronorContext) =>
        store.once(scope(ctx, 'cancelPayment'), cancel.idempotencyKey, () => {
          checkIdempotencyKey(cancel.idempotencyKey);
          return { waitToken: store.cancel(requestsOf(ctx)()) };
        }),
      // The sandbox's statuses are always current; asking for a refresh only says it was accepted.
      refreshPaymentStatus: () => ({ result: true }),
      addSessionDeviceInformation: ({ info }: Args<'info', Record<string, string>>, ctx: KronorContext) => {
        callerSession(store, ctx).deviceInformation = { ...info };
        return { result: true };
      },
    },
  };
}

// ---- the merchant role ---------------------------------------------------------------------------------------

interface MoneyInput {
  amount: number;
  idempotencyKey: string;
  paymentId?: number | string | null;
  paymentTransactionId?: string | null;
  createdBy?: string | null;
  generatedFrom?: string | null;
  merchantReference?: string | null;
  message?: string | null;
}

export function merchantRoots({ store, webhookSettings }: ResolverDeps): Roots {
  const all = () => [...store.payments.values()];

  /** A capture, release or refund: once per key, on the payment the input names. */
  const onPayment =
    <R>(operation: string, field: string, run: (payment: PaymentRecord, input: MoneyInput) => R) =>
    (args: Record<string, MoneyInput>, ctx: KronorContext) => {
      const input = args[field]!;
      return store.once(scope(ctx, operation), input.idempotencyKey, () => {
        checkIdempotencyKey(input.idempotencyKey);
        checkPositiveAmount(input.amount);
        return run(store.findPayment(input.paymentId, input.paymentTransactionId), input);
      });
    };

  return {
    query: {
      paymentRequests: (args: ListArgs, ctx: KronorContext) => requestsQuery('merchant', all, ctx.baseUrl, args),
      payments: (args: ListArgs, ctx: KronorContext) => paymentsQuery(store, ctx.baseUrl, args),
    },
    subscription: {
      paymentRequests: (args: ListArgs, ctx: KronorContext) =>
        // Computed when taken and sent at once: nothing to freeze, so no copy of every payment per result.
        live(store, () => true, () => ({ paymentRequests: requestsQuery('merchant', all, ctx.baseUrl, args) }), { coalesce: true }),
      payments: (args: ListArgs, ctx: KronorContext) =>
        live(
          store,
          () => true,
          () => {
            const frozen = all().filter((p) => p.paymentId !== null);
            return { payments: applyListArgs(frozen, paymentRow, args).map((p) => paymentView(p, ctx.baseUrl)) };
          },
          { coalesce: true },
        ),
    },
    mutation: {
      newPaymentSession: ({ payment }: Args<'payment', SessionInput>, ctx: KronorContext) =>
        store.once(scope(ctx, 'newPaymentSession'), payment.idempotencyKey, async () => {
          const session = await store.createSession(checkSessionInput(payment, Date.now()));
          return { token: session.token };
        }),
      newPaymentSessionWithReferenceCheck: ({ payment }: Args<'payment', SessionInput>, ctx: KronorContext) =>
        store.once(scope(ctx, 'newPaymentSessionWithReferenceCheck'), payment.idempotencyKey, async () => {
          const terms = checkSessionInput(payment, Date.now());
          const paid = store.successfulPaymentFor(terms.merchantReference);
          if (paid && (paid.amount !== terms.amount || paid.currency !== terms.currency)) {
            invalid(
              `merchantReference ${terms.merchantReference} already has a successful payment of ${paid.amount} ${paid.currency}; ` +
                'a different amount or currency needs a new merchantReference',
            );
          }
          // Documented: the same reference, amount and currency reuse the session; otherwise the cart changed.
          const session = store.reusableSession(terms) ?? (await store.createSession(terms));
          return {
            token: session.token,
            paymentId: paid ? String(paid.paymentId) : null,
            paymentTransactionId: paid?.transactionId ?? null,
          };
        }),
      newPaymentCapture: onPayment('newPaymentCapture', 'capture', (payment, input) => {
        const capture = store.capture(payment, input);
        return { captureId: capture.id, captureTransactionId: capture.transactionId };
      }),
      releasePayment: onPayment('releasePayment', 'release', (payment, input) => ({ releaseId: String(store.release(payment, input).id) })),
      refundPayment: onPayment('refundPayment', 'refund', (payment, input) => {
        const refund = store.refund(payment, { ...input, message: input.message ?? '' });
        return { refundTransactionId: refund.transactionId, waitToken: refund.waitToken };
      }),
      cancelPayment: ({ cancel }: Args<'cancel', { idempotencyKey: string; paymentReference: string }>, ctx: KronorContext) =>
        store.once(scope(ctx, 'cancelPayment'), cancel.idempotencyKey, () => {
          checkIdempotencyKey(cancel.idempotencyKey);
          // The merchant's reference; the seed's older wording names the waitToken, so that is accepted too.
          const named = all().filter((p) => p.reference === cancel.paymentReference || p.waitToken === cancel.paymentReference);
          if (named.length === 0) invalid(`no payment with reference ${cancel.paymentReference}`);
          if (!named.some(isOpen)) {
            conflict(`payment ${cancel.paymentReference} is ${currentStatus(named[named.length - 1]!)}; only a payment WAITING_FOR_PAYMENT can be cancelled`);
          }
          return { waitToken: store.cancel(named) };
        }),
      setWebhookUrl: ({ setWebhookUrl: input }: Args<'setWebhookUrl', WebhookSettingInput>) => {
        checkWebhookInput(input.webhookUrl, input.eventSettings);
        return webhookSettings.set(input);
      },
    },
  };
}
