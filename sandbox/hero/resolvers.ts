/**
 * The resolvers behind schema.graphql: each checks the caller's key the way Hero does (a NOT_LOGGED GraphQL error),
 * then reads or changes the store. Failures are GraphQL errors in the body (HTTP 200) or, where the seed shows a
 * union, a ValidationErrors / GqlHeroError member.
 */
import { GraphQLError } from 'graphql';
import { ERROR_CODES, type MerchantAccount, type PaymentType } from './config.ts';
import { customerCurrent, limitsFor, refundRefusal, type HeroPayment, type HeroStore } from './state.ts';
import {
  amountRangeMessage,
  availableTypes,
  validateNewPayment,
  validatePaymentIds,
  validateRefundInput,
  type NewPaymentInput,
  type ValidationError,
} from './validate.ts';

/** What every resolver knows about the request: the account its API key opened, if any. */
export interface HeroRequestContext {
  merchant: MerchantAccount | undefined;
}

export interface ResolverDeps {
  store: HeroStore;
  /** Called once a payment exists (the simulator attaches preset outcomes here). */
  onCreated(payment: HeroPayment): void;
}

export function heroError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

function requireMerchant(context: HeroRequestContext): MerchantAccount {
  if (!context.merchant) throw heroError(ERROR_CODES.notLogged, ERROR_CODES.notLogged);
  return context.merchant;
}

function validationErrors(errors: ValidationError[]) {
  return { __typename: 'ValidationErrors', validationErrors: errors };
}

/** graphql-js hands input objects over with a null prototype; the store keeps plain copies. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createRootValue({ store, onCreated }: ResolverDeps) {
  return {
    availablePaymentTypes(args: { amount?: number | null }, context: HeroRequestContext): PaymentType[] {
      return availableTypes(requireMerchant(context), args.amount);
    },

    createPayment(args: { payment: NewPaymentInput }, context: HeroRequestContext): { id: string } {
      const merchant = requireMerchant(context);
      if (!merchant.productEnabled) throw heroError(ERROR_CODES.productDisabled, ERROR_CODES.productDisabled);
      const payment = plain(args.payment);
      const problems = validateNewPayment(payment);
      if (problems.length) {
        throw heroError(problems.map((p) => p.validationError).join('; '), ERROR_CODES.validation, { validationErrors: problems });
      }
      if (!merchant.enabledTypes.includes(payment.type)) throw heroError(ERROR_CODES.invalidType, ERROR_CODES.invalidType);
      const outOfRange = amountRangeMessage(payment.type, payment.amount);
      if (outOfRange) throw heroError(outOfRange, ERROR_CODES.amountOutOfRange);
      const created = store.create({
        merchantKey: merchant.apiKey,
        amount: payment.amount,
        type: payment.type,
        redirectUri: payment.redirectUri,
        comebackUri: payment.comebackUri ?? null,
        issuer: payment.issuer,
      });
      onCreated(created);
      return { id: created.id };
    },

    getPaymentsInfos(args: { paymentIds: string[] }, context: HeroRequestContext) {
      const merchant = requireMerchant(context);
      const problems = validatePaymentIds(args.paymentIds);
      if (problems.length) return validationErrors(problems);
      // Only existing ids come back (seed); an id asked twice comes back once.
      const result = [...new Set(args.paymentIds)]
        .map((id) => store.visibleTo(id, merchant.apiKey))
        .filter((p): p is HeroPayment => p !== undefined)
        .map((p) => store.infos(p));
      return { __typename: 'GetPaymentsInfosResult', result };
    },

    paymentStatus(args: { id: string }, context: HeroRequestContext): { isSuccess: boolean; error: string | null } {
      const merchant = requireMerchant(context);
      const payment = store.visibleTo(args.id, merchant.apiKey);
      if (!payment) throw heroError(ERROR_CODES.paymentNotFound, ERROR_CODES.paymentNotFound);
      const infos = store.infos(payment);
      return { isSuccess: infos.isSuccess, error: infos.error };
    },

    maxPaymentForCustomer(args: { customerReference: string }, context: HeroRequestContext) {
      const merchant = requireMerchant(context);
      const limits = limitsFor(args.customerReference);
      return {
        current: customerCurrent(store.all(), merchant.apiKey, args.customerReference),
        maxPay30D: limits.maxPay30D,
        maxPay3X: limits.maxPay3X,
      };
    },

    /** "The response is always true" (seed), even for an id the account does not have. */
    setOrderId(args: { paymentId: string; orderId: string }, context: HeroRequestContext): boolean {
      const merchant = requireMerchant(context);
      const payment = store.visibleTo(args.paymentId, merchant.apiKey);
      if (payment) payment.orderId = args.orderId;
      return true;
    },

    refundPaymentCheckout(args: { input: { paymentCheckoutId: string; amount: number } }, context: HeroRequestContext) {
      const merchant = requireMerchant(context);
      const problems = validateRefundInput(args.input);
      if (problems.length) return validationErrors(problems);
      const payment = store.get(args.input.paymentCheckoutId);
      const refusal = refundRefusal(payment, merchant.apiKey, args.input.amount);
      if (refusal) return { __typename: 'GqlHeroError', ...refusal };
      store.refund(payment!, args.input.amount);
      return { __typename: 'RefundPaymentCheckoutOutput', success: true };
    },

    /** Hero's plugin reports problems it saw (ORDER_AMOUNT_INCONSISTENT …); the sandbox only acknowledges them. */
    moduleLog(_args: { log: { paymentId: string; error: string } }, context: HeroRequestContext): boolean {
      requireMerchant(context);
      return true;
    },
  };
}
