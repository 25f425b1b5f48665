/**
 * Drill: one order, two tabs, two providers, both approved, with random timing — the order must end with exactly one
 * charge kept and the other refunded, and the merchant told of both. `KASSA_ORDER_TRIALS` sets the number of trials
 * (200 by default).
 *
 *   node --import tsx --test test/drills/orders.drills.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResponse, ProviderName } from '../../src/core/model.ts';
import type { PaymentEvent } from '../../src/server/events/event.ts';
import { holdsMoney } from '../../src/server/payments/state-machine.ts';
import { exampleFields, freshOrder, PROVIDER_FLOWS, startAtProvider, useEndpoint } from '../support/endpoint.ts';

const TRIALS = Number(process.env.KASSA_ORDER_TRIALS ?? 200);
const AT_ONCE = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (max: number) => Math.floor(Math.random() * max);

describe('(c) one order paid in two tabs with two providers', () => {
  const duplicates = new Set<string>();
  const paidEvents = new Set<string>();
  const h = useEndpoint({
    providerReadIntervalMs: 100,
    rateLimitPerMinute: 1_000_000,
    statusRateLimitPerMinute: 1_000_000,
    onError: () => {},
    onPaymentEvent: (event: PaymentEvent) => {
      if (event.type === 'payment.duplicate') duplicates.add(event.payment.reference);
      if (event.payment.state === 'paid') paidEvents.add(event.payment.reference);
    },
  });

  /** One trial: both tabs start a payment, in a random order; both shoppers approve, in a random order and timing. */
  async function trial(): Promise<{ order: string; kept: string[]; refunded: string[]; references: string[] }> {
    const order = freshOrder('DEMO-EUR');
    const tabs = await Promise.all([h.session(order), h.session(order)]);
    const providers: ProviderName[] = random(2) ? ['hero', 'whenthen'] : ['whenthen', 'hero'];
    const created: PaymentResponse[] = [];
    for (const [i, provider] of providers.entries()) {
      const method = PROVIDER_FLOWS.find((f) => f.provider === provider)!.method(tabs[i]!.methods)!;
      const answer = await h.pay(tabs[i]!.token, method.id, { fields: exampleFields(method) });
      assert.equal(answer.status, 201, answer.text);
      created.push(answer.body as PaymentResponse);
      await sleep(random(20));
    }
    const ids = await Promise.all(created.map((c, i) => startAtProvider(h.sandbox.url, providers[i]!, c)));
    const approvals = [0, 1].sort(() => Math.random() - 0.5);
    await Promise.all(
      approvals.map(async (i, n) => {
        await sleep(n * random(60));
        await h.control('POST', `/payments/${providers[i]}/${encodeURIComponent(ids[i]!)}/outcome`, { outcome: 'pay' });
      }),
    );
    const references = created.map((c) => c.payment.reference);
    // The shoppers' pages read the status (Hero sends no webhook); reconciliation would find it too, only later.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(references.map(async (r) => (await h.api(`/payments/${r}`)).body.state as string));
      const attempts = await h.demo.kassa.payments.forOrder(order);
      const kept = attempts.filter((p) => holdsMoney(p.state)).map((p) => p.reference);
      const refunded = attempts.filter((p) => p.state === 'refunded').map((p) => p.reference);
      if (states.every((s) => s !== 'pending' && s !== 'created' && s !== 'action_required') && kept.length + refunded.length === 2 && refunded.length === 1) {
        return { order, kept, refunded, references };
      }
      if (Date.now() > deadline) return { order, kept, refunded, references };
      await sleep(50);
    }
  }

  it(`${TRIALS} trials: no order keeps two charges; the later attempt is refunded and reported as a duplicate`, { timeout: 600_000 }, async () => {
    const results: Awaited<ReturnType<typeof trial>>[] = [];
    for (let started = 0; started < TRIALS; started += AT_ONCE) {
      results.push(...(await Promise.all(Array.from({ length: Math.min(AT_ONCE, TRIALS - started) }, () => trial()))));
    }
    const twoKept = results.filter((r) => r.kept.length > 1);
    const unsettled = results.filter((r) => r.kept.length !== 1 || r.refunded.length !== 1);
    console.log(`${results.length} orders paid in two tabs: ${twoKept.length} kept two charges, ${unsettled.length} not settled to one kept + one refunded`);
    assert.equal(twoKept.length, 0, `orders with two charges kept: ${twoKept.map((r) => r.order).join(', ')}`);
    assert.deepEqual(unsettled.map((r) => r.order), [], 'each order ends with one charge kept and one refunded');
    for (const result of results) {
      // The attempt created first is the one kept, whichever was approved first.
      assert.deepEqual(result.kept, [result.references[0]], result.order);
      assert.ok(duplicates.has(result.refunded[0]!), `${result.order}: the refunded payment was reported as a duplicate`);
      for (const reference of result.references) assert.ok(paidEvents.has(reference), `${result.order}: the merchant heard ${reference} paid`);
    }
    // At the providers too: per order, one payment settled and the other refunded.
    const sandbox = (await h.control('GET', '/payments')).payments as Array<{ provider: string; status: string; reference: string | null }>;
    assert.equal(sandbox.length, TRIALS * 2);
  });
});
