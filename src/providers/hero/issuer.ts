/**
 * Hero pays companies only: every payment names its `issuer`, the paying company, with a billing address, an
 * e-mail and a phone. Kassa takes them from the order (`customer.company`, `customer.email`, `customer.phone`) and
 * asks the shopper, through the method's `fields`, for whatever the order does not give.
 *
 * Field keys (what the browser sends in `fields`): `companyName`, `addressLine1`, `postalCode`, `city`, `email`,
 * `phone`. Without a company on the order all six are asked; with one, only the missing details.
 */
import type { MethodField } from '../../core/model.ts';
import type { Address, ResolvedOrder } from '../../server/provider.ts';
import type { IssuerInput } from './graphql.ts';

export const ISSUER_FIELD_KEYS = ['companyName', 'addressLine1', 'postalCode', 'city', 'email', 'phone'] as const;
export type IssuerFieldKey = (typeof ISSUER_FIELD_KEYS)[number];

const ISSUER_FIELDS: Readonly<Record<IssuerFieldKey, MethodField>> = {
  companyName: { key: 'companyName', type: 'text', kind: 'company-name', label: { en: 'Company name', fr: 'Raison sociale' }, example: 'Atelier Exemple SARL', required: true },
  addressLine1: { key: 'addressLine1', type: 'text', kind: 'address-line1', label: { en: 'Billing address', fr: 'Adresse de facturation' }, example: '10 rue de la Paix', required: true },
  postalCode: {
    key: 'postalCode',
    type: 'text',
    kind: 'postal-code',
    label: { en: 'Postal code', fr: 'Code postal' },
    example: '75002',
    pattern: '^[0-9A-Za-z -]{3,10}$',
    required: true,
  },
  city: { key: 'city', type: 'text', kind: 'city', label: { en: 'City', fr: 'Ville' }, example: 'Paris', required: true },
  email: {
    key: 'email',
    type: 'email',
    kind: 'email',
    label: { en: 'Company e-mail', fr: "E-mail de l'entreprise" },
    example: 'compta@exemple.fr',
    pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
    required: true,
  },
  phone: {
    key: 'phone',
    type: 'tel',
    kind: 'phone',
    label: { en: 'Company phone', fr: "Téléphone de l'entreprise" },
    example: '+33 6 00 00 00 00',
    pattern: '^\\+?[0-9][0-9 .()-]{5,19}$',
    required: true,
  },
};

/** Which issuer details the shopper must give because the order lacks them, in a stable order. */
export function missingIssuerFields(order: ResolvedOrder): IssuerFieldKey[] {
  const customer = order.customer;
  const company = customer?.company;
  if (!company?.name?.trim()) return [...ISSUER_FIELD_KEYS];
  const missing: IssuerFieldKey[] = [];
  const address = companyAddress(order);
  if (!address?.line1?.trim()) missing.push('addressLine1');
  if (!address?.postalCode?.trim()) missing.push('postalCode');
  if (!address?.city?.trim()) missing.push('city');
  if (!customer?.email?.trim()) missing.push('email');
  if (!customer?.phone?.trim()) missing.push('phone');
  return missing;
}

export function issuerFields(keys: readonly IssuerFieldKey[]): MethodField[] {
  return keys.map((key) => ({ ...ISSUER_FIELDS[key], label: { ...ISSUER_FIELDS[key].label } }));
}

export function issuerFieldLabel(key: IssuerFieldKey): string {
  return ISSUER_FIELDS[key].label.en!.toLowerCase();
}

/** Raised when a detail Hero requires is neither on the order nor in the shopper's fields. */
export class MissingIssuerDetail extends Error {
  constructor(readonly key: IssuerFieldKey) {
    super(`the ${issuerFieldLabel(key)} is required`);
  }
}

/**
 * The issuer for Hero: the shopper's fields for the details that were asked, the order for the rest. The asked
 * details are recomputed from the order, so a field that was not asked can never replace what the order says.
 */
export function buildIssuer(order: ResolvedOrder, fields: Readonly<Record<string, string>>): IssuerInput {
  const asked = new Set(missingIssuerFields(order));
  const customer = order.customer;
  const company = asked.has('companyName') ? undefined : customer?.company;
  const address = company ? companyAddress(order) : undefined;
  const pick = (key: IssuerFieldKey, fromOrder: string | undefined): string => {
    const value = (asked.has(key) ? fields[key] : fromOrder)?.trim();
    if (!value) throw new MissingIssuerDetail(key);
    return value;
  };
  const line2 = address?.line2?.trim();
  const issuer: IssuerInput = {
    address: {
      line1: pick('addressLine1', address?.line1),
      ...(line2 && !asked.has('addressLine1') ? { line2 } : {}),
      city: pick('city', address?.city),
      zipCode: pick('postalCode', address?.postalCode),
    },
    name: pick('companyName', company?.name),
    contactEmail: pick('email', customer?.email),
    contactPhone: pick('phone', customer?.phone),
  };
  // Hero tracks a customer's financing limits by this reference (maxPaymentForCustomer).
  if (customer?.reference?.trim()) issuer.customerReference = customer.reference.trim();
  if (company?.siret?.trim()) issuer.siret = company.siret.trim();
  if (company?.vatNumber?.trim()) issuer.vatNumber = company.vatNumber.trim();
  return issuer;
}

/** The company's billing address; a company without one is taken to be billed at the customer's address. */
function companyAddress(order: ResolvedOrder): Address | undefined {
  return order.customer?.company?.address ?? order.customer?.address;
}

/** Which field key an issuer path in a Hero validation error is about (`['issuer','contactEmail']` → `email`). */
export function fieldForIssuerPath(path: readonly string[]): IssuerFieldKey | undefined {
  const [root, first, second] = path;
  if (root !== 'issuer') return undefined;
  if (first === 'name') return 'companyName';
  if (first === 'contactEmail') return 'email';
  if (first === 'contactPhone') return 'phone';
  if (first === 'address') {
    if (second === 'line1') return 'addressLine1';
    if (second === 'zipCode') return 'postalCode';
    if (second === 'city') return 'city';
  }
  return undefined;
}
