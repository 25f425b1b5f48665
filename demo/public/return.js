/**
 * The return page: `<kassa-status>` follows the payment. Once it says the payment succeeded, the page asks the
 * shop's own server about the order (demo/public/order.js), and the cart is emptied only when the server says the
 * order is paid — the browser's word alone is never enough. The payment may already be known as paid when this runs
 * (it runs after kassa.js), so the element's `payment` is read as well as its `kassa-complete` event heard.
 */
import { confirmOrder } from './order.js';

const SUCCESS = ['paid', 'authorized'];
const status = /** @type {(HTMLElement & { payment?: { state: string, reference?: string } }) | null} */ (document.querySelector('kassa-status'));
const output = /** @type {HTMLElement | null} */ (document.querySelector('[data-order-status]'));
let asked = false;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The order a payment is for, from the endpoint's `GET /kassa/payments/{ref}` (a few tries), or undefined.
 * @param {string} reference
 * @returns {Promise<string | undefined>}
 */
async function orderOf(reference) {
  for (const delay of [0, 1000, 2000]) {
    if (delay) await sleep(delay);
    try {
      const response = await fetch(`/kassa/payments/${encodeURIComponent(reference)}`, { headers: { accept: 'application/json' } });
      if (response.status === 404) return undefined;
      if (response.ok) {
        const body = await response.json();
        if (typeof body?.order === 'string') return body.order;
      }
    } catch {
      // Offline for a moment: try again.
    }
  }
  return undefined;
}

/** @param {{ reference?: string } | undefined} payment */
async function confirm(payment) {
  const reference = payment?.reference ?? new URLSearchParams(location.search).get('kassa_payment');
  if (asked || !reference) return;
  asked = true;
  const order = await orderOf(reference);
  if (order) await confirmOrder(order, output);
}

if (SUCCESS.includes(status?.payment?.state ?? '')) void confirm(status?.payment);
document.addEventListener('kassa-complete', (event) => void confirm(/** @type {Event & { payment?: { reference?: string } }} */ (event).payment));
