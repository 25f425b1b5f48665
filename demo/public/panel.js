/**
 * The sandbox panel in every demo page's footer: buttons that call the sandbox's control API (it answers CORS `*`)
 * so any outcome can be tried from the shop — the next payment declined, cancelled or expired, a provider call
 * failing or slow, Kronor's websockets dropped — and a line saying what the sandbox answered.
 */
const panel = /** @type {HTMLElement | null} */ (document.querySelector('[data-sandbox]'));

if (panel) {
  const sandbox = panel.dataset.sandbox ?? '';
  const providerSelect = /** @type {HTMLSelectElement} */ (panel.querySelector('[data-provider]'));
  const result = /** @type {HTMLElement} */ (panel.querySelector('[data-result]'));
  const providerName = () => providerSelect.selectedOptions[0]?.textContent ?? providerSelect.value;

  /**
   * Calls the control API; answers the parsed JSON, or throws with what went wrong.
   * @param {string} path
   * @param {unknown} [body]
   */
  const control = async (path, body) => {
    let response;
    try {
      response = await fetch(`${sandbox}/_sandbox${path}`, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new Error(`The sandbox cannot be reached at ${sandbox}.`);
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`The sandbox refused: ${answer.error ?? response.status}.`);
    return answer;
  };

  /** @type {Record<string, string>} */
  const OUTCOME_TEXT = { decline: 'declined', cancel: 'cancelled', expire: 'expired' };

  /**
   * What each button does, and the sentence saying it was done.
   * @param {HTMLButtonElement} button
   * @returns {Promise<string>}
   */
  const run = async (button) => {
    const provider = providerSelect.value;
    const { outcome, fault, action } = button.dataset;
    if (outcome) {
      await control('/outcomes', { provider, outcome });
      // hi.health has no expired status: a payment nobody finishes there is cancelled.
      if (outcome === 'expire' && provider === 'hidirect') {
        return 'hi.health has no expiry of its own: its next payment ends cancelled when its page opens.';
      }
      return `The next ${providerName()} payment will be ${OUTCOME_TEXT[outcome] ?? outcome} when its page opens (Swish: when the phone opens it).`;
    }
    if (fault === 'error') {
      // Held for the whole start, the endpoint's retries included: what the shopper then sees is Kassa's own answer.
      await control('/faults/next-payment-start', { provider, status: 500 });
      return `${providerName()} will answer HTTP 500 to the next payment start. Where another provider offers the method, Kassa moves the payment there; otherwise the shopper sees the error.`;
    }
    if (fault === 'latency') {
      await control('/faults', { provider, operation: 'any', kind: 'latency', latencyMs: 3000, times: 3 });
      return `The next 3 calls to ${providerName()} each take 3 s longer.`;
    }
    if (action === 'drop') {
      const { closed } = await control('/kronor/drop-connections');
      return `Dropped ${closed} Kronor connection${closed === 1 ? '' : 's'}; open checkouts reconnect.`;
    }
    if (action === 'reset') {
      await control('/reset');
      return 'The sandbox forgot every payment, outcome and fault.';
    }
    return '';
  };

  panel.addEventListener('click', (event) => {
    const button = /** @type {Element} */ (event.target).closest('button');
    if (!button || !panel.contains(button)) return;
    result.textContent = '';
    button.disabled = true;
    run(button)
      .then((message) => {
        result.textContent = message;
      })
      .catch((/** @type {Error} */ error) => {
        result.textContent = error.message;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
