/**
 * Provider health shared through the store: two endpoint instances (two `ProviderHealth`s, each with its own owner)
 * on one MemoryStore, and on one real redis-server through two RedisStores — what one instance learns, the other
 * acts on; one probe at a time; a recovered provider starts counting afresh.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { startRedisServer, type RunningRedis } from '../../../test/support/redis.ts';
import { RedisStore } from '../stores/redis-store.ts';
import { MemoryStore, type KassaStore } from '../stores/store.ts';
import { ProviderHealth } from './health.ts';

function newClient(url: string) {
  return createClient({ url });
}
type Client = ReturnType<typeof newClient>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Past the instances' own 1 s cache of what they read: what another instance wrote is seen. */
const PAST_CACHE_MS = 1_050;

function instances(stores: [KassaStore, KassaStore], reported: string[] = []) {
  const config = { failureThreshold: 2, windowSeconds: 60, openSeconds: 1.5 };
  const onError = (error: unknown) => void reported.push(error instanceof Error ? error.message : String(error));
  return stores.map((store, i) => new ProviderHealth({ store, owner: `instance-${i}`, config, onError })) as [ProviderHealth, ProviderHealth];
}

function sharedHealthCases(makeStores: () => Promise<[KassaStore, KassaStore]>) {
  it('opens on one instance after the threshold, and the other sees it open', async () => {
    const reported: string[] = [];
    const [a, b] = instances(await makeStores(), reported);
    await a.failed('whenthen', 'create');
    assert.equal(await a.state('whenthen', 'create'), 'closed', 'one failure is under the threshold');
    await b.failed('whenthen', 'create');
    await sleep(PAST_CACHE_MS);
    assert.equal(await a.state('whenthen', 'create'), 'open', 'failures on both instances count together');
    assert.equal(await b.state('whenthen', 'create'), 'open');
    assert.equal(await a.admit('whenthen', 'create'), false);
    assert.equal(await b.state('kronor', 'create'), 'closed', 'per provider');
    assert.equal(await b.state('whenthen', 'methods'), 'closed', 'and per operation');
    assert.equal(reported.filter((m) => /whenthen create failed 2 times/.test(m)).length, 1);
  });

  it('lets one instance probe at a time; a success closes it everywhere and counting starts afresh', async () => {
    const [a, b] = instances(await makeStores());
    await a.failed('milkypay', 'create');
    await a.failed('milkypay', 'create');
    await sleep(1_600);
    assert.equal(await b.state('milkypay', 'create'), 'probing');
    assert.equal(await a.admit('milkypay', 'create'), true, 'the first to ask probes');
    assert.equal(await b.admit('milkypay', 'create'), false, 'the other waits for the probe');
    await a.succeeded('milkypay', 'create');
    await sleep(PAST_CACHE_MS);
    assert.equal(await b.state('milkypay', 'create'), 'closed');
    await b.failed('milkypay', 'create');
    await sleep(PAST_CACHE_MS);
    assert.equal(await a.state('milkypay', 'create'), 'closed', 'failures from before the outage do not count');
  });

  it('opens again at once when the probe fails', async () => {
    const [a, b] = instances(await makeStores());
    await a.failed('kronor', 'create');
    await a.failed('kronor', 'create');
    await sleep(1_600);
    assert.equal(await b.admit('kronor', 'create'), true);
    await b.failed('kronor', 'create');
    await sleep(PAST_CACHE_MS);
    assert.equal(await a.state('kronor', 'create'), 'open');
  });
}

describe('provider health on one MemoryStore', () => {
  sharedHealthCases(async () => {
    const store = new MemoryStore();
    return [store, store];
  });
});

describe('provider health on one redis-server, two instances', () => {
  let redis: RunningRedis;
  const clients: Client[] = [];
  const stores: RedisStore[] = [];
  let prefixes = 0;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    for (const store of stores) await store.close();
    for (const client of clients) await client.close();
    await redis?.stop();
  });

  sharedHealthCases(async () => {
    const prefix = `health-${++prefixes}:`;
    const made = await Promise.all(
      [0, 1].map(async () => {
        const client = newClient(redis.url);
        await client.connect();
        clients.push(client);
        const store = new RedisStore(client, { prefix });
        stores.push(store);
        return store;
      }),
    );
    return made as [RedisStore, RedisStore];
  });
});
