/**
 * The endpoint over real HTTP (node:http, the demo's configuration) against the sandbox: input validation, tokens,
 * money, idempotency, CORS, webhooks and secrets. Per-provider payment flows are in flows.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { problemCode } from '../core/problems.ts';
import { DEMO_SECRET, demoKassaConfig } from '../../demo/config.ts';
import { createKassaHandler } from './handler.ts';
import type { PaymentEvent } from './events/event.ts';
import { MemoryStore, type PaymentRecord } from './stores/store.ts';
import { json, useEndpoint, type Answer } from '../../test/support/endpoint.ts';

function assertProblem(answer: Answer, status: number, code: string, field?: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(problemCode(answer.body?.type), code, answer.text);
  assert.equal(answer.body.status, status);
  if (field) assert.equal(answer.body.field, field, answer.text);
  assert.doesNotMatch(answer.text, /\bat \w+ \(|node:internal|Error:/, 'no stack trace in a problem');
}

describe('createKassaHandler configuration', () => {
  const good = demoKassaConfig({ sandboxUrl: 'http://127.0.0.1:4010', shopUrl: 'http://127.0.0.1:4000' });
  const refusals: Array<[name: string, change: Record<string, unknown>, message: RegExp]> = [
    ['a missing secret', { secret: undefined }, /secret/],
    ['a short secret', { secret: 'short-secret' }, /secret must be at least 32 characters/],
    ['an unknown option', { colour: 'blue' }, /colour is not an option Kassa knows/],
    ['an unknown provider', { providers: { ...good.providers, stripe: {} } }, /providers\.stripe is not a provider Kassa knows/],
    ['no provider', { providers: {} }, /at least one provider/],
    ['a relative return URL', { returnUrl: '/return' }, /returnUrl/],
    ['a missing resolveOrder', { resolveOrder: undefined }, /resolveOrder must be a function/],
    ['an unknown provider option', { providers: { hero: { environment: 'sandbox', apiKey: 'k', colour: 'blue' } } }, /providers\.hero\.colour is not an option/],
    ['a provider without its key', { providers: { hero: { environment: 'sandbox' } } }, /providers\.hero\.apiKey/],
    ['an unknown environment', { providers: { hero: { environment: 'live', apiKey: 'k' } } }, /providers\.hero\.environment/],
  ];
  for (const [name, change, message] of refusals) {
    it(`refuses to start on ${name}`, () => {
      assert.throws(() => createKassaHandler({ ...good, ...change } as never), (error: Error) => {
        assert.equal(error.name, 'KassaConfigError');
        assert.match(error.message, message);
        assert.ok(!error.message.includes(DEMO_SECRET), 'the secret is never echoed');
        return true;
      });
    });
  }
});

describe('the endpoint over HTTP', () => {
  const h = useEndpoint();

  it('answers health', async () => {
    const answer = await h.api('/health');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.providers, ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor']);
  });

  describe('POST /session', () => {
    it('takes the amount from resolveOrder, and methods from the providers for that currency', async () => {
      const eur = await h.session('DEMO-EUR');
      assert.equal(eur.amount, 4990);
      assert.equal(eur.currency, 'EUR');
      assert.ok(eur.methods.some((m) => m.provider === 'hero'));
      assert.ok(eur.methods.some((m) => m.provider === 'hidirect'));
      assert.ok(!eur.methods.some((m) => m.type === 'swish'));
      const sek = await h.session('DEMO-SEK');
      assert.equal(sek.amount, 49900);
      assert.ok(sek.methods.some((m) => m.id === 'swish' && m.provider === 'kronor'));
      assert.ok(!sek.methods.some((m) => m.provider === 'hero' || m.provider === 'hidirect'));
      assert.ok(Date.parse(sek.expiresAt) > Date.now());
    });

    it('refuses an amount or currency sent by the browser', async () => {
      assertProblem(await h.api('/session', json({ order: 'DEMO-EUR', amount: 1 })), 400, 'invalid-body', 'amount');
      assertProblem(await h.api('/session', json({ order: 'DEMO-EUR', currency: 'SEK' })), 400, 'invalid-body', 'currency');
    });

    it('answers 404 for an order resolveOrder does not know', async () => {
      assertProblem(await h.api('/session', json({ order: 'NOPE-1' })), 404, 'order-not-found');
    });

    const bad: Array<[name: string, init: RequestInit, status: number, code: string, field?: string]> = [
      ['not JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":' }, 400, 'invalid-body'],
      ['not JSON content', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'DEMO-EUR' }, 415, 'unsupported-media-type'],
      ['a wrong type', json({ order: 42 }), 400, 'invalid-body', 'order'],
      ['a missing field', json({}), 400, 'invalid-body', 'order'],
      ['an array body', json([]), 400, 'invalid-body'],
      ['a huge body', json({ order: 'DEMO-EUR', pad: 'x'.repeat(100_000) }), 413, 'body-too-large'],
      ['a bad locale', json({ order: 'DEMO-EUR', locale: '<script>' }), 400, 'invalid-body', 'locale'],
    ];
    for (const [name, init, status, code, field] of bad) {
      it(`answers a problem for ${name}`, async () => assertProblem(await h.api('/session', init), status, code, field));
    }
  });

  describe('POST /payments', () => {
    it('needs an Idempotency-Key', async () => {
      const { token, methods } = await h.session('DEMO-EUR');
      const answer = await h.api('/payments', json({ token, method: methods[0]!.id }));
      assertProblem(answer, 400, 'idempotency-key-required');
    });

    it('refuses an altered token', async () => {
      const { token, methods } = await h.session('DEMO-EUR');
      const [head, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const cheaper = Buffer.from(JSON.stringify({ ...claims, amt: 1 })).toString('base64url');
      assertProblem(await h.pay(`${head}.${cheaper}.${signature}`, methods[0]!.id), 401, 'invalid-token');
      assertProblem(await h.pay(`${token}x`, methods[0]!.id), 401, 'invalid-token');
      assertProblem(await h.pay('not-a-token', methods[0]!.id), 401, 'invalid-token');
    });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ typ: 'session', ord: 'DEMO-EUR', amt: 4990, cur: 'EUR', sid: 'expired-session' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('kassa')
        .setIssuedAt(now - 3600)
        .setExpirationTime(now - 60)
        .sign(new TextEncoder().encode(DEMO_SECRET));
      const answer = await h.pay(expired, 'hidirect:hi-health');
      assertProblem(answer, 401, 'invalid-token');
      assert.match(answer.body.detail, /expired/);
    });

    it('refuses a token signed with another secret', async () => {
      const forged = await new SignJWT({ typ: 'session', ord: 'DEMO-EUR', amt: 1, cur: 'EUR', sid: 'forged' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('kassa')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode('another-secret-that-is-long-enough-000000'));
      assertProblem(await h.pay(forged, 'hidirect:hi-health'), 401, 'invalid-token');
    });

    it('refuses a token replayed for another order, and a token whose order changed', async () => {
      const { token } = await h.session('DEMO-EUR');
      const answer = await h.api('/payments', json({ token, method: 'hidirect:hi-health', order: 'DEMO-SEK' }, { 'idempotency-key': 'replay-other-order-1' }));
      assertProblem(answer, 403, 'token-mismatch');
      // A token minted for DEMO-EUR at another amount (as if the cart changed) is refused too.
      const now = Math.floor(Date.now() / 1000);
      const stale = await new SignJWT({ typ: 'session', ord: 'DEMO-EUR', amt: 100, cur: 'EUR', sid: 'stale-cart' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('kassa')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(DEMO_SECRET));
      assertProblem(await h.pay(stale, 'hidirect:hi-health'), 403, 'token-mismatch');
      assert.equal((await h.control('GET', '/payments')).payments.length, 0, 'no provider payment was made');
    });

    it('refuses an amount in the body', async () => {
      const { token } = await h.session('DEMO-EUR');
      const answer = await h.api('/payments', json({ token, method: 'hidirect:hi-health', amount: 1 }, { 'idempotency-key': 'amount-in-body-1' }));
      assertProblem(answer, 400, 'invalid-body', 'amount');
    });

    it('refuses a method that is not offered for the order', async () => {
      const { token } = await h.session('DEMO-EUR');
      assertProblem(await h.pay(token, 'kronor:swish'), 422, 'unknown-method', 'method');
      assertProblem(await h.pay(token, 'swish'), 422, 'unknown-method', 'method');
      assertProblem(await h.pay(token, 'stripe:card'), 422, 'unknown-method', 'method');
      assertProblem(await h.pay(token, 'hero:NoSuchType'), 422, 'unknown-method', 'method');
    });

    it('refuses unknown and invalid method fields', async () => {
      const { token } = await h.session('DEMO-EUR');
      assertProblem(await h.pay(token, 'hidirect:hi-health', { fields: { iban: 'x' } }), 422, 'invalid-fields', 'fields.iban');
      const answer = await h.api('/payments', json({ token, method: 'hidirect:hi-health', fields: { a: 1 } }, { 'idempotency-key': 'field-types-1' }));
      assertProblem(answer, 400, 'invalid-body');
    });

    it('makes one provider payment for 20 concurrent requests with one key', async () => {
      const { token } = await h.session('DEMO-EUR');
      const answers = await Promise.all(Array.from({ length: 20 }, () => h.pay(token, 'hidirect:hi-health', { key: 'double-click-key-1' })));
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const references = new Set(answers.map((a) => a.body.payment.reference));
      assert.equal(references.size, 1);
      assert.equal(new Set(answers.map((a) => JSON.stringify(a.body.action))).size, 1);
      assert.equal((await h.control('GET', '/payments?provider=hidirect')).payments.length, 1);
    });

    it('hands out a Kronor session token only for a Kronor method', async () => {
      const sek = await h.session('DEMO-SEK');
      const kronor = await h.pay(sek.token, 'kronor:swish');
      assert.equal(kronor.status, 201, kronor.text);
      assert.equal(kronor.body.action.type, 'kronor');
      assert.ok(kronor.body.action.sessionToken.length > 20);
      const eur = await h.session('DEMO-EUR');
      for (const method of eur.methods.filter((m) => m.provider !== 'kronor' && !m.fields?.length)) {
        const answer = await h.pay(eur.token, method.id);
        assert.equal(answer.status, 201, `${method.id}: ${answer.text}`);
        assert.notEqual(answer.body.action.type, 'kronor');
        assert.doesNotMatch(answer.text, /sessionToken/);
      }
    });

    it('answers 409 when a key is reused with another request', async () => {
      const { token, methods } = await h.session('DEMO-EUR');
      const hero = methods.find((m) => m.provider === 'hero')!;
      assert.equal((await h.pay(token, 'hidirect:hi-health', { key: 'reused-key-123' })).status, 201);
      assertProblem(await h.pay(token, hero.id, { key: 'reused-key-123' }), 409, 'idempotency-conflict');
    });
  });

  describe('GET /payments/{ref}', () => {
    it('answers 404 for an unknown or malformed reference', async () => {
      assertProblem(await h.api('/payments/kp_aaaaaaaaaaaaaaaaaaaaaaaa'), 404, 'payment-not-found');
      assertProblem(await h.api('/payments/..%2F..%2Fetc'), 404, 'payment-not-found');
      assertProblem(await h.api('/payments/kp_aaaaaaaaaaaaaaaaaaaaaaaa/events'), 404, 'payment-not-found');
    });
  });

  describe('routes and CORS', () => {
    it('answers unknown routes and wrong methods with problems', async () => {
      assertProblem(await h.api('/nothing-here'), 404, 'not-found');
      const session = await h.api('/session', { method: 'DELETE' });
      assertProblem(session, 405, 'method-not-allowed');
      assert.deepEqual(session.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
      assertProblem(await h.api('/health', { method: 'POST' }), 405, 'method-not-allowed');
      const wrong = await h.api('/payments/kp_aaaaaaaaaaaaaaaaaaaaaaaa', { method: 'DELETE' });
      assertProblem(wrong, 405, 'method-not-allowed');
      assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
      assertProblem(await h.api('/payments/kp_aaaaaaaaaaaaaaaaaaaaaaaa/nothing'), 404, 'not-found');
      assertProblem(await h.api('/webhooks/hero/extra', { method: 'POST' }), 404, 'not-found');
    });

    it('allows configured origins only', async () => {
      const allowed = await h.api('/session', json({ order: 'DEMO-EUR' }, { origin: 'https://shop.example' }));
      assert.equal(allowed.status, 201);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
      const preflight = await h.api('/payments', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /idempotency-key/);
      assertProblem(await h.api('/session', json({ order: 'DEMO-EUR' }, { origin: 'https://evil.example' })), 403, 'origin-not-allowed');
      // A problem for an allowed origin is readable by that page too.
      const problem = await h.api('/session', json({ order: 'NOPE' }, { origin: 'https://shop.example' }));
      assertProblem(problem, 404, 'order-not-found');
      assert.equal(problem.headers.get('access-control-allow-origin'), 'https://shop.example');
    });
  });

  describe('POST /webhooks/{provider}', () => {
    it('answers 404 for a provider that is not enabled', async () => {
      assertProblem(await h.api('/webhooks/stripe', json({})), 404, 'unknown-provider');
    });

    it('refuses a webhook with a bad signature, and changes nothing', async () => {
      const { token } = await h.session('DEMO-EUR');
      const created = await h.pay(token, 'hidirect:hi-health');
      assert.equal(created.status, 201);
      const body = JSON.stringify({ id: 'x', status: 'CLAIMED' });
      for (const provider of ['milkypay', 'hidirect', 'whenthen', 'kronor', 'hero']) {
        const answer = await h.api(`/webhooks/${provider}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-signature': 'AAAA', 'hi-api-signature': 'AAAA', 'x-whenthen-signature': '00', 'x-hmac-sha256-signature': '00' },
          body,
        });
        assertProblem(answer, 401, 'webhook-invalid');
      }
      const after = await h.api(`/payments/${created.body.payment.reference}`);
      assert.equal(after.body.state, created.body.payment.state);
    });
  });

  it('never sends a configured secret to the browser', async () => {
    // Runs last in this file: scans every answer the endpoint gave in it.
    const config = demoKassaConfig({ sandboxUrl: h.sandbox.url, shopUrl: h.demo.url });
    const secrets = [config.secret, ...Object.values(config.providers).flatMap((p) => Object.entries(p as Record<string, string>).filter(([k]) => /key|secret|token/i.test(k) && !/public/i.test(k)).map(([, v]) => v))];
    assert.ok(secrets.length >= 7);
    assert.ok(h.answers.length > 20);
    for (const answer of h.answers) {
      const headers = [...answer.headers.entries()].join('\n');
      for (const secret of secrets) {
        assert.ok(!answer.text.includes(secret) && !headers.includes(secret), `a secret leaked in: ${answer.text.slice(0, 200)}`);
      }
    }
  });
});

/** A store that fails the next payment save when told to: the endpoint fails after the provider made the payment. */
class FlakyStore extends MemoryStore {
  failNextSave = false;

  override async commitPayment(record: PaymentRecord, event: PaymentEvent): Promise<boolean> {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('the store is down');
    }
    return super.commitPayment(record, event);
  }
}

describe('a failure after the provider made the payment', () => {
  const store = new FlakyStore();
  const h = useEndpoint({ store, onError: () => {} });

  it('keeps the key refused for a provider whose create is not idempotent (Hero): one payment', async () => {
    const { token, methods } = await h.session('DEMO-EUR');
    const hero = methods.find((m) => m.provider === 'hero')!;
    store.failNextSave = true;
    assertProblem(await h.pay(token, hero.id, { key: 'store-down-hero' }), 500, 'internal');
    assertProblem(await h.pay(token, hero.id, { key: 'store-down-hero' }), 500, 'internal');
    assert.equal((await h.control('GET', '/requests?provider=hero&operation=createPayment')).count, 1);
    assert.equal((await h.control('GET', '/payments?provider=hero')).payments.length, 1);
  });

  it('frees the key for a provider that de-duplicates (MilkyPay): the retry answers the one payment', async () => {
    const { token, methods } = await h.session('DEMO-EUR');
    const milkypay = methods.find((m) => m.id === 'paypal' && m.provider === 'milkypay')!;
    store.failNextSave = true;
    assertProblem(await h.pay(token, milkypay.id, { key: 'store-down-milkypay' }), 500, 'internal');
    const retry = await h.pay(token, milkypay.id, { key: 'store-down-milkypay' });
    assert.equal(retry.status, 201, retry.text);
    assert.equal((await h.control('GET', '/payments?provider=milkypay')).payments.length, 1);
  });
});
