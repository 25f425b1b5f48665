/**
 * Kronor's errors (Hasura: HTTP 200, `{errors:[{message, extensions:{code, path}}]}`) → Kassa's errors. Refusals a
 * shopper can act on become `ProviderRefused` with Kassa's own short message; a refused token, or a token whose role
 * may not use a field Kassa asks for, is the merchant's setup (`KronorSetupError`, logged by the endpoint); a refused
 * input value is a Kassa bug (plain Error); anything else Kronor could not answer is `ProviderUnavailable`. Log
 * messages name Kronor's code and the start of its message, never a token or the request.
 */
import type { GraphQLErrorItem } from '../../server/provider-http.ts';
import { ProviderRefused, ProviderUnavailable } from '../../server/provider.ts';

/** The merchant's Kronor setup is wrong (token, environment): not the shopper's to fix. */
export class KronorSetupError extends Error {
  override name = 'KronorSetupError';
}

/** Hasura's codes for a refused Authorization header or token. */
const AUTH_CODES = new Set(['access-denied', 'invalid-jwt', 'invalid-headers']);
/**
 * Kronor's codes for an input or a state it refuses (`bad-request`: ASSUMED, the sandbox's for state conflicts);
 * configurable as `refusalErrorCodes`.
 */
export const DEFAULT_REFUSAL_CODES: ReadonlySet<string> = new Set(['validation-failed', 'bad-request']);

/**
 * Hasura hides what a role may not use: a field is "not found in type", a role without mutations has "no
 * mutations exist". Kassa's documents validate against Kronor's real schema (graphql.test.ts), so either means the
 * token's role, not Kassa's request.
 */
const HIDDEN_FIELD = /field '([^']+)' not found in type: '([^']+)'/;
const NO_MUTATIONS = /no mutations exist/i;

export function errorCode(error: GraphQLErrorItem): string {
  const code = error.extensions?.code;
  return typeof code === 'string' && code ? code : 'unknown';
}

function describe(errors: readonly GraphQLErrorItem[]): string {
  const first = errors[0];
  return first ? `${errorCode(first)}: ${first.message.slice(0, 120)}` : 'no detail';
}

function authFailure(operation: string, errors: readonly GraphQLErrorItem[]): KronorSetupError | undefined {
  const refused = errors.find((e) => AUTH_CODES.has(errorCode(e)));
  if (refused) {
    return new KronorSetupError(
      `kronor: ${operation} was refused (${errorCode(refused)}); check providers.kronor.merchantToken and that it belongs to the configured environment`,
    );
  }
  return permissionFailure(operation, errors);
}

/** A field or the mutations the token's role may not use, named, with the role that may. */
export function permissionFailure(operation: string, errors: readonly GraphQLErrorItem[]): KronorSetupError | undefined {
  for (const error of errors) {
    const hidden = HIDDEN_FIELD.exec(error.message);
    // An input type's unknown field is Kassa's request, not the role (Kronor's input types end in Input).
    if (hidden && !hidden[2]!.endsWith('Input')) {
      const [, field, type] = hidden;
      const what = type === 'mutation_root' || type === 'query_root' || type === 'subscription_root' ? `${field}` : `${type}.${field}`;
      return new KronorSetupError(
        `kronor: ${operation} was refused because the role of providers.kronor.merchantToken may not use ${what}; ` +
          'use a token with the merchant-backend role (Kronor portal → API tokens)',
      );
    }
    if (NO_MUTATIONS.test(error.message)) {
      return new KronorSetupError(
        `kronor: ${operation} was refused because the role of providers.kronor.merchantToken may only read (merchant-read-only?); ` +
          'use a token with the merchant-backend role (Kronor portal → API tokens)',
      );
    }
  }
  return undefined;
}

/** What a shopper is told for each refusal Kronor states, by the words of its message. First match wins. */
const REFUSALS: ReadonlyArray<[RegExp, (currency: string) => ProviderRefused]> = [
  [/customerSwishNumber/i, () => new ProviderRefused('Swish did not accept this mobile number. Please check it.', 'fields.phone')],
  [/already has a successful payment/i, () => new ProviderRefused('This order has already been paid.')],
  [/already in progress|cancel it first/i, () => new ProviderRefused('A payment for this order is already in progress. Please finish it or try again later.')],
  [/shippingAddress|orderLines/i, () => new ProviderRefused('PayPal needs the full shipping address and order lines. Please choose another payment method.')],
  [/currency/i, (currency) => new ProviderRefused(`Kronor cannot take this payment in ${currency}. Please choose another payment method.`)],
  [/\bamount\b/i, () => new ProviderRefused('Kronor does not accept this amount for this payment method. Please choose another one.')],
  [/email/i, () => new ProviderRefused("Kronor did not accept the customer's email address.")],
  [/additionalData\.name/i, () => new ProviderRefused("Kronor needs the customer's name for this payment method.")],
];

/** Errors of a write that starts a payment (a session, a Swish payment). */
export function createFailure(
  operation: string,
  errors: readonly GraphQLErrorItem[],
  currency: string,
  refusalCodes: ReadonlySet<string> = DEFAULT_REFUSAL_CODES,
): Error {
  const auth = authFailure(operation, errors);
  if (auth) return auth;
  const refusal = errors.find((e) => refusalCodes.has(errorCode(e)));
  if (!refusal) return new ProviderUnavailable(`kronor: ${operation} answered an error (${describe(errors)})`);
  // A value Kronor's schema does not take: Kassa sent something wrong, nothing the shopper can fix.
  if (/not found in type|got invalid value/i.test(refusal.message)) {
    return new Error(`kronor: ${operation} refused Kassa's request (${describe([refusal])})`);
  }
  for (const [pattern, refuse] of REFUSALS) {
    if (pattern.test(refusal.message)) return refuse(currency);
  }
  return new Error(`kronor: ${operation} refused Kassa's request (${describe([refusal])})`);
}

/** Errors of a read or a setup call: a refused token is setup, anything else Kronor could not answer. */
export function readFailure(operation: string, errors: readonly GraphQLErrorItem[]): Error {
  return authFailure(operation, errors) ?? new ProviderUnavailable(`kronor: ${operation} answered an error (${describe(errors)})`);
}

export type PaymentOperation = 'cancelPayment' | 'releasePayment' | 'refundPayment' | 'newPaymentCapture';

/** Matches every message, the empty one too. */
const ANY = /(?:)/;

/** What the merchant is told when Kronor refuses an operation, by the words of Kronor's message; the last row of each matches all. */
const OPERATION_REFUSALS: Readonly<Record<PaymentOperation, ReadonlyArray<[pattern: RegExp, message: string, field?: string]>>> = {
  cancelPayment: [
    [/no payment/i, 'Kronor holds no payment for this order to cancel: the shopper has not started one.'],
    [ANY, 'Kronor can only cancel a payment that is still waiting for the shopper.'],
  ],
  releasePayment: [[ANY, 'Kronor can only release an authorised payment of which nothing was captured, and only in full.']],
  newPaymentCapture: [
    [/left to capture|more than/i, 'The capture is more than what is left of the authorisation on this Kronor payment.', 'amount'],
    [ANY, 'Kronor can only capture an authorised card payment, up to what is left of it.'],
  ],
  refundPayment: [
    [/left to refund|more than/i, 'The refund is more than what is left to refund on this Kronor payment.', 'amount'],
    [/nothing was paid/i, 'Nothing was paid on this Kronor payment, so there is nothing to refund.'],
    [/\bamount\b/i, 'Kronor does not accept this refund amount.', 'amount'],
    [ANY, 'Kronor refused the refund.'],
  ],
};

export interface OperationFailureOptions {
  /** What to tell the merchant when Kronor refuses, when the adapter knows better than Kronor's words (its own read). */
  refusal?: ProviderRefused;
  refusalCodes?: ReadonlySet<string>;
}

/**
 * Errors of a capture, cancel, release or refund: a state or amount Kronor refuses is the merchant's to hear about; a
 * refused token or role is setup; a value or key Kronor does not take is a Kassa bug; anything else is unavailable.
 */
export function operationFailure(operation: PaymentOperation, errors: readonly GraphQLErrorItem[], options: OperationFailureOptions = {}): Error {
  const auth = authFailure(operation, errors);
  if (auth) return auth;
  const refusal = errors.find((e) => (options.refusalCodes ?? DEFAULT_REFUSAL_CODES).has(errorCode(e)));
  if (!refusal) return new ProviderUnavailable(`kronor: ${operation} answered an error (${describe(errors)})`);
  if (/not found in type|got invalid value|idempotencyKey|merchantReference/i.test(refusal.message)) {
    return new Error(`kronor: ${operation} refused Kassa's request (${describe([refusal])})`);
  }
  if (options.refusal) return options.refusal;
  const [, message, field] = OPERATION_REFUSALS[operation].find(([pattern]) => pattern.test(refusal.message))!;
  return new ProviderRefused(message, field);
}
