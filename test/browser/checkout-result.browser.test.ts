/// <reference types="mocha" />
/**
 * One look for results: the checkout shows a payment's final state with the same card as the return page's
 * kassa-status (icon, message, what to do next, amount), at once and without checking again, and its own button
 * back to the methods, "Choose another payment method". Its events are fired once.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import en from '../../src/core/locales/en.ts';
import type { PaymentView } from '../../src/core/model.ts';
import '../../src/components/checkout/define.ts';
import type { KassaCheckout } from '../../src/components/checkout/checkout.ts';
import type { KassaMethodPicker } from '../../src/components/method-picker/method-picker.ts';
import type { KassaStatus } from '../../src/components/status/status.ts';
import type { KassaPaymentStartEvent } from '../../src/components/shared/events.ts';
import { freshOrder, sandboxControl, testEnv } from './env.ts';
import { emulateDesktop, emulatePhone } from './phone.ts';

const root = (el: KassaCheckout) => el.shadowRoot!;
const part = (el: KassaCheckout, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const card = (el: KassaCheckout) => root(el).querySelector<KassaStatus>('[part~="result"] kassa-status');
const inCard = (status: KassaStatus, name: string) => status.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)?.textContent?.trim() ?? '';

/** Records every message the checkout's status cards show, from the first render on. */
function recordMessages(el: KassaCheckout): string[] {
  const shown: string[] = [];
  const seen = new WeakSet<Element>();
  const note = () => {
    for (const status of root(el).querySelectorAll<KassaStatus>('kassa-status')) {
      if (status.shadowRoot && !seen.has(status)) {
        seen.add(status);
        new MutationObserver(note).observe(status.shadowRoot, { subtree: true, childList: true, characterData: true });
      }
      const message = status.shadowRoot?.querySelector('[part~="message"]')?.textContent?.trim();
      if (message && shown.at(-1) !== message) shown.push(message);
    }
  };
  new MutationObserver(note).observe(root(el), { subtree: true, childList: true });
  return shown;
}

/** Pays with Swish for a fresh DEMO-SEK and answers the payment once its QR code and live status show. */
async function swishWaiting(el: KassaCheckout): Promise<PaymentView> {
  await waitUntil(() => root(el).querySelector('kassa-method-picker'), 'the picker', { timeout: 10_000 });
  const picker = root(el).querySelector<KassaMethodPicker>('kassa-method-picker')!;
  await picker.updateComplete;
  const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].find((r) => r.querySelector('[part~="name"]')?.textContent?.trim() === 'Swish');
  radio!.click();
  await el.updateComplete;
  const started = oneEvent(el, 'kassa-payment-start') as Promise<KassaPaymentStartEvent>;
  part(el, 'pay-button')!.click();
  const { payment } = await started;
  await waitUntil(() => root(el).querySelector('kassa-status'), 'the live status', { timeout: 10_000 });
  return payment;
}

async function decide(reference: string, outcome: string): Promise<void> {
  let id: string | undefined;
  await waitUntil(
    async () => {
      const { payments } = await sandboxControl<{ payments: Array<{ id: string; reference: string }> }>('GET', '/payments?provider=kronor');
      id = payments.find((p) => p.reference === reference)?.id;
      return Boolean(id);
    },
    'the Kronor payment',
    { timeout: 10_000 },
  );
  await sandboxControl('POST', `/payments/kronor/${encodeURIComponent(id!)}/outcome`, { outcome });
}

describe('kassa-checkout: the result', () => {
  let endpointUrl: string;
  before(async () => {
    ({ endpointUrl } = await testEnv());
  });
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    await emulateDesktop();
  });

  for (const { outcome, state, tone, detail, event } of [
    { outcome: 'decline', state: 'declined', tone: 'failure', detail: en['status.nextDeclined'], event: 'kassa-fail' },
    { outcome: 'cancel', state: 'cancelled', tone: 'neutral', detail: en['status.nextCancelled'], event: 'kassa-fail' },
    { outcome: 'pay', state: 'paid', tone: 'success', detail: '', event: 'kassa-complete' },
  ] as const) {
    it(`on a phone, ${state}: the return page's card, shown at once, with the checkout's own way back`, async () => {
      await emulatePhone();
      const el = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${endpointUrl} order=${freshOrder('DEMO-SEK')} locale="en"></kassa-checkout>`);
      const shown = recordMessages(el);
      let events = 0;
      el.addEventListener(event, () => events++);
      const payment = await swishWaiting(el);
      await decide(payment.reference, outcome);
      await waitUntil(() => card(el) !== null, 'the result card', { timeout: 15_000 });
      const status = card(el)!;
      await status.updateComplete;
      // At once: the card never went back to checking the payment.
      expect(inCard(status, 'message')).to.equal(en[`status.${state}`]);
      expect(shown.slice(shown.indexOf(en['status.action_required']) + 1)).to.deep.equal([en[`status.${state}`]]);
      expect(inCard(status, 'detail')).to.equal(detail);
      expect(inCard(status, 'amount')).to.equal(new Intl.NumberFormat('en', { style: 'currency', currency: 'SEK' }).format(payment.amount / 100));
      expect(status.shadowRoot!.querySelector('[part~="status"]')!.classList.contains(tone)).to.equal(true);
      expect(status.shadowRoot!.querySelector('[part~="icon"] svg')).to.not.equal(null);
      expect(status.shadowRoot!.querySelector('[part~="choose-another"]'), 'the checkout offers its own way back').to.equal(null);
      expect(events).to.equal(1);
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'dark' });
      await expect(el).to.be.accessible();

      if (state === 'paid') {
        expect(part(el, 'retry')).to.equal(null);
        return;
      }
      const retry = part(el, 'retry') as HTMLButtonElement;
      expect(retry.textContent?.trim()).to.equal(en['status.chooseAnother']);
      retry.click();
      await waitUntil(() => part(el, 'pay-button'), 'back to the methods', { timeout: 5000 });
      expect(card(el)).to.equal(null);
    });
  }
});
