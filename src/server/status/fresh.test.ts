/**
 * Status kept fresh without webhooks, over real HTTP against the sandbox (every webhook withheld by a `drop` fault):
 * status reads of many Hero payments asked for together go out as few `getPaymentsInfos` calls, within the
 * per-payment read bound; a watched payment's change reaches its stream from the watcher's reads; a Kronor change
 * reaches its stream from Kronor's live feed, with no poll able to find it (the read interval is a minute and
 * already used up).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleFields, PROVIDER_FLOWS, startAtProvider, useEndpoint } from '../../../test/support/endpoint.ts';
import type { PaymentResponse, PaymentView, ProviderName } from '../../core/model.ts';

/** The sandbox's names for each provider's status reads. */
const READS: Partial<Record<ProviderName, string[]>> = {
  hero: ['getPaymentsInfos'],
  kronor: ['paymentRequests', 'payments'],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('status reads without webhooks, over HTTP', () => {
  const h = useEndpoint({ providerReadIntervalMs: 60_000, statusRateLimitPerMinute: 1_000_000, rateLimitPerMinute: 1_000_000, maxStreamsPerClient: 100 });

  async function created(provider: ProviderName): Promise<PaymentResponse> {
    const flow = PROVIDER_FLOWS.find((f) => f.provider === provider)!;
    const { token, methods } = await h.session(flow.order);
    const method = flow.method(methods)!;
    const answer = await h.pay(token, method.id, { fields: exampleFields(method) });
    assert.equal(answer.status, 201, answer.text);
    return answer.body as PaymentResponse;
  }

  async function reads(provider: ProviderName): Promise<number> {
    let count = 0;
    for (const operation of READS[provider]!) count += (await h.control('GET', `/requests?provider=${provider}&operation=${operation}`)).count;
    return count;
  }

  /** Status events of a payment's stream, collected until `until` says done or the timeout. */
  function follow(reference: string, timeoutMs: number): { seen: PaymentView[]; done: Promise<PaymentView[]> } {
    const seen: PaymentView[] = [];
    const done = (async () => {
      const response = await fetch(`${h.demo.url}/kassa/payments/${reference}/events`, { signal: AbortSignal.timeout(timeoutMs) });
      assert.equal(response.status, 200);
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const data = buffer
              .slice(0, end)
              .split('\n')
              .find((line) => line.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) seen.push(JSON.parse(data.slice(6)) as PaymentView);
          }
        }
      } catch (error) {
        if ((error as Error).name !== 'TimeoutError') throw error;
      }
      return seen;
    })();
    return { seen, done };
  }

  it('reads 40 Hero payments asked about together in one getPaymentsInfos call, and not again within the interval', async () => {
    await h.control('POST', '/faults', { provider: 'hero', operation: 'webhook', kind: 'drop' });
    const payments = await Promise.all(Array.from({ length: 40 }, () => created('hero')));
    const before = await reads('hero');
    const answers = await Promise.all(payments.map((p) => h.api(`/payments/${p.payment!.reference}`)));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    assert.equal((await reads('hero')) - before, 1, 'one call for the 40');
    await Promise.all(payments.map((p) => h.api(`/payments/${p.payment!.reference}`)));
    assert.equal((await reads('hero')) - before, 1, 'asked again within the interval: answered as stored');
  });

  it('brings a Kronor change to the stream from the live feed, with no poll due', async () => {
    await h.control('POST', '/faults', { provider: 'kronor', operation: 'webhook', kind: 'drop' });
    const payment = await created('kronor');
    const reference = payment.payment!.reference;
    const id = await startAtProvider(h.sandbox.url, 'kronor', payment, 'swish');
    // A read now: the interval (a minute) is used up, so neither the stream's watcher nor the reconciler reads again.
    assert.equal((await h.api(`/payments/${reference}`)).status, 200);
    const stream = follow(reference, 10_000);
    await sleep(300); // the stream is open and its watcher has looked
    const before = await reads('kronor');
    const decided = Date.now();
    await h.control('POST', `/payments/kronor/${id}/outcome`, { outcome: 'pay' });
    const seen = await stream.done;
    assert.equal(seen.at(-1)?.state, 'paid', JSON.stringify(seen.map((v) => v.state)));
    assert.ok(Date.now() - decided < 5_000, `arrived ${Date.now() - decided} ms after the change, long before the next poll could`);
    // The feed may ask Kronor once about a request that left its waiting list; no poll asks about this payment.
    assert.ok((await reads('kronor')) - before <= 1, `${(await reads('kronor')) - before} Kronor status reads`);
  });
});

describe('a watched payment without webhooks, over HTTP', () => {
  const h = useEndpoint({ statusRateLimitPerMinute: 1_000_000, rateLimitPerMinute: 1_000_000 });

  it('reaches its stream from the watcher when the Hero payment is paid, read at most once per interval', async () => {
    await h.control('POST', '/faults', { provider: 'hero', operation: 'webhook', kind: 'drop' });
    const flow = PROVIDER_FLOWS.find((f) => f.provider === 'hero')!;
    const { token, methods } = await h.session(flow.order);
    const answer = await h.pay(token, flow.method(methods)!.id);
    assert.equal(answer.status, 201, answer.text);
    const payment = answer.body as PaymentResponse;
    const reference = payment.payment!.reference;
    const id = await startAtProvider(h.sandbox.url, 'hero', payment);
    const events = h.events(reference, 15_000);
    await sleep(3_000);
    await h.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'pay' });
    const seen = await events;
    assert.equal(seen.at(-1)?.state, 'paid', JSON.stringify(seen.map((v) => v.state)));
    const { requests } = await h.control<{ requests: Array<{ at: string }> }>('GET', '/requests?provider=hero&operation=getPaymentsInfos');
    const times = requests.map((r) => Date.parse(r.at));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.ok(times.length >= 2, `${times.length} reads`);
    assert.ok(Math.min(...gaps) >= 2_000, `never twice within the 2 s interval: gaps ${gaps.join(', ')} ms`);
  });
});
