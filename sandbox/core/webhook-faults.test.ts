/**
 * The `drop` fault on the `webhook` operation, over real HTTP: with it set, a provider's webhooks (Hero's GET to
 * redirectUri, MilkyPay's and hi.health's signed callbacks) never reach a listening receiver while the payment's
 * status, read through the provider's own API, changes as usual; after a reset (or a clear) they come again.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { useSandbox } from '../testing.ts';

const HERO_KEY = 'Api-Key sandbox-hero-key';
const MILKYPAY_BASIC = `Basic ${Buffer.from('sandbox-account:sandbox-milkypay-key').toString('base64')}`;
const HIDIRECT_KEY = 'sandbox-hidirect-key';

/** A merchant's webhook endpoint: keeps the method and path of every request and answers 200. */
class Receiver {
  readonly hits: Array<{ method: string; path: string }> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.hits.push({ method: req.method ?? '', path: req.url ?? '' });
        res.writeHead(200).end('OK');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): string[] {
    return this.hits.filter((h) => h.path === path).map((h) => h.method);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function json(url: string, init: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  const text = await response.text();
  assert.ok(response.ok, `${init.method ?? 'GET'} ${url} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** How a test makes a payment whose webhooks go to `callbackUrl`, and reads its status back through the provider's API. */
interface Driver {
  provider: 'hero' | 'milkypay' | 'hidirect';
  create(base: string, callbackUrl: string): Promise<string>;
  status(base: string, id: string): Promise<string>;
  /** The status read back after the `pay` outcome. */
  paid: string;
}

const DRIVERS: Driver[] = [
  {
    provider: 'hero',
    async create(base, callbackUrl) {
      const body = await json(`${base}/hero/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: HERO_KEY },
        body: JSON.stringify({
          query: 'mutation Create($payment: NewPayment!) { createPayment(payment: $payment) { id } }',
          variables: {
            payment: {
              amount: 5000,
              redirectUri: callbackUrl,
              type: 'Pay1X',
              issuer: {
                address: { line1: '10 Something Street', city: 'Paris', zipCode: '75001' },
                name: 'Super Corp',
                contactEmail: 'laura@example.com',
                contactPhone: '+330600000000',
                customerReference: 'customer-1',
              },
            },
          },
        }),
      });
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data.createPayment.id;
    },
    async status(base, id) {
      const body = await json(`${base}/hero/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: HERO_KEY },
        body: JSON.stringify({ query: 'query S($id: String!) { paymentStatus(id: $id) { isSuccess error } }', variables: { id } }),
      });
      return JSON.stringify(body.data.paymentStatus);
    },
    paid: JSON.stringify({ isSuccess: true, error: null }),
  },
  {
    provider: 'milkypay',
    async create(base, callbackUrl) {
      const body = await json(`${base}/milkypay/api/payment-invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: MILKYPAY_BASIC },
        body: JSON.stringify({
          data: { type: 'payment-invoices', attributes: { service: 'payment_card_eur_hpp', currency: 'EUR', amount: 49.9, callback_url: callbackUrl } },
        }),
      });
      return body.data.id;
    },
    async status(base, id) {
      const body = await json(`${base}/milkypay/api/payment-invoices/${id}`, { headers: { authorization: MILKYPAY_BASIC } });
      return body.data.attributes.status;
    },
    paid: 'processed',
  },
  {
    provider: 'hidirect',
    async create(base, callbackUrl) {
      const body = await json(`${base}/hidirect/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': HIDIRECT_KEY },
        body: JSON.stringify({
          amount: { total: 49.9, currency: 'EUR' },
          merchantReference: 'A-1001',
          merchantUrls: {
            successRedirect: 'https://shop.example/success',
            failureRedirect: 'https://shop.example/failure',
            cancelRedirect: 'https://shop.example/cancel',
            callback: callbackUrl,
          },
        }),
      });
      return body.id;
    },
    async status(base, id) {
      return (await json(`${base}/hidirect/payments/${id}`, { headers: { 'x-api-key': HIDIRECT_KEY } })).status;
    },
    paid: 'SETTLED',
  },
];

/** Long enough for a webhook the simulator fired without waiting (a creation callback) to have arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('sandbox: the webhook drop fault', () => {
  const sandbox = useSandbox();
  const receiver = new Receiver();
  let paths = 0;
  const newPath = (provider: string) => `/${provider}/hook/${++paths}`;

  before(() => receiver.start());
  after(() => receiver.close());

  const drop = (provider: string, extra: Record<string, unknown> = {}) =>
    sandbox.control('POST', '/faults', { provider, operation: 'webhook', kind: 'drop', ...extra });
  const pay = (provider: string, id: string) => sandbox.control('POST', `/payments/${provider}/${id}/outcome`, { outcome: 'pay' });
  const listed = async (provider: string) => (await sandbox.control('GET', `/webhooks?provider=${provider}`)).webhooks as unknown[];

  for (const driver of DRIVERS) {
    test(`${driver.provider}: no webhook while dropped, the status still changes; after reset they come again`, async () => {
      const { fault } = await drop(driver.provider);
      assert.deepEqual(fault, { id: fault.id, provider: driver.provider, operation: 'webhook', kind: 'drop', status: 200, latencyMs: 0, remaining: null, per: 'request' });

      const quiet = newPath(driver.provider);
      const id = await driver.create(sandbox.url, receiver.url + quiet);
      const before = await driver.status(sandbox.url, id);
      await pay(driver.provider, id);
      await settle();
      assert.notEqual(before, driver.paid);
      assert.equal(await driver.status(sandbox.url, id), driver.paid, 'the payment moved on');
      assert.deepEqual(receiver.on(quiet), [], 'nothing reached the receiver');
      assert.deepEqual(await listed(driver.provider), [], 'nothing was sent');
      // The fault stays until cleared, however many webhooks it withheld.
      assert.equal((await sandbox.control('GET', '/faults')).faults.length, 1);

      await sandbox.control('POST', '/reset');
      assert.deepEqual((await sandbox.control('GET', '/faults')).faults, []);
      const loud = newPath(driver.provider);
      const again = await driver.create(sandbox.url, receiver.url + loud);
      await pay(driver.provider, again);
      await settle();
      assert.equal(await driver.status(sandbox.url, again), driver.paid);
      assert.ok(receiver.on(loud).length > 0, 'webhooks arrive again after reset');
      assert.equal((await listed(driver.provider)).length, receiver.on(loud).length);
    });
  }

  test('a drop withholds only its own provider’s webhooks, and no API request', async () => {
    await drop('hero');
    const [hero, milkypay] = DRIVERS;
    const heroPath = newPath('hero');
    const milkypayPath = newPath('milkypay');
    const heroId = await hero!.create(sandbox.url, receiver.url + heroPath);
    const milkypayId = await milkypay!.create(sandbox.url, receiver.url + milkypayPath);
    await pay('hero', heroId);
    await pay('milkypay', milkypayId);
    assert.deepEqual(receiver.on(heroPath), []);
    assert.ok(receiver.on(milkypayPath).length > 0);
    assert.ok((await sandbox.control('GET', '/requests?provider=hero')).count > 0, 'hero’s API answered as usual');
  });

  test('with times, only that many webhooks are withheld; DELETE /faults ends a drop too', async () => {
    const [hero] = DRIVERS;
    await drop('hero', { times: 1 });
    const first = newPath('hero');
    const second = newPath('hero');
    await pay('hero', await hero!.create(sandbox.url, receiver.url + first));
    assert.deepEqual((await sandbox.control('GET', '/faults')).faults, [], 'used up');
    await pay('hero', await hero!.create(sandbox.url, receiver.url + second));
    assert.deepEqual([receiver.on(first), receiver.on(second)], [[], ['GET']]);

    await drop('hero');
    await sandbox.control('DELETE', '/faults?provider=hero');
    const third = newPath('hero');
    await pay('hero', await hero!.create(sandbox.url, receiver.url + third));
    assert.deepEqual(receiver.on(third), ['GET']);
  });

  test('drop goes with the webhook operation only, and the webhook operation with drop only', async () => {
    await assert.rejects(sandbox.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'drop' }), /400.*drop applies to operation webhook only/);
    await assert.rejects(sandbox.control('POST', '/faults', { provider: 'hero', operation: 'webhook', kind: 'error' }), /400.*operation webhook takes kind drop only/);
    await assert.rejects(sandbox.control('POST', '/faults', { provider: 'stripe', operation: 'webhook', kind: 'drop' }), /400.*provider must be one of/);
    await assert.rejects(sandbox.control('POST', '/faults', { provider: 'hero', operation: 'webhook', kind: 'drop', times: -1 }), /400.*times must be a non-negative integer/);
    // Without an operation, a drop means the webhooks.
    assert.equal((await sandbox.control('POST', '/faults', { provider: 'kronor', kind: 'drop' })).fault.operation, 'webhook');
  });
});
