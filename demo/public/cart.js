/**
 * The demo shop's cart, kept in localStorage: a currency and a quantity per product. It holds no prices the server
 * trusts: checking out sends the quantities, and the server makes the order reference and prices it.
 */
const KEY = 'kassa-demo-cart';

export const CURRENCIES = ['EUR', 'SEK', 'DKK', 'NOK', 'PLN'];
export const MAX_QUANTITY = 20;

/** @typedef {{ currency: string, items: Record<string, number> }} Cart */

/** @returns {Cart} */
export function loadCart() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (saved && CURRENCIES.includes(saved.currency) && saved.items && typeof saved.items === 'object') {
      /** @type {Record<string, number>} */
      const items = {};
      for (const [sku, quantity] of Object.entries(saved.items)) {
        if (Number.isInteger(quantity) && quantity > 0) items[sku] = Math.min(quantity, MAX_QUANTITY);
      }
      return { currency: saved.currency, items };
    }
  } catch {
    // A cart that cannot be read is an empty cart.
  }
  return { currency: 'EUR', items: {} };
}

/** @param {Cart} cart */
export function saveCart(cart) {
  try {
    localStorage.setItem(KEY, JSON.stringify(cart));
  } catch {
    // Storage may be off (private mode); the cart then lasts as long as the page.
  }
}

/** Empties the cart, keeping the chosen currency. */
export function clearCart() {
  saveCart({ currency: loadCart().currency, items: {} });
}

/**
 * An amount in minor units, formatted with Intl in the page's language (as `<kassa-checkout>` formats it), with the
 * currency's own number of decimals.
 * @param {number} minor
 * @param {string} currency
 */
export function formatMoney(minor, currency) {
  const format = new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
