/**
 * Drills for the merchant's events: the endpoint is killed between a provider's change and its delivery (FileStore);
 * two instances deliver from one real Redis; the merchant's hook fails for a while. Each checks that every event
 * reaches the hook, in order per payment, with duplicates only of the same id, and that other payments do not wait.
 *
 *   node --import tsx --test test/drills/events.drills.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import type { PaymentResponse, SessionResponse } from '../../src/core/model.ts';
import type { PaymentEvent } from '../../src/server/events/event.ts';
import { FileStore } from '../../src/server/stores/file-store.ts';
import { RedisStore } from '../../src/server/stores/redis-store.ts';
import { exampleFields, json, PROVIDER_FLOWS, startAtProvider, until } from '../support/endpoint.ts';
import { startRedisServer, type RunningRedis } from '../support/redis.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/** Starts a hi.health payment for `order` on the endpoint at `base` and has the shopper pay it; answers its reference. */
async function payHiHealth(sandboxUrl: string, base: string, order: string, outcome: 'pay' | 'decline' = 'pay'): Promise<string> {
  const session = (await (await fetch(`${base}/kassa/session`, json({ order }))).json()) as SessionResponse;
  const answer = await fetch(`${base}/kassa/payments`, json({ token: session.token, method: 'hidirect:hi-health' }, { 'idempotency-key': `drill-${order.replace(/[^A-Za-z0-9_-]/g, '-')}` }));
  assert.equal(answer.status, 201, await answer.clone().text());
  const { payment, action } = (await answer.json()) as PaymentResponse;
  assert.equal(action.type, 'redirect');
  if (action.type === 'redirect') await fetch(action.url, { redirect: 'manual' }); // the hosted page claims the payment
  const { payments } = await callControl(sandboxUrl, 'GET', '/payments?provider=hidirect');
  const atProvider = payments.find((p: { reference?: string; merchantReference?: string; id: string }) => JSON.stringify(p).includes(payment.reference)) ?? payments.at(-1);
  await callControl(sandboxUrl, 'POST', `/payments/hidirect/${encodeURIComponent(atProvider.id)}/outcome`, { outcome });
  return payment.reference;
}

/** The hook's calls as ids per payment; asserts each payment's first deliveries are its sequences 1, 2, … in order. */
function checkOrderPerPayment(heard: PaymentEvent[]): Map<string, string[]> {
  const byPayment = new Map<string, string[]>();
  for (const event of heard) {
    const ids = byPayment.get(event.payment.reference) ?? [];
    if (!ids.includes(event.id)) {
      assert.equal(event.sequence, ids.length + 1, `${event.id} after ${ids.join(', ')}: out of order`);
      ids.push(event.id);
    }
    byPayment.set(event.payment.reference, ids);
  }
  return byPayment;
}

describe('payment event drills', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(async () => {
    await callControl(sandbox.url, 'POST', '/reset');
  });
  after(async () => {
    await sandbox?.close();
  });

  it('(a) every provider: paid at the provider, the tab closed, no webhook: reconciliation tells the hook within its schedule', async () => {
    const heardPaidAt = new Map<string, number>();
    const demo = await startDemo({
      sandboxUrl: sandbox.url,
      overrides: {
        onError: () => {},
        onPaymentEvent: (event) => {
          if (event.payment.state === 'paid' && !heardPaidAt.has(event.payment.reference)) heardPaidAt.set(event.payment.reference, Date.now());
        },
      },
    });
    try {
      const results = await Promise.all(
        PROVIDER_FLOWS.map(async (flow) => {
          await callControl(sandbox.url, 'POST', '/faults', { provider: flow.provider, operation: 'webhook', kind: 'drop' });
          const session = (await (await fetch(`${demo.url}/kassa/session`, json({ order: `${flow.order}~drill-a-${flow.provider}` }))).json()) as SessionResponse;
          const method = flow.method(session.methods)!;
          const answer = await fetch(`${demo.url}/kassa/payments`, json({ token: session.token, method: method.id, fields: exampleFields(method) }, { 'idempotency-key': `drill-a-${flow.provider}` }));
          assert.equal(answer.status, 201, await answer.clone().text());
          const created = (await answer.json()) as PaymentResponse;
          const id = await startAtProvider(sandbox.url, flow.provider, created);
          // The shopper pays on the provider's page and closes the tab: no return, no status stream, no read.
          await callControl(sandbox.url, 'POST', `/payments/${flow.provider}/${encodeURIComponent(id)}/outcome`, { outcome: 'pay' });
          const paidAt = Date.now();
          await until(`${flow.provider}: the hook heard paid`, () => heardPaidAt.has(created.payment.reference), 30_000);
          return { provider: flow.provider, ms: heardPaidAt.get(created.payment.reference)! - paidAt };
        }),
      );
      const { webhooks } = await callControl(sandbox.url, 'GET', '/webhooks');
      assert.deepEqual(webhooks, [], 'no webhook reached the endpoint');
      for (const { provider, ms } of results) assert.ok(ms <= 30_000, `${provider}: ${ms} ms`);
      console.log(`reconciliation, provider change → hook: ${results.map((r) => `${r.provider} ${r.ms} ms`).join(', ')}`);
    } finally {
      await demo.close();
    }
  });

  it('(b) the endpoint is killed after the provider changed the payment and before delivery: the restarted endpoint delivers each event once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kassa-events-drill-'));
    const script = fileURLToPath(new URL('../support/endpoint-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, KASSA_STORE_DIR: dir, KASSA_SANDBOX_URL: sandbox.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let restarted: RunningDemo | undefined;
    try {
      const lines: Array<{ url?: string; hook?: string }> = [];
      createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line)));
      const url = await until('the endpoint process listens', () => lines.find((l) => l.url)?.url);
      const reference = await payHiHealth(sandbox.url, url, 'DEMO-EUR~drill-b');
      await until('the first process saved paid', async () => (await (await fetch(`${url}/kassa/payments/${reference}`)).json()).state === 'paid');
      assert.deepEqual(lines.flatMap((l) => l.hook ?? []), [`${reference}.1`], 'its hook took the first event and never answered');
      child.kill('SIGKILL');
      await exited;

      const heard: PaymentEvent[] = [];
      restarted = await startDemo({ sandboxUrl: sandbox.url, overrides: { store: new FileStore(dir), onPaymentEvent: (event) => void heard.push(event) } });
      await until('the restarted endpoint delivered paid', () => heard.some((e) => e.payment.state === 'paid'));
      await sleep(1_500); // one more look at the outbox: nothing is delivered twice
      const ids = heard.map((e) => e.id);
      const stored = (await restarted.kassa.payments.events(reference)).map((e) => e.id);
      assert.ok(stored.length >= 2 && stored[0] === `${reference}.1`, stored.join(', '));
      assert.deepEqual(ids, stored, `each event once, in order: ${ids.join(', ')}`);
      assert.equal(heard.at(-1)!.payment.state, 'paid');
    } finally {
      child.kill('SIGKILL');
      await restarted?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('(e) the hook throws for a while: its events arrive once it recovers, in order; other payments are not held up', async () => {
    const heard: PaymentEvent[] = [];
    const heardAt = new Map<string, number>();
    let failing = true;
    const errors: string[] = [];
    const demo = await startDemo({
      sandboxUrl: sandbox.url,
      overrides: {
        onError: (error) => errors.push((error as Error).message),
        onPaymentEvent: (event) => {
          if (failing && event.payment.order === 'DEMO-EUR~drill-e-stuck') throw new Error('the shop database is down');
          heard.push(event);
          heardAt.set(event.id, Date.now());
        },
      },
    });
    try {
      const stuck = await payHiHealth(sandbox.url, demo.url, 'DEMO-EUR~drill-e-stuck');
      const changedAt = Date.now();
      const other = await payHiHealth(sandbox.url, demo.url, 'DEMO-EUR~drill-e-other');
      await until('the other payment was heard paid', () => heard.some((e) => e.payment.reference === other && e.payment.state === 'paid'));
      assert.ok(!heard.some((e) => e.payment.reference === stuck), 'nothing of the failing payment yet');
      const otherPaid = heard.find((e) => e.payment.reference === other && e.payment.state === 'paid')!;
      assert.ok(heardAt.get(otherPaid.id)! - changedAt < 2_000, `the other payment was not held up (${heardAt.get(otherPaid.id)! - changedAt} ms)`);
      await until('the failure was reported with the event id', () => errors.some((m) => m.includes(`${stuck}.1`) && m.includes('the shop database is down')));
      failing = false;
      await until('the recovered hook heard the failing payment paid', () => heard.some((e) => e.payment.reference === stuck && e.payment.state === 'paid'));
      const ids = checkOrderPerPayment(heard).get(stuck)!;
      assert.deepEqual(ids, (await demo.kassa.payments.events(stuck)).map((e) => e.id), 'every event, in order');
    } finally {
      await demo.close();
    }
  });

  describe('(d) two instances on one real Redis', () => {
    let redis: RunningRedis;
    const clients: Array<{ close(): Promise<unknown> }> = [];
    before(async () => {
      redis = await startRedisServer();
    });
    after(async () => {
      for (const client of clients) await client.close().catch(() => {});
      await redis?.stop();
    });

    it('every event is delivered, in order per payment, none lost, duplicates only by id', async () => {
      const heard: PaymentEvent[] = [];
      const instances: RunningDemo[] = [];
      const stores: RedisStore[] = [];
      for (const name of ['a', 'b']) {
        const client = createClient({ url: redis.url });
        clients.push(client);
        await client.connect();
        const store = new RedisStore(client, { prefix: 'drill:' });
        stores.push(store);
        instances.push(
          await startDemo({
            sandboxUrl: sandbox.url,
            // Slow enough that the two instances' deliveries overlap in time.
            overrides: {
              store,
              onError: () => {},
              onPaymentEvent: async (event) => {
                heard.push(event);
                await sleep(name === 'a' ? 3 : 7);
              },
            },
          }),
        );
      }
      try {
        const references = await Promise.all(
          Array.from({ length: 12 }, (_, i) => payHiHealth(sandbox.url, instances[i % 2]!.url, `DEMO-EUR~drill-d-${i}`, i % 3 ? 'pay' : 'decline')),
        );
        await until(
          'every payment final and delivered',
          async () => {
            for (const reference of references) {
              const payment = await instances[0]!.kassa.payments.get(reference);
              if (!payment || !['paid', 'declined'].includes(payment.state)) {
                await fetch(`${instances[1]!.url}/kassa/payments/${reference}`); // a read, as a return page would make
                return false;
              }
              if ((await stores[0]!.pendingEvents(reference)).events.length) return false;
            }
            return true;
          },
          30_000,
        );
        const delivered = checkOrderPerPayment(heard);
        for (const reference of references) {
          const stored = (await instances[1]!.kassa.payments.events(reference)).map((e) => e.id);
          assert.ok(stored.length >= 2, `${reference}: created and a final change`);
          assert.deepEqual(delivered.get(reference), stored, `${reference}: every stored event delivered, in order`);
        }
        const duplicates = heard.length - [...new Set(heard.map((e) => e.id))].length;
        assert.ok(duplicates <= heard.length / 10, `${duplicates} redeliveries of ${heard.length}`);
      } finally {
        for (const instance of instances) await instance.close();
        for (const store of stores) await store.close();
      }
    });
  });
});
