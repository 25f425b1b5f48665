/// <reference types="mocha" />
/**
 * kassa-checkout against the real demo endpoint and the sandbox (started by web-test-runner.config.mjs): sessions,
 * methods from every provider, paying once per click, redirects, Kronor Swish with a live status, failures and
 * retries, keyboard use, hostile provider data, cleanup, and axe in every state it renders.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { emulateDesktop, emulatePhone } from '../../../test/browser/phone.ts';
import { freshOrder, sandboxControl, testEnv, type TestEnv } from '../../../test/browser/env.ts';
import { formatAmount } from '../../core/format.ts';
import { problemType } from '../../core/problem-codes.ts';
import { loadMessages, translate } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import type { PaymentMethod, PaymentView, SessionResponse } from '../../core/model.ts';
import { recallPending } from '../../core/pending-payment.ts';
import type {
  KassaCompleteEvent,
  KassaErrorEvent,
  KassaFailEvent,
  KassaMethodChangeEvent,
  KassaPaymentStartEvent,
} from '../shared/events.ts';
import type { KassaMethodFields } from '../method-fields/method-fields.ts';
import type { KassaMethodPicker } from '../method-picker/method-picker.ts';
import type { KassaCheckout } from './checkout.ts';
import './define.ts';

// ---- helpers ------------------------------------------------------------------------------------------------

let env: TestEnv;

interface Call {
  url: string;
  method: string;
  key: string | null;
  signal: AbortSignal | undefined;
}

type Intercept = (url: string, init: RequestInit | undefined, real: typeof fetch) => Promise<Response> | undefined;

/** Records every fetch the page makes (and lets a test answer or break some); restored after each test. */
let restoreFetch: (() => void) | undefined;
function spyFetch(intercept?: Intercept): Call[] {
  const real = window.fetch;
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ url, method: init?.method ?? 'GET', key: new Headers(init?.headers).get('idempotency-key'), signal: init?.signal ?? undefined });
    return intercept?.(url, init, real) ?? real(input, init);
  };
  restoreFetch = () => {
    window.fetch = real;
  };
  return calls;
}

const payRequests = (calls: Call[]) => calls.filter((c) => c.method === 'POST' && c.url.endsWith('/kassa/payments'));

/** A checkout for a fresh variant of `order` (`DEMO-EUR~b1-…`): a payment in one test never makes the next one's order paid. */
async function mount(order: string, extra: { locale?: string } = {}): Promise<KassaCheckout> {
  return fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder(order)} locale=${extra.locale ?? 'en'}></kassa-checkout>`);
}

const root = (el: KassaCheckout) => el.shadowRoot!;
const part = (el: KassaCheckout, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const picker = (el: KassaCheckout) => root(el).querySelector<KassaMethodPicker>('kassa-method-picker');
const fieldsOf = (el: KassaCheckout) => root(el).querySelector<KassaMethodFields>('kassa-method-fields');
const payButton = (el: KassaCheckout) => part(el, 'pay-button') as HTMLButtonElement;

async function methodsShown(el: KassaCheckout): Promise<KassaMethodPicker> {
  await waitUntil(() => picker(el), 'the picker should appear', { timeout: 10_000 });
  const p = picker(el)!;
  await p.updateComplete;
  return p;
}

/** Clicks the method's radio in the picker, as a shopper does. */
async function choose(el: KassaCheckout, id: string): Promise<PaymentMethod> {
  const p = await methodsShown(el);
  const method = el.session!.methods.find((m) => m.id === id);
  expect(method, `method ${id} offered`).to.not.equal(undefined);
  const shownName = (r: HTMLElement) => r.querySelector('[part~="name"]')?.textContent?.trim();
  let radios = [...p.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].filter((r) => shownName(r) === method!.name.en);
  if (radios.length > 1) {
    // Two providers' methods with one name ("Card"): with group-by="provider", the one in its provider's group.
    const groupLabel = (r: HTMLElement) => p.shadowRoot!.getElementById(r.closest('[part~="group"]')!.getAttribute('aria-labelledby')!)?.textContent?.trim();
    radios = radios.filter((r) => groupLabel(r) === en[`picker.provider.${method!.provider}`]);
  }
  expect(radios, `one radio named ${method!.name.en}`).to.have.length(1);
  radios[0]!.click();
  await el.updateComplete;
  return method!;
}

function waitFor<T extends Event>(target: EventTarget, type: string, timeout = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeout} ms`)), timeout);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as T);
      },
      { once: true },
    );
  });
}

/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function focusNotOnBody(step: string): void {
  expect(document.activeElement, `focus after ${step}`).to.not.equal(document.body);
  expect(document.activeElement, `focus after ${step}`).to.not.equal(null);
}

async function sandboxPayments(provider: string): Promise<Array<{ id: string; reference: string | null; status: string }>> {
  return (await sandboxControl('GET', `/payments?provider=${provider}`)).payments;
}

/** The sandbox's Kronor payment (its id is the waitToken) for a Kassa payment reference. */
async function kronorPaymentFor(reference: string): Promise<{ id: string; status: string }> {
  let found: { id: string; status: string } | undefined;
  await waitUntil(
    async () => {
      found = (await sandboxPayments('kronor')).find((p) => p.reference === reference);
      return Boolean(found);
    },
    'the Kronor payment should exist',
    { timeout: 10_000 },
  );
  return found!;
}

/** Pays with Swish for DEMO-SEK and waits until the QR code and the live status are shown. */
async function swishWaiting(el: KassaCheckout): Promise<PaymentView> {
  await choose(el, 'swish');
  const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
  payButton(el).click();
  const { payment, action } = await started;
  expect(action.type).to.equal('kronor');
  await waitUntil(() => root(el).querySelector('kassa-qr') && root(el).querySelector('kassa-status'), 'QR and status', { timeout: 10_000 });
  return payment;
}

before(async () => {
  env = await testEnv();
});

afterEach(() => {
  restoreFetch?.();
  restoreFetch = undefined;
});

// ---- tests --------------------------------------------------------------------------------------------------

describe('kassa-checkout', function () {
  // The first Kronor payment loads Apollo + graphql-ws unbundled (hundreds of modules).
  this.timeout(40_000);

  it('shows a loading state, then the methods of every provider, the total and a pay button (axe in both)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    spyFetch((url, init, real) => (url.endsWith('/kassa/session') ? gate.then(() => real(url, init)) : undefined));
    const el = await mount('DEMO-EUR');

    const loading = part(el, 'loading')!;
    expect(loading.getAttribute('role')).to.equal('status');
    expect(loading.textContent?.trim()).to.equal(en['common.loading']);
    expect(picker(el)).to.equal(null);
    await expect(el).to.be.accessible();

    release();
    const p = await methodsShown(el);
    expect(part(el, 'loading')).to.equal(null);
    const session = el.session!;
    expect(session.order).to.match(/^DEMO-EUR~/);
    expect(new Set(session.methods.map((m) => m.provider))).to.deep.equal(new Set(['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor']));
    expect(p.methods).to.equal(session.methods);
    expect(p.shadowRoot!.querySelectorAll('[role="radio"]').length).to.equal(session.methods.length);

    const total = formatAmount(4990, 'EUR', 'en');
    expect(part(el, 'amount')!.textContent).to.include(total);
    expect(payButton(el).textContent?.trim()).to.equal(`Pay ${total}`);
    expect(payButton(el).getAttribute('aria-disabled'), 'no method chosen yet').to.equal('true');
    expect(root(el).textContent).to.include(en['checkout.choose']);
    await expect(el).to.be.accessible();
  });

  it('fires kassa-method-change, then pays hi.health: kassa-payment-start and navigate to the sandbox hi.health page', async () => {
    const el = await mount('DEMO-EUR');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);

    const changed = waitFor<KassaMethodChangeEvent>(el, 'kassa-method-change');
    await choose(el, 'hi-health');
    const change = await changed;
    expect(change.method.id).to.equal('hi-health');
    expect(change.bubbles && change.composed).to.equal(true);
    expect(payButton(el).getAttribute('aria-disabled')).to.equal('false');

    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    payButton(el).click();
    const start = await started;
    expect(start.payment.provider).to.equal('hidirect');
    expect(start.payment.method).to.equal('hidirect:hi-health');
    expect(start.payment.amount).to.equal(4990);
    expect(start.action.type).to.equal('redirect');

    await waitUntil(() => navigated.length > 0, 'navigate should be called', { timeout: 5_000 });
    expect(navigated).to.have.length(1);
    const url = (start.action as { url: string }).url;
    expect(navigated[0]).to.equal(url);
    expect(navigated[0]!.startsWith(`${env.sandboxUrl}/hidirect/pay?token=`)).to.equal(true);
    // The pending payment was remembered for the return page, with the checkout's endpoint.
    const pending = recallPending(start.payment.reference);
    expect(pending?.provider).to.equal('hidirect');
    expect(pending?.endpoint).to.equal(env.endpointUrl);
    expect(part(el, 'cancel')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('hands a MilkyPay PayPal form POST to a two-parameter navigate instead of leaving the page', async () => {
    const el = await mount('DEMO-EUR');
    const navigations: Array<{ url: string; method: string; fields: Array<[string, string]> }> = [];
    el.navigate = (url, navigation) => {
      navigations.push({ url, method: navigation.method, fields: navigation.method === 'POST' ? navigation.fields.map(([n, v]) => [n, v]) : [] });
    };
    // Were the form submitted natively, the page would leave: count it instead.
    const submit = HTMLFormElement.prototype.submit;
    let nativeSubmits = 0;
    HTMLFormElement.prototype.submit = () => void nativeSubmits++;
    try {
      await methodsShown(el);
      const paypal = el.session!.methods.find((m) => m.provider === 'milkypay' && /paypal/i.test(m.id));
      expect(paypal, 'MilkyPay PayPal offered for EUR').to.not.equal(undefined);
      await choose(el, paypal!.id);
      const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
      payButton(el).click();
      const { action } = await started;
      expect(action.type).to.equal('form');
      const form = action as { url: string; fields?: Record<string, string> };
      await waitUntil(() => navigations.length > 0 || nativeSubmits > 0, 'navigate or a native submit', { timeout: 5_000 });
      await aTimeout(100);
      expect(nativeSubmits, 'the form was not submitted natively').to.equal(0);
      expect(navigations).to.deep.equal([{ url: form.url, method: 'POST', fields: Object.entries(form.fields ?? {}).map(([n, v]) => [n, String(v)]) }]);
      expect(navigations[0]!.fields.length, 'the hidden fields').to.be.greaterThan(0);
    } finally {
      HTMLFormElement.prototype.submit = submit;
    }
  });

  it('makes one request and one hi.health payment for a double click', async () => {
    const el = await mount('DEMO-EUR');
    el.navigate = () => undefined;
    await choose(el, 'hi-health');
    const before = (await sandboxPayments('hidirect')).length;
    const calls = spyFetch();

    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    const button = payButton(el);
    button.click();
    button.click(); // the same task: the checkout is already busy
    await el.updateComplete;
    expect(button.getAttribute('aria-disabled'), 'disabled while the request runs').to.equal('true');
    expect(button.textContent?.trim()).to.equal(en['checkout.paying']);
    const { payment } = await started;
    await aTimeout(300);

    expect(payRequests(calls)).to.have.length(1);
    const after = await sandboxPayments('hidirect');
    expect(after.length - before).to.equal(1);
    expect(after.filter((p) => p.reference === payment.reference)).to.have.length(1);
  });

  it('retries a pay request that met a network error with the same idempotency key: one payment', async () => {
    const el = await mount('DEMO-EUR');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    await choose(el, 'hi-health');
    const before = (await sandboxPayments('hidirect')).length;
    let lose = 1;
    // The first answer is lost after the endpoint made the payment: the worst case for paying twice.
    const calls = spyFetch((url, init, real) => {
      if (!(init?.method === 'POST' && url.endsWith('/kassa/payments')) || lose-- <= 0) return undefined;
      return real(url, init).then(() => Promise.reject(new TypeError('Failed to fetch')));
    });
    const starts: KassaPaymentStartEvent[] = [];
    el.addEventListener('kassa-payment-start', (e) => starts.push(e));

    payButton(el).click();
    await waitUntil(() => navigated.length === 1, 'navigate after the retry', { timeout: 8_000 });

    const requests = payRequests(calls);
    expect(requests).to.have.length(2);
    expect(requests[0]!.key).to.be.a('string').and.not.equal('');
    expect(requests[1]!.key).to.equal(requests[0]!.key);
    expect(starts).to.have.length(1);
    expect((await sandboxPayments('hidirect')).length - before).to.equal(1);
  });

  it('gives up after two retries with a localized network error, and the next click resends the same key', async () => {
    const el = await mount('DEMO-EUR');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    await choose(el, 'hi-health');
    let offline = true;
    const calls = spyFetch((url, init) =>
      offline && init?.method === 'POST' && url.endsWith('/kassa/payments') ? Promise.reject(new TypeError('Failed to fetch')) : undefined,
    );
    const errored = waitFor<KassaErrorEvent>(el, 'kassa-error');
    payButton(el).click();
    const error = await errored;
    expect(error.code).to.equal('network');
    expect(error.message).to.equal(en['error.network']);
    await el.updateComplete;
    expect(payRequests(calls)).to.have.length(3);
    expect(new Set(payRequests(calls).map((c) => c.key)).size).to.equal(1);
    const shown = part(el, 'error')!;
    expect(shown.getAttribute('role')).to.equal('alert');
    expect(shown.textContent?.trim()).to.equal(en['error.network']);
    expect(payButton(el).getAttribute('aria-disabled')).to.equal('false');

    // Whether the lost request reached the shop is unknown: the same click again must not be a second payment.
    offline = false;
    payButton(el).click();
    await waitUntil(() => navigated.length === 1, 'navigate once back online', { timeout: 8_000 });
    expect(payRequests(calls)).to.have.length(4);
    expect(payRequests(calls)[3]!.key).to.equal(payRequests(calls)[0]!.key);
  });

  it('keeps pay disabled until a MilkyPay method’s fields are valid, and shows their errors on a click (axe)', async () => {
    const el = await mount('DEMO-EUR');
    const calls = spyFetch();
    await choose(el, 'mbway');
    await waitUntil(() => fieldsOf(el), 'the fields should appear');
    const fields = fieldsOf(el)!;
    await fields.updateComplete;
    expect(fields.method?.id).to.equal('mbway');
    await waitUntil(() => payButton(el).getAttribute('aria-disabled') === 'true', 'pay disabled while the phone is missing');

    payButton(el).click();
    await fields.updateComplete;
    await el.updateComplete;
    expect(payRequests(calls), 'no request with invalid fields').to.have.length(0);
    const error = fields.shadowRoot!.querySelector('[part~="error"]');
    expect(error?.textContent?.trim()).to.equal(en['fields.phoneNumber.required']);
    expect(fields.shadowRoot!.activeElement?.getAttribute('name'), 'validate() focused the input').to.equal('phone');
    await expect(el).to.be.accessible();

    await sendKeys({ type: '+351912' });
    await el.updateComplete;
    expect(payButton(el).getAttribute('aria-disabled')).to.equal('true');
    await sendKeys({ type: '345678' });
    await waitUntil(() => payButton(el).getAttribute('aria-disabled') === 'false', 'pay enabled once the number is valid');
    expect(payRequests(calls)).to.have.length(0);
  });

  it('shows a localized endpoint error with a retry, and fires kassa-error (axe)', async () => {
    const errored = new Promise<KassaErrorEvent>((resolve) => document.addEventListener('kassa-error', (e) => resolve(e), { once: true }));
    const el = await mount('NOPE');
    const error = await errored;
    expect(error.code).to.equal('order-not-found');
    expect(error.message).to.equal(en['error.order-not-found']);
    await el.updateComplete;
    expect(part(el, 'error')!.textContent?.trim()).to.equal(en['error.order-not-found']);
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
    const retry = part(el, 'retry') as HTMLButtonElement;
    expect(retry.textContent?.trim()).to.equal(en['common.retry']);
    await expect(el).to.be.accessible();

    const again = waitFor<KassaErrorEvent>(el, 'kassa-error');
    const calls = spyFetch();
    retry.click();
    await el.updateComplete;
    expect(part(el, 'loading')).to.not.equal(null);
    expect((await again).code).to.equal('order-not-found');
    expect(calls.filter((c) => c.url.endsWith('/kassa/session'))).to.have.length(1);
  });

  it('is localized: amounts in the shopper’s format and messages from the locale’s catalogue', async () => {
    const sv = await mount('DEMO-EUR', { locale: 'sv' });
    await methodsShown(sv);
    await sv.updateComplete;
    const svTotal = formatAmount(4990, 'EUR', 'sv');
    expect(svTotal).to.include('49,90');
    const svPay = translate(await loadMessages('sv'), 'checkout.pay', { amount: svTotal });
    await waitUntil(() => payButton(sv).textContent?.trim() === svPay, `the pay button reads “${svPay}”`);
    expect(picker(sv)!.getAttribute('locale')).to.equal('sv');

    // A problem answer read in German (or in English while the German catalogue lacks the key).
    spyFetch((url) =>
      url.endsWith('/kassa/session')
        ? Promise.resolve(
            new Response(JSON.stringify({ type: 'urn:kassa:problem:order-refused', title: 'The order cannot be paid', status: 422 }), {
              status: 422,
              headers: { 'content-type': 'application/problem+json' },
            }),
          )
        : undefined,
    );
    const de = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-EUR')} locale="de"></kassa-checkout>`);
    const expected = translate(await loadMessages('de'), 'error.order-refused');
    await waitUntil(() => part(de, 'error')?.textContent?.trim() === expected, 'the German (or fallback) message', { timeout: 10_000 });
    expect(part(de, 'retry')!.textContent?.trim()).to.equal(translate(await loadMessages('de'), 'common.retry'));
    await expect(de).to.be.accessible();
  });

  it('pays with Swish: QR code and live status, approved on the phone → paid without reload, kassa-complete (axe)', async () => {
    const el = await mount('DEMO-SEK');
    const payment = await swishWaiting(el);
    const qr = root(el).querySelector('kassa-qr')!;
    const status = root(el).querySelector('kassa-status')!;
    const sandbox = await kronorPaymentFor(payment.reference);
    expect(qr.data).to.match(/^D/);
    expect(qr.app).to.equal('Swish');
    expect(status.reference).to.equal(payment.reference);
    expect(status.kronor?.waitToken).to.equal(sandbox.id);
    expect(part(el, 'cancel')).to.not.equal(null);
    await expect(el).to.be.accessible();

    const completed = waitFor<KassaCompleteEvent>(document, 'kassa-complete', 15_000);
    await sandboxControl('POST', `/payments/kronor/${encodeURIComponent(sandbox.id)}/outcome`, { outcome: 'pay' });
    const complete = await completed;
    expect(complete.payment.reference).to.equal(payment.reference);
    expect(complete.payment.state).to.equal('paid');
    await el.updateComplete;
    // The result is the return page's card: kassa-status, given the final payment (it reads nothing more).
    const result = part(el, 'result')!.querySelector('kassa-status')!;
    await result.updateComplete;
    expect(result.shadowRoot!.querySelector('[part~="message"]')!.textContent?.trim()).to.equal(en['status.paid']);
    expect(root(el).querySelectorAll('kassa-status'), 'the live status ended').to.have.length(1);
    expect(part(el, 'cancel')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('after a reload while the Swish QR is shown, shows the same payment again instead of a second one', async () => {
    const order = freshOrder('DEMO-SEK');
    const first = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${order} locale="en"></kassa-checkout>`);
    const payment = await swishWaiting(first);
    const qrData = root(first).querySelector('kassa-qr')!.data;
    first.remove(); // the page goes away, as on a reload; sessionStorage stays with the tab
    const calls = spyFetch();
    const again = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${order} locale="en"></kassa-checkout>`);
    await waitUntil(() => root(again).querySelector('kassa-qr') && root(again).querySelector('kassa-status'), 'the QR code again', { timeout: 10_000 });
    expect(root(again).querySelector('kassa-qr')!.data).to.equal(qrData);
    expect(root(again).querySelector('kassa-status')!.reference).to.equal(payment.reference);
    expect(picker(again), 'no picker').to.equal(null);
    expect(payRequests(calls), 'no second payment').to.have.length(0);
    expect((await sandboxPayments('kronor')).filter((p) => p.reference === payment.reference)).to.have.length(1);
    await expect(again).to.be.accessible();

    // Cancel: the shopper chooses again; a later reload shows the picker.
    part(again, 'cancel')!.click();
    await methodsShown(again);
    again.remove();
    const third = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${order} locale="en"></kassa-checkout>`);
    await methodsShown(third);
  });

  it('for an order already paid shows that payment’s status and says so, not the picker (axe)', async () => {
    const order = freshOrder('DEMO-SEK');
    const first = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${order} locale="en"></kassa-checkout>`);
    const payment = await swishWaiting(first);
    const sandbox = await kronorPaymentFor(payment.reference);
    const completed = waitFor<KassaCompleteEvent>(document, 'kassa-complete', 15_000);
    await sandboxControl('POST', `/payments/kronor/${encodeURIComponent(sandbox.id)}/outcome`, { outcome: 'pay' });
    await completed;
    first.remove();
    // The endpoint knows it too (a status read asks Kronor), as it would from Kronor's webhook or its reconciliation.
    await waitUntil(async () => (await (await fetch(`${env.endpointUrl}/payments/${payment.reference}`)).json()).state === 'paid', 'the endpoint knows it is paid', {
      timeout: 10_000,
    });

    const calls = spyFetch();
    const paid = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${order} locale="en"></kassa-checkout>`);
    await waitUntil(() => part(paid, 'result'), 'the already-paid message', { timeout: 10_000 });
    expect(part(paid, 'result')!.textContent?.trim()).to.equal(en['error.order-already-paid']);
    await waitUntil(() => root(paid).querySelector('kassa-status'), 'the paying payment’s status', { timeout: 10_000 });
    expect(root(paid).querySelector('kassa-status')!.reference).to.equal(payment.reference);
    expect(picker(paid), 'no picker').to.equal(null);
    expect(payRequests(calls)).to.have.length(0);
    await expect(paid).to.be.accessible();
  });

  it('shows a declined Swish payment with “Try again”, which returns to the picker and pays with a new key', async () => {
    const el = await mount('DEMO-SEK');
    const calls = spyFetch();
    const first = await swishWaiting(el);
    const sandbox = await kronorPaymentFor(first.reference);
    const failed = waitFor<KassaFailEvent>(el, 'kassa-fail', 15_000);
    await sandboxControl('POST', `/payments/kronor/${encodeURIComponent(sandbox.id)}/outcome`, { outcome: 'decline' });
    expect((await failed).payment.state).to.equal('declined');
    await el.updateComplete;
    const result = part(el, 'result')!.querySelector('kassa-status')!;
    await result.updateComplete;
    expect(result.shadowRoot!.querySelector('[part~="message"]')!.textContent?.trim()).to.equal(en['status.declined']);
    expect(part(el, 'retry')!.textContent?.trim()).to.equal(en['status.chooseAnother']);
    await expect(el).to.be.accessible();

    (part(el, 'retry') as HTMLButtonElement).click();
    await methodsShown(el);
    expect(payButton(el).getAttribute('aria-disabled')).to.equal('false');
    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    payButton(el).click();
    const second = await started;
    expect(second.payment.reference).to.not.equal(first.reference);
    const keys = payRequests(calls).map((c) => c.key);
    expect(keys).to.have.length(2);
    expect(keys[1]).to.not.equal(keys[0]);
  });

  it('starts a Kronor card payment in the browser and sends the shopper to its page, remembering the Kronor access', async () => {
    const el = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-SEK')} group-by="provider"></kassa-checkout>`);
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    await choose(el, 'card');
    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    payButton(el).click();
    const { payment, action } = await started;
    expect(action.type).to.equal('kronor');
    await waitUntil(() => navigated.length > 0, 'navigate to the Kronor card page', { timeout: 25_000 });
    const sandbox = await kronorPaymentFor(payment.reference);
    expect(navigated[0]!.startsWith(`${env.sandboxUrl}/kronor/card/`)).to.equal(true);
    const pending = recallPending(payment.reference);
    expect(pending?.provider).to.equal('kronor');
    expect(pending?.kronor?.waitToken).to.equal(sandbox.id);
    expect(pending?.kronor?.sessionToken).to.equal((action as { sessionToken: string }).sessionToken);
  });

  it('Cancel while waiting returns to the picker, cancels the Kronor payment and closes its sockets', async () => {
    const sockets: WebSocket[] = [];
    const RealWebSocket = window.WebSocket;
    window.WebSocket = class extends RealWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        if (String(url).includes('/kronor/')) sockets.push(this);
      }
    };
    try {
      const el = await mount('DEMO-SEK');
      const payment = await swishWaiting(el);
      const sandbox = await kronorPaymentFor(payment.reference);
      await waitUntil(() => sockets.some((s) => s.readyState === WebSocket.OPEN), 'a Kronor socket opens', { timeout: 5_000 });

      (part(el, 'cancel') as HTMLButtonElement).click();
      await methodsShown(el);
      expect(root(el).querySelector('kassa-status')).to.equal(null);
      await waitUntil(
        async () => (await sandboxPayments('kronor')).find((p) => p.id === sandbox.id)?.status === 'CANCELLED',
        'the Swish request should be cancelled at Kronor',
        { timeout: 10_000 },
      );
      await waitUntil(() => sockets.every((s) => s.readyState === WebSocket.CLOSED), 'every Kronor socket closes', { timeout: 5_000 });
    } finally {
      window.WebSocket = RealWebSocket;
    }
  });

  it('works from the keyboard alone: Tab to the picker, arrows to choose, Tab to pay, Enter and Space pay', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button id="before">Before</button><kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-SEK')} locale="en"></kassa-checkout></div>`,
    );
    const el = wrapper.querySelector('kassa-checkout')!;
    await methodsShown(el);
    const chosen: string[] = [];
    el.addEventListener('kassa-method-change', (e) => chosen.push(e.method.id));

    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    focusNotOnBody('Tab');
    expect(deepActive()?.getAttribute('role'), 'Tab lands on a method').to.equal('radio');
    for (let i = 0; i < 10 && chosen.at(-1) !== 'swish'; i++) {
      await sendKeys({ press: 'ArrowDown' });
      focusNotOnBody('ArrowDown');
    }
    expect(chosen.at(-1)).to.equal('swish');
    expect(deepActive()?.getAttribute('aria-checked')).to.equal('true');

    await sendKeys({ press: 'Tab' });
    expect(deepActive(), 'Tab reaches pay').to.equal(payButton(el));
    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    await sendKeys({ press: 'Enter' });
    await started;
    await waitUntil(() => root(el).querySelector('kassa-qr'), 'the QR view', { timeout: 25_000 });
    await el.updateComplete;
    focusNotOnBody('the QR view replaced the pay button');
    expect(el.matches(':focus-within'), 'focus stays in the checkout').to.equal(true);

    for (let i = 0; i < 8 && deepActive() !== part(el, 'cancel'); i++) await sendKeys({ press: 'Tab' });
    expect(deepActive(), 'Tab reaches Cancel').to.equal(part(el, 'cancel'));
    await sendKeys({ press: 'Space' });
    await methodsShown(el);
    await el.updateComplete;
    focusNotOnBody('Cancel');
    expect(el.matches(':focus-within'), 'focus back in the checkout').to.equal(true);

    for (let i = 0; i < 4 && deepActive() !== payButton(el); i++) await sendKeys({ press: 'Tab' });
    expect(deepActive()).to.equal(payButton(el));
    const again = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    await sendKeys({ press: 'Space' });
    expect((await again).payment.method).to.equal('kronor:swish');
    focusNotOnBody('Space on pay');
  });

  it('opens a method’s fields right under it, above the next method, and they move with the choice', async () => {
    const el = await mount('DEMO-EUR');
    const p = await methodsShown(el);
    const radioNamed = (name: string) => [...p.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].find((r) => r.querySelector('[part~="name"]')?.textContent?.trim() === name)!;
    const under = async (id: string) => {
      const method = await choose(el, id);
      await waitUntil(() => fieldsOf(el)?.method?.id === id, `${id}: its fields`);
      await fieldsOf(el)!.updateComplete;
      const all = [...p.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
      const radio = radioNamed(method.name.en!);
      const next = all[all.indexOf(radio) + 1];
      const fields = fieldsOf(el)!.getBoundingClientRect();
      expect(fieldsOf(el)!.slot).to.equal('details');
      expect(fields.height, `${id}: fields shown`).to.be.above(0);
      expect(fields.top - radio.getBoundingClientRect().bottom, `${id}: right under the method`).to.be.within(0, 24);
      if (next) expect(next.getBoundingClientRect().top, `${id}: above the next method`).to.be.at.least(fields.bottom);
      expect(payButton(el).getBoundingClientRect().top, 'pay below the list').to.be.above(fields.bottom);
    };
    await under('mbway');
    await expect(el).to.be.accessible();
    await choose(el, 'hi-health');
    await el.updateComplete;
    expect(fieldsOf(el), 'no fields for a method without any').to.equal(null);
    await under('mbway');
  });

  it('a slow start says whom it waits for, with Cancel; Cancel returns to the methods, and the same click again pays once (sandbox latency)', async () => {
    const el = await mount('DEMO-EUR');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    await choose(el, 'hi-health');
    const before = (await sandboxPayments('hidirect')).length;
    // Hits the next hi.health create only.
    await sandboxControl('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'latency', latencyMs: 2_500, times: 1 });
    const calls = spyFetch();
    const starts: KassaPaymentStartEvent[] = [];
    el.addEventListener('kassa-payment-start', (e) => starts.push(e));
    {
      payButton(el).click();
      await aTimeout(500);
      const progress = part(el, 'progress')!;
      expect(progress.getAttribute('role')).to.equal('status');
      expect(progress.textContent?.trim(), 'nothing yet under a second').to.equal('');
      expect(part(el, 'cancel')).to.equal(null);
      await waitUntil(() => part(el, 'cancel'), 'Cancel after a second', { timeout: 2_000 });
      expect(progress.textContent?.trim()).to.equal(translate(en, 'checkout.contacting', { provider: 'hi.health' }));
      expect(progress.querySelector('.spinner')?.getAttribute('aria-hidden')).to.equal('true');
      expect(picker(el)!.disabled, 'the methods wait meanwhile').to.equal(true);
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'dark' });
      await aTimeout(300); // the colours' transition
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });

      (part(el, 'cancel') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(part(el, 'cancel')).to.equal(null);
      expect(progress.textContent?.trim()).to.equal('');
      expect(picker(el)!.disabled, 'back to the methods').to.equal(false);
      expect(payButton(el).getAttribute('aria-disabled')).to.equal('false');
      expect(payButton(el).textContent?.trim()).to.equal(`Pay ${formatAmount(4990, 'EUR', 'en')}`);
      expect(payRequests(calls)[0]!.signal?.aborted, 'the wait was given up').to.equal(true);
      expect(deepActive()).to.equal(payButton(el));
      await aTimeout(2_600); // the provider answers the abandoned request meanwhile
      expect(starts, 'an abandoned start shows nothing').to.have.length(0);

      payButton(el).click();
      await waitUntil(() => navigated.length === 1, 'the same click again goes on to the provider', { timeout: 8_000 });
      const requests = payRequests(calls);
      expect(requests).to.have.length(2);
      expect(requests[1]!.key, 'the kept key: it cannot pay twice').to.equal(requests[0]!.key);
      expect((await sandboxPayments('hidirect')).length - before, 'one payment at the provider').to.equal(1);
    }
  });

  describe('a provider error on a phone', () => {
    afterEach(async () => {
      await emulateDesktop();
      await emulateMedia({ colorScheme: 'light' });
    });

    it('shows right above pay, scrolled into view, and names another method to try (axe light and dark)', async () => {
      await emulatePhone();
      // A shop page: the order summary above the checkout, so the pay button is far down.
      const page = await fixture<HTMLDivElement>(
        html`<div><div class="summary"></div><kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-EUR')} locale="en"></kassa-checkout></div>`,
      );
      page.querySelector<HTMLElement>('.summary')!.style.setProperty('height', '1500px');
      const el = page.querySelector('kassa-checkout')!;
      const p = await methodsShown(el);
      await choose(el, 'hi-health');
      // The endpoint answers provider-unavailable after a while, when the shopper has scrolled back up.
      spyFetch((url, init) => {
        if (!(init?.method === 'POST' && url.endsWith('/kassa/payments'))) return undefined;
        return aTimeout(300).then(
          () =>
            new Response(JSON.stringify({ type: problemType('provider-unavailable'), title: 'down', status: 503 }), {
              status: 503,
              headers: { 'content-type': 'application/problem+json' },
            }),
        );
      });
      payButton(el).scrollIntoView();
      payButton(el).click();
      await aTimeout(50);
      window.scrollTo(0, 0);
      expect(payButton(el).getBoundingClientRect().top, 'pay is off screen now').to.be.above(window.innerHeight);
      await waitUntil(() => part(el, 'error'), 'the error shows', { timeout: 5_000 });
      await aTimeout(50);
      const error = part(el, 'error')!;
      const box = error.getBoundingClientRect();
      expect(window.innerWidth).to.equal(375);
      expect(box.top, 'in view').to.be.at.least(0);
      expect(box.bottom, 'in view').to.be.at.most(window.innerHeight);
      expect(payButton(el).getBoundingClientRect().top - box.bottom, 'right above pay').to.be.within(0, 24);
      const first = p.shadowRoot!.querySelector('[role="radio"] [part~="name"]')!.textContent!.trim();
      expect(error.textContent?.trim()).to.equal(`${en['error.provider-unavailable']} ${translate(en, 'checkout.tryAnother', { method: first })}`);
      expect(error.getAttribute('role')).to.equal('alert');
      // The pay button's colours move from busy to ready: axe judges the end state.
      await waitUntil(() => payButton(el).getAnimations().length === 0, 'the pay button settles');
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'dark' });
      await aTimeout(300); // the colours' transition
      await expect(el).to.be.accessible();
    });
  });

  it('works from the keyboard alone with fields and a slow start: Tab from the method into its fields, then pay; Tab to Cancel', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button id="before">Before</button><kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-EUR')} locale="en"></kassa-checkout></div>`,
    );
    const el = wrapper.querySelector('kassa-checkout')!;
    el.navigate = () => undefined;
    await methodsShown(el);
    const chosen: string[] = [];
    el.addEventListener('kassa-method-change', (e) => chosen.push(e.method.id));
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    for (let i = 0; i < 12 && chosen.at(-1) !== 'mbway'; i++) await sendKeys({ press: 'ArrowDown' });
    expect(chosen.at(-1)).to.equal('mbway');
    await waitUntil(() => fieldsOf(el)?.shadowRoot?.querySelector('input'), 'the MB WAY phone field');

    await sendKeys({ press: 'Tab' });
    const phone = fieldsOf(el)!.shadowRoot!.querySelector('input')!;
    expect(deepActive(), 'Tab from the method goes into its fields').to.equal(phone);
    await sendKeys({ type: '+351912345678 ' }); // a Space types, it does not choose
    expect(chosen.at(-1)).to.equal('mbway');
    expect(phone.value).to.equal('+351912345678 ');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(deepActive()?.getAttribute('aria-checked'), 'Shift+Tab back to the method').to.equal('true');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(deepActive(), 'from the fields, Tab reaches pay').to.equal(payButton(el));

    // The first start is slow: its Cancel is reached by Tab; the next Enter sends the same key, so it pays once.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let hold = true;
    const calls = spyFetch((url, init, real) => {
      if (!(hold && init?.method === 'POST' && url.endsWith('/kassa/payments'))) return undefined;
      hold = false;
      return held.then(() => real(url, init));
    });
    await waitUntil(() => payButton(el).getAttribute('aria-disabled') === 'false', 'pay enabled with a valid number');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'cancel'), 'Cancel once the start is slow', { timeout: 3_000 });
    await sendKeys({ press: 'Tab' });
    expect(deepActive(), 'Tab reaches Cancel').to.equal(part(el, 'cancel'));
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(part(el, 'cancel')).to.equal(null);
    expect(deepActive(), 'focus back on pay').to.equal(payButton(el));
    release();
    const started = waitFor<KassaPaymentStartEvent>(el, 'kassa-payment-start');
    // MilkyPay posts a form to its page: the checkout leaves this test page before it can.
    el.addEventListener('kassa-payment-start', () => el.remove(), { once: true });
    await sendKeys({ press: 'Enter' });
    expect((await started).payment.method).to.match(/mbway/);
    expect(payRequests(calls)).to.have.length(2);
    expect(payRequests(calls)[1]!.key, 'the same click again: the same key').to.equal(payRequests(calls)[0]!.key);
  });

  it('renders hostile provider text as text, refuses a javascript: logo and a javascript: redirect', async () => {
    const hostile = '<img src=x onerror="window.__kassaPwned=1">';
    const session: SessionResponse = {
      token: 'session-token',
      order: 'HOSTILE',
      amount: 1000,
      currency: 'EUR',
      locale: 'en',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      methods: [{ id: 'hero:Evil', provider: 'hero', kind: 'invoice', name: { en: hostile }, logo: 'javascript:window.__kassaPwned=3' }],
    };
    const payment: PaymentView = {
      reference: 'kp_hostile000000000000000',
      provider: 'hero',
      method: 'hero:Evil',
      order: 'HOSTILE',
      amount: 1000,
      currency: 'EUR',
      state: 'action_required',
      providerStatus: null,
      updatedAt: new Date().toISOString(),
    };
    const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));
    spyFetch((url) => {
      if (url.endsWith('/kassa/session')) return json(session);
      if (url.endsWith('/kassa/payments')) return json({ payment, action: { type: 'redirect', url: 'javascript:window.__kassaPwned=2' } });
      return undefined;
    });
    const el = await mount('HOSTILE');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    const p = await methodsShown(el);

    const name = p.shadowRoot!.querySelector('[part~="name"]')!;
    expect(name.textContent).to.equal(hostile);
    expect(p.shadowRoot!.querySelector('img')).to.equal(null);
    expect(root(el).querySelector('img')).to.equal(null);

    await choose(el, 'hero:Evil');
    const refused = waitFor<KassaErrorEvent>(el, 'kassa-error');
    payButton(el).click();
    const error = await refused;
    expect(error.code).to.equal('unsafe-action');
    await el.updateComplete;
    expect(part(el, 'result')!.textContent?.trim()).to.equal(en['redirect.unsafe']);
    expect(navigated).to.deep.equal([]);
    await aTimeout(50);
    expect((window as { __kassaPwned?: unknown }).__kassaPwned).to.equal(undefined);

    (part(el, 'retry') as HTMLButtonElement).click();
    await methodsShown(el);
    expect(payButton(el)).to.not.equal(null);
  });

  it('exports its children’s parts so a page can style them', async () => {
    const style = document.createElement('style');
    style.textContent = `kassa-checkout::part(name) { color: rgb(1, 2, 3); } kassa-checkout::part(pay-button) { color: rgb(4, 5, 6); }
      kassa-checkout::part(field-error) { color: rgb(7, 8, 9); }`;
    document.head.append(style);
    try {
      const el = await mount('DEMO-EUR');
      const p = await methodsShown(el);
      expect(getComputedStyle(p.shadowRoot!.querySelector('[part~="name"]')!).color).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(payButton(el)).color).to.equal('rgb(4, 5, 6)');
      await choose(el, 'mbway');
      await waitUntil(() => fieldsOf(el));
      payButton(el).click();
      // Pay waits for the fields' pattern engine before it validates, so the error shows a moment later.
      await waitUntil(() => fieldsOf(el)!.shadowRoot!.querySelector('[part~="error"]'), 'the field error shows');
      expect(getComputedStyle(fieldsOf(el)!.shadowRoot!.querySelector('[part~="error"]')!).color).to.equal('rgb(7, 8, 9)');
    } finally {
      style.remove();
    }
  });

  it('aborts the session request when it leaves the page mid-load, and loads again when it comes back', async () => {
    const calls = spyFetch();
    const el = await mount('DEMO-EUR');
    const parent = el.parentElement!;
    for (let i = 0; i < 10; i++) {
      el.remove();
      parent.append(el);
    }
    await methodsShown(el);
    const sessions = calls.filter((c) => c.url.endsWith('/kassa/session'));
    expect(sessions).to.have.length(11);
    expect(sessions.slice(0, 10).every((c) => c.signal?.aborted), 'every request of a removed element was aborted').to.equal(true);
    expect(sessions[10]!.signal?.aborted).to.equal(false);
    expect(el.session?.order).to.match(/^DEMO-EUR~/);
  });

  it('passes group-by on to the picker', async () => {
    const el = await fixture<KassaCheckout>(html`<kassa-checkout endpoint=${env.endpointUrl} order=${freshOrder('DEMO-EUR')} group-by="provider"></kassa-checkout>`);
    const p = await methodsShown(el);
    expect(p.groupBy).to.equal('provider');
    const labels = [...p.shadowRoot!.querySelectorAll('[part~="group-label"]')].map((l) => l.textContent?.trim());
    expect(labels).to.deep.equal(['Hero', 'MilkyPay', 'hi.health', 'WhenThen', 'Kronor']);
  });

  it('closes every Kronor socket when it leaves the page while waiting', async () => {
    const sockets: WebSocket[] = [];
    const RealWebSocket = window.WebSocket;
    window.WebSocket = class extends RealWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        if (String(url).includes('/kronor/')) sockets.push(this);
      }
    };
    try {
      const el = await mount('DEMO-SEK');
      await swishWaiting(el);
      await waitUntil(() => sockets.some((s) => s.readyState === WebSocket.OPEN), 'a Kronor socket opens', { timeout: 5_000 });
      el.remove();
      await waitUntil(() => sockets.every((s) => s.readyState === WebSocket.CLOSED), 'every Kronor socket closes', { timeout: 5_000 });
    } finally {
      window.WebSocket = RealWebSocket;
    }
  });
});
