/**
 * Every provider end to end over real HTTP: session → method → payment → the sandbox's hosted-page outcome → the
 * payment's state by `GET /payments/{ref}` and by the event stream; then the provider faults.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NextAction, PaymentMethod, PaymentResponse, ProviderName } from '../core/model.ts';
import { problemCode } from '../core/problems.ts';
import type { PaymentEvent } from './events/event.ts';
import { demoKassaConfig } from '../../demo/config.ts';
import { exampleFields, startAtProvider as startAt, useEndpoint, type Harness } from '../../test/support/endpoint.ts';

interface FlowCase {
  provider: ProviderName;
  order: string;
  /** Picks the method to pay with from the session's list. */
  method: (methods: PaymentMethod[]) => PaymentMethod | undefined;
}

const CASES: FlowCase[] = [
  { provider: 'hero', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hero') },
  { provider: 'milkypay', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.id === 'mbway') },
  { provider: 'hidirect', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hidirect') },
  { provider: 'whenthen', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'whenthen' && m.kind !== 'card') },
  { provider: 'kronor', order: 'DEMO-SEK', method: (ms) => ms.find((m) => m.id === 'swish') },
];

/** The expected Kassa state for each hosted-page outcome. */
const OUTCOMES = [
  ['pay', 'paid'],
  ['decline', 'declined'],
  ['cancel', 'cancelled'],
] as const;

/** The browser's part after a 201 (shared in test/support), with exactly one payment at the sandbox. */
async function startAtProvider(h: Harness, provider: ProviderName, action: NextAction): Promise<string> {
  const payments = () => h.control('GET', `/payments?provider=${provider}`).then((answer) => answer.payments as unknown[]);
  const id = await startAt(h.sandbox.url, provider, { action } as PaymentResponse);
  assert.equal((await payments()).length, 1, `exactly one ${provider} payment in the sandbox`);
  return id;
}

/** Every event the merchant's hook heard, by payment reference. */
const heard = new Map<string, PaymentEvent[]>();

async function heardUntil(reference: string, state: string, timeoutMs = 10_000): Promise<PaymentEvent[]> {
  const deadline = Date.now() + timeoutMs;
  while (!heard.get(reference)?.some((e) => e.payment.state === state)) {
    if (Date.now() > deadline) throw new Error(`the hook never heard ${reference} ${state}: ${JSON.stringify(heard.get(reference))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return heard.get(reference)!;
}

describe('payment flows, every provider, over HTTP', () => {
  const h = useEndpoint({
    onPaymentEvent: (event) => {
      heard.set(event.payment.reference, [...(heard.get(event.payment.reference) ?? []), event]);
    },
  });

  for (const flow of CASES) {
    describe(flow.provider, () => {
      for (const [outcome, state] of OUTCOMES) {
        it(`${outcome} → ${state}, by GET and by the event stream`, async () => {
          const session = await h.session(flow.order);
          const method = flow.method(session.methods);
          assert.ok(method, `a ${flow.provider} method for ${flow.order} in ${session.methods.map((m) => m.id).join(', ')}`);
          const fields = exampleFields(method);
          const created = await h.pay(session.token, method.id, { fields });
          assert.equal(created.status, 201, created.text);
          const { payment, action } = created.body as PaymentResponse;
          assert.equal(payment.amount, session.amount);
          assert.equal(payment.currency, session.currency);
          assert.equal(payment.provider, flow.provider);
          assert.ok(!['paid', 'declined', 'cancelled'].includes(payment.state));

          const providerId = await startAtProvider(h, flow.provider, action);
          const stream = h.events(payment.reference);
          await h.control('POST', `/payments/${flow.provider}/${encodeURIComponent(providerId)}/outcome`, { outcome });

          const events = await stream;
          assert.ok(events.length >= 1, 'the stream sent events');
          assert.equal(events.at(-1)!.state, state, `stream: ${events.map((e) => e.state).join(' → ')}`);
          const read = await h.api(`/payments/${payment.reference}`);
          assert.equal(read.status, 200);
          assert.equal(read.body.state, state);
          assert.equal(read.body.amount, session.amount);
          assert.ok(read.body.providerStatus);

          // The merchant's server heard the same story: created, then each change, in order, ending in the state.
          const told = await heardUntil(payment.reference, state);
          assert.deepEqual(told.map((e) => e.sequence), told.map((_, i) => i + 1));
          assert.deepEqual(told.map((e) => e.id), told.map((e) => `${payment.reference}.${e.sequence}`));
          assert.equal(told[0]!.type, 'payment.created');
          assert.equal(told[0]!.previousState, null);
          for (let i = 1; i < told.length; i++) assert.equal(told[i]!.previousState, told[i - 1]!.payment.state);
          const last = told.at(-1)!.payment;
          assert.deepEqual([last.order, last.provider, last.amount, last.currency, last.route], [session.order, flow.provider, session.amount, session.currency, 'first-choice']);
          assert.match(last.method, new RegExp(`^${flow.provider}:`), 'the event names the method its provider was given');
          assert.deepEqual(await h.demo.kassa.payments.get(payment.reference), last);
          assert.ok((await h.demo.kassa.payments.forOrder(session.order)).some((p) => p.reference === payment.reference && p.state === state));
          assert.deepEqual(await h.demo.kassa.payments.events(payment.reference), told);
        });
      }

      it('returns to the merchant page with the payment reference', async () => {
        const session = await h.session(flow.order);
        const method = flow.method(session.methods)!;
        const fields = exampleFields(method);
        const created = await h.pay(session.token, method.id, { fields });
        const back = await h.api(`/return/${created.body.payment.reference}`, { redirect: 'manual' });
        assert.equal(back.status, 303);
        const location = new URL(back.headers.get('location')!);
        assert.equal(location.origin, h.demo.url);
        assert.equal(location.searchParams.get('kassa_payment'), created.body.payment.reference);
      });

      it('answers a problem and makes no payment when the provider fails on create', async () => {
        for (const fault of [{ kind: 'error', status: 500 }, { kind: 'error', status: 429 }]) {
          await h.control('POST', '/reset');
          const session = await h.session(flow.order);
          const method = flow.method(session.methods)!;
          const fields = exampleFields(method);
          await h.control('POST', '/faults', { provider: flow.provider, operation: 'create', times: 0, ...fault });
          const answer = await h.pay(session.token, method.id, { fields, key: `fault-${fault.status}-key` });
          assert.equal(answer.status, 503, answer.text);
          assert.equal(problemCode(answer.body.type), 'provider-unavailable');
          // The sandbox's 429 asks for a 1 s wait and its 500 names none: the endpoint passes on what the provider said.
          assert.equal(answer.headers.get('retry-after'), fault.status === 429 ? '1' : null);
          await h.control('DELETE', '/faults');
          const { payments } = await h.control('GET', `/payments?provider=${flow.provider}`);
          assert.equal(payments.length, 0);
        }
      });

      it('keeps the last known state when the provider fails on status', async () => {
        const session = await h.session(flow.order);
        const method = flow.method(session.methods)!;
        const fields = exampleFields(method);
        const created = await h.pay(session.token, method.id, { fields });
        assert.equal(created.status, 201, created.text);
        await h.control('POST', '/faults', { provider: flow.provider, operation: 'status', kind: 'error', status: 500, times: 0 });
        const read = await h.api(`/payments/${created.body.payment.reference}`);
        assert.equal(read.status, 200);
        assert.equal(read.body.state, created.body.payment.state);
      });
    });
  }

  it('reaches the final state by webhook even without polling', async () => {
    const session = await h.session('DEMO-EUR');
    const created = await h.pay(session.token, 'hidirect:hi-health');
    const providerId = await startAtProvider(h, 'hidirect', created.body.action);
    await h.control('POST', `/payments/hidirect/${providerId}/outcome`, { outcome: 'pay' });
    const { webhooks } = await h.control('GET', '/webhooks?provider=hidirect');
    assert.ok(webhooks.some((w: { url: string; status: number }) => w.url.endsWith('/kassa/webhooks/hidirect') && w.status === 200), JSON.stringify(webhooks.map((w: { url: string; status: number }) => [w.url, w.status])));
    // With every status read failing from now on, only the webhook (which made the endpoint re-read the payment
    // before answering the sandbox) can have brought the stored state to paid.
    await h.control('POST', '/faults', { provider: 'hidirect', operation: 'status', kind: 'error', status: 500, times: 0 });
    const read = await h.api(`/payments/${created.body.payment.reference}`);
    assert.equal(read.body.state, 'paid');
  });

  it('re-reads a final payment on a verified webhook: a failure the provider did not mean as final, then a refund', async () => {
    const session = await h.session('DEMO-EUR');
    const method = session.methods.find((m) => m.provider === 'milkypay' && !m.fields?.length)!;
    const created = await h.pay(session.token, method.id);
    assert.equal(created.status, 201, created.text);
    const reference = created.body.payment.reference as string;
    const id = await startAtProvider(h, 'milkypay', created.body.action);
    for (const [status, state] of [['process_error', 'failed'], ['processed', 'paid'], ['refunded', 'refunded']] as const) {
      await h.control('POST', `/payments/milkypay/${encodeURIComponent(id)}/status`, { status });
      await heardUntil(reference, state);
    }
    const told = heard.get(reference)!.map((e) => [e.previousState, e.payment.state]);
    assert.deepEqual(told.slice(-3), [[told.at(-3)![0], 'failed'], ['failed', 'paid'], ['paid', 'refunded']]);
  });

  it('never sends a configured secret to the browser in any of these flows', () => {
    const config = demoKassaConfig({ sandboxUrl: h.sandbox.url, shopUrl: h.demo.url });
    const secrets = [config.secret, ...Object.values(config.providers).flatMap((p) => Object.entries(p as Record<string, string>).filter(([k]) => /key|secret|token/i.test(k) && !/public/i.test(k)).map(([, v]) => v))];
    assert.ok(h.answers.length > 50);
    for (const answer of h.answers) {
      const headers = [...answer.headers.entries()].join('\n');
      for (const secret of secrets) assert.ok(!answer.text.includes(secret) && !headers.includes(secret), `a secret leaked in: ${answer.text.slice(0, 200)}`);
    }
  });
});
