/**
 * `RedisStore` over a real redis-server (test/support/redis.ts starts one on a free port): the same KassaStore
 * contract as MemoryStore and FileStore, then what only a shared store promises — between two stores on one Redis,
 * and over HTTP between two demo endpoints (instances A and B) on one sandbox: a double click spread over both makes
 * one payment; a payment made on A is read on B; a status stream on B hears the webhook handled on A; the rate limit
 * counts both. B reaches the sandbox through a relay the test can cut, so what B shows then can only come from Redis.
 *
 *   node --import tsx --test src/server/redis-store.test.ts
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createClient } from 'redis';
import { startDemo, type RunningDemo } from '../../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server.ts';
import { callControl } from '../../../sandbox/testing.ts';
import { paymentRecord, paymentView, savePayment, storeContract, storedAnswer } from '../../../test/support/store-contract.ts';
import { startRedisServer, type RunningRedis } from '../../../test/support/redis.ts';
import type { PaymentResponse, PaymentView, SessionResponse } from '../../core/model.ts';
import { problemCode } from '../../core/problems.ts';
import { ProviderReads } from '../status/reads.ts';
import { Reconciler } from '../status/reconciler.ts';
import { bulkContract } from './bulk-contract.test.ts';
import { RedisStore, UNANSWERED_CLAIM_TTL_MS } from './redis-store.ts';
import { json, readStatusEvents } from '../../../test/support/endpoint.ts';
import type { StoreOptions } from './store.ts';

function newClient(url: string) {
  return createClient({ url });
}
type Client = ReturnType<typeof newClient>;

let redis: RunningRedis;
const clients: Client[] = [];
const stores: RedisStore[] = [];

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  for (const store of stores) await store.close();
  for (const client of clients) await client.close();
  await redis?.stop();
});

/** A connected client of its own, as each endpoint process has. */
async function connectClient(): Promise<Client> {
  const client = newClient(redis.url);
  client.on('error', (error) => console.error('test redis client:', error));
  await client.connect();
  clients.push(client);
  return client;
}

function redisStore(client: Client, prefix: string, onError?: (error: unknown) => void, options: StoreOptions = {}): RedisStore {
  const store = new RedisStore(client, { ...options, prefix, onError });
  stores.push(store);
  return store;
}

/** How many connections (any process) are SUBSCRIBEd to the channel. */
async function subscribers(client: Client, channel: string): Promise<number> {
  const [, count] = (await client.sendCommand(['PUBSUB', 'NUMSUB', channel])) as [string, number];
  return Number(count);
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisStore', () => {
  let contractClient: Client;
  let contractStores = 0;
  before(async () => {
    contractClient = await connectClient();
  });
  // A prefix per store: every contract check starts from an empty store on the one Redis.
  storeContract('RedisStore', (options) => redisStore(contractClient, `kassa-contract-${++contractStores}:`, undefined, options));
  bulkContract('RedisStore', () => redisStore(contractClient, `kassa-contract-${++contractStores}:`));
});

describe('RedisStore: two processes on one Redis', () => {
  let a: RedisStore;
  let b: RedisStore;
  let inspector: Client;
  let prefix: string;

  beforeEach(async () => {
    // Each store with its own client, as two endpoint processes have; a fresh prefix keeps the tests apart.
    prefix = `kassa-${randomUUID()}:`;
    a = redisStore(await connectClient(), prefix);
    b = redisStore(await connectClient(), prefix);
    inspector ??= await connectClient();
  });

  it('a duplicate on another process waits for the first answer; another body conflicts at once', async () => {
    assert.deepEqual(await a.claimIdempotency('session:click-1', 'body-a', 0), { kind: 'acquired' });
    assert.deepEqual(await b.claimIdempotency('session:click-1', 'body-b', 5_000), { kind: 'conflict' });
    const waiting = b.claimIdempotency('session:click-1', 'body-a', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 60)); // B has looked at least once and found it in flight
    await a.finishIdempotency('session:click-1', storedAnswer, 60_000);
    assert.deepEqual(await waiting, { kind: 'replay', response: storedAnswer });
    // A released key (a failure that may pass) is free for the other process too.
    await b.claimIdempotency('session:click-2', 'body-a', 0);
    await b.finishIdempotency('session:click-2', null, 0);
    assert.deepEqual(await a.claimIdempotency('session:click-2', 'body-a', 0), { kind: 'acquired' });
  });

  it('a duplicate whose first request never answers is refused after waitMs', async () => {
    await a.claimIdempotency('session:click-3', 'body-a', 0);
    const started = Date.now();
    assert.deepEqual(await b.claimIdempotency('session:click-3', 'body-a', 200), { kind: 'conflict' });
    assert.ok(Date.now() - started >= 190, `waited ${Date.now() - started} ms`);
  });

  it('payments saved by one process are read and found by the other', async () => {
    await savePayment(a, paymentRecord('kp_shared'));
    assert.deepEqual(await b.getPayment('kp_shared'), paymentRecord('kp_shared'));
    assert.equal((await b.findPayment('hidirect', 'hd-kp_shared'))?.reference, 'kp_shared');
    await savePayment(b, paymentRecord('kp_shared', { state: 'paid' }));
    assert.equal((await a.getPayment('kp_shared'))?.state, 'paid', "one process's change over the other's, in sequence");
  });

  it('an event published by one process reaches the other once; leaving unsubscribes from Redis', async () => {
    const channel = `${prefix}events:kp_events`;
    const seenOnA: string[] = [];
    const seenOnB: string[] = [];
    a.subscribe('kp_events', (view) => seenOnA.push(view.state));
    const leaveB = b.subscribe('kp_events', (view) => seenOnB.push(view.state));
    b.subscribe('kp_other', () => seenOnB.push('wrong payment'));
    await Promise.all([a.subscriptionsSettled(), b.subscriptionsSettled()]);
    assert.equal(await subscribers(inspector, channel), 2, 'one SUBSCRIBE per process, not per listener');

    await a.publish(paymentView('kp_events', { state: 'authorized' }));
    await b.publish(paymentView('kp_events', { state: 'paid' }));
    // A third publisher's message last: each connection gets messages in order, so once it has arrived every echo
    // of the first two has too (and must have been skipped).
    const lastMessage = { origin: 'the test', view: paymentView('kp_events', { state: 'expired' }) };
    await inspector.sendCommand(['PUBLISH', channel, JSON.stringify(lastMessage)]);
    await waitUntil(() => seenOnA.includes('expired') && seenOnB.includes('expired'), 'both processes saw the last event');
    // Local listeners hear their own process's events at once, others' after the round trip: compare as sets.
    assert.deepEqual(seenOnA.sort(), ['authorized', 'expired', 'paid'], 'each event once on A');
    assert.deepEqual(seenOnB.sort(), ['authorized', 'expired', 'paid'], 'each event once on B');

    leaveB();
    await b.subscriptionsSettled();
    assert.equal(await subscribers(inspector, channel), 1, 'B left: only A is subscribed');
    await a.publish(paymentView('kp_events', { state: 'refunded' }));
    assert.deepEqual(seenOnB, ['authorized', 'expired', 'paid']);
  });

  it('counts one rate limit across processes', async () => {
    const hits = [];
    for (const store of [a, b, a, b]) hits.push(await store.hit('payments:203.0.113.7', 3, 60_000));
    assert.deepEqual(hits, [true, true, true, false]);
    const window = await inspector.sendCommand(['PTTL', `${prefix}rate:${keyHash('payments:203.0.113.7')}`]);
    assert.ok(Number(window) > 59_000 && Number(window) <= 60_000, `the window expires with the minute (${window} ms left)`);
  });

  it('two reconcilers, one per process, share a wave of 600 due payments: each read once, in batches', async () => {
    const now = new Date().toISOString();
    for (let i = 0; i < 600; i++) await savePayment(a, paymentRecord(`kp_wave${i}`, { provider: 'hero', createdAt: now }));
    await a.scheduleReads(Array.from({ length: 600 }, (_, i) => ({ reference: `kp_wave${i}`, at: Date.now() })));
    const read = new Map<string, number>();
    const calls: Array<{ store: string; size: number }> = [];
    const instances = [
      ['a', a],
      ['b', b],
    ].map(([name, store]) => {
      const reads = new ProviderReads({
        store: store as RedisStore,
        intervalMs: 2_000,
        batchLimit: () => 100,
        read: async (_provider, records) => {
          calls.push({ store: name as string, size: records.length });
          for (const record of records) read.set(record.reference, (read.get(record.reference) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return new Map();
        },
      });
      const reconciler = new Reconciler({ store: store as RedisStore, readAll: (records) => reads.refreshAll(records), onError: assert.fail, readTimeoutMs: 1_000, pollMs: 10, claimLimit: 100 });
      return { reads, reconciler };
    });
    for (const { reconciler } of instances) reconciler.start();
    await waitUntil(() => read.size === 600, 'every payment is read');
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const { reconciler, reads } of instances) {
      await reconciler.close();
      await reads.close();
    }
    assert.deepEqual(new Set(read.values()), new Set([1]), 'no payment read twice');
    assert.ok(calls.length <= 12, `${calls.length} calls for 600 payments`);
    assert.equal((await b.dueReads(Date.now() + 9_000, 1_000)).length, 0, 'each next read is 10 s away');
    assert.equal((await b.dueReads(Date.now() + 11_000, 1_000)).length, 600);
  });

  it('names keys by prefix and hash, never by the browser-chosen key; claims and answers expire', async () => {
    await a.claimIdempotency('../../etc/passwd key', 'body', 0);
    await a.claimIdempotency('answered', 'body', 0);
    await a.finishIdempotency('answered', storedAnswer, 60_000);
    await savePayment(a, paymentRecord('kp_layout'));
    const keys = ((await inspector.sendCommand(['KEYS', `${prefix}*`])) as string[]).sort();
    assert.deepEqual(keys, [
      `${prefix}idempotency:${keyHash('../../etc/passwd key')}`,
      `${prefix}idempotency:${keyHash('answered')}`,
      `${prefix}payment-id:hidirect:hd-kp_layout`,
      `${prefix}payment:kp_layout`,
      `${prefix}payment-events:kp_layout`,
      `${prefix}order:${keyHash('DEMO-EUR')}`,
      `${prefix}outbox`,
    ].sort());
    const unanswered = Number(await inspector.sendCommand(['PTTL', `${prefix}idempotency:${keyHash('../../etc/passwd key')}`]));
    assert.ok(unanswered > UNANSWERED_CLAIM_TTL_MS - 5_000 && unanswered <= UNANSWERED_CLAIM_TTL_MS, `an unanswered claim lives a day (${unanswered} ms)`);
    const answered = Number(await inspector.sendCommand(['PTTL', `${prefix}idempotency:${keyHash('answered')}`]));
    assert.ok(answered > 55_000 && answered <= 60_000, `an answer lives ttlMs (${answered} ms)`);
  });

  it('close() ends the SUBSCRIBE connection; events still reach local listeners', async () => {
    const seen: string[] = [];
    a.subscribe('kp_closing', (view) => seen.push(view.state));
    await a.subscriptionsSettled();
    assert.equal(await subscribers(inspector, `${prefix}events:kp_closing`), 1);
    await a.close();
    assert.equal(await subscribers(inspector, `${prefix}events:kp_closing`), 0);
    await a.publish(paymentView('kp_closing'));
    assert.deepEqual(seen, ['paid']);
  });
});

/** The store's name for a browser-chosen key (the documented layout). */
function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * A pass-through HTTP relay to the sandbox that the test can cut (it then answers 503 to everything): instance B's
 * only way to its providers.
 */
async function startRelay(target: string): Promise<{ url: string; cut: boolean; refused: number; close(): Promise<void> }> {
  const upstream = new URL(target);
  const relay = {
    url: '',
    cut: false,
    refused: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    if (relay.cut) {
      relay.refused++;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('cut off by the test');
      return;
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

describe('two endpoint instances on one Redis, over HTTP', () => {
  /** Low enough that the rate-limit test reaches it, high enough for the 20 concurrent payments of another. */
  const RATE_LIMIT = 30;
  const PROVIDER_READ_INTERVAL_MS = 100;
  let sandbox: RunningSandbox;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let instanceA: RunningDemo;
  let instanceB: RunningDemo;
  let inspector: Client;
  let storeB: RedisStore;
  const errorsOnB: string[] = [];

  before(async () => {
    sandbox = await startSandbox();
    relay = await startRelay(sandbox.url);
    inspector = await connectClient();
    const storeA = redisStore(await connectClient(), 'kassa:');
    storeB = redisStore(await connectClient(), 'kassa:');
    // Provider reads are shared through Redis too (one per payment per interval): short here, so B's own read is due.
    const overrides = { rateLimitPerMinute: RATE_LIMIT, providerReadIntervalMs: PROVIDER_READ_INTERVAL_MS, statusRateLimitPerMinute: 100_000 };
    instanceA = await startDemo({ sandboxUrl: sandbox.url, overrides: { ...overrides, store: storeA } });
    instanceB = await startDemo({
      sandboxUrl: relay.url,
      overrides: { ...overrides, store: storeB, onError: (error, context) => errorsOnB.push(`${context}: ${(error as Error).message}`) },
    });
  });
  beforeEach(async () => {
    await callControl(sandbox.url, 'POST', '/reset');
    await inspector.sendCommand(['FLUSHDB']); // fresh idempotency keys and rate windows per test
  });
  afterEach(() => {
    relay.cut = false;
  });
  after(async () => {
    await instanceA?.close();
    await instanceB?.close();
    await relay?.close();
    await sandbox?.close();
  });

  async function api(instance: RunningDemo, path: string, init?: RequestInit): Promise<{ status: number; text: string; body: any }> {
    const response = await fetch(`${instance.url}/kassa${path}`, init);
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
  }

  async function session(instance: RunningDemo): Promise<SessionResponse> {
    const answer = await api(instance, '/session', json({ order: 'DEMO-EUR' }));
    assert.equal(answer.status, 201, answer.text);
    return answer.body;
  }

  /** hi.health: its create has no idempotency key, so a second create would be a second payment. */
  function hiHealth(opened: SessionResponse): string {
    const method = opened.methods.find((m) => m.provider === 'hidirect');
    assert.ok(method, 'a hi.health method for DEMO-EUR');
    return method.id;
  }

  function pay(instance: RunningDemo, token: string, method: string, key: string = randomUUID()) {
    return api(instance, '/payments', json({ token, method }, { 'idempotency-key': key }));
  }

  async function payOnA(): Promise<PaymentResponse> {
    const opened = await session(instanceA);
    const created = await pay(instanceA, opened.token, hiHealth(opened));
    assert.equal(created.status, 201, created.text);
    return created.body;
  }

  /** Reads status events until the stream closes (after a final state) or the timeout. */
  function events(instance: RunningDemo, reference: string, timeoutMs = 8_000): Promise<PaymentView[]> {
    return readStatusEvents(`${instance.url}/kassa/payments/${reference}/events`, timeoutMs);
  }

  it('20 concurrent requests with one Idempotency-Key, spread over A and B, make one payment and get one answer', async () => {
    const opened = await session(instanceA);
    const method = hiHealth(opened);
    const key = `double-click-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => pay(i % 2 ? instanceB : instanceA, opened.token, method, key)));
    for (const answer of answers) {
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.text, answers[0]!.text, 'every duplicate replays the first answer, whichever instance it reached');
    }
    const { payments } = await callControl(sandbox.url, 'GET', '/payments?provider=hidirect');
    assert.equal(payments.length, 1, 'one payment at the provider');
    assert.equal(payments[0].reference, answers[0]!.body.payment.reference);
  });

  it('a payment made on A is read on B, which cannot reach the provider itself', async () => {
    const { payment } = await payOnA();
    relay.cut = true;
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the read interval of A's own reads
    const read = await api(instanceB, `/payments/${payment.reference}`);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, payment);
    assert.ok(relay.refused > 0, 'B tried its provider and was refused: the answer came from Redis');
    assert.ok(errorsOnB.some((error) => error.includes(payment.reference)), 'and reported that it could not read the provider');
  });

  it('a status stream on B receives the change a webhook brought to A', async () => {
    const { payment, action } = await payOnA();
    assert.equal(action.type, 'redirect');
    const page = await fetch((action as { url: string }).url); // hi.health decides only a payment whose page was opened
    assert.ok(page.ok, `hosted page answered ${page.status}`);
    const [atProvider] = (await callControl(sandbox.url, 'GET', '/payments?provider=hidirect')).payments;
    // Opening the page moves the payment on (hi.health claims it, and says so by webhook to A): wait until A has it.
    let stored = payment.state;
    await waitUntil(async () => (stored = (await api(instanceA, `/payments/${payment.reference}`)).body.state) === 'pending', 'A stored the claimed payment');

    relay.cut = true; // B's own status polling now fails: only Redis can tell it
    const stream = events(instanceB, payment.reference);
    await waitUntil(async () => (await subscribers(inspector, `kassa:events:${payment.reference}`)) === 1, 'B subscribed');
    await callControl(sandbox.url, 'POST', `/payments/hidirect/${encodeURIComponent(atProvider.id)}/outcome`, { outcome: 'pay' });

    const seen = await stream;
    assert.equal(seen[0]?.state, stored, 'first what A had stored');
    assert.equal(seen.at(-1)?.state, 'paid', `then the outcome, though B could not read it: ${seen.map((view) => view.state).join(' → ')}`);
    const { webhooks } = await callControl(sandbox.url, 'GET', '/webhooks?provider=hidirect');
    assert.ok(webhooks.length >= 1 && webhooks.every((w: { url: string }) => w.url.startsWith(instanceA.url)), 'the webhook went to A only');
    assert.equal((await api(instanceB, `/payments/${payment.reference}`)).body.state, 'paid', 'and B reads it, from Redis');
    await waitUntil(async () => (await subscribers(inspector, `kassa:events:${payment.reference}`)) === 0, 'B unsubscribed once the stream closed');
  });

  it('reads a payment from its provider once per interval across both instances, however fast both are asked', async () => {
    const opened = await session(instanceA);
    const hero = opened.methods.find((m) => m.provider === 'hero');
    assert.ok(hero, 'a Hero method for DEMO-EUR');
    const created = await pay(instanceA, opened.token, hero.id);
    assert.equal(created.status, 201, created.text);
    const reference = created.body.payment.reference;
    const duration = 1_000;
    const until = Date.now() + duration;
    let polls = 0;
    await Promise.all(
      [instanceA, instanceB, instanceA, instanceB].map(async (instance) => {
        while (Date.now() < until) {
          assert.equal((await api(instance, `/payments/${reference}`)).status, 200);
          polls++;
        }
      }),
    );
    const { count } = await callControl(sandbox.url, 'GET', '/requests?provider=hero&operation=getPaymentsInfos');
    // One instance alone may read once per interval; two that did not share the interval would read up to twice that.
    const onePerInterval = Math.ceil(duration / PROVIDER_READ_INTERVAL_MS) + 1;
    assert.ok(polls > 4 * onePerInterval, `${polls} polls`);
    assert.ok(count >= 1 && count <= onePerInterval, `${count} Hero reads for ${polls} polls over two instances (at most ${onePerInterval})`);
  });

  it('the rate limit counts requests on both instances together', async () => {
    for (let i = 0; i < RATE_LIMIT; i++) {
      const answer = await api(i % 2 ? instanceB : instanceA, '/session', json({ order: 'DEMO-EUR' }));
      assert.equal(answer.status, 201, `request ${i + 1}: ${answer.text}`);
    }
    for (const instance of [instanceA, instanceB]) {
      const over = await api(instance, '/session', json({ order: 'DEMO-EUR' }));
      assert.equal(over.status, 429, over.text);
      assert.equal(problemCode(over.body.type), 'rate-limited');
    }
  });
});
