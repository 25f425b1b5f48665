/// <reference types="mocha" />
/**
 * The return page as a shopper on a phone sees it: `<kassa-status endpoint>` alone, as the demo's `/return.html` has
 * it, for payments that ended at the sandbox. After a final failure it says what happened and what to do, and offers
 * "Choose another payment method" back to the checkout of the same order; it speaks the language the shopper checked
 * out in; it says when the browser goes offline and when it is back. Light and dark both pass axe.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { loadMessages } from '../../src/core/i18n.ts';
import en from '../../src/core/locales/en.ts';
import type { PaymentResponse, PaymentState, PaymentView } from '../../src/core/model.ts';
import { recallCheckoutPlace, rememberPending } from '../../src/core/pending-payment.ts';
import '../../src/components/status/define.ts';
import '../../src/components/redirect/define.ts';
import type { KassaRedirect } from '../../src/components/redirect/redirect.ts';
import type { KassaStatus } from '../../src/components/status/status.ts';
import { freshOrder, sandboxControl, testEnv } from './env.ts';
import { emulateDesktop, emulatePhone } from './phone.ts';

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

interface Made {
  payment: PaymentView;
  order: string;
  /** The provider's id, for the sandbox's control API. */
  id: string;
}

/** A payment for a fresh variant of `order` with `method`, its hosted page opened (as the shopper's browser does). */
async function makePayment(order: string, method: string): Promise<Made> {
  const { endpointUrl } = await testEnv();
  const fresh = freshOrder(order);
  const session = await post<{ token: string }>(`${endpointUrl}/session`, { order: fresh });
  const { payment, action } = await post<PaymentResponse>(`${endpointUrl}/payments`, { token: session.token, method }, { 'idempotency-key': crypto.randomUUID() });
  if (action.type !== 'redirect') throw new Error(`expected a redirect, got ${action.type}`);
  if (payment.provider === 'hero') return { payment, order: fresh, id: new URL(action.url).pathname.split('/').pop()! };
  await fetch(action.url, { mode: 'no-cors' }); // hi.health claims the payment when its page opens
  const { payments } = await sandboxControl<{ payments: Array<{ id: string; reference: string }> }>('GET', `/payments?provider=${payment.provider}`);
  const mine = payments.find((p) => p.reference === payment.reference);
  if (!mine) throw new Error('the sandbox does not list the payment');
  return { payment, order: fresh, id: mine.id };
}

/** The shopper decided on the provider's page, the provider sent them to the return page with the reference. */
async function endedAs(state: PaymentState, outcome: string, method: string): Promise<Made> {
  const made = await makePayment('DEMO-EUR', method);
  await sandboxControl('POST', `/payments/${made.payment.provider}/${made.id}/outcome`, { outcome });
  return made;
}

function part(el: KassaStatus, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
const text = (el: KassaStatus, name: string) => part(el, name)?.textContent?.trim() ?? '';

function clearKassaStorage(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('kassa:')) localStorage.removeItem(key);
}

/** What the checkout page remembers when the shopper leaves it for the provider (checkout-controller's `pending`). */
function leftCheckout(made: Made, endpointUrl: string, locale?: string): string {
  const checkoutUrl = new URL(`/checkout.html?order=${encodeURIComponent(made.order)}`, location.href).href;
  rememberPending({ reference: made.payment.reference, endpoint: endpointUrl, provider: made.payment.provider, checkoutUrl, ...(locale ? { locale } : {}) });
  return checkoutUrl;
}

/** The page as the provider left it: `?kassa_payment=` in the address; restored afterwards. */
function landOnReturnPage(reference: string, restores: Array<() => void>): void {
  const original = location.href;
  // The test runner's own parameters stay: its commands find the test session by them.
  const url = new URL(original);
  url.searchParams.set('kassa_payment', reference);
  history.replaceState(null, '', url);
  restores.push(() => history.replaceState(null, '', original));
}

function inViewport(element: Element): boolean {
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
}

describe('the return page', () => {
  let endpointUrl: string;
  const restores: Array<() => void> = [];

  before(async () => {
    ({ endpointUrl } = await testEnv());
  });

  beforeEach(() => clearKassaStorage());

  afterEach(async () => {
    while (restores.length) restores.pop()!();
    clearKassaStorage();
    await emulateMedia({ colorScheme: 'light' });
    await emulateDesktop();
  });

  const ENDINGS = [
    { state: 'declined', outcome: 'decline', method: 'hidirect:hi-health', tone: 'failure' },
    { state: 'cancelled', outcome: 'cancel', method: 'hidirect:hi-health', tone: 'neutral' },
    { state: 'expired', outcome: 'expire', method: 'hero:Pay1X', tone: 'failure' },
    { state: 'failed', outcome: 'fail', method: 'hero:Pay1X', tone: 'failure' },
  ] as const;

  for (const { state, outcome, method, tone } of ENDINGS) {
    it(`on a phone, ${state}: says what happened and what to do, and leads back to the checkout of the same order`, async () => {
      await emulatePhone();
      const made = await endedAs(state, outcome, method);
      const checkoutUrl = leftCheckout(made, endpointUrl);
      landOnReturnPage(made.payment.reference, restores);

      const el = await fixture<KassaStatus>(html`<kassa-status endpoint=${endpointUrl}></kassa-status>`);
      await waitUntil(() => el.state === state && part(el, 'choose-another') !== null, `state ${el.state}`, { timeout: 8000 });
      expect(text(el, 'message')).to.equal(en[`status.${state}`]);
      const next = { declined: 'status.nextDeclined', cancelled: 'status.nextCancelled', expired: 'status.nextExpired', failed: 'status.nextFailed' } as const;
      expect(text(el, 'detail')).to.equal(en[next[state]]);
      expect(part(el, 'status')!.classList.contains(tone)).to.equal(true);

      const link = part(el, 'choose-another') as HTMLAnchorElement;
      expect(link.localName).to.equal('a');
      expect(link.textContent?.trim()).to.equal(en['status.chooseAnother']);
      expect(link.href).to.equal(checkoutUrl);
      expect(new URL(link.href).searchParams.get('order')).to.equal(made.order);
      expect(inViewport(link), 'the link is in view on a 375×812 screen').to.equal(true);
      expect(link.getBoundingClientRect().height).to.be.at.least(44);

      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'dark' });
      await expect(el).to.be.accessible();
    });
  }

  it('the way back is reached with the keyboard and is a link a browser can follow or open in a new tab', async () => {
    const made = await endedAs('expired', 'expire', 'hero:Pay1X');
    const checkoutUrl = leftCheckout(made, endpointUrl);
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${made.payment.reference}></kassa-status>`);
    await waitUntil(() => part(el, 'choose-another') !== null, 'no way back', { timeout: 8000 });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'choose-another'));
    const link = part(el, 'choose-another') as HTMLAnchorElement;
    expect(link.getAttribute('href')).to.equal(checkoutUrl);
    expect(link.hasAttribute('target')).to.equal(false);
  });

  it('a cancel is neutral: its icon is not the error colour a decline gets', async () => {
    const declined = await endedAs('declined', 'decline', 'hidirect:hi-health');
    const cancelled = await endedAs('cancelled', 'cancel', 'hidirect:hi-health');
    const a = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${declined.payment.reference}></kassa-status>`);
    const b = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${cancelled.payment.reference}></kassa-status>`);
    await waitUntil(() => a.state === 'declined' && b.state === 'cancelled', `${a.state} ${b.state}`, { timeout: 8000 });
    expect(part(b, 'status')!.classList.contains('neutral')).to.equal(true);
    expect(getComputedStyle(part(b, 'icon')!).color).not.to.equal(getComputedStyle(part(a, 'icon')!).color);
    expect(getComputedStyle(part(b, 'icon')!).color).to.equal(getComputedStyle(part(b, 'amount')!).color); // the muted colour
  });

  it('the checkout page given by the merchant wins; a foreign or javascript: one is never offered', async () => {
    const made = await endedAs('declined', 'decline', 'hidirect:hi-health');
    leftCheckout(made, endpointUrl);
    const given = `${location.origin}/shop/checkout?order=${made.order}`;
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${made.payment.reference} checkout-url=${given}></kassa-status>`);
    await waitUntil(() => part(el, 'choose-another') !== null, 'no way back', { timeout: 8000 });
    expect((part(el, 'choose-another') as HTMLAnchorElement).href).to.equal(given);

    for (const hostile of ['javascript:alert(1)', 'https://evil.example/checkout', '//evil.example/x', 'data:text/html,x']) {
      clearKassaStorage();
      el.checkoutUrl = hostile;
      await el.updateComplete;
      expect(part(el, 'choose-another'), hostile).to.equal(null);
    }
  });

  it('no way back is offered without a checkout page, after a success, or to the page the shopper is on', async () => {
    const declined = await endedAs('declined', 'decline', 'hidirect:hi-health');
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${declined.payment.reference}></kassa-status>`);
    await waitUntil(() => el.state === 'declined', `state ${el.state}`, { timeout: 8000 });
    expect(text(el, 'detail')).to.equal(en['status.nextDeclined']);
    expect(part(el, 'choose-another')).to.equal(null);
    el.checkoutUrl = location.href;
    await el.updateComplete;
    expect(part(el, 'choose-another')).to.equal(null);

    const paid = await endedAs('paid', 'pay', 'hidirect:hi-health');
    leftCheckout(paid, endpointUrl);
    const ok = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${paid.payment.reference}></kassa-status>`);
    await waitUntil(() => ok.state === 'paid', `state ${ok.state}`, { timeout: 8000 });
    expect(part(ok, 'choose-another')).to.equal(null);
    expect(part(ok, 'detail')).to.equal(null);
    expect(text(ok, 'amount')).not.to.equal('');
  });

  it('speaks the language the shopper checked out in, even after the payment is forgotten; its own locale wins', async () => {
    const sv = await loadMessages('sv');
    const made = await endedAs('cancelled', 'cancel', 'hidirect:hi-health');
    const checkoutUrl = leftCheckout(made, endpointUrl, 'sv');
    landOnReturnPage(made.payment.reference, restores);
    document.documentElement.lang = 'en'; // the return page itself is in English, as the demo's is
    restores.push(() => document.documentElement.removeAttribute('lang'));

    const el = await fixture<KassaStatus>(html`<kassa-status endpoint=${endpointUrl}></kassa-status>`);
    await waitUntil(() => el.state === 'cancelled' && text(el, 'message') === sv['status.cancelled'], `shows ${text(el, 'message')}`, { timeout: 8000 });
    expect(text(el, 'detail')).to.equal(sv['status.nextCancelled']);
    expect(text(el, 'choose-another')).to.equal(sv['status.chooseAnother']);
    expect(el.getAttribute('lang')).to.equal('sv'); // assistive technology reads it as Swedish too
    expect(recallCheckoutPlace(made.payment.reference)).to.deep.equal({ checkoutUrl, locale: 'sv' });
    await expect(el).to.be.accessible();

    // Reloaded: the payment is forgotten (final), where it was checked out is not.
    el.remove();
    const again = await fixture<KassaStatus>(html`<kassa-status endpoint=${endpointUrl}></kassa-status>`);
    await waitUntil(() => text(again, 'message') === sv['status.cancelled'], `shows ${text(again, 'message')}`, { timeout: 8000 });
    expect((part(again, 'choose-another') as HTMLAnchorElement).href).to.equal(checkoutUrl);

    const own = await fixture<KassaStatus>(html`<kassa-status locale="de" endpoint=${endpointUrl}></kassa-status>`);
    const de = await loadMessages('de');
    await waitUntil(() => text(own, 'message') === de['status.cancelled'], `shows ${text(own, 'message')}`, { timeout: 8000 });
    const lang = await fixture<KassaStatus>(html`<kassa-status lang="fr" endpoint=${endpointUrl}></kassa-status>`);
    const fr = await loadMessages('fr');
    await waitUntil(() => text(lang, 'message') === fr['status.cancelled'], `shows ${text(lang, 'message')}`, { timeout: 8000 });
  });

  it('kassa-redirect used alone remembers where the shopper checked out and in which language', async () => {
    const reference = 'kp_standalone0000000000000000';
    const went: string[] = [];
    const el = await fixture<KassaRedirect>(html`<kassa-redirect
      lang="sv"
      .navigate=${(url: string) => went.push(url)}
      .pending=${{ reference, endpoint: endpointUrl, provider: 'milkypay' }}
      .action=${{ type: 'redirect', url: 'http://127.0.0.1:9/pay' }}
    ></kassa-redirect>`);
    await waitUntil(() => went.length === 1, 'did not leave');
    expect(recallCheckoutPlace(reference)).to.deep.equal({ checkoutUrl: location.href.split('#')[0], locale: 'sv' });
    el.remove();
  });

  describe('offline', () => {
    function stubOnline(value: () => boolean): void {
      const descriptor = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: value });
      restores.push(() => {
        delete (navigator as unknown as Record<string, unknown>).onLine;
        Object.defineProperty(Navigator.prototype, 'onLine', descriptor);
      });
    }

    it('while the state is awaited: says offline within 2 s, then "back online", and goes on at once', async () => {
      await emulatePhone();
      const { payment, id } = await makePayment('DEMO-EUR', 'hidirect:hi-health');
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
      await waitUntil(() => el.state === 'pending', `state ${el.state}`, { timeout: 8000 });
      expect(part(el, 'note')).to.equal(null);

      let online = false;
      stubOnline(() => online);
      const wentOffline = performance.now();
      window.dispatchEvent(new Event('offline'));
      await waitUntil(() => text(el, 'note') === en['status.offline'], `note: ${text(el, 'note')}`, { timeout: 2000 });
      expect(performance.now() - wentOffline).to.be.below(2000);
      expect(part(el, 'status')!.getAttribute('role')).to.equal('status'); // said, politely
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'dark' });
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });

      online = true;
      window.dispatchEvent(new Event('online'));
      await waitUntil(() => text(el, 'note') === en['status.backOnline'], `note: ${text(el, 'note')}`, { timeout: 1000 });
      await expect(el).to.be.accessible();
      await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'pay' });
      await waitUntil(() => el.state === 'paid', `state ${el.state}`, { timeout: 5000 });
      expect(part(el, 'note')).to.equal(null); // settled: nothing is awaited any more
    });

    it('offline while polling: the payment is read again the moment the browser is back online, not after the backoff', async () => {
      // The stream is unavailable, so the element polls with backoff (1, 2, 4 … s).
      const NativeEventSource = window.EventSource;
      window.EventSource = class extends NativeEventSource {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(`${String(url)}-unavailable`, init);
        }
      } as typeof EventSource;
      restores.push(() => void (window.EventSource = NativeEventSource));
      let online = true;
      const nativeFetch = window.fetch;
      // Offline: the page's reads of the payment fail as the browser fails them (the test's own calls still go out).
      window.fetch = (input, init) =>
        !online && String(input instanceof Request ? input.url : input).includes('/kassa/payments/kp_') ? Promise.reject(new TypeError('Failed to fetch')) : nativeFetch(input, init);
      restores.push(() => void (window.fetch = nativeFetch));
      stubOnline(() => online);

      const { payment, id } = await makePayment('DEMO-EUR', 'hidirect:hi-health');
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
      await waitUntil(() => el.state === 'pending', `state ${el.state}`, { timeout: 8000 });

      online = false;
      const wentOffline = performance.now();
      window.dispatchEvent(new Event('offline'));
      await waitUntil(() => text(el, 'note') === en['status.offline'], `note: ${text(el, 'note')}`, { timeout: 2000 });
      expect(performance.now() - wentOffline).to.be.below(2000);
      await aTimeout(3500); // the reads fail meanwhile, and the wait before the next one has grown to 4 s
      expect(el.state).to.equal('pending');
      expect(text(el, 'note')).to.equal(en['status.offline']);

      await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'decline' });
      online = true;
      const back = performance.now();
      window.dispatchEvent(new Event('online'));
      await waitUntil(() => text(el, 'note') === en['status.backOnline'] || el.state === 'declined', `note: ${text(el, 'note')}`, { timeout: 1000 });
      await waitUntil(() => el.state === 'declined', `state ${el.state}`, { timeout: 2000 });
      expect(performance.now() - back).to.be.below(1500);
      expect(part(el, 'note')).to.equal(null);
      expect(text(el, 'message')).to.equal(en['status.declined']);
    });

    it('says nothing about the connection once the payment is final', async () => {
      const made = await endedAs('declined', 'decline', 'hidirect:hi-health');
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${made.payment.reference}></kassa-status>`);
      await waitUntil(() => el.state === 'declined', `state ${el.state}`, { timeout: 8000 });
      stubOnline(() => false);
      window.dispatchEvent(new Event('offline'));
      await aTimeout(100);
      expect(part(el, 'note')).to.equal(null);
    });
  });
});
