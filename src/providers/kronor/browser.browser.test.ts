/// <reference types="mocha" />
/**
 * The browser's Kronor client against the real sandbox, through the real endpoint: a DEMO-SEK payment with
 * `kronor:swish` answers `{type:'kronor', sessionToken, httpUrl, wsUrl}`; with only that the browser starts Swish,
 * follows the request over graphql-ws and sees it paid when the sandbox approves.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { NextAction, PaymentResponse } from '../../core/model.ts';
import { freshOrder, sandboxControl, testEnv } from '../../../test/browser/env.ts';
import { openKronorSession, KronorBrowserError, type KronorAccess, type KronorBrowserSession, type KronorRequestView } from './browser.ts';

type KronorAction = Extract<NextAction, { type: 'kronor' }>;

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** A Kronor Swish payment made through the demo endpoint, as kassa-checkout makes it. */
async function kronorPayment(): Promise<{ payment: PaymentResponse['payment']; action: KronorAction }> {
  const { endpointUrl } = await testEnv();
  const session = await post<{ token: string }>(`${endpointUrl}/session`, { order: freshOrder('DEMO-SEK') });
  const answer = await post<PaymentResponse>(`${endpointUrl}/payments`, { token: session.token, method: 'kronor:swish' }, { 'idempotency-key': crypto.randomUUID() });
  if (answer.action.type !== 'kronor') throw new Error(`expected a kronor action, got ${answer.action.type}`);
  return { payment: answer.payment, action: answer.action };
}

function access(action: KronorAction): KronorAccess {
  return { sessionToken: action.sessionToken, httpUrl: action.httpUrl, wsUrl: action.wsUrl };
}

/** Counts the page's websockets, to see them opened and closed. */
function trackSockets(): { sockets: WebSocket[]; restore(): void } {
  const Native = window.WebSocket;
  const sockets: WebSocket[] = [];
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  } as typeof WebSocket;
  return { sockets, restore: () => void (window.WebSocket = Native) };
}

const returnUrl = () => `${location.origin}/return`;

describe('Kronor browser client (openKronorSession)', () => {
  let session: KronorBrowserSession | undefined;
  let tracker: ReturnType<typeof trackSockets> | undefined;

  afterEach(async () => {
    session?.dispose();
    session = undefined;
    tracker?.restore();
    tracker = undefined;
  });

  it('starts Swish, shows WAITING_FOR_PAYMENT with a QR code, then PAID → paid when approved; dispose closes the socket', async () => {
    tracker = trackSockets();
    const { action } = await kronorPayment();
    expect(action.paymentMethod).to.equal('swish');
    session = openKronorSession(access(action));
    const { waitToken } = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: crypto.randomUUID() });
    expect(waitToken).to.be.a('string').and.not.equal('');

    const seen: KronorRequestView[] = [];
    const errors: unknown[] = [];
    session.watch(waitToken, (request) => seen.push(request), (error) => errors.push(error));

    await waitUntil(() => seen.some((r) => r.status === 'WAITING_FOR_PAYMENT'), 'no WAITING_FOR_PAYMENT', { timeout: 5000 });
    const waiting = seen.find((r) => r.status === 'WAITING_FOR_PAYMENT')!;
    expect(waiting.waitToken).to.equal(waitToken);
    expect(waiting.state).to.equal('action_required');
    expect(waiting.qrCode).to.match(/^D/);
    expect(waiting.appUrl).to.match(/^swish:\/\/paymentrequest\?/);
    // Kronor's own app link already brings the shopper back: Swish opens its callbackurl, the returnUrl given at start.
    expect(new URL(waiting.appUrl!).searchParams.get('callbackurl')).to.equal(returnUrl());
    // INITIALIZING-only requests are never reported.
    expect(seen.map((r) => r.status)).not.to.include('INITIALIZING');

    const { payments } = await sandboxControl<{ payments: Array<{ id: string }> }>('GET', '/payments?provider=kronor');
    expect(payments.map((p) => p.id)).to.include(waitToken);
    await sandboxControl('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });

    await waitUntil(() => seen.some((r) => r.status === 'PAID'), 'no PAID', { timeout: 5000 });
    expect(seen.at(-1)).to.include({ status: 'PAID', state: 'paid', waitToken });
    expect(errors).to.deep.equal([]);

    expect(tracker.sockets.length).to.be.greaterThan(0);
    session.dispose();
    session = undefined;
    await waitUntil(() => tracker!.sockets.every((s) => s.readyState === WebSocket.CLOSED), 'a socket stayed open', { timeout: 3000 });
  });

  it('watch(undefined) follows the newest request; cancel() ends it as cancelled; refresh() is accepted', async () => {
    const { action } = await kronorPayment();
    session = openKronorSession(access(action));
    const seen: KronorRequestView[] = [];
    session.watch(undefined, (request) => seen.push(request), () => undefined);
    const { waitToken } = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: crypto.randomUUID() });
    await waitUntil(() => seen.some((r) => r.waitToken === waitToken && r.status === 'WAITING_FOR_PAYMENT'), 'the new request was not reported', { timeout: 5000 });

    const counted = () => sandboxControl<{ count: number }>('GET', '/requests?provider=kronor&operation=refreshPaymentStatus');
    const before = (await counted()).count;
    await session.refresh();
    expect((await counted()).count).to.equal(before + 1);

    await session.cancel(crypto.randomUUID());
    await waitUntil(() => seen.at(-1)?.status === 'CANCELLED', 'not cancelled', { timeout: 5000 });
    expect(seen.at(-1)?.state).to.equal('cancelled');
  });

  it('retries a start that met a transient HTTP 500, and pays once', async () => {
    const { action } = await kronorPayment();
    session = openKronorSession(access(action));
    await sandboxControl('POST', '/faults', { provider: 'kronor', operation: 'newSwishPayment', kind: 'error', status: 500, times: 1 });
    const started = Date.now();
    const key = crypto.randomUUID();
    const { waitToken } = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: key });
    expect(Date.now() - started).to.be.at.least(450); // waited the first backoff step (0.5 s)
    const again = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: key });
    expect(again.waitToken).to.equal(waitToken);
    const { payments } = await sandboxControl<{ payments: Array<{ id: string; reference: string }> }>('GET', '/payments?provider=kronor');
    const mine = payments.find((p) => p.id === waitToken)!;
    expect(payments.filter((p) => p.reference === mine.reference)).to.have.length(1);
  });

  it('keeps following after the socket drops', async () => {
    const { action } = await kronorPayment();
    session = openKronorSession(access(action));
    const seen: KronorRequestView[] = [];
    const errors: unknown[] = [];
    const { waitToken } = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: crypto.randomUUID() });
    session.watch(waitToken, (request) => seen.push(request), (error) => errors.push(error));
    await waitUntil(() => seen.length > 0, 'no update', { timeout: 5000 });
    const dropped = await sandboxControl<{ closed: number }>('POST', '/kronor/drop-connections');
    expect(dropped.closed).to.be.greaterThan(0);
    await sandboxControl('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'decline' });
    await waitUntil(() => seen.at(-1)?.status === 'DECLINED', 'the decline never arrived after the drop', { timeout: 8000 });
    expect(seen.at(-1)?.state).to.equal('declined');
    expect(errors).to.deep.equal([]);
  });

  it('reports a refused token through onError and a rejected start', async () => {
    const { action } = await kronorPayment();
    session = openKronorSession({ ...access(action), sessionToken: 'not-a-jwt' });
    const error = await session.start('swish', { returnUrl: returnUrl(), idempotencyKey: crypto.randomUUID() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(KronorBrowserError);
    expect((error as KronorBrowserError).kind).to.equal('refused');

    const errors: unknown[] = [];
    session.watch(undefined, () => undefined, (e) => errors.push(e));
    await waitUntil(() => errors.length > 0, 'no error for a refused token', { timeout: 5000 });
  });

  it('refuses javascript:, data: and plain-http non-loopback URLs before connecting', () => {
    const good = { sessionToken: 't', httpUrl: 'https://kronor.example/v1/graphql', wsUrl: 'wss://kronor.example/v1/graphql' };
    for (const bad of [
      { ...good, httpUrl: 'javascript:alert(1)' },
      { ...good, wsUrl: 'data:text/plain,x' },
      { ...good, httpUrl: 'http://kronor.example/v1/graphql' },
      { ...good, sessionToken: '' },
    ]) {
      expect(() => openKronorSession(bad)).to.throw(KronorBrowserError);
    }
    openKronorSession(good).dispose();
  });
});
