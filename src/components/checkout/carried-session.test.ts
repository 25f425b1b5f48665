/// <reference types="mocha" />
/**
 * kassa-checkout with the session carried by the page (a `<script type="application/json">` child) or preloaded
 * (`<link rel="preload" as="fetch" crossorigin>` of `GET {endpoint}/session`), against the real demo endpoint: no
 * request of its own, or one answered by the preload; a stale or malformed carried session falls back to one request.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { freshOrder, testEnv, type TestEnv } from '../../../test/browser/env.ts';
import { formatAmount } from '../../core/format.ts';
import type { SessionResponse } from '../../core/model.ts';
import type { KassaPaymentStartEvent } from '../shared/events.ts';
import type { KassaMethodPicker } from '../method-picker/method-picker.ts';
import type { KassaCheckout } from './checkout.ts';
import './define.ts';

let env: TestEnv;
const mounted: Element[] = [];

/** Every fetch the page makes, by method and URL; restored after each test. */
let restoreFetch: (() => void) | undefined;
function spyFetch(): Array<{ method: string; url: string }> {
  const real = window.fetch;
  const calls: Array<{ method: string; url: string }> = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', url: input instanceof Request ? input.url : String(input) });
    return real(input, init);
  };
  restoreFetch = () => (window.fetch = real);
  return calls;
}

const sessionCalls = (calls: Array<{ method: string; url: string }>) => calls.filter((c) => new URL(c.url).pathname.endsWith('/kassa/session'));

/** What the shop's server would render: the session `POST /session` answers for the order. */
async function realSession(order: string, locale = 'en'): Promise<SessionResponse> {
  const response = await fetch(`${env.endpointUrl}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order, locale }) });
  expect(response.status).to.equal(201);
  return response.json();
}

/** `<kassa-checkout>` with `carried` as its JSON child, connected to the page. */
function mountCarrying(order: string, carried: string | undefined, locale = 'en'): KassaCheckout {
  const el = document.createElement('kassa-checkout');
  el.setAttribute('endpoint', env.endpointUrl);
  el.setAttribute('order', order);
  el.setAttribute('locale', locale);
  if (carried !== undefined) {
    const script = document.createElement('script');
    script.type = 'application/json';
    script.textContent = carried;
    el.append(script);
  }
  document.body.append(el);
  mounted.push(el);
  return el;
}

async function methodsShown(el: KassaCheckout): Promise<KassaMethodPicker> {
  await waitUntil(() => el.shadowRoot?.querySelector('kassa-method-picker'), 'the picker should appear', { timeout: 10_000 });
  const picker = el.shadowRoot!.querySelector<KassaMethodPicker>('kassa-method-picker')!;
  await picker.updateComplete;
  expect(picker.shadowRoot!.querySelectorAll('[part~="method"]').length).to.be.greaterThan(0);
  return picker;
}

/** Chooses hi.health (no fields) and clicks pay: resolves with the payment the endpoint started. */
async function payHiHealth(el: KassaCheckout): Promise<KassaPaymentStartEvent> {
  const picker = await methodsShown(el);
  el.navigate = () => undefined;
  const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].find((r) => r.textContent?.includes('hi.health'));
  radio!.click();
  await el.updateComplete;
  const started = new Promise<KassaPaymentStartEvent>((resolve) => el.addEventListener('kassa-payment-start', (e) => resolve(e as KassaPaymentStartEvent), { once: true }));
  el.shadowRoot!.querySelector<HTMLElement>('[part~="pay-button"]')!.click();
  return started;
}

before(async () => {
  env = await testEnv();
});

afterEach(() => {
  restoreFetch?.();
  restoreFetch = undefined;
  for (const el of mounted.splice(0)) el.remove();
  document.querySelectorAll('link[data-test-preload]').forEach((link) => link.remove());
});

describe('kassa-checkout with a session carried by the page', function () {
  this.timeout(20_000);

  it('shows the carried methods and total without a /session request, and pays with its token (axe)', async () => {
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order);
    const calls = spyFetch();
    const el = mountCarrying(order, JSON.stringify(session));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="loading"]'), 'no loading state').to.equal(null);
    const picker = await methodsShown(el);
    expect(picker.methods).to.deep.equal(session.methods);
    expect(el.shadowRoot!.querySelector('[part~="amount"]')!.textContent).to.include(formatAmount(4990, 'EUR', 'en'));
    await expect(el).to.be.accessible();

    const start = await payHiHealth(el);
    expect(start.payment.amount).to.equal(4990);
    expect(sessionCalls(calls), 'no session request').to.have.length(0);
    expect(calls.filter((c) => c.method === 'POST' && c.url.endsWith('/kassa/payments'))).to.have.length(1);
  });

  it('charges what the token says, not an amount changed in the page', async () => {
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order);
    const el = mountCarrying(order, JSON.stringify({ ...session, amount: 1 }));
    const start = await payHiHealth(el);
    expect(start.payment.amount).to.equal(4990);
  });

  const stale: Array<[string, (s: SessionResponse) => string]> = [
    ['an expired token', (s) => JSON.stringify({ ...s, expiresAt: new Date(Date.now() - 1000).toISOString() })],
    ['malformed JSON', (s) => JSON.stringify(s).slice(0, 40)],
    ['another order', (s) => JSON.stringify({ ...s, order: 'DEMO-SEK' })],
  ];
  for (const [what, carry] of stale) {
    it(`falls back to one POST /session for ${what}`, async () => {
      const order = freshOrder('DEMO-EUR');
      const session = await realSession(order);
      const calls = spyFetch();
      const el = mountCarrying(order, carry(session));
      await methodsShown(el);
      expect(sessionCalls(calls).map((c) => c.method)).to.deep.equal(['POST']);
      expect(el.session!.token).to.not.equal(session.token);
    });
  }

  it('a carried token the endpoint refuses leads to a new session on retry, not the carried one again', async () => {
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order);
    const forged = `${session.token.slice(0, -4)}AAAA`;
    const calls = spyFetch();
    const el = mountCarrying(order, JSON.stringify({ ...session, token: forged }));
    await methodsShown(el);
    expect(sessionCalls(calls)).to.have.length(0);
    const picker = el.shadowRoot!.querySelector<KassaMethodPicker>('kassa-method-picker')!;
    [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')].find((r) => r.textContent?.includes('hi.health'))!.click();
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="pay-button"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="retry"]'), 'the refused token offers a retry', { timeout: 10_000 });
    el.shadowRoot!.querySelector<HTMLElement>('[part~="retry"]')!.click();
    await methodsShown(el);
    expect(sessionCalls(calls).map((c) => c.method)).to.deep.equal(['POST']);
    expect(el.session!.token).to.not.equal(forged);
  });
});

describe('kassa-checkout: the amount on its first paint', function () {
  this.timeout(20_000);

  /** Calls `made` with each Intl.NumberFormat's language tag as it is made, until the returned function restores Intl. */
  function spyFormatters(made: (tag: string) => void): () => void {
    const real = Intl.NumberFormat;
    Intl.NumberFormat = new Proxy(real, {
      construct(target, args: [string]) {
        made(args[0]);
        return Reflect.construct(target, args);
      },
    });
    return () => (Intl.NumberFormat = real);
  }

  const payLabel = (el: KassaCheckout) => el.shadowRoot?.querySelector('[part~="pay-button"]')?.textContent ?? '';

  it('shows the endpoint’s amount text at once: the browser’s formatter is made only once the methods are shown', async () => {
    // A language no other test formats in, and formatAmount's formatters untouched here: made by the checkout or not at all.
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order, 'en-IE');
    const browserText = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(49.9);
    expect(session.amountText).to.equal(browserText);
    let el: KassaCheckout | undefined;
    const made: Array<{ tag: string; label: string; rows: number }> = [];
    const restore = spyFormatters((tag) => {
      const rows = el?.shadowRoot?.querySelector('kassa-method-picker')?.shadowRoot?.querySelectorAll('[part~="method"]').length ?? 0;
      made.push({ tag, label: el ? payLabel(el) : '', rows });
    });
    try {
      el = mountCarrying(order, JSON.stringify(session), 'en-IE');
      await methodsShown(el);
      await waitUntil(() => made.length > 0, 'the browser’s own text is made after the paint', { timeout: 5_000 });
      await el.updateComplete;
    } finally {
      restore();
    }
    expect(made).to.have.length(1);
    expect(made[0]!.tag).to.equal('en-IE');
    expect(made[0]!.rows, 'the methods were shown before').to.be.greaterThan(0);
    expect(made[0]!.label, 'with the endpoint’s text').to.include(browserText);
    expect(payLabel(el), 'the same text after: no change').to.equal(made[0]!.label);
  });

  it('shows its own text from then on where the browser formats the amount otherwise', async () => {
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order, 'en-GB');
    let el: KassaCheckout | undefined;
    const labels: string[] = [];
    const restore = spyFormatters(() => labels.push(el ? payLabel(el) : ''));
    try {
      el = mountCarrying(order, JSON.stringify({ ...session, amountText: 'EUR 49.90 as the endpoint wrote it' }), 'en-GB');
      await methodsShown(el);
      await waitUntil(() => payLabel(el!).includes(formatAmount(4990, 'EUR', 'en-GB')), 'the browser’s own text replaces it', { timeout: 5_000 });
    } finally {
      restore();
    }
    expect(labels[0], 'the endpoint’s text first').to.include('EUR 49.90 as the endpoint wrote it');
    expect(el.shadowRoot!.querySelector('[part~="amount"]')!.textContent).to.include(formatAmount(4990, 'EUR', 'en-GB'));
  });

  it('formats the amount itself at once when the session was opened for another language', async () => {
    const order = freshOrder('DEMO-EUR');
    const session = await realSession(order, 'sv');
    expect(session.amountText).to.equal(formatAmount(4990, 'EUR', 'sv'));
    const el = mountCarrying(order, JSON.stringify(session), 'en');
    await methodsShown(el);
    expect(el.shadowRoot!.querySelector('[part~="amount"]')!.textContent).to.include(formatAmount(4990, 'EUR', 'en'));
    expect(el.shadowRoot!.querySelector('[part~="amount"]')!.textContent).to.not.include(session.amountText);
  });
});

describe('kassa-checkout with a preloaded session', function () {
  this.timeout(20_000);

  it('takes the answer of <link rel="preload" as="fetch" crossorigin>: one network request for /session', async () => {
    const order = freshOrder('DEMO-EUR');
    const href = `${env.endpointUrl}/session?order=${encodeURIComponent(order)}&locale=en`;
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = href;
    link.dataset.testPreload = '';
    const loaded = new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = reject;
    });
    document.head.append(link);
    await loaded;

    const calls = spyFetch();
    const el = mountCarrying(order, undefined);
    await methodsShown(el);
    expect(sessionCalls(calls).map((c) => c.method)).to.deep.equal(['GET']);
    expect(el.session!.order).to.equal(order);
    const fetched = performance.getEntriesByType('resource').filter((e) => e.name === href);
    expect(fetched, 'the preload only, its answer reused').to.have.length(1);
  });

  it('GET /session checks its query as POST checks its body', async () => {
    const unknown = await fetch(`${env.endpointUrl}/session?order=${encodeURIComponent(freshOrder('DEMO-EUR'))}&colour=red`);
    expect(unknown.status).to.equal(400);
    expect((await unknown.json()).field).to.equal('colour');
    const missing = await fetch(`${env.endpointUrl}/session?locale=en`);
    expect(missing.status).to.equal(400);
    const ok = await fetch(`${env.endpointUrl}/session?order=${encodeURIComponent(freshOrder('DEMO-EUR'))}`);
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('cache-control')).to.equal('no-store');
  });
});
