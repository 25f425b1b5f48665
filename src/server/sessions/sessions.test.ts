/**
 * The session three ways, over real HTTP against the sandbox: `POST /session`, `GET /session?order=…` (for a page
 * that preloads it) and `kassa.sessionJson` (for the shop's server to carry in its page); and the JSON's safety
 * inside a `<script>` element.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionResponse } from '../../core/model.ts';
import { json, useEndpoint } from '../../../test/support/endpoint.ts';
import { formatAmount } from '../../core/format.ts';
import { AmountFormats, isPlainSessionBody, RandomIds, scriptSafeJson, sessionJson, sessionQuery } from './sessions.ts';

const h = useEndpoint();
let orders = 0;
const fresh = () => `DEMO-EUR~s${++orders}`;

describe('GET /session', () => {
  it('answers the session POST would answer (200), not cached, with CORS for an allowed origin', async () => {
    const order = fresh();
    const got = await h.api(`/session?order=${encodeURIComponent(order)}&locale=sv`, { headers: { origin: 'https://shop.example' } });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('cache-control'), 'no-store');
    assert.equal(got.headers.get('access-control-allow-origin'), 'https://shop.example');
    const posted = await h.api('/session', json({ order, locale: 'sv' }));
    const { token: _a, expiresAt: _b, ...fromGet } = got.body as SessionResponse;
    const { token: _c, expiresAt: _d, ...fromPost } = posted.body as SessionResponse;
    assert.deepEqual(fromGet, fromPost);
    assert.equal(fromGet.locale, 'sv');
  });

  const refused: Array<[string, string, number, string, string | undefined]> = [
    ['no order', '?locale=en', 400, 'invalid-body', 'order'],
    ['an unknown parameter', `?order=DEMO-EUR&amount=1`, 400, 'invalid-body', 'amount'],
    ['an order given twice', `?order=DEMO-EUR&order=DEMO-SEK`, 400, 'invalid-body', 'order'],
    ['a malformed locale', `?order=DEMO-EUR&locale=${encodeURIComponent('<b>')}`, 400, 'invalid-body', 'locale'],
    ['an unknown order', '?order=NOPE-1', 404, 'order-not-found', undefined],
  ];
  for (const [what, query, status, code, field] of refused) {
    it(`refuses ${what} as POST does`, async () => {
      const answer = await h.api(`/session${query}`);
      assert.equal(answer.status, status, answer.text);
      assert.equal(answer.body.type, `urn:kassa:problem:${code}`);
      assert.equal(answer.body.field, field);
    });
  }

});

describe('the session’s amount text', () => {
  const rows: Array<[string, string, Record<string, string>]> = [
    ['DEMO-EUR', 'sv', {}],
    ['DEMO-SEK', 'sv', {}],
    ['DEMO-PLN', 'pl', {}],
    ['DEMO-EUR', 'de-CH', {}],
    ['DEMO-EUR', 'fi', { 'accept-language': 'fi,en;q=0.5' }],
  ];
  for (const [reference, locale, headers] of rows) {
    it(`is the amount formatted as the checkout formats it, for ${reference} in ${locale}`, async () => {
      const order = `${reference}~t${++orders}`;
      const body = headers['accept-language'] ? { order } : { order, locale };
      const session = (await h.api('/session', json(body, headers))).body as SessionResponse;
      assert.equal(session.locale, locale);
      assert.equal(session.amountText, formatAmount(session.amount, session.currency, locale));
      const carried = JSON.parse(await h.demo.kassa.sessionJson(order, { locale })) as SessionResponse;
      assert.equal(carried.amountText, session.amountText);
    });
  }

  it('is made with a bounded number of formatters, whatever languages the clients ask for', () => {
    const formats = new AmountFormats(4);
    const texts = new Set<string>();
    for (let i = 0; i < 10; i++) {
      texts.add(formatAmount(4990, 'EUR', `en-x-${i}`, formats));
      assert.ok(formats.size <= 4, `${formats.size} formatters kept`);
    }
    assert.deepEqual([...texts], [formatAmount(4990, 'EUR', 'en')]);
    assert.equal(formatAmount(4990, 'EUR', 'en-x-9', formats), formatAmount(4990, 'EUR', 'en'));
  });
});

describe('GET /session with a rate limit of 3 a minute', () => {
  const limited = useEndpoint({ rateLimitPerMinute: 3 });
  it('shares the limit with POST /session', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.api(`/session?order=${encodeURIComponent(fresh())}`)).status);
    statuses.push((await limited.api('/session', json({ order: fresh() }))).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  });
});

describe('kassa.sessionJson', () => {
  it('opens the session for the page: its token pays, charging what the endpoint decides', async () => {
    const order = fresh();
    const text = await h.demo.kassa.sessionJson(order, { locale: 'de' });
    const session = JSON.parse(text) as SessionResponse;
    assert.equal(session.order, order);
    assert.equal(session.amount, 4990);
    assert.equal(session.locale, 'de');
    assert.ok(Date.parse(session.expiresAt) > Date.now() + 60_000);
    const paid = await h.pay(session.token, 'hi-health');
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.payment.amount, 4990);
  });

  it('passes the page request to resolveOrder and takes the language from it', async () => {
    const session = JSON.parse(await h.demo.kassa.sessionJson(fresh(), { request: new Request('https://shop.example/checkout', { headers: { 'accept-language': 'fi,en;q=0.5' } }) }));
    assert.equal(session.locale, 'fi');
  });

  it('throws for an order the endpoint refuses, so the page is rendered without it', async () => {
    await assert.rejects(h.demo.kassa.sessionJson('NOPE-1'), /no order NOPE-1/);
    await assert.rejects(h.demo.kassa.sessionJson(fresh(), { locale: '<script>' }));
  });
});

describe('scriptSafeJson', () => {
  const rows: Array<[unknown, string]> = [
    [{ name: '</script><script>alert(1)</script>' }, '{"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'],
    [{ name: '<!-- a & b' }, '{"name":"\\u003c!-- a \\u0026 b"}'],
    [{ name: 'line\u2028para\u2029' }, '{"name":"line\\u2028para\\u2029"}'],
    [{ amount: 4990, methods: [] }, '{"amount":4990,"methods":[]}'],
  ];
  for (const [value, expected] of rows) {
    it(`writes ${JSON.stringify(value)} as ${expected}, the same JSON`, () => {
      const text = scriptSafeJson(value);
      assert.equal(text, expected);
      assert.deepEqual(JSON.parse(text), value);
      assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    });
  }
});

describe('sessionJson', () => {
  const methods = [{ id: 'card', type: 'card', provider: 'whenthen', label: 'Card "Ü" \u2028' }] as unknown as SessionResponse['methods'];
  const base: SessionResponse = { token: 'a.b.c', order: 'DEMO-EUR', amount: 4990, currency: 'EUR', amountText: '€49.90', locale: 'en', methods, expiresAt: '2026-01-01T00:00:00.000Z' };
  const cases: Array<[string, SessionResponse]> = [
    ['with an amount text', base],
    ['without one', { ...base, amountText: undefined }],
    ['with quotes and line separators in strings', { ...base, order: 'a"b\\c\u2028', locale: 'de-CH' }],
    ['with no methods', { ...base, methods: [] }],
  ];
  for (const [name, session] of cases) {
    it(`writes the bytes JSON.stringify writes, ${name}`, () => {
      const cache = new WeakMap<readonly unknown[], string>();
      assert.equal(sessionJson(session, cache), JSON.stringify(session));
      // The second time from the kept method list.
      assert.equal(sessionJson({ ...session, token: 'x.y.z' }, cache), JSON.stringify({ ...session, token: 'x.y.z' }));
    });
  }
});

describe('RandomIds', () => {
  it('answers distinct base64url ids of the given size, past the end of its pool', () => {
    const ids = new RandomIds(12, 4);
    const seen = new Set(Array.from({ length: 50 }, () => ids.next()));
    assert.equal(seen.size, 50);
    for (const id of seen) assert.match(id, /^[A-Za-z0-9_-]{16}$/);
  });
});

describe('isPlainSessionBody', () => {
  const cases: Array<[unknown, boolean]> = [
    [{ order: 'DEMO-EUR' }, true],
    [{ order: 'DEMO-EUR', locale: 'en' }, true],
    [{ locale: 'de-CH', order: 'x' }, true],
    [{ order: 'x'.repeat(128) }, true],
    [{ order: 'x'.repeat(129) }, false],
    [{ order: '' }, false],
    [{ order: 5 }, false],
    [{}, false],
    [{ locale: 'en' }, false],
    [{ order: 'x', locale: null }, false],
    [{ order: 'x', locale: 'e' }, false],
    [{ order: 'x', locale: `en-${'a'.repeat(40)}` }, false],
    [{ order: 'x', extra: 1 }, false],
    [Object.assign(Object.create({ inherited: 1 }) as object, { order: 'x' }), false],
    [['x'], false],
    [null, false],
    ['x', false],
  ];
  for (const [value, plain] of cases) {
    it(`${plain ? 'vouches for' : 'leaves to the schema'} ${JSON.stringify(value)}`, () => {
      assert.equal(isPlainSessionBody(value), plain);
    });
  }
  it('vouches only for what the schema accepts as it is', () => {
    for (const [value, plain] of cases) {
      if (!plain || typeof value !== 'object' || value === null) continue;
      assert.deepEqual(sessionQuery(new URLSearchParams(value as Record<string, string>)), value);
    }
  });
});
