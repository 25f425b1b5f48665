/**
 * Hero's GraphQL errors (HTTP 200, in `errors`) → Kassa's errors. Refusals a shopper can act on become
 * `ProviderRefused` with a short plain message; a refused API key or return URL is the merchant's setup, so it
 * becomes a plain `Error` the endpoint logs; anything else Hero could not answer is `ProviderUnavailable`.
 * Messages name Hero's error code at most, never the key or the request.
 */
import { toMajor } from '../../core/money.ts';
import type { GraphQLErrorItem } from '../../server/provider-http.ts';
import { ProviderRefused, ProviderUnavailable } from '../../server/provider.ts';
import { fieldForIssuerPath, issuerFieldLabel, type IssuerFieldKey } from './issuer.ts';

/** The merchant's Hero setup is wrong (API key, environment, return URL): not the shopper's to fix. */
export class HeroSetupError extends Error {
  override name = 'HeroSetupError';
}

const NOT_LOGGED = 'NOT_LOGGED';

/** Hero names its errors in `message` (seed) and, in the sandbox, also in `extensions.code`. */
export function errorCode(error: GraphQLErrorItem): string {
  const code = error.extensions?.code;
  return typeof code === 'string' && code ? code : error.message;
}

function notLogged(errors: readonly GraphQLErrorItem[]): boolean {
  return errors.some((e) => e.message === NOT_LOGGED || e.extensions?.code === NOT_LOGGED);
}

function setupError(operation: string): HeroSetupError {
  return new HeroSetupError(`hero: ${operation} was refused with NOT_LOGGED; check providers.hero.apiKey and that it belongs to the configured environment`);
}

/** Short, for logs: Hero's code and the start of its message. */
function describeErrors(errors: readonly GraphQLErrorItem[]): string {
  const first = errors[0];
  if (!first) return 'no detail';
  const code = errorCode(first);
  const message = first.message === code ? '' : `: ${first.message.slice(0, 120)}`;
  return `${code}${message}`;
}

/** For reads and bookkeeping writes: a refused key is setup, anything else Hero could not answer. */
export function readFailure(operation: string, errors: readonly GraphQLErrorItem[]): Error {
  if (notLogged(errors)) return setupError(operation);
  return new ProviderUnavailable(`hero: ${operation} answered an error (${describeErrors(errors)})`);
}

interface ValidationItem {
  path: string[];
  validationError: string;
}

function validationItems(error: GraphQLErrorItem): ValidationItem[] {
  const items = error.extensions?.validationErrors;
  if (!Array.isArray(items)) return [];
  return items.filter(
    (i): i is ValidationItem => !!i && typeof i === 'object' && Array.isArray((i as ValidationItem).path) && (i as ValidationItem).path.every((p) => typeof p === 'string'),
  );
}

const AMOUNT_RANGE = /^Amount (\d+) is (smaller|bigger) than payment(?:Min|Max) (\d+)/;

/**
 * `createPayment`'s errors. `askedFields` are the issuer details the shopper typed: a refusal of one of them points
 * at that field so the shopper can correct it.
 */
export function createFailure(errors: readonly GraphQLErrorItem[], askedFields: ReadonlySet<IssuerFieldKey>): Error {
  if (notLogged(errors)) return setupError('createPayment');
  for (const error of errors) {
    const code = errorCode(error);
    if (code === 'MERCHANT_PRODUCT_DISABLED' || error.message === 'MERCHANT_PRODUCT_DISABLED') {
      return new ProviderRefused('Hero cannot take payments for this shop at the moment. Please choose another payment method.');
    }
    if (code === 'INVALID_PAYMENT_TYPE' || error.message === 'INVALID_PAYMENT_TYPE') {
      return new ProviderRefused('This Hero payment option is not available for this shop. Please choose another one.');
    }
    const range = AMOUNT_RANGE.exec(error.message);
    if (range) {
      const limit = `${toMajor(Number(range[3]), 'EUR')} EUR`;
      return new ProviderRefused(
        range[2] === 'smaller' ? `The amount is below this Hero option's minimum of ${limit}.` : `The amount is above this Hero option's maximum of ${limit}.`,
      );
    }
    const items = validationItems(error);
    if (items.some((i) => i.path[0] === 'redirectUri' || i.path[0] === 'comebackUri')) {
      // The real Hero refuses return URLs on localhost: the endpoint's public URL must be reachable by Hero.
      return new HeroSetupError('hero: createPayment refused the return URLs; set the endpoint\'s publicUrl to an address Hero accepts (not localhost)');
    }
    for (const item of items) {
      const key = fieldForIssuerPath(item.path);
      if (!key) continue;
      const asked = askedFields.has(key);
      return new ProviderRefused(
        asked ? `Hero did not accept the ${issuerFieldLabel(key)}. Please check it.` : `Hero did not accept the customer's ${issuerFieldLabel(key)}.`,
        asked ? `fields.${key}` : undefined,
      );
    }
    if (items.length) return new ProviderRefused("Hero did not accept the company's details.");
  }
  return new Error(`hero: createPayment failed (${describeErrors(errors)})`);
}

/** The refusals `refundPaymentCheckout` states as `FUNCTIONAL_ERROR` messages (seed), as the merchant reads them. */
const REFUND_REFUSALS: Readonly<Record<string, string>> = {
  INVALID_AMOUNT: 'Hero refuses this refund amount: it must be positive and at most what was paid.',
  AMOUNT_TOO_LOW: 'Hero refuses this refund amount: it must be at least 1 cent.',
  AMOUNT_TOO_HIGH: 'The refund is more than what is left to refund on this Hero payment.',
  PAYMENT_NOT_STARTED: 'This Hero payment was not completed, so there is nothing to refund.',
  DRAFT_PAYMENT_CHECKOUT: 'This Hero payment was not completed, so there is nothing to refund.',
  REFUND_IS_FROZEN: 'Hero has frozen refunds on this payment for now.',
  BA_NOT_FOUND: "Hero cannot refund: the shop's Hero business account was not found.",
  BA_ONBOARDING_IS_NOT_COMPLETED: "Hero cannot refund until the shop's Hero business account onboarding is completed.",
  BA_BALANCE_INSUFFICIENT: "Hero cannot refund: the shop's Hero balance is too low.",
  BA_CANNOT_TRANSFER_FUNDS: "Hero cannot refund: it could not move funds from the shop's Hero business account.",
  LEDGER_BALANCE_TOO_LOW: "Hero cannot refund: the shop's Hero balance is too low.",
};

/** Hero's technical refund errors (seed): nothing the merchant did, Hero could not do it now. */
const REFUND_TECHNICAL = new Set(['INTERNAL_SERVER_ERROR', 'CORE_PAYMENT_REFUND_FAILED']);

/**
 * A `GqlHeroError` answered by `refundPaymentCheckout`. `UNAUTHORIZED` (the payment belongs to another account) and
 * an unknown payment are the merchant's setup; business refusals are `ProviderRefused`; technical ones unavailable.
 */
export function refundFailure(errorCode: string, message: string): Error {
  if (errorCode === 'UNAUTHORIZED') {
    return new HeroSetupError('hero: refundPaymentCheckout was refused with UNAUTHORIZED; the payment belongs to another Hero account than providers.hero.apiKey');
  }
  const code = message.trim().toUpperCase();
  if (REFUND_TECHNICAL.has(errorCode) || REFUND_TECHNICAL.has(code)) return new ProviderUnavailable(`hero: refundPaymentCheckout failed (${REFUND_TECHNICAL.has(code) ? code : errorCode})`);
  if (code === 'INVALID_PAYMENT_CHECKOUT') return new Error('hero: refundPaymentCheckout does not know this payment for this API key (INVALID_PAYMENT_CHECKOUT)');
  const refusal = REFUND_REFUSALS[code];
  if (refusal) return new ProviderRefused(refusal, code.includes('AMOUNT') ? 'amount' : undefined);
  // A business rule Kassa does not know by name: still Hero's refusal, named by its code (never free text).
  const named = /^[A-Z0-9_]{1,64}$/.test(code) ? code : errorCode.slice(0, 64);
  return new ProviderRefused(`Hero refused the refund (${named}).`);
}

/** `ValidationErrors` answered by `refundPaymentCheckout`: the amount is the merchant's to fix; anything else is Kassa's. */
export function refundValidationFailure(paths: ReadonlyArray<readonly unknown[]>): Error {
  if (paths.some((path) => path[0] === 'amount')) return new ProviderRefused('Hero refuses this refund amount: it must be a positive number of cents.', 'amount');
  return new Error(`hero: refundPaymentCheckout refused Kassa's request (${paths.map((p) => p.join('.')).join(', ').slice(0, 120)})`);
}
