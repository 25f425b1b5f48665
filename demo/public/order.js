/**
 * The shop's own word on an order, for its pages: `GET /orders/{order}.json` → `{order, state}`, from the order book
 * that only the server's `onPaymentEvent` hook writes. A page asks once its status element says the payment
 * succeeded, and keeps asking with backoff for about 30 s (the server may hear from the provider a moment after the
 * browser does). Only the server's `paid` empties the cart: the element's `kassa-complete` alone never does, since
 * any shopper can fake one from the console.
 */
import { clearCart } from './cart.js';

/** The waits between questions: about 30 s in all. */
const DELAYS_MS = [250, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 5000, 7000];

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The order's state as the shop's server knows it (`open`, `paid`, `refunded`), or undefined when the server has not
 * heard of the order (yet) or cannot be reached.
 * @param {string} order
 * @returns {Promise<string | undefined>}
 */
export async function orderState(order) {
  try {
    const response = await fetch(`/orders/${encodeURIComponent(order)}.json`, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    const body = await response.json();
    return typeof body?.state === 'string' ? body.state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the order was made from the cart (`CART-…`): only such an order empties the cart.
 * @param {string} order
 */
export const isCartOrder = (order) => order.startsWith('CART-');

/**
 * Asks the shop's server until it says the order is paid (or about 30 s pass), saying where things are in `output`;
 * a paid cart order empties the cart. Answers the last state heard.
 * @param {string} order
 * @param {HTMLElement | null} output
 * @returns {Promise<string | undefined>}
 */
export async function confirmOrder(order, output) {
  /** @param {string} text @param {string} state */
  const say = (text, state) => {
    if (!output) return;
    output.textContent = text;
    output.dataset.state = state;
  };
  const cart = isCartOrder(order);
  say(`The shop is confirming order ${order}…`, 'waiting');
  let state;
  for (const delay of [0, ...DELAYS_MS]) {
    if (delay) await sleep(delay);
    state = await orderState(order);
    if (state === 'paid') break;
  }
  if (state === 'paid') {
    if (cart) clearCart();
    say(`The shop has order ${order} as paid${cart ? ', and your cart is emptied' : ''}.`, 'paid');
  } else {
    say(`The shop has not yet heard that order ${order} is paid${cart ? ', so your cart is kept' : ''}: reload this page to ask again.`, state ?? 'unknown');
  }
  return state;
}
