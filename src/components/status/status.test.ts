/// <reference types="mocha" />
/**
 * kassa-status against the real demo endpoint and sandbox: live updates over Server-Sent Events, resuming on a
 * return page, the polling fallback, Kronor followed at Kronor, hostile data, keyboard, locales, and leaks.
 * The Kronor tests come last: the first tests check that Apollo is never loaded for other providers.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { formatAmount } from '../../core/format.ts';
import { loadMessages } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import type { NextAction, PaymentResponse, PaymentState, PaymentView } from '../../core/model.ts';
import { recallPending, rememberPending } from '../../core/pending-payment.ts';
import { freshOrder, sandboxControl, testEnv } from '../../../test/browser/env.ts';
import type { KassaCompleteEvent, KassaErrorEvent, KassaFailEvent, KassaStatusChangeEvent } from '../shared/events.ts';
import './define.ts';
import type { KassaStatus } from './status.ts';

type KronorAction = Extract<NextAction, { type: 'kronor' }>;

// ——— payments made through the real endpoint ———

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

async function createPayment(order: string, method: string): Promise<PaymentResponse> {
  const { endpointUrl } = await testEnv();
  // A fresh variant of the demo order each time: a paid order takes no new payment.
  const session = await post<{ token: string }>(`${endpointUrl}/session`, { order: freshOrder(order) });
  return post<PaymentResponse>(`${endpointUrl}/payments`, { token: session.token, method }, { 'idempotency-key': crypto.randomUUID() });
}

/** A hi.health payment whose hosted page the shopper has opened (hi.health claims it then): `pending`. */
async function hiHealthPayment(): Promise<{ payment: PaymentView; id: string }> {
  const { payment, action } = await createPayment('DEMO-EUR', 'hidirect:hi-health');
  if (action.type !== 'redirect') throw new Error(`expected a redirect, got ${action.type}`);
  await fetch(action.url, { mode: 'no-cors' });
  const { payments } = await sandboxControl<{ payments: Array<{ id: string; reference: string; status: string }> }>('GET', '/payments?provider=hidirect');
  const mine = payments.find((p) => p.reference === payment.reference);
  if (!mine) throw new Error('the sandbox does not list the payment');
  expect(mine.status).to.equal('CLAIMED');
  return { payment, id: mine.id };
}

/** A Hero payment (Hero's sandbox has the `expire` outcome that ends as PAYMENT_EXPIRED → expired). */
async function heroPayment(): Promise<{ payment: PaymentView; id: string }> {
  const { payment, action } = await createPayment('DEMO-EUR', 'hero:Pay1X');
  if (action.type !== 'redirect') throw new Error(`expected a redirect, got ${action.type}`);
  return { payment, id: new URL(action.url).pathname.split('/').pop()! };
}

async function kronorSwishPayment(): Promise<{ payment: PaymentView; action: KronorAction }> {
  const { payment, action } = await createPayment('DEMO-SEK', 'kronor:swish');
  if (action.type !== 'kronor') throw new Error(`expected a kronor action, got ${action.type}`);
  return { payment, action };
}

// ——— spies on what the page opens ———

interface Tracker<T> {
  created: T[];
  restore(): void;
}

function trackEventSources(replacement?: (url: string) => string): Tracker<EventSource> {
  const Native = window.EventSource;
  const created: EventSource[] = [];
  window.EventSource = class extends Native {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(replacement ? replacement(String(url)) : url, init);
      created.push(this);
    }
  } as typeof EventSource;
  return { created, restore: () => void (window.EventSource = Native) };
}

function trackSockets(): Tracker<WebSocket> {
  const Native = window.WebSocket;
  const created: WebSocket[] = [];
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      created.push(this);
    }
  } as typeof WebSocket;
  return { created, restore: () => void (window.WebSocket = Native) };
}

const nativeSetTimeout = window.setTimeout.bind(window);

/** waitUntil without page timers left behind (open-wc's never clears its own timeout), for the leak test. */
async function eventually(predicate: () => boolean, message: string, timeout = 8000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timeout: ${message}`);
    await new Promise((resolve) => nativeSetTimeout(resolve, 20));
  }
}

/** Counts timers still pending: set and neither fired nor cleared. */
function trackTimers(): { pending: Set<number>; restore(): void } {
  const nativeSet = window.setTimeout;
  const nativeClear = window.clearTimeout;
  const pending = new Set<number>();
  window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
    const id: number = nativeSet(
      (...a: unknown[]) => {
        pending.delete(id);
        if (typeof handler === 'function') (handler as (...x: unknown[]) => void)(...a);
      },
      ms,
      ...args,
    );
    pending.add(id);
    return id;
  }) as typeof setTimeout;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) pending.delete(id);
    nativeClear(id);
  }) as typeof clearTimeout;
  return {
    pending,
    restore: () => {
      window.setTimeout = nativeSet;
      window.clearTimeout = nativeClear;
    },
  };
}

/** A stand-in EventSource the test drives by hand (a hostile or flaky stream). */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }
  close(): void {
    this.readyState = 2;
  }
  emit(type: string, data?: string): void {
    this.dispatchEvent(type === 'error' ? new Event('error') : new MessageEvent(type, { data }));
  }
}

function useFakeEventSource(): () => void {
  const Native = window.EventSource;
  FakeEventSource.instances = [];
  window.EventSource = FakeEventSource as unknown as typeof EventSource;
  return () => void (window.EventSource = Native);
}

// ——— reading the element ———

function part(el: KassaStatus, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

const text = (el: KassaStatus, name: string) => part(el, name)?.textContent?.trim() ?? '';

function clearPending(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('kassa:pending')) localStorage.removeItem(key);
}

interface Heard {
  changes: PaymentState[];
  completes: KassaCompleteEvent[];
  fails: KassaFailEvent[];
  errors: KassaErrorEvent[];
}

function listen(target: EventTarget): Heard {
  const heard: Heard = { changes: [], completes: [], fails: [], errors: [] };
  target.addEventListener('kassa-status-change', (e) => heard.changes.push((e as KassaStatusChangeEvent).state));
  target.addEventListener('kassa-complete', (e) => heard.completes.push(e as KassaCompleteEvent));
  target.addEventListener('kassa-fail', (e) => heard.fails.push(e as KassaFailEvent));
  target.addEventListener('kassa-error', (e) => heard.errors.push(e as KassaErrorEvent));
  return heard;
}

describe('kassa-status', () => {
  let endpointUrl: string;
  const restores: Array<() => void> = [];

  before(async () => {
    ({ endpointUrl } = await testEnv());
  });

  beforeEach(() => clearPending());

  afterEach(() => {
    while (restores.length) restores.pop()!();
    clearPending();
  });

  it('live: shows the pending payment, then paid without a reload, each event once; no Apollo is loaded', async () => {
    const sources = trackEventSources();
    restores.push(sources.restore);
    const { payment, id } = await hiHealthPayment();
    rememberPending({ reference: payment.reference, endpoint: endpointUrl, provider: 'hidirect' });
    const page = location.href;

    const host = document.createElement('div');
    const heard = listen(host);
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`, {
      parentNode: host,
    });
    expect(text(el, 'message')).to.equal(en['status.checking']);
    await expect(el).to.be.accessible();

    await waitUntil(() => el.state === 'pending', `still ${el.state}`, { timeout: 5000 });
    expect(text(el, 'message')).to.equal(en['status.pending']);
    expect(text(el, 'amount')).to.equal(formatAmount(4990, 'EUR', 'en'));
    expect(el.getAttribute('state')).to.equal('pending');
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    expect(part(el, 'status')!.getAttribute('aria-live')).to.equal('polite');
    expect(part(el, 'icon')!.getAttribute('aria-hidden')).to.equal('true');
    expect(part(el, 'retry')).to.equal(null);
    await expect(el).to.be.accessible();

    await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'pay' });
    await waitUntil(() => el.state === 'paid', `still ${el.state}`, { timeout: 5000 });
    expect(text(el, 'message')).to.equal(en['status.paid']);
    expect(el.matches('kassa-status[state=paid]')).to.equal(true);
    expect(el.payment).to.include({ reference: payment.reference, state: 'paid', amount: 4990, currency: 'EUR' });
    await expect(el).to.be.accessible();

    await aTimeout(300);
    expect(location.href).to.equal(page); // no reload, no navigation
    expect(sources.created).to.have.length(1); // one stream, no reconnects
    expect(sources.created[0]!.readyState).to.equal(EventSource.CLOSED);
    expect(heard.changes.at(-1)).to.equal('paid');
    expect(new Set(heard.changes).size).to.equal(heard.changes.length);
    expect(heard.completes).to.have.length(1);
    expect(heard.completes[0]!.payment.state).to.equal('paid');
    expect(heard.fails).to.have.length(0);
    expect(recallPending(payment.reference)).to.equal(undefined); // forgotten once final

    const apollo = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('@apollo') || entry.name.includes('graphql-ws'));
    expect(apollo.map((e) => e.name)).to.deep.equal([]);
  });

  for (const [outcome, state, make] of [
    ['decline', 'declined', hiHealthPayment],
    ['cancel', 'cancelled', hiHealthPayment],
    ['expire', 'expired', heroPayment],
  ] as const) {
    it(`resume: with only endpoint, a fresh element on the return page shows ${state}`, async () => {
      const { payment, id } = await make();
      await sandboxControl('POST', `/payments/${payment.provider}/${id}/outcome`, { outcome });
      const original = location.href;
      history.replaceState(null, '', `?kassa_payment=${payment.reference}`);
      restores.push(() => history.replaceState(null, '', original));

      const host = document.createElement('div');
      const heard = listen(host);
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl}></kassa-status>`, { parentNode: host });
      await waitUntil(() => el.state === state, `still ${el.state}`, { timeout: 8000 });
      expect(text(el, 'message')).to.equal(en[`status.${state}`]);
      expect(el.payment?.reference).to.equal(payment.reference);
      await aTimeout(100);
      expect(heard.fails).to.have.length(1);
      expect(heard.fails[0]!.payment.state).to.equal(state);
      expect(heard.completes).to.have.length(0);
      await expect(el).to.be.accessible();
    });
  }

  it('resume: finds the payment the checkout remembered when the address has none', async () => {
    const { payment, id } = await hiHealthPayment();
    await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'pay' });
    rememberPending({ reference: payment.reference, endpoint: endpointUrl, provider: 'hidirect' });
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl}></kassa-status>`);
    await waitUntil(() => el.state === 'paid', `still ${el.state}`, { timeout: 5000 });
    expect(el.payment?.reference).to.equal(payment.reference);
    expect(recallPending(payment.reference)).to.equal(undefined);
    await aTimeout(100);
    expect(el.state).to.equal('paid'); // forgetting the pending payment does not make it look for another one
  });

  it('fallback: polls with backoff when the stream closes for good, and stops once settled', async () => {
    // The stream's URL answers 404: the browser gives the EventSource up (CLOSED).
    const sources = trackEventSources((url) => `${url}-unavailable`);
    restores.push(sources.restore);
    const reads: number[] = [];
    const nativeFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/kassa/payments/kp_')) reads.push(Date.now());
      return nativeFetch(input, init);
    };
    restores.push(() => void (window.fetch = nativeFetch));

    const { payment, id } = await hiHealthPayment();
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
    await waitUntil(() => el.state === 'pending', `still ${el.state}`, { timeout: 5000 });
    expect(sources.created).to.have.length(1);
    expect(sources.created[0]!.readyState).to.equal(EventSource.CLOSED);

    await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'pay' });
    await waitUntil(() => el.state === 'paid', `still ${el.state}`, { timeout: 8000 });
    expect(reads.length).to.be.greaterThan(1);
    expect(reads[1]! - reads[0]!).to.be.at.least(900); // the first backoff step is 1 s
    const count = reads.length;
    await aTimeout(2500);
    expect(reads.length).to.equal(count); // settled: no more reads
    expect(sources.created).to.have.length(1); // no new stream was opened either
  });

  it('fallback: gives a flaky stream up after repeated errors and polls instead', async () => {
    restores.push(useFakeEventSource());
    const { payment } = await hiHealthPayment();
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
    await waitUntil(() => FakeEventSource.instances.length === 1, 'no stream opened');
    const stream = FakeEventSource.instances[0]!;
    stream.emit('error');
    stream.emit('error');
    expect(stream.readyState).to.equal(0); // still reconnecting: two errors are not enough
    expect(el.state).to.equal(undefined);
    stream.emit('error');
    expect(stream.readyState).to.equal(FakeEventSource.CLOSED);
    await waitUntil(() => el.state === 'pending', `polling did not answer: ${el.state}`, { timeout: 5000 });
  });

  it('unknown: a reference the endpoint does not know shows status.unknown', async () => {
    // The endpoint answers 404 payment-not-found. Here it is on another origin and its problem answers carry no
    // CORS headers (reported), so the page could not read that answer: stand in for it as a same-origin one reads it.
    const nativeFetch = window.fetch;
    window.fetch = (input, init) =>
      String(input).includes('/payments/kp_doesnotexist')
        ? Promise.resolve(
            new Response(JSON.stringify({ type: 'urn:kassa:problem:payment-not-found', title: 'The payment does not exist', status: 404 }), {
              status: 404,
              headers: { 'content-type': 'application/problem+json' },
            }),
          )
        : nativeFetch(input, init);
    restores.push(() => void (window.fetch = nativeFetch));
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference="kp_doesnotexist0000000000000"></kassa-status>`);
    await waitUntil(() => text(el, 'message') === en['status.unknown'], `shows ${text(el, 'message')}`, { timeout: 5000 });
    expect(part(el, 'amount')).to.equal(null);
    expect(el.hasAttribute('state')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('unknown: no reference in the address nor remembered', async () => {
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl}></kassa-status>`);
    await waitUntil(() => text(el, 'message') === en['status.unknown'], `shows ${text(el, 'message')}`);
  });

  it('error: shows the endpoint problem with a retry button that works from the keyboard', async () => {
    const sources = trackEventSources((url) => `${url}-unavailable`);
    restores.push(sources.restore);
    const nativeFetch = window.fetch;
    let refuse = true;
    window.fetch = (input, init) => {
      if (refuse && String(input).includes('/kassa/payments/kp_')) {
        return Promise.resolve(
          new Response(JSON.stringify({ type: 'urn:kassa:problem:origin-not-allowed', title: 'x', status: 403 }), {
            status: 403,
            headers: { 'content-type': 'application/problem+json' },
          }),
        );
      }
      return nativeFetch(input, init);
    };
    restores.push(() => void (window.fetch = nativeFetch));

    const { payment } = await hiHealthPayment();
    const host = document.createElement('div');
    const heard = listen(host);
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`, {
      parentNode: host,
    });
    await waitUntil(() => part(el, 'retry') !== null, 'no retry button', { timeout: 5000 });
    expect(text(el, 'message')).to.equal(en['error.origin-not-allowed']);
    expect(text(el, 'retry')).to.equal(en['common.retry']);
    expect(heard.errors).to.have.length(1);
    expect(heard.errors[0]!).to.include({ code: 'origin-not-allowed', message: en['error.origin-not-allowed'] });
    await expect(el).to.be.accessible();

    refuse = false;
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'retry'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.state === 'pending', `still ${el.state}`, { timeout: 5000 });
    expect(part(el, 'retry')).to.equal(null);
    expect(text(el, 'message')).to.equal(en['status.pending']);
  });

  it('localization: the message and the amount follow locale', async () => {
    const { payment, id } = await hiHealthPayment();
    await sandboxControl('POST', `/payments/hidirect/${id}/outcome`, { outcome: 'pay' });
    const sv = await loadMessages('sv');
    const el = await fixture<KassaStatus>(html`<kassa-status locale="sv" endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
    await waitUntil(() => el.state === 'paid' && text(el, 'message') === sv['status.paid'], `shows ${text(el, 'message')}`, { timeout: 5000 });
    expect(text(el, 'amount')).to.equal(formatAmount(4990, 'EUR', 'sv'));
    expect(text(el, 'amount')).not.to.equal(formatAmount(4990, 'EUR', 'en'));
    el.locale = 'de-CH';
    await waitUntil(() => text(el, 'amount') === formatAmount(4990, 'EUR', 'de-CH'), `amount ${text(el, 'amount')}`);
    await expect(el).to.be.accessible();
  });

  it('hostile data: a malformed or hostile status is ignored and rendered nowhere', async () => {
    restores.push(useFakeEventSource());
    const reference = 'kp_hostile000000000000000000';
    const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${reference}></kassa-status>`);
    await waitUntil(() => FakeEventSource.instances.length === 1, 'no stream opened');
    const stream = FakeEventSource.instances[0]!;
    const evil = '<img src=x onerror=window.__kassaPwned=1>';
    const base = { reference, provider: 'hidirect', method: 'hidirect:hi-health', order: 'X', amount: 100, currency: 'EUR', state: 'pending', providerStatus: null, updatedAt: '' };
    stream.emit('status', JSON.stringify({ ...base, state: evil }));
    stream.emit('status', JSON.stringify({ ...base, currency: evil }));
    stream.emit('status', JSON.stringify({ ...base, reference: 'kp_someoneelse00000000000000' }));
    stream.emit('status', 'not json');
    await el.updateComplete;
    expect(el.state).to.equal(undefined);
    expect(text(el, 'message')).to.equal(en['status.checking']);

    stream.emit('status', JSON.stringify({ ...base, order: evil, method: evil, providerStatus: evil }));
    await el.updateComplete;
    expect(el.state).to.equal('pending');
    await aTimeout(50);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.innerHTML).not.to.contain('onerror');
    expect((window as unknown as { __kassaPwned?: unknown }).__kassaPwned).to.equal(undefined);
  });

  it('hostile data: Kronor access with a javascript: URL is refused and the endpoint is followed instead', async () => {
    const sockets = trackSockets();
    restores.push(sockets.restore);
    const sources = trackEventSources();
    restores.push(sources.restore);
    const { payment } = await hiHealthPayment();
    const el = await fixture<KassaStatus>(html`<kassa-status
      locale="en"
      endpoint=${endpointUrl}
      reference=${payment.reference}
      .kronor=${{ sessionToken: 't', httpUrl: 'javascript:alert(1)', wsUrl: 'javascript:alert(1)' }}
    ></kassa-status>`);
    await waitUntil(() => el.state === 'pending', `still ${el.state}`, { timeout: 5000 });
    expect(sources.created).to.have.length(1);
    expect(sockets.created).to.have.length(0);
    expect(performance.getEntriesByType('resource').filter((e) => e.name.includes('@apollo'))).to.have.length(0);
  });

  it('cleanup: removing the element closes its stream', async () => {
    const sources = trackEventSources();
    restores.push(sources.restore);
    const { payment } = await hiHealthPayment();
    const el = await fixture<KassaStatus>(html`<kassa-status endpoint=${endpointUrl} reference=${payment.reference}></kassa-status>`);
    await waitUntil(() => el.state === 'pending', `still ${el.state}`, { timeout: 5000 });
    expect(sources.created[0]!.readyState).not.to.equal(EventSource.CLOSED);
    el.remove();
    expect(sources.created[0]!.readyState).to.equal(EventSource.CLOSED);
    // Back on the page: it follows again, with a new stream.
    document.body.append(el);
    await waitUntil(() => sources.created.length === 2 && el.state === 'pending', 'did not follow again', { timeout: 5000 });
    el.remove();
    expect(sources.created[1]!.readyState).to.equal(EventSource.CLOSED);
  });

  describe('Kronor (loads the Kronor client)', () => {
    it('follows a Swish payment at Kronor: waiting, refresh on return from the app, then paid; the socket closes', async () => {
      const sockets = trackSockets();
      restores.push(sockets.restore);
      const sources = trackEventSources();
      restores.push(sources.restore);
      const { payment, action } = await kronorSwishPayment();
      const { openKronorSession } = await import('../../providers/kronor/browser.ts');
      const access = { sessionToken: action.sessionToken, httpUrl: action.httpUrl, wsUrl: action.wsUrl };
      const starter = openKronorSession(access);
      const { waitToken } = await starter.start('swish', { returnUrl: `${location.origin}/return`, idempotencyKey: crypto.randomUUID() });
      starter.dispose();

      const host = document.createElement('div');
      const heard = listen(host);
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl} reference=${payment.reference} .kronor=${{ ...access, waitToken }}></kassa-status>`, {
        parentNode: host,
      });
      await waitUntil(() => el.state === 'action_required' && sockets.created.length > 0, `state ${el.state}`, { timeout: 8000 });
      expect(el.payment?.providerStatus).to.equal('WAITING_FOR_PAYMENT');
      expect(text(el, 'message')).to.equal(en['status.action_required']);
      expect(text(el, 'amount')).to.equal(formatAmount(payment.amount, 'SEK', 'en'));
      expect(sources.created).to.have.length(0); // followed at Kronor, not through the endpoint's stream
      await expect(el).to.be.accessible();

      // The shopper comes back from the Swish app: the page becomes visible and Kronor is asked to refresh.
      const counted = () => sandboxControl<{ count: number }>('GET', '/requests?provider=kronor&operation=refreshPaymentStatus');
      const before = (await counted()).count;
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(async () => (await counted()).count === before + 1, 'no refreshPaymentStatus', { timeout: 5000 });

      await sandboxControl('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
      await waitUntil(() => el.state === 'paid', `still ${el.state}`, { timeout: 8000 });
      expect(text(el, 'message')).to.equal(en['status.paid']);
      expect(heard.completes).to.have.length(1);
      // The endpoint's first read may still see the request INITIALIZING (pending); then Kronor's own updates.
      expect(heard.changes.slice(-2)).to.deep.equal(['action_required', 'paid']);
      expect(heard.changes.slice(0, -2).every((state) => state === 'pending')).to.equal(true);
      // Final: the socket is closed although the element is still on the page.
      await waitUntil(() => sockets.created.every((s) => s.readyState === WebSocket.CLOSED), 'the socket stayed open', { timeout: 3000 });
      await expect(el).to.be.accessible();
    });

    it('resume: follows a remembered Kronor payment at Kronor with only endpoint; a decline fails once', async () => {
      const sockets = trackSockets();
      restores.push(sockets.restore);
      const sources = trackEventSources();
      restores.push(sources.restore);
      const { payment, action } = await kronorSwishPayment();
      const { openKronorSession } = await import('../../providers/kronor/browser.ts');
      const access = { sessionToken: action.sessionToken, httpUrl: action.httpUrl, wsUrl: action.wsUrl };
      const starter = openKronorSession(access);
      const { waitToken } = await starter.start('swish', { returnUrl: `${location.origin}/return`, idempotencyKey: crypto.randomUUID() });
      starter.dispose();
      rememberPending({ reference: payment.reference, endpoint: endpointUrl, provider: 'kronor', kronor: { ...access, waitToken } });

      const host = document.createElement('div');
      const heard = listen(host);
      const el = await fixture<KassaStatus>(html`<kassa-status locale="en" endpoint=${endpointUrl}></kassa-status>`, { parentNode: host });
      await waitUntil(() => el.state === 'action_required' && sockets.created.length > 0, `state ${el.state}`, { timeout: 8000 });
      expect(sources.created).to.have.length(0);
      await sandboxControl('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'decline' });
      await waitUntil(() => el.state === 'declined', `still ${el.state}`, { timeout: 8000 });
      expect(text(el, 'message')).to.equal(en['status.declined']);
      await aTimeout(100);
      expect(heard.fails).to.have.length(1);
      expect(heard.completes).to.have.length(0);
      expect(recallPending(payment.reference)).to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('falls back to the endpoint when Kronor refuses the session token', async () => {
      const sockets = trackSockets();
      restores.push(sockets.restore);
      const sources = trackEventSources();
      restores.push(sources.restore);
      const { payment, action } = await kronorSwishPayment();
      const el = await fixture<KassaStatus>(html`<kassa-status
        locale="en"
        endpoint=${endpointUrl}
        reference=${payment.reference}
        .kronor=${{ sessionToken: 'not-a-jwt', httpUrl: action.httpUrl, wsUrl: action.wsUrl }}
      ></kassa-status>`);
      await waitUntil(() => sources.created.length === 1, 'the endpoint stream was not opened', { timeout: 8000 });
      expect(sockets.created.length).to.be.greaterThan(0); // it did try Kronor first
      await waitUntil(() => sockets.created.every((s) => s.readyState === WebSocket.CLOSED), 'the refused socket stayed open', { timeout: 3000 });
      expect(el.state).to.equal('action_required');
      expect(text(el, 'message')).to.equal(en['status.action_required']);
    });

    it('leak: 500 mounts and removals leave no stream, socket or timer behind', async function () {
      this.timeout(120_000);
      const { payment: plain } = await hiHealthPayment();
      const { payment: polled } = await hiHealthPayment();
      const { payment: kronorPayment, action } = await kronorSwishPayment();
      const kronor = { sessionToken: action.sessionToken, httpUrl: action.httpUrl, wsUrl: action.wsUrl };
      await import('../../providers/kronor/browser.ts'); // loaded once, so mounts reach the socket quickly

      // Three kinds of mounts: a stream; a stream that fails, so it polls (with timers); Kronor (a websocket).
      const sources = trackEventSources((url) => (url.includes(polled.reference) ? `${url}-unavailable` : url));
      restores.push(sources.restore);
      const sockets = trackSockets();
      restores.push(sockets.restore);
      const timers = trackTimers();
      restores.push(timers.restore);

      const container = document.createElement('div');
      document.body.append(container);
      try {
        for (let i = 0; i < 500; i++) {
          const el = document.createElement('kassa-status');
          el.endpoint = endpointUrl;
          if (i % 10 === 0) {
            el.reference = kronorPayment.reference;
            el.kronor = kronor;
          } else {
            el.reference = i % 10 === 5 ? polled.reference : plain.reference;
          }
          container.append(el);
          await el.updateComplete;
          // Now and then, wait until it really is following (socket made, or polling between reads) before removing it.
          if (i % 50 === 0) {
            const sockets0 = sockets.created.length;
            await eventually(() => sockets.created.length > sockets0, `mount ${i} never opened its socket`);
          } else if (i % 50 === 5) {
            await eventually(() => el.state === 'pending', `mount ${i} never polled`);
            expect(timers.pending.size).to.be.greaterThan(0); // the wait until the next read
          }
          el.remove();
        }
      } finally {
        container.remove();
      }
      expect(sources.created.length).to.be.greaterThan(400);
      expect(sockets.created.length).to.be.greaterThan(0);
      await eventually(
        () => sources.created.every((s) => s.readyState === EventSource.CLOSED) && sockets.created.every((s) => s.readyState === WebSocket.CLOSED),
        'a stream or socket is still open',
        10_000,
      );
      await new Promise((resolve) => nativeSetTimeout(resolve, 200));
      expect([...timers.pending]).to.deep.equal([]);
    });
  });
});
