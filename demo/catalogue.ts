/**
 * The demo shop's catalogue and its `resolveOrder`: the merchant's own code deciding what an order costs. The
 * browser only ever sends an order reference.
 *
 * References: five fixed orders (`DEMO-EUR`, `DEMO-SEK`, `DEMO-DKK`, `DEMO-NOK`, `DEMO-PLN`), their variants
 * `DEMO-<CUR>~<suffix>` (suffix: 1–40 letters, digits, `_` or `-`; the same order under a reference of its own, so
 * each checkout the shop starts is a new order — `freshDemoOrder`), cart references
 * `CART-<CUR>-<sku>.<qty>[-<sku>.<qty>…]`, e.g. `CART-EUR-mug.2-tote.1`, priced from the catalogue below, and their
 * variants `CART-…~<suffix>` (the same suffix rule): each cart checkout is an order of its own (`freshCartOrder`), so
 * buying the same cart twice is two orders, not a second payment for one already paid.
 */
import { randomBytes } from 'node:crypto';
import { OrderRefused } from '../src/server/config.ts';
import type { Customer, ResolvedOrder } from '../src/server/provider.ts';

export const CURRENCIES = ['EUR', 'SEK', 'DKK', 'NOK', 'PLN'] as const;
export type DemoCurrency = (typeof CURRENCIES)[number];

export interface Product {
  sku: string;
  name: string;
  /** Minor units per currency. */
  prices: Record<DemoCurrency, number>;
}

export const PRODUCTS: Product[] = [
  { sku: 'mug', name: 'Kassa mug', prices: { EUR: 1490, SEK: 16900, DKK: 11000, NOK: 17500, PLN: 6500 } },
  { sku: 'tote', name: 'Canvas tote', prices: { EUR: 1990, SEK: 22900, DKK: 14900, NOK: 23500, PLN: 8500 } },
  { sku: 'hoodie', name: 'Hoodie', prices: { EUR: 4990, SEK: 54900, DKK: 37500, NOK: 57500, PLN: 21500 } },
];

const FRENCH_COMPANY: Customer = {
  reference: 'demo-customer-fr',
  name: 'Camille Martin',
  email: 'camille@atelier-demo.example',
  phone: '+33600000000',
  country: 'FR',
  language: 'fr',
  company: {
    name: 'Atelier Démo SARL',
    siret: '73282932000074',
    vatNumber: 'FR44732829320',
    address: { line1: '10 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
  },
};

const CUSTOMERS: Record<DemoCurrency, Customer> = {
  EUR: FRENCH_COMPANY,
  SEK: { reference: 'demo-customer-se', name: 'Astrid Lind', email: 'astrid@example.se', phone: '+46701234567', country: 'SE', language: 'sv' },
  DKK: { reference: 'demo-customer-dk', name: 'Mads Nielsen', email: 'mads@example.dk', phone: '+4520123456', country: 'DK', language: 'da' },
  NOK: { reference: 'demo-customer-no', name: 'Ingrid Berg', email: 'ingrid@example.no', phone: '+4791234567', country: 'NO', language: 'no' },
  PLN: { reference: 'demo-customer-pl', name: 'Jan Kowalski', email: 'jan@example.pl', phone: '+48501234567', country: 'PL', language: 'pl' },
};

const FIXED: Record<string, { amount: number; currency: DemoCurrency }> = {
  'DEMO-EUR': { amount: 4990, currency: 'EUR' },
  'DEMO-SEK': { amount: 49900, currency: 'SEK' },
  'DEMO-DKK': { amount: 37500, currency: 'DKK' },
  'DEMO-NOK': { amount: 52000, currency: 'NOK' },
  'DEMO-PLN': { amount: 21500, currency: 'PLN' },
};

/** `DEMO-<CUR>~<suffix>` or `CART-…~<suffix>`: group 1 is the fixed order or the cart it is a variant of. */
const VARIANT = /^((?:DEMO|CART)-[^~]+)~[A-Za-z0-9_-]{1,40}$/;

const MAX_QUANTITY = 20;

/**
 * The demo's `resolveOrder`: a fixed order or a priced cart (or a variant of either); anything else is refused with
 * 404.
 */
export function resolveDemoOrder(reference: string): ResolvedOrder {
  // A variant has its fixed order's or its cart's contents under its own, full reference.
  const base = VARIANT.exec(reference)?.[1] ?? reference;
  // Own keys only: an order named `toString` or `__proto__` is no order.
  const fixed = Object.hasOwn(FIXED, base) ? FIXED[base] : undefined;
  if (fixed) {
    return { reference, ...fixed, customer: CUSTOMERS[fixed.currency], description: `Kassa demo order ${reference}` };
  }
  const cart = parseCartReference(base);
  if (!cart) throw new OrderRefused(`no order ${reference}`, 404);
  const lines = cart.items.map(({ product, quantity }) => ({
    name: product.name,
    reference: product.sku,
    quantity,
    unitPrice: product.prices[cart.currency],
  }));
  return {
    reference,
    amount: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
    currency: cart.currency,
    customer: CUSTOMERS[cart.currency],
    lines,
    description: `Kassa demo cart`,
  };
}

/** A new variant of the currency's fixed order, e.g. `DEMO-EUR~q3X_9aLk`: what the shop's own pages check out. */
export function freshDemoOrder(currency: DemoCurrency): string {
  return `DEMO-${currency}~${randomBytes(6).toString('base64url')}`;
}

/** The cart's contents as a reference, e.g. `CART-EUR-mug.2-tote.1`: the base of its checkouts' orders. */
export function cartReference(currency: DemoCurrency, items: Array<{ sku: string; quantity: number }>): string {
  return `CART-${currency}-${items.map((i) => `${i.sku}.${i.quantity}`).join('-')}`;
}

/** A new order for the cart, e.g. `CART-EUR-mug.2-tote.1~q3X_9aLk`: what each cart checkout pays. */
export function freshCartOrder(currency: DemoCurrency, items: Array<{ sku: string; quantity: number }>): string {
  return `${cartReference(currency, items)}~${randomBytes(6).toString('base64url')}`;
}

function parseCartReference(reference: string): { currency: DemoCurrency; items: Array<{ product: Product; quantity: number }> } | undefined {
  const match = /^CART-([A-Z]{3})-((?:[a-z]+\.\d{1,2}-?)+)$/.exec(reference);
  if (!match) return undefined;
  const currency = match[1] as DemoCurrency;
  if (!CURRENCIES.includes(currency)) return undefined;
  const items: Array<{ product: Product; quantity: number }> = [];
  for (const part of match[2]!.split('-').filter(Boolean)) {
    const [sku, qty] = part.split('.');
    const product = PRODUCTS.find((p) => p.sku === sku);
    const quantity = Number(qty);
    if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) return undefined;
    if (items.some((i) => i.product === product)) return undefined;
    items.push({ product, quantity });
  }
  return items.length ? { currency, items } : undefined;
}
