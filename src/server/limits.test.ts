/**
 * The endpoint's limits over real HTTP: per-client rate limits, the method-list cache, and a provider slower than
 * the endpoint's timeouts on create (answered as a problem, replayed for the same key, never paid twice).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemCode } from '../core/problems.ts';
import { json, useEndpoint } from '../../test/support/endpoint.ts';

describe('endpoint limits', () => {
  const h = useEndpoint({ rateLimitPerMinute: 5, providerTimeoutMs: 600, methodsCacheSeconds: 60 });

  it('limits /session per client and says when to retry', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await h.api('/session', json({ order: 'DEMO-NOK' })));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 201, 201, 429, 429]);
    assert.equal(problemCode(answers[5]!.body.type), 'rate-limited');
    assert.equal(answers[5]!.headers.get('retry-after'), '60');
  });
});

describe('method lists and slow providers', () => {
  const h = useEndpoint({ providerTimeoutMs: 600, methodsCacheSeconds: 60 });

  it('asks each provider for its methods once per currency while cached', async () => {
    await h.session('DEMO-EUR');
    await h.session('DEMO-EUR');
    await h.session('DEMO-EUR');
    const milkypay = await h.control('GET', '/requests?provider=milkypay&operation=paymentPrerequest');
    assert.equal(milkypay.count, 1, 'MilkyPay pre-request asked once');
    const hero = await h.control('GET', '/requests?provider=hero&operation=availablePaymentTypes');
    assert.equal(hero.count, 1, 'Hero payment types asked once');
  });

  it('answers a provider slower than the timeout with a problem, the same for a retry, and one payment at most', async () => {
    const session = await h.session('DEMO-EUR');
    await h.control('POST', '/faults', { provider: 'hidirect', operation: 'create', kind: 'latency', latencyMs: 1_000, times: 0 });
    const first = await h.pay(session.token, 'hidirect:hi-health', { key: 'slow-provider-key' });
    assert.equal(first.status, 503, first.text);
    assert.equal(problemCode(first.body.type), 'provider-unavailable');
    const retry = await h.pay(session.token, 'hidirect:hi-health', { key: 'slow-provider-key' });
    assert.equal(retry.status, 503);
    await h.control('DELETE', '/faults');
    await new Promise((r) => setTimeout(r, 700)); // let the slow create finish at the sandbox
    const { payments } = await h.control('GET', '/payments?provider=hidirect');
    assert.ok(payments.length <= 1, `${payments.length} hi.health payments for one click`);
  });

  it('answers the Hero payment when its create is answered but the follow-up label call runs past the create deadline', async () => {
    // Hero answers createPayment just inside the per-call timeout, then never answers setOrderId (a dashboard label):
    // its retries run into the create's overall deadline after the payment exists. The shopper gets that payment,
    // and the same key answers it again — never a second one.
    const session = await h.session('DEMO-EUR');
    const hero = session.methods.find((m) => m.provider === 'hero');
    assert.ok(hero, 'a Hero method for DEMO-EUR');
    await h.control('POST', '/faults', { provider: 'hero', operation: 'createPayment', kind: 'latency', latencyMs: 450, times: 0 });
    await h.control('POST', '/faults', { provider: 'hero', operation: 'setOrderId', kind: 'timeout', times: 0 });
    const first = await h.pay(session.token, hero.id, { key: 'hero-deadline-key' });
    assert.equal(first.status, 201, first.text);
    await h.control('DELETE', '/faults');
    const retry = await h.pay(session.token, hero.id, { key: 'hero-deadline-key' });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.payment.reference, first.body.payment.reference, 'the same payment');
    assert.equal((await h.control('GET', '/requests?provider=hero&operation=createPayment')).count, 1, 'createPayment sent once');
    assert.equal((await h.control('GET', '/payments?provider=hero')).payments.length, 1);
  });
});
