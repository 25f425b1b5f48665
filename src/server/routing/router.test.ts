/**
 * The routed method list is remembered per what routing depends on: these check that the remembered list is always
 * the one routing afresh would give — for other orders, after a breaker opens or probes, after a provider's list is
 * refreshed or fails — and which orders share a key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentMethod, ProviderName } from '../../core/model.ts';
import type { ProviderAdapter, ResolvedOrder } from '../provider.ts';
import { MethodLists, takesAmount } from '../sessions/methods.ts';
import { MemoryStore } from '../stores/store.ts';
import { ProviderHealth } from './health.ts';
import { MethodRouter } from './router.ts';
import { entryFor, offersFor, providerEntry, type RoutingConfig } from './rules.ts';

const PROVIDERS: ProviderName[] = ['milkypay', 'whenthen', 'kronor'];

const order = (over: Partial<ResolvedOrder> = {}): ResolvedOrder => ({ reference: 'o-1', amount: 4990, currency: 'EUR', ...over });

const method = (id: string, type: PaymentMethod['type'], over: Partial<PaymentMethod> = {}): PaymentMethod => ({
  id,
  provider: id.split(':')[0] as ProviderName,
  kind: type === 'card' ? 'card' : 'other',
  type,
  name: { en: id },
  ...over,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Providers whose lists the test sets (per currency), counting how often each is asked; `failing` ones throw. */
function fakeProviders(lists: Record<string, Record<string, PaymentMethod[]>>) {
  const asked: Record<string, number> = {};
  const failing = new Set<ProviderName>();
  const adapters = new Map<ProviderName, ProviderAdapter>(
    PROVIDERS.map((name) => [
      name,
      {
        name,
        listMethods: async (o: ResolvedOrder) => {
          asked[name] = (asked[name] ?? 0) + 1;
          if (failing.has(name)) throw new Error(`${name} is down`);
          return structuredClone(lists[name]?.[o.currency] ?? []);
        },
      } as unknown as ProviderAdapter,
    ]),
  );
  return { adapters, asked, failing, lists };
}

const eur = () => ({
  milkypay: { EUR: [method('milkypay:card', 'card', { min: 100 }), method('milkypay:paypal', 'paypal'), method('milkypay:p24', 'other', { max: 100_000 })] },
  whenthen: { EUR: [method('whenthen:card', 'card'), method('whenthen:paypal', 'paypal')], SEK: [method('whenthen:card', 'card')] },
  kronor: { EUR: [method('kronor:creditCard', 'card')], SEK: [method('kronor:swish', 'swish'), method('kronor:creditCard', 'card')] },
});

function setUp(routing: RoutingConfig = {}, options: { cacheSeconds?: number; openSeconds?: number } = {}) {
  const providers = fakeProviders(eur());
  const errors: string[] = [];
  const onError = (error: unknown) => void errors.push(error instanceof Error ? error.message : String(error));
  const health = new ProviderHealth({ store: new MemoryStore(), owner: 'test', config: { failureThreshold: 1, openSeconds: options.openSeconds ?? 60 }, onError });
  const methods = new MethodLists(providers.adapters, { cacheSeconds: options.cacheSeconds ?? 60, timeoutMs: 1_000, health, onError });
  const router = new MethodRouter({ methods, health, routing, configured: PROVIDERS });
  /** What routing afresh gives: the providers' lists as now cached, grouped and routed, open breakers left out. */
  const afresh = async (o: ResolvedOrder): Promise<PaymentMethod[]> => {
    const all = (await methods.lists(o)).flat().filter((m) => takesAmount(m, o.amount));
    const offers = offersFor(all, o, routing, PROVIDERS);
    const usable = async (candidates: PaymentMethod[]) => {
      const states = await Promise.all(candidates.map((m) => health.state(m.provider, 'create')));
      return candidates.filter((_, i) => states[i] !== 'open');
    };
    if (routing.list === 'provider') return (await Promise.all(offers.map((o2) => usable(o2.candidates)))).flat().map((m) => providerEntry(m, routing));
    const entries: PaymentMethod[] = [];
    for (const offer of offers) {
      const candidates = await usable(offer.candidates);
      if (candidates.length) entries.push(entryFor(offer, candidates, routing));
    }
    return entries;
  };
  const ids = async (o: ResolvedOrder) => (await router.entries(o)).map((m) => `${m.id}>${(m.providers ?? [m.provider]).join(',')}`);
  return { router, health, methods, providers, errors, afresh, ids };
}

describe('the routed list, remembered', () => {
  it('answers what routing afresh gives, for orders of other currencies, amounts and countries', async () => {
    const routing: RoutingConfig = { methods: { card: [{ provider: 'kronor', countries: ['SE'] }, { provider: 'whenthen', maxAmount: 50_000 }, 'milkypay'] } };
    const { router, afresh } = setUp(routing);
    const orders = [
      order(),
      order({ amount: 50 }),
      order({ amount: 60_000 }),
      order({ amount: 200_000 }),
      order({ customer: { country: 'se' } }),
      order({ currency: 'SEK' }),
      order({ currency: 'SEK', customer: { country: 'SE' } }),
      order(),
    ];
    for (const o of orders) {
      for (let i = 0; i < 2; i++) assert.deepEqual(await router.entries(o), await afresh(o), JSON.stringify(o));
    }
  });

  it('routes a click over the same offers the list shows', async () => {
    const { router } = setUp({ methods: { card: ['whenthen', 'kronor', { provider: 'milkypay', minAmount: 1_000 }] } });
    assert.deepEqual((await router.route(order(), 'card'))?.candidates.map((m) => m.id), ['whenthen:card', 'kronor:creditCard', 'milkypay:card']);
    assert.deepEqual((await router.route(order({ amount: 500 }), 'card'))?.candidates.map((m) => m.id), ['whenthen:card', 'kronor:creditCard'], 'under the rule');
    const route = await router.route(order(), 'card');
    route!.candidates.pop();
    assert.equal((await router.route(order(), 'card'))?.candidates.length, 3, 'a route changed by its caller does not change the next one');
    assert.deepEqual(await router.route(order(), 'kronor:creditCard'), { candidates: [(await router.route(order(), 'card'))!.candidates[1]], direct: true });
  });

  it('leaves out a provider as soon as its breaker opens, and takes it back when it probes', async () => {
    const { router, health, ids } = setUp({}, { openSeconds: 0.2 });
    assert.deepEqual(await ids(order()), ['card>milkypay,whenthen,kronor', 'paypal>milkypay,whenthen', 'milkypay:p24>milkypay']);
    await health.failed('whenthen', 'create');
    assert.deepEqual(await ids(order()), ['card>milkypay,kronor', 'paypal>milkypay', 'milkypay:p24>milkypay']);
    await health.failed('milkypay', 'create');
    assert.deepEqual(await ids(order()), ['card>kronor']);
    await sleep(250);
    assert.deepEqual(await ids(order()), ['card>milkypay,whenthen,kronor', 'paypal>milkypay,whenthen', 'milkypay:p24>milkypay'], 'probing: usable again');
    await health.succeeded('whenthen', 'create');
    assert.equal((await router.entries(order())).length, 3);
  });

  it("follows a provider's refreshed list, and its failing listing", async () => {
    const { providers, errors, ids } = setUp({}, { cacheSeconds: 0.05 });
    assert.deepEqual(await ids(order({ currency: 'SEK' })), ['card>whenthen,kronor', 'swish>kronor']);
    providers.lists.kronor!.SEK = [method('kronor:creditCard', 'card')];
    assert.deepEqual(await ids(order({ currency: 'SEK' })), ['card>whenthen,kronor', 'swish>kronor'], 'cached meanwhile');
    await sleep(60);
    assert.deepEqual(await ids(order({ currency: 'SEK' })), ['card>whenthen,kronor'], 'refreshed');
    providers.failing.add('whenthen');
    await sleep(60);
    assert.deepEqual(await ids(order({ currency: 'SEK' })), ['card>kronor'], 'a failing listing is left out');
    assert.ok(errors.some((e) => e.includes('whenthen is down')));
    providers.failing.delete('whenthen');
    await sleep(60);
    assert.deepEqual(await ids(order({ currency: 'SEK' })), ['card>kronor'], 'not asked while its listing breaker is open');
    assert.equal(providers.asked.whenthen, 3);
  });

  it('asks each provider once while its list is cached, however many sessions', async () => {
    const { router, providers } = setUp();
    await Promise.all(Array.from({ length: 20 }, (_, i) => router.entries(order({ amount: 1_000 + i }))));
    await router.entries(order({ amount: 90_000 }));
    assert.deepEqual(providers.asked, { milkypay: 1, whenthen: 1, kronor: 1 });
  });

  it("lists providers' own entries with list: 'provider'", async () => {
    const { router, afresh } = setUp({ list: 'provider' });
    for (const o of [order(), order({ amount: 50 }), order()]) assert.deepEqual(await router.entries(o), await afresh(o));
  });
});

describe('the routing key', () => {
  const routing: RoutingConfig = { methods: { card: [{ provider: 'kronor', countries: ['SE'], minAmount: 1_000 }, 'whenthen'] } };
  const lists = [[method('milkypay:card', 'card', { min: 100, max: 100_000 })], [method('whenthen:card', 'card')], []];

  async function keyOf(o: ResolvedOrder, config: RoutingConfig = routing, given: PaymentMethod[][] = lists): Promise<string> {
    const { router } = setUp(config);
    return router.routingKey(o, given);
  }

  const rows: Array<[string, Partial<ResolvedOrder>, Partial<ResolvedOrder>, boolean]> = [
    ['the same order', {}, {}, true],
    ['another amount within every limit', { amount: 4_990 }, { amount: 99_999 }, true],
    ['a method’s minimum crossed', { amount: 100 }, { amount: 99 }, false],
    ['a method’s maximum crossed', { amount: 100_000 }, { amount: 100_001 }, false],
    ['a rule’s minimum crossed', { amount: 1_000 }, { amount: 999 }, false],
    ['another currency', {}, { currency: 'SEK' }, false],
    ['another country, where a rule names countries', { customer: { country: 'SE' } }, { customer: { country: 'FI' } }, false],
    ['a country written in lower case', { customer: { country: 'se' } }, { customer: { country: 'SE' } }, true],
    ['another order reference', { reference: 'a' }, { reference: 'b' }, true],
  ];
  for (const [name, a, b, same] of rows) {
    it(`${name} → ${same ? 'the same key' : 'another key'}`, async () => {
      const { router } = setUp(routing);
      assert.equal(router.routingKey(order(a), lists) === router.routingKey(order(b), lists), same);
    });
  }

  it('ignores the country where no rule names countries', async () => {
    assert.equal(await keyOf(order({ customer: { country: 'SE' } }), {}), await keyOf(order({ customer: { country: 'FI' } }), {}));
  });

  it("changes when a provider's list is another array, even with the same methods", async () => {
    const { router } = setUp(routing);
    assert.notEqual(router.routingKey(order(), lists), router.routingKey(order(), structuredClone(lists)));
    assert.equal(router.routingKey(order(), lists), router.routingKey(order(), [...lists]), 'the same arrays, the same key');
  });
});
