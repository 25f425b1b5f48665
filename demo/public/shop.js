/**
 * The product page: prices in the chosen currency, a cart (add, quantities, remove) with its total, and the
 * checkout form. The form sends only quantities and the currency to `/cart/checkout`; the shop's server turns them
 * into an order reference that its `resolveOrder` prices, so the browser never states an amount.
 *
 * Everything is built with DOM calls and `textContent`: the page runs with Trusted Types required.
 */
import { CURRENCIES, formatMoney, loadCart, MAX_QUANTITY, saveCart } from './cart.js';

/** @type {Array<{ sku: string, name: string, prices: Record<string, number>, price: HTMLElement }>} */
const products = [...document.querySelectorAll('[data-sku]')].map((element) => {
  const el = /** @type {HTMLElement} */ (element);
  return {
    sku: el.dataset.sku ?? '',
    name: el.querySelector('h2')?.textContent ?? '',
    prices: JSON.parse(el.dataset.prices ?? '{}'),
    price: /** @type {HTMLElement} */ (el.querySelector('[data-price]')),
  };
});

const currencySelect = /** @type {HTMLSelectElement} */ (document.getElementById('currency'));
const lines = /** @type {HTMLElement} */ (document.querySelector('[data-cart-lines]'));
const empty = /** @type {HTMLElement} */ (document.querySelector('[data-cart-empty]'));
const total = /** @type {HTMLElement} */ (document.querySelector('[data-cart-total]'));
const form = /** @type {HTMLFormElement} */ (document.getElementById('cart-form'));
const checkout = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));

const cart = loadCart();
// Only products this page sells stay in the cart.
for (const sku of Object.keys(cart.items)) if (!products.some((p) => p.sku === sku)) delete cart.items[sku];

function update() {
  saveCart(cart);
  const { currency } = cart;
  currencySelect.value = currency;
  for (const product of products) product.price.textContent = formatMoney(product.prices[currency] ?? 0, currency);

  for (const line of [...lines.children]) {
    if (!cart.items[/** @type {HTMLElement} */ (line).dataset.line ?? '']) line.remove();
  }
  let sum = 0;
  const inCart = products.filter((p) => cart.items[p.sku]);
  for (const [index, product] of inCart.entries()) {
    const quantity = cart.items[product.sku] ?? 0;
    const lineTotal = (product.prices[currency] ?? 0) * quantity;
    sum += lineTotal;
    const line = lineFor(product);
    const input = /** @type {HTMLInputElement} */ (line.querySelector('input'));
    if (document.activeElement !== input || Number(input.value) !== quantity) input.value = String(quantity);
    /** @type {HTMLElement} */ (line.querySelector('.line-total')).textContent = formatMoney(lineTotal, currency);
    // In the catalogue's order; a line already in place is not moved (moving it would take the focus away).
    if (lines.children[index] !== line) lines.insertBefore(line, lines.children[index] ?? null);
  }

  empty.hidden = inCart.length > 0;
  lines.hidden = inCart.length === 0;
  total.textContent = formatMoney(sum, currency);
  checkout.disabled = inCart.length === 0;
  for (const product of products) {
    const field = /** @type {HTMLInputElement} */ (form.elements.namedItem(product.sku));
    field.value = String(cart.items[product.sku] ?? 0);
  }
}

/**
 * The cart line of a product: found, or made once.
 * @param {(typeof products)[number]} product
 */
function lineFor(product) {
  const existing = /** @type {HTMLElement | null} */ (lines.querySelector(`[data-line="${product.sku}"]`));
  if (existing) return existing;
  const line = document.createElement('li');
  line.className = 'cart-line';
  line.dataset.line = product.sku;

  const name = document.createElement('span');
  name.id = `line-${product.sku}`;
  name.textContent = product.name;

  const label = document.createElement('label');
  const labelText = document.createElement('span');
  labelText.className = 'visually-hidden';
  labelText.textContent = `Quantity of ${product.name}`;
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '1';
  input.max = String(MAX_QUANTITY);
  input.inputMode = 'numeric';
  input.addEventListener('input', () => {
    const quantity = Number(input.value);
    if (!Number.isInteger(quantity) || quantity < 1) return; // wait for a usable number
    cart.items[product.sku] = Math.min(quantity, MAX_QUANTITY);
    update();
  });
  input.addEventListener('change', () => update()); // puts back a value left empty or out of range
  label.append(labelText, input);

  const lineTotal = document.createElement('span');
  lineTotal.className = 'line-total';

  const remove = document.createElement('button');
  remove.type = 'button';
  remove.id = `remove-${product.sku}`;
  remove.textContent = 'Remove';
  remove.setAttribute('aria-labelledby', `${remove.id} ${name.id}`); // "Remove Kassa mug"
  remove.addEventListener('click', () => {
    delete cart.items[product.sku];
    update();
    currencySelect.focus();
  });

  line.append(name, label, lineTotal, remove);
  return line;
}

for (const button of document.querySelectorAll('[data-add]')) {
  button.addEventListener('click', () => {
    const sku = /** @type {HTMLElement} */ (button).dataset.add ?? '';
    cart.items[sku] = Math.min((cart.items[sku] ?? 0) + 1, MAX_QUANTITY);
    update();
  });
}

currencySelect.addEventListener('change', () => {
  if (CURRENCIES.includes(currencySelect.value)) cart.currency = currencySelect.value;
  update();
});

update();
