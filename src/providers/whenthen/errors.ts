/**
 * WhenThen's GraphQL errors (HTTP 200 in `errors`, or HTTP 401 for a refused key) → Kassa's errors. What the shopper
 * can act on (the amount, the currency) becomes `ProviderRefused` with a short plain message; a refused key is the
 * merchant's setup, a plain `Error` the endpoint logs; messages name WhenThen's code at most, never the key.
 */
import type { GraphQLErrorItem } from '../../server/provider-http.ts';
import { ProviderRefused } from '../../server/provider.ts';
import { DEFAULT_ERROR_CODES } from './config.ts';

/** The `extensions.code` values the adapter acts on that WhenThen does not publish: configuration (`errorCodes`). */
export type ErrorCodes = Record<keyof typeof DEFAULT_ERROR_CODES, string>;

/** WhenThen's own decline names (seed), which it answers for bad amounts and currencies. */
export const DECLINE_CODES = {
  invalidAmount: 'INVALID_AMOUNT',
  unsupportedCurrency: 'UNSUPPORTED_CURRENCY',
} as const;

/** The merchant's WhenThen setup is wrong (key, environment): not the shopper's to fix. */
export class WhenthenSetupError extends Error {
  override name = 'WhenthenSetupError';
}

export function errorCode(error: GraphQLErrorItem): string | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' && code ? code : undefined;
}

export function findError(errors: readonly GraphQLErrorItem[], code: string): GraphQLErrorItem | undefined {
  return errors.find((e) => errorCode(e) === code);
}

/** Short, for logs: WhenThen's code and the start of its message. */
function describe(errors: readonly GraphQLErrorItem[]): string {
  const first = errors[0];
  if (!first) return 'no detail';
  const message = typeof first.message === 'string' ? first.message.slice(0, 120) : '';
  return `${errorCode(first) ?? 'no code'}: ${message}`;
}

function authFailure(operation: string, errors: readonly GraphQLErrorItem[], codes: ErrorCodes): WhenthenSetupError | undefined {
  const refusal = findError(errors, codes.unauthenticated) ?? findError(errors, codes.forbidden);
  if (!refusal) return undefined;
  return new WhenthenSetupError(
    `whenthen: ${operation} was refused (${errorCode(refusal)}); check that providers.whenthen.apiKey is the private key of the configured environment`,
  );
}

/** For reads: a refused key is setup; anything else WhenThen could not answer is reported with its code. */
export function readFailure(operation: string, errors: readonly GraphQLErrorItem[], codes: ErrorCodes = DEFAULT_ERROR_CODES): Error {
  return authFailure(operation, errors, codes) ?? new Error(`whenthen: ${operation} answered an error (${describe(errors)})`);
}

/** For generateClientToken and authorizePayment: the amount and currency are the shopper's order to hear about. */
export function createFailure(operation: string, errors: readonly GraphQLErrorItem[], codes: ErrorCodes = DEFAULT_ERROR_CODES): Error {
  const auth = authFailure(operation, errors, codes);
  if (auth) return auth;
  if (findError(errors, DECLINE_CODES.invalidAmount)) return new ProviderRefused('WhenThen does not accept this amount. Please choose another payment method.');
  if (findError(errors, DECLINE_CODES.unsupportedCurrency)) {
    return new ProviderRefused('WhenThen does not take payments in this currency. Please choose another payment method.', 'currency');
  }
  return new Error(`whenthen: ${operation} failed (${describe(errors)})`);
}

/** What the merchant is told when WhenThen refuses an operation on a payment for its status. */
const OPERATION_REFUSALS = {
  capturePayment: {
    status: 'WhenThen can only capture a payment that is authorised and not yet captured (an authorisation lapses after about 7 days).',
    amount: 'WhenThen does not accept this capture amount: it must be positive and at most the amount authorised.',
  },
  cancelPayment: {
    status: 'WhenThen can only cancel a payment that is authorised and not yet captured.',
    amount: 'WhenThen does not accept this cancellation.',
  },
  refundPayment: {
    status: 'WhenThen can only refund a payment that was paid and is not yet refunded in full.',
    amount: 'WhenThen does not accept this refund amount: it must be positive and at most what is left to refund.',
  },
} as const;

export type PaymentMutation = keyof typeof OPERATION_REFUSALS;

/**
 * For capturePayment, cancelPayment and refundPayment: a status or amount WhenThen refuses is the merchant's to hear
 * about; a refused key is setup; an unknown payment or a reused idempotency key is an error the endpoint logs.
 */
export function operationFailure(operation: PaymentMutation, errors: readonly GraphQLErrorItem[], codes: ErrorCodes = DEFAULT_ERROR_CODES): Error {
  const auth = authFailure(operation, errors, codes);
  if (auth) return auth;
  if (findError(errors, codes.invalidStatus)) return new ProviderRefused(OPERATION_REFUSALS[operation].status);
  if (findError(errors, DECLINE_CODES.invalidAmount)) return new ProviderRefused(OPERATION_REFUSALS[operation].amount, 'amount');
  return new Error(`whenthen: ${operation} failed (${describe(errors)})`);
}
