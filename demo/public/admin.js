/**
 * The back office's operation forms (`/admin/orders`): each sends `POST /admin/payments/{ref}/{operation}` with
 * `{amount?, reason?, idempotencyKey}` — the amount turned from the typed major unit ("10.50") into minor units — and
 * reloads the page once the shop's server answers the updated payment, saying what happened in the payment's status
 * line. A refusal (a problem) is shown as text and the page is kept. The form's idempotency key was made when the
 * page was rendered, so a form sent twice is one operation at Kassa.
 */

/** Where the message of an operation that reloaded the page waits for the new page. */
const DONE_KEY = 'kassa-demo-admin-done';

/** @type {Record<string, string>} */
const DONE_TEXT = { capture: 'Captured', cancel: 'Cancelled', refund: 'Refunded' };

/**
 * "10.50" (or "10,50", "10") → minor units with `digits` decimals (1050), without floating point; undefined when the
 * text is no such amount.
 * @param {string} text
 * @param {number} digits
 * @returns {number | undefined}
 */
export function minorUnits(text, digits) {
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match || (match[2] ?? '').length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

/**
 * @param {number} minor
 * @param {string} currency
 * @param {number} digits
 */
const formatMinor = (minor, currency, digits) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 10 ** digits);

/**
 * The text of a problem answer: its title and detail, never markup.
 * @param {Response} response
 */
async function problemText(response) {
  const problem = await response.json().catch(() => undefined);
  const title = typeof problem?.title === 'string' ? problem.title : `The shop's server answered ${response.status}`;
  return typeof problem?.detail === 'string' ? `${title}: ${problem.detail}` : title;
}

/**
 * @param {HTMLElement | null} output
 * @param {string} text
 * @param {'done' | 'error' | 'working'} kind
 */
function say(output, text, kind) {
  if (!output) return;
  output.textContent = text;
  output.dataset.kind = kind;
}

/**
 * Sends one form; answers once the page is reloading or the refusal is shown.
 * @param {HTMLFormElement} form
 */
async function send(form) {
  const { operation = '', payment = '', currency = 'EUR' } = form.dataset;
  const digits = Number(form.dataset.digits ?? 2);
  const output = /** @type {HTMLElement | null} */ (form.closest('li[data-payment]')?.querySelector('[data-operation-result]') ?? null);
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));

  /** @type {{amount?: number, reason?: string, idempotencyKey?: string}} */
  const body = {};
  const amountText = field('amount')?.value.trim() ?? '';
  if (amountText) {
    const amount = minorUnits(amountText, digits);
    if (!amount) {
      say(output, `Not an amount in ${currency} above zero: “${amountText}” (for example ${(10).toFixed(digits)}).`, 'error');
      field('amount')?.focus();
      return;
    }
    body.amount = amount;
  }
  const reason = field('reason')?.value.trim();
  if (reason) body.reason = reason;
  const key = field('idempotencyKey');
  if (key?.value) body.idempotencyKey = key.value;

  say(output, `${form.querySelector('button')?.textContent ?? operation}…`, 'working');
  let response;
  try {
    response = await fetch(`/admin/payments/${encodeURIComponent(payment)}/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
    });
  } catch {
    // The same key on a retry: if the first request did reach the server, the operation is not done twice.
    say(output, "The shop's server cannot be reached: try again.", 'error');
    return;
  }
  if (!response.ok) {
    say(output, await problemText(response), 'error');
    // Refused: nothing was done, so a corrected form is a new operation. A 5xx may have been done: keep the key.
    if (response.status < 500 && key && typeof crypto.randomUUID === 'function') key.value = crypto.randomUUID();
    return;
  }
  const updated = await response.json().catch(() => ({}));
  const amount = body.amount !== undefined ? ` ${formatMinor(body.amount, currency, digits)}` : '';
  const state = typeof updated?.state === 'string' ? updated.state : 'unknown';
  sessionStorage.setItem(DONE_KEY, JSON.stringify({ payment, text: `${DONE_TEXT[operation] ?? operation}${amount}: the payment is now ${state}.` }));
  location.reload();
}

/** After a reload: the message of the operation that caused it, in its payment's status line, focused. */
function showDone() {
  const saved = sessionStorage.getItem(DONE_KEY);
  if (!saved) return;
  sessionStorage.removeItem(DONE_KEY);
  try {
    const { payment, text } = JSON.parse(saved);
    const item = [...document.querySelectorAll('li[data-payment]')].find((element) => element instanceof HTMLElement && element.dataset.payment === payment);
    const output = /** @type {HTMLElement | null} */ (item?.querySelector('[data-operation-result]') ?? null);
    if (!output || typeof text !== 'string') return;
    say(output, text, 'done');
    output.focus();
  } catch {
    // A message this page cannot read is not worth an error.
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.operation) return;
  event.preventDefault();
  // One request at a time per form: a second click while the first is on its way does nothing.
  const fieldset = [...form.elements].filter((element) => element instanceof HTMLButtonElement || element instanceof HTMLInputElement);
  if (form.dataset.busy) return;
  form.dataset.busy = 'true';
  for (const element of fieldset) /** @type {HTMLButtonElement | HTMLInputElement} */ (element).disabled = true;
  send(form).finally(() => {
    delete form.dataset.busy;
    for (const element of fieldset) /** @type {HTMLButtonElement | HTMLInputElement} */ (element).disabled = false;
  });
});

showDone();
