/**
 * The checkout page: a payment completed on the page itself (Swish, a QR code, a form) makes it ask the shop's own
 * server about the order (demo/public/order.js); a cart order's cart is emptied only when the server says it is paid,
 * never on the element's `kassa-complete` alone.
 */
import { confirmOrder } from './order.js';

const checkout = document.querySelector('kassa-checkout');
const output = /** @type {HTMLElement | null} */ (document.querySelector('[data-order-status]'));
let asked = false;

document.addEventListener('kassa-complete', () => {
  const order = checkout?.getAttribute('order');
  if (asked || !order) return;
  asked = true;
  void confirmOrder(order, output);
});
