/// <reference types="mocha" />
/**
 * Paying with Swish in kassa-checkout as a shopper on a phone does, against the real demo endpoint and the sandbox's
 * Kronor: the app leads ("Open Swish", to Kronor's own app link, which brings the shopper back to the return page),
 * the QR code waits behind "Paying on another device?", the time left counts down from the Kronor session's expiry,
 * and approving in the app pays without a reload. On a desktop the same payment leads with the code.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { KassaCheckout } from '../../src/components/checkout/checkout.ts';
import '../../src/components/checkout/define.ts';
// What the checkout loads lazily, loaded up front: the test server compiles a file for the first user agent that asks
// for it, and under the phone's (Safari) agent it compiles for old browsers and fails.
import '../../src/components/method-fields/define.ts';
import '../../src/components/qr/define.ts';
import '../../src/components/redirect/define.ts';
import '../../src/components/status/define.ts';
import '../../src/components/shared/logos-marks.ts';
import '../../src/providers/kronor/browser.ts';
import type { KassaQr } from '../../src/components/qr/qr.ts';
import type { KassaCompleteEvent, KassaPaymentStartEvent } from '../../src/components/shared/events.ts';
import en from '../../src/core/locales/en.ts';
import type { NextAction, PaymentView } from '../../src/core/model.ts';
import { freshOrder, sandboxControl, testEnv } from './env.ts';
import { emulateDesktop, emulatePhone } from './phone.ts';

type KronorAction = Extract<NextAction, { type: 'kronor' }>;

function waitFor<T extends Event>(target: EventTarget, type: string, timeout = 15_000): Promise<T> {
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

/** A checkout for a fresh DEMO-SEK order, on a page in the given colour scheme (the shop's background behind it). */
async function mountSek(scheme: 'light' | 'dark' = 'light'): Promise<{ page: HTMLDivElement; checkout: KassaCheckout }> {
  const { endpointUrl } = await testEnv();
  const page = await fixture<HTMLDivElement>(
    html`<div><kassa-checkout endpoint=${endpointUrl} order=${freshOrder('DEMO-SEK')} locale="en" theme="auto"></kassa-checkout></div>`,
  );
  page.style.setProperty('color-scheme', scheme);
  page.style.setProperty('background', scheme === 'dark' ? '#16181c' : '#ffffff');
  return { page, checkout: page.querySelector('kassa-checkout')! };
}

/** Chooses Swish and pays, as a shopper taps; resolves once the app / QR view is shown. */
async function paySwish(checkout: KassaCheckout): Promise<{ payment: PaymentView; action: KronorAction; qr: KassaQr }> {
  const root = checkout.shadowRoot!;
  await waitUntil(() => root.querySelector('kassa-method-picker'), 'the methods should show', { timeout: 10_000 });
  const picker = root.querySelector('kassa-method-picker')!;
  await picker.updateComplete;
  const swish = checkout.session!.methods.find((m) => m.id === 'swish');
  expect(swish?.provider).to.equal('kronor');
  const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].find((r) => r.querySelector('[part~="name"]')?.textContent?.trim() === swish!.name.en);
  radio!.click();
  await checkout.updateComplete;
  const started = waitFor<KassaPaymentStartEvent>(checkout, 'kassa-payment-start');
  root.querySelector<HTMLButtonElement>('[part~="pay-button"]')!.click();
  const { payment, action } = await started;
  expect(action.type).to.equal('kronor');
  await waitUntil(() => root.querySelector('kassa-qr') && root.querySelector('kassa-status'), 'the Swish view should show', { timeout: 15_000 });
  const qr = root.querySelector('kassa-qr')!;
  await qr.updateComplete;
  return { payment, action: action as KronorAction, qr };
}

function qrPart<T extends Element = HTMLElement>(qr: KassaQr, name: string): T | null {
  return qr.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

async function approveInSandbox(checkout: KassaCheckout, payment: PaymentView): Promise<void> {
  let waitToken: string | undefined;
  await waitUntil(
    async () => {
      const { payments } = await sandboxControl<{ payments: Array<{ id: string; reference: string | null }> }>('GET', '/payments?provider=kronor');
      waitToken = payments.find((p) => p.reference === payment.reference)?.id;
      return waitToken !== undefined;
    },
    'the Kronor payment should exist',
    { timeout: 10_000 },
  );
  const completed = waitFor<KassaCompleteEvent>(document, 'kassa-complete');
  await sandboxControl('POST', `/payments/kronor/${encodeURIComponent(waitToken!)}/outcome`, { outcome: 'pay' });
  const complete = await completed;
  expect([complete.payment.reference, complete.payment.state]).to.deep.equal([payment.reference, 'paid']);
  await checkout.updateComplete;
}

describe('app switch: Swish in the checkout', function () {
  // The first Kronor payment loads Apollo + graphql-ws unbundled.
  this.timeout(45_000);

  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    await emulateDesktop();
  });

  it('on a phone leads with "Open Swish" to a link back to the return page, counts down, keeps the QR behind a disclosure, and is paid when approved', async () => {
    await emulatePhone();
    const { checkout } = await mountSek();
    const { payment, action, qr } = await paySwish(checkout);

    // The app leads: the view's first control is the app link, a button to Kronor's Swish link.
    const link = qrPart<HTMLAnchorElement>(qr, 'open-app')!;
    expect(qr.shadowRoot!.querySelector('a[href], button') === link).to.equal(true);
    expect(link.textContent!.trim()).to.equal('Open Swish');
    expect(link.getBoundingClientRect().height).to.be.at.least(48);
    const href = new URL(link.href);
    expect(`${href.protocol}//${href.host}`).to.equal('swish://paymentrequest');
    expect(href.searchParams.get('token')).to.match(/\S/);
    // Kronor's own link already brings the shopper back: Swish opens the callbackurl, the payment's return page.
    expect(href.searchParams.get('callbackurl')).to.equal(action.returnUrl);
    expect(decodeURIComponent(action.returnUrl)).to.contain(payment.reference);
    expect(qrPart(qr, 'instructions')!.textContent!.trim()).to.equal('Approve the payment in Swish.');

    // How long the request stays valid, from the Kronor session's expiry.
    expect(action.expiresAt).to.be.a('string');
    expect(qr.expiresAt).to.equal(action.expiresAt);
    const countdown = qrPart(qr, 'countdown')!;
    expect(countdown.checkVisibility()).to.equal(true);
    expect(countdown.textContent!.trim()).to.match(/^Expires in \d{1,2}:\d\d$/);
    const [minutes, seconds] = countdown.textContent!.trim().replace('Expires in ', '').split(':').map(Number);
    const left = (Date.parse(action.expiresAt!) - Date.now()) / 1000;
    expect(Math.abs(minutes! * 60 + seconds! - left)).to.be.below(3);

    // The QR code is for another device: hidden until asked for.
    const toggle = qrPart<HTMLButtonElement>(qr, 'show-code')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(qrPart(qr, 'code')?.checkVisibility() ?? false).to.equal(false);
    await expect(checkout).to.be.accessible();
    toggle.click();
    await qr.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(qrPart(qr, 'code')!.checkVisibility()).to.equal(true);
    expect(qr.data).to.match(/^D/);
    await expect(checkout).to.be.accessible();

    await approveInSandbox(checkout, payment);
    expect(checkout.shadowRoot!.querySelector('kassa-qr')).to.equal(null);
    // The result is the same card the return page shows.
    const card = checkout.shadowRoot!.querySelector('[part~="result"] kassa-status')!;
    await waitUntil(() => card.shadowRoot?.querySelector('[part~="message"]')?.textContent?.trim() === en['status.paid'], 'the paid card');
  });

  it('on a phone works from the keyboard alone: Tab to "Open Swish", then the disclosure, Enter shows the code, Tab on to Cancel', async () => {
    await emulatePhone();
    const { checkout } = await mountSek();
    const { qr } = await paySwish(checkout);
    const deepActive = () => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active;
    };
    const openApp = qrPart(qr, 'open-app')!;
    const toggle = qrPart<HTMLButtonElement>(qr, 'show-code')!;
    const cancel = checkout.shadowRoot!.querySelector('[part~="cancel"]')!;
    for (let i = 0; i < 6 && deepActive() !== openApp; i++) await sendKeys({ press: 'Tab' });
    expect(deepActive() === openApp, 'Tab reaches "Open Swish" first').to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(deepActive() === toggle, 'then the disclosure').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await qr.updateComplete;
    expect([toggle.getAttribute('aria-expanded'), qrPart(qr, 'code')?.checkVisibility()]).to.deep.equal(['true', true]);
    expect(deepActive() === toggle, 'focus stays on the disclosure').to.equal(true);
    for (let i = 0; i < 6 && deepActive() !== cancel; i++) await sendKeys({ press: 'Tab' });
    expect(deepActive() === cancel, 'Tab reaches Cancel').to.equal(true);
  });

  it('on a phone in the dark passes axe with the app first', async () => {
    await emulatePhone();
    await emulateMedia({ colorScheme: 'dark' });
    const { page, checkout } = await mountSek('dark');
    const { qr } = await paySwish(checkout);
    expect(qrPart(qr, 'show-code')).to.not.equal(null);
    await expect(page).to.be.accessible();
    qrPart<HTMLButtonElement>(qr, 'show-code')!.click();
    await qr.updateComplete;
    await expect(page).to.be.accessible();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`on a desktop (${scheme}) leads with the code and offers "Open Swish on this device" as a plain link`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const { page, checkout } = await mountSek(scheme);
      const { qr, action } = await paySwish(checkout);
      expect(qrPart(qr, 'instructions')!.textContent!.trim()).to.equal('Scan the code with Swish on your phone.');
      expect(qrPart(qr, 'code')!.checkVisibility()).to.equal(true);
      expect(qrPart(qr, 'show-code')).to.equal(null);
      const link = qrPart<HTMLAnchorElement>(qr, 'open-app')!;
      expect(link.textContent!.trim()).to.equal('Open Swish on this device');
      expect(new URL(link.href).searchParams.get('callbackurl')).to.equal(action.returnUrl);
      expect(qrPart(qr, 'countdown')!.textContent!.trim()).to.match(/^Expires in \d{1,2}:\d\d$/);
      await expect(page).to.be.accessible();
    });
  }
});
