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
      return `The next ${providerName()} payment will be ${OUTCOME_TEXT[outcome] ?? outcome} when its page opens (Swish: when the phone opens it).`;
    }
    if (fault === 'error') {
      await control('/faults', { provider, operation: 'create', kind: 'error', status: 500, times: 1 });
      return `The next ${providerName()} payment start fails with HTTP 500.`;
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
