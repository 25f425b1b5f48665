/**
 * Routing over providers, drilled over real HTTP against the sandbox: the preferred card provider fails to start the
 * payment in each way it can (500, 429, no answer, a dropped connection) and the shopper's one click pays by card at
 * the next provider; its breaker leaves it out of new sessions and lets it back in after a probe; a type whose every
 * provider is down is not offered; a payment an unanswered start left behind is found and reported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResponse, ProviderName, SessionResponse } from '../../src/core/model.ts';
import { problemCode } from '../../src/core/problems.ts';
import { createServer } from 'node:net';
import { demoKassaConfig } from '../../demo/config.ts';
import type { PaymentEvent } from '../../src/server/events/event.ts';
import { startAtProvider, until, useEndpoint, type Harness } from '../support/endpoint.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sandboxPayments(h: Harness, provider: ProviderName): Promise<unknown[]> {
  return (await h.control('GET', `/payments?provider=${provider}`)).payments;
}

const entry = (session: SessionResponse, id: string) => session.methods.find((m) => m.id === id);

describe('routing: one entry per method, over the providers the merchant ordered', () => {
  const h = useEndpoint();

  for (const order of ['DEMO-EUR', 'DEMO-SEK', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN']) {
    it(`${order}: one entry per method type, each with a logo and the providers it may go to`, async () => {
      const session = await h.session(order);
      const keys = session.methods.map((m) => (m.variant ? `${m.type}.${m.variant}` : m.type));
      assert.equal(new Set(keys).size, keys.length, `one entry per type: ${keys.join(', ')}`);
      assert.equal(new Set(session.methods.map((m) => m.id)).size, session.methods.length);
      for (const method of session.methods) {
        assert.ok(method.logo, `${method.id} has a logo`);
        assert.ok(method.providers?.length && method.providers[0] === method.provider, `${method.id} names its providers`);
      }
      const card = entry(session, 'card')!;
      assert.deepEqual(card.providers, order === 'DEMO-EUR' ? ['whenthen', 'kronor', 'milkypay'] : ['whenthen', 'kronor'], 'the demo routes cards WhenThen, Kronor, MilkyPay');
      assert.deepEqual(card.brands, ['visa', 'mastercard']);
    });
  }

  it('pays a card at the first provider: the payment names its provider and its route', async () => {
    const session = await h.session('DEMO-EUR');
    const answer = await h.pay(session.token, 'card');
    assert.equal(answer.status, 201, answer.text);
    const { payment } = answer.body as PaymentResponse;
    assert.deepEqual([payment.provider, payment.method, payment.route], ['whenthen', 'whenthen:card', 'first-choice']);
    const told = await h.demo.kassa.payments.get(payment.reference);
    assert.deepEqual([told?.provider, told?.route, told?.fallbackFrom], ['whenthen', 'first-choice', undefined]);
  });

  it("takes a provider's own method id for a click that must go there (direct), when routing allows it", async () => {
    const session = await h.session('DEMO-EUR');
    const answer = await h.pay(session.token, 'kronor:creditCard');
    assert.equal(answer.status, 201, answer.text);
    assert.deepEqual([answer.body.payment.provider, answer.body.payment.route], ['kronor', 'direct']);
  });
});

describe('routing: the merchant decides, with conditions', () => {
  const h = useEndpoint({
    routing: { methods: { card: [{ provider: 'kronor', currencies: ['SEK'] }, { provider: 'milkypay', maxAmount: 1_000 }, 'whenthen'], paypal: ['whenthen'] } },
  });

  it('routes cards by currency and amount, and PayPal only where the rule says', async () => {
    const eur = await h.session('DEMO-EUR');
    assert.deepEqual(entry(eur, 'card')!.providers, ['whenthen'], 'MilkyPay only up to €10.00, Kronor only in SEK');
    assert.deepEqual(entry(eur, 'paypal')!.providers, ['whenthen']);
    const sek = await h.session('DEMO-SEK');
    assert.deepEqual(entry(sek, 'card')!.providers, ['kronor', 'whenthen']);
    const refused = await h.pay(eur.token, 'milkypay:paypal_eur_hpp');
    assert.equal(problemCode(refused.body.type), 'unknown-method', "a provider routing leaves out is refused, even by its own id");
  });
});

describe('routing: every provider listed, for merchants who want that', () => {
  const h = useEndpoint({ routing: { list: 'provider' } });

  it("lists each provider's own entry, and routes each to its provider only", async () => {
    const session = await h.session('DEMO-EUR');
    const cards = session.methods.filter((m) => m.type === 'card').map((m) => m.id);
    assert.deepEqual(cards, ['milkypay:payment_card_eur_hpp', 'whenthen:card', 'kronor:creditCard']);
    assert.ok(session.methods.every((m) => m.logo));
    assert.equal(problemCode((await h.pay(session.token, 'card')).body.type), 'unknown-method');
    const answer = await h.pay(session.token, 'kronor:creditCard');
    assert.deepEqual([answer.status, answer.body.payment.route], [201, 'direct']);
  });
});

describe('failover: the preferred card provider fails to start the payment', () => {
  const errors: string[] = [];
  const heard: PaymentEvent[] = [];
  const h = useEndpoint({
    providerTimeoutMs: 400,
    // Opens after 3 failures; a second later one probe may try again.
    health: { failureThreshold: 3, windowSeconds: 60, openSeconds: 1 },
    onError: (error) => void errors.push(error instanceof Error ? error.message : String(error)),
    onPaymentEvent: (event) => void heard.push(event),
  });

  const failures = [
    ['HTTP 500', { kind: 'error', status: 500 }],
    ['HTTP 429', { kind: 'error', status: 429 }],
    ['no answer (timeout)', { kind: 'timeout', latencyMs: 5_000 }],
    ['a dropped connection', { kind: 'close-socket' }],
  ] as const;

  for (const [name, fault] of failures) {
    it(`${name} at WhenThen → the same click pays by card at Kronor; one payable payment`, async () => {
      await sleep(1_100); // the breaker from the case before has had its open time
      const session = await h.session('DEMO-EUR');
      assert.equal(entry(session, 'card')!.provider, 'whenthen');
      await h.control('POST', '/faults', { provider: 'whenthen', operation: 'generateClientToken', times: 10, ...fault });
      const answer = await h.pay(session.token, 'card');
      assert.equal(answer.status, 201, answer.text);
      const { payment, action } = answer.body as PaymentResponse;
      assert.deepEqual([payment.provider, payment.route], ['kronor', 'fallback']);
      const told = await h.demo.kassa.payments.get(payment.reference);
      assert.deepEqual(told?.fallbackFrom, ['whenthen']);
      await h.control('DELETE', '/faults');

      // The shopper pays the one payment they were given; WhenThen made none (a card payment is made on its page).
      const id = await startAtProvider(h.sandbox.url, 'kronor', answer.body as PaymentResponse, 'kronor:creditCard');
      await h.control('POST', `/payments/kronor/${encodeURIComponent(id)}/outcome`, { outcome: 'pay' });
      // A status read asks Kassa to read the payment from Kronor (as the shopper's return page does).
      await until('the payment is paid', async () => (await h.api(`/payments/${payment.reference}`)).body.state === 'paid');
      assert.equal(action.type, 'kronor');
      assert.equal((await sandboxPayments(h, 'kronor')).length, 1);
      assert.equal((await sandboxPayments(h, 'whenthen')).length, 0);
      assert.deepEqual((await h.demo.kassa.payments.forOrder(session.order)).map((p) => [p.provider, p.route, p.state]), [['kronor', 'fallback', 'paid']]);
      const created = heard.find((e) => e.payment.reference === payment.reference && e.type === 'payment.created');
      assert.deepEqual([created?.payment.route, created?.payment.fallbackFrom], ['fallback', ['whenthen']], 'the event names the route');
    });
  }

  it('the breaker leaves WhenThen out of new sessions, and a probe lets it back in once it recovers', async () => {
    await sleep(1_100);
    await h.control('POST', '/faults', { provider: 'whenthen', operation: 'generateClientToken', times: 0, kind: 'error', status: 503 });
    for (let click = 0; click < 3; click++) {
      const session = await h.session('DEMO-EUR');
      const answer = await h.pay(session.token, 'card');
      assert.equal(answer.body.payment?.provider, 'kronor', answer.text);
    }
    const during = await h.session('DEMO-EUR');
    assert.deepEqual(entry(during, 'card')!.providers, ['kronor', 'milkypay'], 'WhenThen is left out while its breaker is open');
    const calls = (await h.control('GET', '/requests?provider=whenthen&operation=generateClientToken')).count;
    assert.equal((await h.pay(during.token, 'card')).body.payment.provider, 'kronor');
    assert.equal((await h.control('GET', '/requests?provider=whenthen&operation=generateClientToken')).count, calls, 'an open breaker sends nothing');
    assert.ok(errors.some((e) => /whenthen create failed 3 times/.test(e)), errors.join('\n'));

    await h.control('DELETE', '/faults');
    await sleep(1_100);
    const after = await h.session('DEMO-EUR');
    assert.equal(entry(after, 'card')!.provider, 'whenthen', 'probing: WhenThen is offered again');
    const probe = await h.pay(after.token, 'card');
    assert.deepEqual([probe.body.payment.provider, probe.body.payment.route], ['whenthen', 'first-choice']);
    const next = await h.session('DEMO-EUR');
    assert.deepEqual(entry(next, 'card')!.providers, ['whenthen', 'kronor', 'milkypay'], 'the probe closed the breaker');
  });

  it('a type whose every provider is down is not offered, and a click on it is answered clearly', async () => {
    await sleep(1_100);
    const earlier = await h.session('DEMO-EUR');
    assert.ok(entry(earlier, 'klarna'), 'Klarna (WhenThen only) is offered');
    await h.control('POST', '/faults', { provider: 'whenthen', operation: 'authorizePayment', times: 0, kind: 'error', status: 500 });
    for (let click = 0; click < 3; click++) {
      const session = await h.session('DEMO-EUR');
      assert.equal(problemCode((await h.pay(session.token, 'klarna')).body.type), 'provider-unavailable');
    }
    const later = await h.session('DEMO-EUR');
    assert.equal(entry(later, 'klarna'), undefined, 'Klarna is left out');
    assert.ok(entry(later, 'card'), 'cards still have healthy providers');
    const answer = await h.pay(earlier.token, 'klarna');
    assert.equal(answer.status, 503, answer.text);
    assert.equal(problemCode(answer.body.type), 'method-unavailable');
    await h.control('DELETE', '/faults');
  });
});

/** A loopback port nothing listens on: a connection to it is refused before anything is sent. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const refusingPort = await closedPort();

describe('failover: the preferred card provider refuses connections', () => {
  const providers = demoKassaConfig({ sandboxUrl: 'http://127.0.0.1:1', shopUrl: 'http://127.0.0.1:1' }).providers;
  const h = useEndpoint({
    providers: { ...providers, whenthen: { ...(providers.whenthen as object), graphqlUrl: `http://127.0.0.1:${refusingPort}/graphql` } } as typeof providers,
  });

  it('a refused connection at WhenThen → the same click pays by card at Kronor', async () => {
    const session = await h.session('DEMO-EUR');
    assert.equal(entry(session, 'card')!.provider, 'whenthen');
    const answer = await h.pay(session.token, 'card');
    assert.equal(answer.status, 201, answer.text);
    assert.deepEqual([answer.body.payment.provider, answer.body.payment.route], ['kronor', 'fallback']);
    assert.deepEqual((await h.demo.kassa.payments.get(answer.body.payment.reference))?.fallbackFrom, ['whenthen']);
    assert.equal((await h.control('GET', '/requests?provider=whenthen&operation=generateClientToken')).count, 0, 'nothing reached WhenThen');
  });
});

describe('failover: a start that went unanswered left a payment behind', () => {
  const errors: string[] = [];
  const heard: PaymentEvent[] = [];
  const h = useEndpoint({
    providerTimeoutMs: 300,
    onError: (error) => void errors.push(error instanceof Error ? error.message : String(error)),
    onPaymentEvent: (event) => void heard.push(event),
  });

  it('MilkyPay makes the PayPal invoice after Kassa gave up: the click pays at WhenThen, the invoice is found and reported', async () => {
    const session = await h.session('DEMO-EUR');
    assert.deepEqual(entry(session, 'paypal')!.providers, ['milkypay', 'whenthen']);
    // Every attempt is answered only after the create's deadline, but MilkyPay still makes the invoice.
    await h.control('POST', '/faults', { provider: 'milkypay', operation: 'create', times: 5, kind: 'latency', latencyMs: 900 });
    const answer = await h.pay(session.token, 'paypal');
    assert.equal(answer.status, 201, answer.text);
    const { payment } = answer.body as PaymentResponse;
    assert.deepEqual([payment.provider, payment.route], ['whenthen', 'fallback']);

    const orphan = await until('the invoice MilkyPay made is recorded', async () => {
      const attempts = await h.demo.kassa.payments.forOrder(session.order);
      return attempts.find((p) => p.route === 'orphan');
    });
    assert.deepEqual([orphan.provider, orphan.replacedBy, orphan.method], ['milkypay', payment.reference, 'milkypay:paypal_eur_hpp']);
    assert.equal((await sandboxPayments(h, 'milkypay')).length, 1, 'one invoice at MilkyPay, never handed to the shopper');
    assert.ok(heard.some((e) => e.payment.reference === orphan.reference && e.type === 'payment.created' && e.payment.route === 'orphan'), 'the merchant hears of it');
    // MilkyPay has no cancel: Kassa says so, and the invoice expires unpaid.
    assert.ok(errors.some((e) => e.includes(orphan.reference) && /no cancel/.test(e)), errors.join('\n'));
    assert.equal(answer.body.action.type, 'redirect', 'the shopper was given WhenThen’s page only');
  });
});
