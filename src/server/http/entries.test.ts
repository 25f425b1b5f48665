/**
 * The endpoint's two entries answer alike: the same handler mounted with `createNodeListener` (Node's own request,
 * no Fetch objects) and called as a Fetch handler (`kassa(request)`, a `Request` per request, behind the listener's
 * generic Fetch adapter), over real HTTP against the sandbox — every route, problems, HEAD, OPTIONS, an event stream,
 * a signed webhook, oversized bodies and the merchant's routes.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resolveDemoOrder } from '../../../demo/catalogue.ts';
import { demoKassaConfig } from '../../../demo/config.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server.ts';
import { createKassaHandler, type KassaHandler } from '../handler.ts';
import { answerClientErrors, createNodeListener, nodeServerOptions } from './node.ts';

const ORIGIN = 'https://shop.example';
const MERCHANT_KEY = 'Bearer merchant-key-0123456789';
const WHENTHEN_WEBHOOK_SECRET = 'sandbox-whenthen-webhook-secret';
/** Headers whose values must agree between the entries. */
const COMPARED_HEADERS = [
  'content-type',
  'cache-control',
  'allow',
  'retry-after',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'vary',
  'x-accel-buffering',
];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface Call {
  method: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Sent without a Content-Length, in chunks. */
  chunked?: boolean;
  /** For an event stream: stop reading after this many bytes and close the connection. */
  readBytes?: number;
}

function call(base: string, agent: Agent, { method, path, headers = {}, body, chunked, readBytes }: Call): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const length = body === undefined || chunked ? {} : { 'content-length': Buffer.byteLength(body) };
    const req = httpRequest(`${base}/kassa${path}`, { method, agent: readBytes ? false : agent, headers: { ...length, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (readBytes && text.length >= readBytes) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunked && body !== undefined) {
      for (let i = 0; i < body.length; i += 4096) req.write(body.slice(i, i + 4096));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** The parts of an answer that must agree; `normalize` takes out what differs by nature (tokens, times, references). */
function comparable(reply: Reply, normalize: (body: unknown) => unknown = (body) => body) {
  let body: unknown = reply.text;
  try {
    body = normalize(JSON.parse(reply.text));
  } catch {
    // not JSON: compared as text
  }
  return { status: reply.status, headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, reply.headers[name]])), body };
}

const json = (value: unknown, headers: OutgoingHttpHeaders = {}): Pick<Call, 'headers' | 'body'> => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

const withoutSessionParts = (body: unknown) => {
  const { token: _token, expiresAt: _expiresAt, order: _order, ...rest } = body as Record<string, unknown>;
  return rest;
};

describe('the Node entry and the Fetch entry answer alike', () => {
  let sandbox: RunningSandbox;
  let handler: KassaHandler;
  const servers: Server[] = [];
  const bases: Record<'node' | 'fetch', string> = { node: '', fetch: '' };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** What the merchant's callbacks were given, per entry: a `Request` each time, with the client's headers. */
  const given: Array<{ callback: string; isRequest: boolean; header: string | null }> = [];
  let paid = '';

  before(async () => {
    sandbox = await startSandbox();
    const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: 'http://127.0.0.1:1', allowedOrigins: [ORIGIN] });
    handler = createKassaHandler({
      ...config,
      health: { failureThreshold: 1_000 },
      maxStreamsPerClient: 1,
      resolveOrder: (reference, request) => {
        given.push({ callback: 'resolveOrder', isRequest: request instanceof Request, header: request.headers.get('x-shop-cart') });
        return resolveDemoOrder(reference);
      },
      merchantApi: {
        authorize: (request) => {
          given.push({ callback: 'authorize', isRequest: request instanceof Request, header: request.headers.get('x-shop-cart') });
          return request.headers.get('authorization') === MERCHANT_KEY;
        },
      },
    });
    const listeners = {
      node: createNodeListener(handler),
      // A plain Fetch handler: the listener builds a Request and writes the Response back.
      fetch: createNodeListener((request, context) => handler(request, context)),
    };
    for (const entry of ['node', 'fetch'] as const) {
      const server = createServer(nodeServerOptions(), listeners[entry]);
      answerClientErrors(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      bases[entry] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    // A payment to read, stream and operate on.
    const session = JSON.parse((await call(bases.node, agent, { method: 'POST', path: '/session', ...json({ order: 'DEMO-EUR~entries' }) })).text) as { token: string };
    const created = await call(bases.node, agent, {
      method: 'POST',
      path: '/payments',
      ...json({ token: session.token, method: 'hidirect:hi-health' }, { 'idempotency-key': 'entries-0001' }),
    });
    assert.equal(created.status, 201, created.text);
    paid = (JSON.parse(created.text) as { payment: { reference: string } }).payment.reference;
  });

  after(async () => {
    agent.destroy();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await handler.close();
    await sandbox.close();
  });

  const signedWebhook = (): Call => {
    // Spacing and a non-ASCII letter: the signature holds only over the exact bytes sent.
    const body = Buffer.from('{ "type" : "account.updated",  "note": "Växjö" }', 'utf8');
    const signature = createHmac('sha256', WHENTHEN_WEBHOOK_SECRET).update(body).digest('hex');
    return { method: 'POST', path: '/webhooks/whenthen', headers: { 'content-type': 'application/json', 'x-whenthen-signature': signature }, body };
  };

  const cases: Array<[name: string, call: () => Call, normalize?: (body: unknown) => unknown]> = [
    ['GET /health', () => ({ method: 'GET', path: '/health' })],
    ['HEAD /health: the length, no body', () => ({ method: 'HEAD', path: '/health' })],
    ['POST /session from an allowed origin', () => ({ method: 'POST', path: '/session', ...json({ order: 'DEMO-SEK', locale: 'sv' }, { origin: ORIGIN, 'x-shop-cart': 'c1' }) }), withoutSessionParts],
    ['POST /session with Accept-Language', () => ({ method: 'POST', path: '/session', ...json({ order: 'DEMO-EUR' }, { 'accept-language': 'de-CH,de;q=0.9' }) }), withoutSessionParts],
    ['POST /session from an origin not allowed', () => ({ method: 'POST', path: '/session', ...json({ order: 'DEMO-EUR' }, { origin: 'https://evil.example' }) })],
    ['POST /session for an unknown order, with CORS', () => ({ method: 'POST', path: '/session', ...json({ order: 'NOPE' }, { origin: ORIGIN }) })],
    ['POST /session with a body that is not JSON', () => ({ method: 'POST', path: '/session', headers: { 'content-type': 'application/json' }, body: '{"order":' })],
    ['POST /session with invalid UTF-8', () => ({ method: 'POST', path: '/session', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) })],
    ['POST /session naming __proto__ (escaped)', () => ({ method: 'POST', path: '/session', headers: { 'content-type': 'application/json' }, body: '{"order":"DEMO-EUR","\\u005f_proto__":{}}' })],
    ['POST /session with an unknown field', () => ({ method: 'POST', path: '/session', ...json({ order: 'DEMO-EUR', amount: 1 }) })],
    ['POST /session as text/plain', () => ({ method: 'POST', path: '/session', headers: { 'content-type': 'text/plain' }, body: '{}' })],
    ['POST /session with a declared body over the limit', () => ({ method: 'POST', path: '/session', ...json({ order: 'x'.repeat(20_000) }) })],
    ['POST /session with a chunked body over the limit', () => ({ method: 'POST', path: '/session', ...json({ order: 'x'.repeat(40_000) }), chunked: true })],
    ['POST /session chunked, within the limit', () => ({ method: 'POST', path: '/session', ...json({ order: 'DEMO-EUR', locale: 'en' }), chunked: true }), withoutSessionParts],
    ['OPTIONS preflight from an allowed origin', () => ({ method: 'OPTIONS', path: '/payments', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } })],
    ['DELETE /health: 405 with Allow', () => ({ method: 'DELETE', path: '/health' })],
    ['TRACE: 405 from the listener', () => ({ method: 'TRACE', path: '/health' })],
    ['an unknown route', () => ({ method: 'GET', path: '/nothing-here' })],
    ['POST /payments without an Idempotency-Key', () => ({ method: 'POST', path: '/payments', ...json({ token: 'x', method: 'card' }) })],
    ['POST /payments with a forged token', () => ({ method: 'POST', path: '/payments', ...json({ token: 'a.b.c', method: 'card' }, { 'idempotency-key': 'entries-0002' }) })],
    ['GET /payments/{ref}', () => ({ method: 'GET', path: `/payments/${paid}` })],
    ['HEAD /payments/{ref}', () => ({ method: 'HEAD', path: `/payments/${paid}` })],
    ['GET /payments/{ref} unknown', () => ({ method: 'GET', path: '/payments/kp_aaaaaaaaaaaaaaaaaaaaaaaa' })],
    ['HEAD /payments/{ref}/events: headers, no stream', () => ({ method: 'HEAD', path: `/payments/${paid}/events` })],
    ['GET /payments/{ref}/events: the first events', () => ({ method: 'GET', path: `/payments/${paid}/events`, readBytes: 200 }), (text) => text],
    ['POST /webhooks/whenthen signed over the exact bytes', signedWebhook],
    ['POST /webhooks/whenthen with a bad signature', () => ({ ...signedWebhook(), headers: { 'content-type': 'application/json', 'x-whenthen-signature': '00' } })],
    ['POST /webhooks/stripe', () => ({ method: 'POST', path: '/webhooks/stripe', ...json({}) })],
    ['GET /merchant/payments/{ref} without the merchant key', () => ({ method: 'GET', path: `/merchant/payments/${paid}` })],
    ['GET /merchant/payments/{ref}', () => ({ method: 'GET', path: `/merchant/payments/${paid}`, headers: { authorization: MERCHANT_KEY, 'x-shop-cart': 'm1' } })],
    ['POST /merchant/payments/{ref}/capture without a body', () => ({ method: 'POST', path: `/merchant/payments/${paid}/capture`, headers: { authorization: MERCHANT_KEY } })],
  ];

  for (const [name, make, normalize] of cases) {
    it(name, async () => {
      const request = make();
      const node = await call(bases.node, agent, request);
      const fetch = await call(bases.fetch, agent, request);
      assert.ok(node.status > 0 && node.status < 600, `${node.status}`);
      const eventStream = Boolean(request.readBytes);
      const normalizeBody = eventStream ? (text: unknown) => String(text).split('\n\n').slice(0, 2).map((e) => e.replace(/^id: \d+$/m, 'id: …')) : normalize;
      assert.deepEqual(comparable(node, normalizeBody), comparable(fetch, normalizeBody));
      if (request.method === 'HEAD') {
        assert.equal(node.text, '');
        assert.equal(node.headers['content-length'], fetch.headers['content-length']);
      } else if (!eventStream && node.status !== 204) {
        assert.equal(Number(node.headers['content-length']), Buffer.byteLength(node.text), 'a whole answer carries its length');
      }
    });
  }

  it('answered each case as the route meant (a sample of the table)', async () => {
    const status = async (request: Call) => (await call(bases.node, agent, request)).status;
    assert.equal(await status({ method: 'POST', path: '/session', ...json({ order: 'x'.repeat(20_000) }) }), 413);
    assert.equal(await status({ method: 'POST', path: '/session', ...json({ order: 'x'.repeat(40_000) }), chunked: true }), 413);
    assert.equal(await status({ method: 'POST', path: '/session', headers: { 'content-type': 'application/json' }, body: '{"order":"DEMO-EUR","\\u005f_proto__":{}}' }), 400);
    assert.equal(await status(signedWebhook()), 200);
    assert.equal(await status({ method: 'GET', path: `/merchant/payments/${paid}` }), 403);
    assert.equal(await status({ method: 'GET', path: `/merchant/payments/${paid}`, headers: { authorization: MERCHANT_KEY } }), 200);
    assert.equal(await status({ method: 'DELETE', path: '/health' }), 405);
    const stream = await call(bases.node, agent, { method: 'GET', path: `/payments/${paid}/events`, readBytes: 20 });
    assert.match(stream.text, /^retry: 2000\n\n/);
  });

  it('frees an event stream when its client leaves, on either entry (one stream per client here)', async () => {
    for (const entry of ['node', 'fetch', 'node', 'fetch'] as const) {
      const stream = await call(bases[entry], agent, { method: 'GET', path: `/payments/${paid}/events`, readBytes: 20 });
      assert.equal(stream.status, 200, `${entry}: ${stream.text}`);
      // The slot is released once the server sees the connection close.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it("gives the merchant's callbacks a Request with the client's headers on both entries", () => {
    const seen = given.filter((g) => g.header !== null);
    assert.ok(seen.some((g) => g.callback === 'resolveOrder') && seen.some((g) => g.callback === 'authorize'), JSON.stringify(given));
    for (const one of given) assert.equal(one.isRequest, true, one.callback);
    // Each entry answered the session case with the header the client sent.
    assert.equal(seen.filter((g) => g.callback === 'resolveOrder' && g.header === 'c1').length, 2);
    assert.equal(seen.filter((g) => g.callback === 'authorize' && g.header === 'm1').length, 2);
  });

  it('keeps a kept-alive connection usable after an oversized body on the Node entry', async () => {
    const one = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await call(bases.node, one, { method: 'POST', path: '/session', ...json({ order: 'x'.repeat(200_000) }), chunked: true });
      assert.equal(refused.status, 413);
      const next = await call(bases.node, one, { method: 'GET', path: '/health' });
      assert.equal(next.status, 200);
    } finally {
      one.destroy();
    }
  });
});
