/**
 * The return page: `<kassa-status>` follows the payment; once it is paid the shop empties its cart, as a real shop
 * does when the order is placed. The payment may already be known as paid when this runs (it runs after kassa.js),
 * so the element's `payment` is read as well as its `kassa-complete` event heard.
 */
import { clearCart } from './cart.js';

const SUCCESS = ['paid', 'authorized'];
const status = /** @type {(HTMLElement & { payment?: { state: string } }) | null} */ (document.querySelector('kassa-status'));

if (SUCCESS.includes(status?.payment?.state ?? '')) clearCart();
document.addEventListener('kassa-complete', () => clearCart());
