/**
 * Hero's checks on input, as pure functions. GraphQL's own type checks (a missing non-null field, a string where an
 * Int belongs, an unknown PaymentType) happen before these, in graphql-js; these cover what types cannot say.
 */
import {
  ACCEPT_LOOPBACK_REDIRECTS,
  MAX_PAYMENT_IDS,
  MAX_TEXT_LENGTH,
  PAYMENT_TYPE_RANGES,
  type MerchantAccount,
  type PaymentType,
} from './config.ts';

export interface ValidationError {
  path: string[];
  validationError: string;
}

export interface AddressInput {
  line1: string;
  line2?: string | null;
  city: string;
  zipCode: string;
}

export interface IssuerInput {
  address: AddressInput;
  deliveryAddress?: AddressInput | null;
  name: string;
  contactEmail: string;
  contactPhone: string;
  customerReference?: string | null;
  siret?: string | null;
  vatNumber?: string | null;
}

export interface NewPaymentInput {
  amount: number;
  redirectUri: string;
  comebackUri?: string | null;
  type: PaymentType;
  issuer: IssuerInput;
}

/** Every problem with a NewPayment at once, each with the path of the field (class-validator style messages). */
export function validateNewPayment(payment: NewPaymentInput): ValidationError[] {
  const errors: ValidationError[] = [];
  const push = (path: string[], message: string) => errors.push({ path, validationError: message });

  checkUri(['redirectUri'], payment.redirectUri, push);
  if (payment.comebackUri != null) checkUri(['comebackUri'], payment.comebackUri, push);

  const issuer = payment.issuer;
  checkAddress(['issuer', 'address'], issuer.address, push);
  if (issuer.deliveryAddress != null) checkAddress(['issuer', 'deliveryAddress'], issuer.deliveryAddress, push);
  checkRequiredText(['issuer', 'name'], issuer.name, push);
  checkRequiredText(['issuer', 'contactPhone'], issuer.contactPhone, push);
  if (checkRequiredText(['issuer', 'contactEmail'], issuer.contactEmail, push) && !isEmail(issuer.contactEmail)) {
    push(['issuer', 'contactEmail'], 'contactEmail must be an email');
  }
  // Optional texts may be empty (Hero's plugin sends siret: "" when it has none) but not too long.
  for (const key of ['customerReference', 'siret', 'vatNumber'] as const) {
    const value = issuer[key];
    if (value != null && value.length > MAX_TEXT_LENGTH) push(['issuer', key], tooLong(key));
  }
  return errors;
}

type Push = (path: string[], message: string) => void;

function checkAddress(path: string[], address: AddressInput, push: Push): void {
  checkRequiredText([...path, 'line1'], address.line1, push);
  checkRequiredText([...path, 'city'], address.city, push);
  checkRequiredText([...path, 'zipCode'], address.zipCode, push);
  if (address.line2 != null && address.line2.length > MAX_TEXT_LENGTH) push([...path, 'line2'], tooLong('line2'));
}

/** Returns true when the value is present and short enough, so callers can go on to check its format. */
function checkRequiredText(path: string[], value: string, push: Push): boolean {
  const name = path[path.length - 1]!;
  if (value.trim() === '') {
    push(path, `${name} should not be empty`);
    return false;
  }
  if (value.length > MAX_TEXT_LENGTH) {
    push(path, tooLong(name));
    return false;
  }
  return true;
}

function tooLong(name: string): string {
  return `${name} must be shorter than or equal to ${MAX_TEXT_LENGTH} characters`;
}

function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

function checkUri(path: string[], value: string, push: Push): void {
  const name = path[path.length - 1]!;
  const url = parseHttpUrl(value);
  if (!url) return push(path, `${name} must be a URL address`);
  if (!ACCEPT_LOOPBACK_REDIRECTS && isLoopbackHost(url.hostname)) push(path, `${name} must not point to localhost`);
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** What the real Hero refuses: `.localhost` names (and, in the same spirit, loopback addresses). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The types an account may offer for an amount; no amount means every type the account has. */
export function availableTypes(merchant: MerchantAccount, amount: number | null | undefined): PaymentType[] {
  if (!merchant.productEnabled) return [];
  return merchant.enabledTypes.filter((type) => {
    if (amount == null) return true;
    const range = PAYMENT_TYPE_RANGES[type];
    return amount >= range.paymentMin && amount <= range.paymentMax;
  });
}

/** Hero's own wording for an amount outside a type's range, or undefined when the amount fits. */
export function amountRangeMessage(type: PaymentType, amount: number): string | undefined {
  const { paymentMin, paymentMax } = PAYMENT_TYPE_RANGES[type];
  if (amount < paymentMin) return `Amount ${amount} is smaller than paymentMin ${paymentMin}`;
  if (amount > paymentMax) return `Amount ${amount} is bigger than paymentMax ${paymentMax}`;
  return undefined;
}

/** getPaymentsInfos's argument checks (INVENTED bounds, class-validator wording). */
export function validatePaymentIds(paymentIds: string[]): ValidationError[] {
  if (paymentIds.length === 0) return [{ path: ['paymentIds'], validationError: 'paymentIds must contain at least 1 elements' }];
  if (paymentIds.length > MAX_PAYMENT_IDS) {
    return [{ path: ['paymentIds'], validationError: `paymentIds must contain no more than ${MAX_PAYMENT_IDS} elements` }];
  }
  return [];
}

/** refundPaymentCheckout's input checks; "Amount must be a positive number" is the seed's own example. */
export function validateRefundInput(input: { paymentCheckoutId: string; amount: number }): ValidationError[] {
  const errors: ValidationError[] = [];
  if (input.paymentCheckoutId.trim() === '') {
    errors.push({ path: ['paymentCheckoutId'], validationError: 'paymentCheckoutId should not be empty' });
  }
  // INVENTED split: a negative amount fails validation; 0 passes it and meets the functional AMOUNT_TOO_LOW.
  if (input.amount < 0) errors.push({ path: ['amount'], validationError: 'Amount must be a positive number' });
  return errors;
}
