/**
 * Fault drills over real HTTP: the sandbox's providers fail on create (429, 500, slowness, a refused connection) and
 * on status reads, and the event stream drops, while a payment goes through. Each drill checks the client ends up
 * with the true final state and the sandbox holds exactly one payment (none where the click must stay refused).
 *
 *   node --import tsx --test test/drills/endpoint.drills.test.ts
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { NextAction, PaymentMethod, PaymentResponse, PaymentView, ProviderName } from '../../src/core/model.ts';
import { problemCode } from '../../src/core/problems.ts';
import { exampleFields, json, startAtProvider as startAt, useEndpoint, type Harness } from '../../test/support/endpoint.ts';
import { startDemo } from '../../demo/server.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';

interface Case {
  provider: ProviderName;
  order: string;
  method: (methods: PaymentMethod[]) => PaymentMethod | undefined;
  dedupes: boolean;
}

const CASES: Case[] = [
  { provider: 'kronor', order: 'DEMO-SEK', method: (ms) => ms.find((m) => m.id === 'swish'), dedupes: true },
  // Methods only one provider offers: these drills are about that provider's faults, not about going on to another.
  { provider: 'milkypay', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.id === 'mbway'), dedupes: true },
  { provider: 'whenthen', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.id === 'klarna'), dedupes: true },
  { provider: 'hero', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hero'), dedupes: false },
  { provider: 'hidirect', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hidirect'), dedupes: false },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The browser's part after a 201 (shared in test/support), with exactly one payment at the sandbox. */
async function startAtProvider(h: Harness, provider: ProviderName, action: NextAction): Promise<string> {
  const payments = () => h.control('GET', `/payments?provider=${provider}`).then((answer) => answer.payments as unknown[]);
  const id = await startAt(h.sandbox.url, provider, { action } as PaymentResponse);
  assert.equal((await payments()).length, 1, `exactly one ${provider} payment in the sandbox`);
  return id;
}

async function sandboxPayments(h: Harness, provider: ProviderName): Promise<Array<{ id: string; status: string }>> {
  return (await h.control('GET', `/payments?provider=${provider}`)).payments;
}

/** How many create calls reached the provider (answered, failed by a fault or not); Hero and hi.health name it `createPayment`. */
async function createCalls(h: Harness, provider: ProviderName): Promise<number> {
  return (await h.control('GET', `/requests?provider=${provider}&operation=createPayment`)).count;
}

/** From a 201 on: the shopper pays at the provider; the event stream must end paid, with one payment at the sandbox. */
async function payAndFollow(h: Harness, provider: ProviderName, created: PaymentResponse): Promise<void> {
  const providerId = await startAtProvider(h, provider, created.action);
  const stream = h.events(created.payment.reference, 10_000);
  await h.control('POST', `/payments/${provider}/${encodeURIComponent(providerId)}/outcome`, { outcome: 'pay' });
  const events = await stream;
  assert.equal(events.at(-1)?.state, 'paid', events.map((e) => e.state).join(' → '));
  assert.equal((await sandboxPayments(h, provider)).length, 1, 'exactly one payment');
}

async function begin(h: Harness, flow: Case) {
  const session = await h.session(flow.order);
  const method = flow.method(session.methods);
  assert.ok(method, `a ${flow.provider} method`);
  const fields = exampleFields(method);
  return { session, method, fields };
}

/** Opens the event stream and resolves with the first status event, handing back a way to drop the connection. */
async function openStream(h: Harness, reference: string): Promise<{ first: PaymentView; drop: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${h.demo.url}/kassa/payments/${reference}/events`, { signal: controller.signal });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    assert.ok(!done, 'the stream ended before its first event');
    buffer += decoder.decode(value, { stream: true });
    const match = /event: status\ndata: (.*)\n\n|event: status\nid: [^\n]*\ndata: (.*)\n\n/.exec(buffer);
    if (match) {
      return {
        first: JSON.parse(match[1] ?? match[2]!) as PaymentView,
        drop: () => controller.abort(),
      };
    }
  }
}

describe('fault drills over HTTP', () => {
  const h = useEndpoint({ providerTimeoutMs: 600 });

  describe('(1) create answers 429, then 500, then too slowly; the same click is retried', () => {
    for (const flow of CASES) {
      it(`${flow.provider}: ${flow.dedupes ? 'the retry succeeds once the fault clears, one payment' : 'the key is freed by the 429 only, then keeps the 500; no payment'}`, async () => {
        const { session, method, fields } = await begin(h, flow);
        const key = `drill-${randomUUID()}`;
        const faults = [
          { kind: 'error', status: 429 },
          { kind: 'error', status: 500 },
          { kind: 'latency', latencyMs: 1_200 },
        ];
        for (const fault of faults) {
          await h.control('POST', '/faults', { provider: flow.provider, operation: 'create', times: 0, ...fault });
          const answer = await h.pay(session.token, method.id, { fields, key });
          assert.equal(answer.status, 503, `${fault.kind} ${fault.status ?? ''}: ${answer.text}`);
          assert.equal(problemCode(answer.body.type), 'provider-unavailable');
          assert.match(answer.headers.get('content-type') ?? '', /problem\+json/);
          // The sandbox's 429 says Retry-After: 1; the endpoint passes it on.
          if (fault.status === 429) assert.equal(answer.headers.get('retry-after'), '1');
          await h.control('DELETE', '/faults');
        }
        // Creates held back by the latency fault land in the sandbox late; let them all arrive before counting.
        await sleep(1_500);

        const retry = await h.pay(session.token, method.id, { fields, key });
        if (!flow.dedupes) {
          assert.equal(retry.status, 503, retry.text);
          assert.equal(problemCode(retry.body.type), 'provider-unavailable');
          // The 429 proved nothing was created, so the 500 attempt went to the provider; the 500 may have created
          // the payment, so it was stored for the key and the latency attempt and the retry never reached it.
          assert.equal(await createCalls(h, flow.provider), 2, 'creates that reached the provider');
          assert.equal((await sandboxPayments(h, flow.provider)).length, 0, 'no payment at all');
          return;
        }
        assert.equal(retry.status, 201, retry.text);
        const { payment, action } = retry.body as PaymentResponse;
        const again = await h.pay(session.token, method.id, { fields, key });
        assert.equal(again.status, 201);
        assert.equal(again.body.payment.reference, payment.reference, 'the same click answers the same payment');

        const providerId = await startAtProvider(h, flow.provider, action);
        const stream = h.events(payment.reference, 10_000);
        await h.control('POST', `/payments/${flow.provider}/${encodeURIComponent(providerId)}/outcome`, { outcome: 'pay' });
        const events = await stream;
        assert.equal(events.at(-1)?.state, 'paid', events.map((e) => e.state).join(' → '));
        assert.equal((await sandboxPayments(h, flow.provider)).length, 1, 'exactly one payment');
      });
    }
  });

  describe('(1b) providers without idempotent create: the same click is asked again only when nothing was created', () => {
    for (const flow of CASES.filter((c) => !c.dedupes)) {
      it(`${flow.provider}: create answered 429 (nothing created), the same key once it clears → 201, one payment, paid`, async () => {
        const { session, method, fields } = await begin(h, flow);
        const key = `drill-429-${randomUUID()}`;
        await h.control('POST', '/faults', { provider: flow.provider, operation: 'create', kind: 'error', status: 429, times: 0 });
        const refused = await h.pay(session.token, method.id, { fields, key });
        assert.equal(refused.status, 503, refused.text);
        assert.equal(problemCode(refused.body.type), 'provider-unavailable');
        assert.equal(refused.headers.get('retry-after'), '1');
        assert.equal((await sandboxPayments(h, flow.provider)).length, 0);
        // Still refused while the provider still answers 429: each try goes to the provider, none creates anything.
        const stillRefused = await h.pay(session.token, method.id, { fields, key });
        assert.equal(stillRefused.status, 503, stillRefused.text);
        await h.control('DELETE', '/faults');

        const retry = await h.pay(session.token, method.id, { fields, key });
        assert.equal(retry.status, 201, retry.text);
        const again = await h.pay(session.token, method.id, { fields, key });
        assert.equal(again.status, 201, again.text);
        assert.equal(again.body.payment.reference, retry.body.payment.reference, 'the same click answers the same payment');
        assert.equal(await createCalls(h, flow.provider), 3, 'two refused creates and one that made the payment');
        await payAndFollow(h, flow.provider, retry.body as PaymentResponse);
      });

      it(`${flow.provider}: create answered 500 (it may have happened), the same key once it clears → still refused, no payment`, async () => {
        const { session, method, fields } = await begin(h, flow);
        const key = `drill-500-${randomUUID()}`;
        await h.control('POST', '/faults', { provider: flow.provider, operation: 'create', kind: 'error', status: 500, times: 0 });
        const failed = await h.pay(session.token, method.id, { fields, key });
        assert.equal(failed.status, 503, failed.text);
        assert.equal(problemCode(failed.body.type), 'provider-unavailable');
        assert.equal(failed.headers.get('retry-after'), null, 'the sandbox’s 500 names no wait');
        await h.control('DELETE', '/faults');

        const retry = await h.pay(session.token, method.id, { fields, key });
        assert.equal(retry.status, 503, retry.text);
        assert.equal(problemCode(retry.body.type), 'provider-unavailable');
        assert.equal(await createCalls(h, flow.provider), 1, 'the retry never reached the provider');
        assert.equal((await sandboxPayments(h, flow.provider)).length, 0);
        // The shopper's next click (a new key) pays, once.
        const next = await h.pay(session.token, method.id, { fields, key: `drill-next-${randomUUID()}` });
        assert.equal(next.status, 201, next.text);
        await payAndFollow(h, flow.provider, next.body as PaymentResponse);
      });
    }
  });

  describe('(2) status reads fail while the payment completes; the stream ends with the true state once they recover', () => {
    const drills = [
      { provider: 'hidirect', fault: { kind: 'error', status: 500 } },
      { provider: 'hidirect', fault: { kind: 'malformed' } },
      { provider: 'milkypay', fault: { kind: 'close-socket' } },
      { provider: 'kronor', fault: { kind: 'timeout', latencyMs: 5_000 } },
    ] as const;
    for (const drill of drills) {
      it(`${drill.provider}: status ${drill.fault.kind}${'status' in drill.fault ? ` ${drill.fault.status}` : ''}`, async () => {
        const flow = CASES.find((c) => c.provider === drill.provider)!;
        const { session, method, fields } = await begin(h, flow);
        const created = await h.pay(session.token, method.id, { fields });
        assert.equal(created.status, 201, created.text);
        const { payment, action } = created.body as PaymentResponse;
        const providerId = await startAtProvider(h, flow.provider, action);
        await h.control('POST', '/faults', { provider: flow.provider, operation: 'status', times: 0, ...drill.fault });
        const stream = h.events(payment.reference, 10_000);
        await h.control('POST', `/payments/${flow.provider}/${encodeURIComponent(providerId)}/outcome`, { outcome: 'pay' });
        // While reads fail the endpoint keeps the last state it knew: never a made-up final one.
        const during = await h.api(`/payments/${payment.reference}`);
        assert.equal(during.status, 200);
        assert.notEqual(during.body.state, 'paid');
        await sleep(800);
        await h.control('DELETE', '/faults');
        const events = await stream;
        assert.equal(events.at(-1)?.state, 'paid', events.map((e) => e.state).join(' → '));
        assert.equal((await h.api(`/payments/${payment.reference}`)).body.state, 'paid');
        assert.equal((await sandboxPayments(h, flow.provider)).length, 1);
      });
    }
  });

  describe('(3) the event stream drops mid-payment; a new stream shows the final state', () => {
    for (const provider of ['hidirect', 'kronor'] as const) {
      it(provider, async () => {
        const flow = CASES.find((c) => c.provider === provider)!;
        const { session, method, fields } = await begin(h, flow);
        const created = await h.pay(session.token, method.id, { fields });
        assert.equal(created.status, 201, created.text);
        const { payment, action } = created.body as PaymentResponse;
        const providerId = await startAtProvider(h, provider, action);
        const first = await openStream(h, payment.reference);
        assert.equal(first.first.reference, payment.reference);
        assert.notEqual(first.first.state, 'paid');
        first.drop();
        await h.control('POST', `/payments/${provider}/${encodeURIComponent(providerId)}/outcome`, { outcome: 'pay' });
        const events = await h.events(payment.reference, 10_000);
        assert.equal(events.at(-1)?.state, 'paid', events.map((e) => e.state).join(' → '));
        assert.equal((await sandboxPayments(h, provider)).length, 1);
      });
    }
  });

  it('(5) the return URL, followed again after the final state, still leads to it and makes no second payment', async () => {
    const flow = CASES.find((c) => c.provider === 'hero')!;
    const { session, method, fields } = await begin(h, flow);
    const created = await h.pay(session.token, method.id, { fields });
    const { payment, action } = created.body as PaymentResponse;
    const providerId = await startAtProvider(h, 'hero', action);
    await h.control('POST', `/payments/hero/${encodeURIComponent(providerId)}/outcome`, { outcome: 'decline' });
    for (let visit = 0; visit < 3; visit++) {
      const back = await h.api(`/return/${payment.reference}`, { redirect: 'manual' });
      assert.equal(back.status, 303);
      assert.equal(new URL(back.headers.get('location')!).searchParams.get('kassa_payment'), payment.reference);
      const read = await h.api(`/payments/${payment.reference}`);
      assert.equal(read.body.state, 'declined');
      const events = await h.events(payment.reference, 5_000);
      assert.deepEqual(events.map((e) => e.state), ['declined']);
    }
    assert.equal((await sandboxPayments(h, 'hero')).length, 1);
  });
});

describe('(6) the provider is down (connection refused) on create; the same click pays once it is back', () => {
  // Its own sandbox and demo: the sandbox is stopped and started again on the same port.
  for (const flow of CASES.filter((c) => !c.dedupes)) {
    it(`${flow.provider}: nothing was sent, so the same key goes to the provider again → 201, one payment`, async () => {
      let sandbox = await startSandbox();
      const port = Number(new URL(sandbox.url).port);
      const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { providerTimeoutMs: 600 } });
      const pay = async (token: string, methodId: string, fields: Record<string, string>, key: string) => {
        const response = await fetch(`${demo.url}/kassa/payments`, json({ token, method: methodId, fields }, { 'idempotency-key': key }));
        return { status: response.status, headers: response.headers, body: await response.json() };
      };
      try {
        const sessionAnswer = await fetch(`${demo.url}/kassa/session`, json({ order: flow.order }));
        assert.equal(sessionAnswer.status, 201);
        const session = (await sessionAnswer.json()) as { token: string; methods: PaymentMethod[] };
        const method = flow.method(session.methods);
        assert.ok(method, `a ${flow.provider} method`);
        const fields = exampleFields(method);
        const key = `drill-down-${randomUUID()}`;

        await sandbox.close();
        const refused = await pay(session.token, method.id, fields, key);
        assert.equal(refused.status, 503, JSON.stringify(refused.body));
        assert.equal(problemCode(refused.body.type), 'provider-unavailable');
        assert.equal(refused.headers.get('retry-after'), null);

        sandbox = await startSandbox({ port });
        const retry = await pay(session.token, method.id, fields, key);
        assert.equal(retry.status, 201, JSON.stringify(retry.body));
        const again = await pay(session.token, method.id, fields, key);
        assert.equal(again.body.payment.reference, retry.body.payment.reference, 'the same click answers the same payment');
        const { payments } = await callControl(sandbox.url, 'GET', `/payments?provider=${flow.provider}`);
        assert.equal(payments.length, 1, 'exactly one payment');
      } finally {
        await demo.close();
        await sandbox.close();
      }
    });
  }
});
