/**
 * Fault drills over real HTTP: the sandbox's providers fail on create and on status reads, and the event stream
 * drops, while a payment goes through. Each drill checks the client ends up with the true final state and the
 * sandbox holds exactly one payment.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { NextAction, PaymentMethod, PaymentResponse, PaymentView, ProviderName } from '../../src/core/model.ts';
import { problemCode } from '../../src/core/problems.ts';
import { useEndpoint, type Harness } from '../../src/server/testing.ts';

interface Case {
  provider: ProviderName;
  order: string;
  method: (methods: PaymentMethod[]) => PaymentMethod | undefined;
  dedupes: boolean;
}

const CASES: Case[] = [
  { provider: 'kronor', order: 'DEMO-SEK', method: (ms) => ms.find((m) => m.id === 'kronor:swish'), dedupes: true },
  { provider: 'milkypay', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'milkypay' && !m.fields?.length), dedupes: true },
  { provider: 'whenthen', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'whenthen' && m.kind !== 'card'), dedupes: true },
  { provider: 'hero', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hero'), dedupes: false },
  { provider: 'hidirect', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hidirect'), dedupes: false },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the shopper's browser does after a 201 until the provider has a payment to decide; returns its id. */
async function startAtProvider(h: Harness, provider: ProviderName, action: NextAction): Promise<string> {
  if (action.type === 'kronor') {
    const response = await fetch(action.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${action.sessionToken}` },
      body: JSON.stringify({
        query: `mutation Swish($pay: SwishPaymentInput!) { newSwishPayment(pay: $pay) { waitToken } }`,
        variables: { pay: { flow: 'mcom', idempotencyKey: `swish-${randomUUID()}`, returnUrl: action.returnUrl } },
      }),
    });
    const body = await response.json();
    assert.ok(body.data?.newSwishPayment?.waitToken, JSON.stringify(body));
  } else if (action.type === 'redirect') {
    const page = await fetch(action.url, { redirect: 'manual' });
    assert.ok(page.status < 400, `hosted page answered ${page.status}`);
  }
  const payments = await sandboxPayments(h, provider);
  assert.equal(payments.length, 1, `exactly one ${provider} payment in the sandbox`);
  return payments[0]!.id;
}

async function sandboxPayments(h: Harness, provider: ProviderName): Promise<Array<{ id: string; status: string }>> {
  return (await h.control('GET', `/payments?provider=${provider}`)).payments;
}

async function begin(h: Harness, flow: Case) {
  const session = await h.session(flow.order);
  const method = flow.method(session.methods);
  assert.ok(method, `a ${flow.provider} method`);
  const fields = Object.fromEntries((method.fields ?? []).filter((f) => f.required).map((f) => [f.key, f.example ?? 'x']));
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

  describe('(1) create fails with 500, then 429, then answers too slowly; the same click is retried', () => {
    for (const flow of CASES) {
      it(`${flow.provider}: ${flow.dedupes ? 'the retry succeeds once the fault clears, one payment' : 'the same key keeps its problem, no second payment'}`, async () => {
        const { session, method, fields } = await begin(h, flow);
        const key = `drill-${randomUUID()}`;
        const faults = [
          { kind: 'error', status: 500 },
          { kind: 'error', status: 429 },
          { kind: 'latency', latencyMs: 1_200 },
        ];
        for (const fault of faults) {
          await h.control('POST', '/faults', { provider: flow.provider, operation: 'create', times: 0, ...fault });
          const answer = await h.pay(session.token, method.id, { fields, key });
          assert.equal(answer.status, 503, `${fault.kind} ${fault.status ?? ''}: ${answer.text}`);
          assert.equal(problemCode(answer.body.type), 'provider-unavailable');
          assert.match(answer.headers.get('content-type') ?? '', /problem\+json/);
          await h.control('DELETE', '/faults');
        }
        // Creates held back by the latency fault land in the sandbox late; let them all arrive before counting.
        await sleep(1_500);

        const retry = await h.pay(session.token, method.id, { fields, key });
        if (!flow.dedupes) {
          assert.equal(retry.status, 503, retry.text);
          assert.equal(problemCode(retry.body.type), 'provider-unavailable');
          // The first fault (500) was stored for the key, so the latency attempt never reached the provider.
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
