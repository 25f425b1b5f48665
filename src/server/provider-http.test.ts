/**
 * `callProvider` and `callGraphQL` over real HTTP, against the sandbox's fault controls and a closed port: which
 * failures prove the provider did nothing (`provablyNotProcessed`: a 429, a refused connection, a bare 4xx) and which
 * do not (a 5xx, a timeout, any attempt that may have been processed), and the provider's `Retry-After`.
 *
 *   node --import tsx --test src/server/provider-http.test.ts
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { useSandbox } from '../../sandbox/testing.ts';
import { ProviderUnavailable } from './provider.ts';
import { callGraphQL, callProvider, parseRetryAfter } from './provider-http.ts';

/** hi.health's create: one non-idempotent POST, tagged `create` by the sandbox. */
function createAtHidirect(sandboxUrl: string, options: { timeoutMs?: number; idempotent?: boolean } = {}): Promise<Response> {
  return callProvider(
    'hidirect',
    `${sandboxUrl}/hidirect/payments`,
    {
      method: 'POST',
      headers: { 'x-api-key': 'sandbox-hidirect-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: { total: 49.9, currency: 'EUR' },
        merchantReference: 'kp_provider_http_test_0001',
        merchantUrls: { successRedirect: 'https://shop.example/r', failureRedirect: 'https://shop.example/r', cancelRedirect: 'https://shop.example/r' },
      }),
    },
    { timeoutMs: options.timeoutMs ?? 2_000, idempotent: options.idempotent ?? false, attempts: 2, backoffMs: () => 10 },
  );
}

async function unavailable(call: Promise<unknown>): Promise<ProviderUnavailable> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ProviderUnavailable, `expected ProviderUnavailable, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

describe('callProvider: what a failure proves', () => {
  const sb = useSandbox();
  const hidirectPayments = async () => (await sb.control('GET', '/payments?provider=hidirect')).payments.length;

  it('a 429 proves nothing was processed, and carries the provider’s Retry-After', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 429, times: 0 });
    const error = await unavailable(createAtHidirect(sb.url));
    assert.equal(error.provablyNotProcessed, true);
    assert.equal(error.retryAfterSeconds, 1);
    assert.match(error.message, /HTTP 429/);
    assert.equal(await hidirectPayments(), 0);
  });

  it('a 500 does not: the provider may have done the work', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 500, times: 0 });
    const error = await unavailable(createAtHidirect(sb.url));
    assert.equal(error.provablyNotProcessed, false);
    assert.equal(error.retryAfterSeconds, undefined);
  });

  it('a timeout does not, even though the slow create lands afterwards', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'latency', latencyMs: 600 });
    const error = await unavailable(createAtHidirect(sb.url, { timeoutMs: 200 }));
    assert.equal(error.provablyNotProcessed, false);
    assert.match(error.message, /no answer within 200 ms/);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(await hidirectPayments(), 1, 'the unanswered create did happen: why a timeout proves nothing');
  });

  it('a dropped connection does not', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'close-socket' });
    const error = await unavailable(createAtHidirect(sb.url));
    assert.equal(error.provablyNotProcessed, false);
  });

  it('retried attempts prove nothing unless every one does: 500 then 429 → may have been processed', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 500, times: 1 });
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 429, times: 1 });
    const error = await unavailable(createAtHidirect(sb.url, { idempotent: true }));
    assert.equal(error.provablyNotProcessed, false);
    assert.equal(error.retryAfterSeconds, 1, 'the last answer’s Retry-After');
    assert.equal((await sb.control('GET', '/requests?provider=hidirect&operation=createPayment')).count, 2);
  });

  it('429 on every attempt → not processed', async () => {
    await sb.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'error', status: 429, times: 0 });
    const error = await unavailable(createAtHidirect(sb.url, { idempotent: true }));
    assert.equal(error.provablyNotProcessed, true);
    assert.equal((await sb.control('GET', '/requests?provider=hidirect&operation=createPayment')).count, 2);
  });
});

describe('callProvider and callGraphQL against a server that refuses', () => {
  let closedUrl = '';
  let refusing: ReturnType<typeof createServer> | undefined;
  let refusingUrl = '';
  /** What the refusing server answers next: a status, headers, a body. */
  let next = { status: 403, headers: {} as Record<string, string>, body: 'Forbidden' };

  before(async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    refusing = createServer((req, res) => {
      req.resume();
      res.writeHead(next.status, next.headers);
      res.end(next.body);
    });
    await new Promise<void>((resolve) => refusing!.listen(0, '127.0.0.1', resolve));
    refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/graphql`;
  });
  after(async () => {
    refusing?.closeAllConnections();
    await new Promise<void>((resolve) => refusing?.close(() => resolve()) ?? resolve());
  });

  const graphql = (url: string) => callGraphQL('hero', url, {}, 'mutation { createPayment { id } }', {}, { timeoutMs: 2_000, idempotent: false });

  it('a refused connection proves the request was never sent', async () => {
    const error = await unavailable(graphql(closedUrl));
    assert.equal(error.provablyNotProcessed, true);
    assert.match(error.message, /connection refused/);
  });

  for (const [status, proves] of [
    [400, true],
    [401, true],
    [403, true],
    [404, true],
    [409, false],
    [422, false],
  ] as const) {
    it(`a bare HTTP ${status} to a GraphQL call ${proves ? 'proves' : 'does not prove'} nothing was processed`, async () => {
      next = { status, headers: { 'content-type': 'text/plain' }, body: 'refused' };
      const error = await unavailable(graphql(refusingUrl));
      assert.equal(error.provablyNotProcessed, proves);
      assert.match(error.message, new RegExp(`HTTP ${status}`));
    });
  }

  it('a 4xx with GraphQL errors is handed to the adapter to read', async () => {
    next = { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ message: 'INVALID_PAYMENT_TYPE' }] }) };
    const answer = await graphql(refusingUrl);
    assert.deepEqual(answer, { data: null, errors: [{ message: 'INVALID_PAYMENT_TYPE' }] });
  });

  it('a provider asking to wait longer than a second is not asked again within the call', async () => {
    let calls = 0;
    const counting = createServer((req, res) => {
      calls++;
      req.resume();
      res.writeHead(429, { 'retry-after': '30' });
      res.end();
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/status`;
      const error = await unavailable(callProvider('hero', url, {}, { timeoutMs: 2_000, idempotent: true, attempts: 3, backoffMs: () => 10 }));
      assert.equal(calls, 1, 'one attempt, not three');
      assert.equal(error.retryAfterSeconds, 30);
      assert.equal(error.provablyNotProcessed, true);
    } finally {
      counting.closeAllConnections();
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  it('a bare 503 with an HTTP-date Retry-After: not processed unproven, the wait in seconds', async () => {
    next = { status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }, body: '' };
    const error = await unavailable(graphql(refusingUrl));
    assert.equal(error.provablyNotProcessed, false);
    assert.ok(error.retryAfterSeconds! >= 28 && error.retryAfterSeconds! <= 31, String(error.retryAfterSeconds));
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  for (const [value, seconds] of [
    ['120', 120],
    [' 7 ', 7],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:00:45 GMT', 45],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
  ] as const) {
    it(`${JSON.stringify(value)} → ${seconds}`, () => assert.equal(parseRetryAfter(value, now), seconds));
  }
});
