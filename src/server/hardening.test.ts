/**
 * The endpoint on the open internet, over real HTTP (node:http and raw sockets): each probe that once ended the
 * process or spoiled a kept-alive connection, then the client address, provider reads, stream caps and `publicUrl`.
 * Every probe is followed by a request that must still be answered — on the same connection where HTTP allows.
 */
import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { demoKassaConfig } from '../../demo/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import { problemCode } from '../core/problems.ts';
import { KassaConfigError, type KassaConfig } from './config.ts';
import { createKassaHandler } from './handler.ts';
import { answerClientErrors, createNodeListener, nodeServerOptions, type NodeListenerOptions } from './http/node.ts';

interface Endpoint {
  url: string;
  port: number;
  /** What the endpoint reported through `onError`. */
  errors: string[];
  close(): Promise<void>;
}

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

/** The demo's endpoint configuration on its own node:http server, with Kassa's server limits. */
async function startEndpoint(
  overrides: Partial<KassaConfig> = {},
  listener: NodeListenerOptions = {},
  limits: Parameters<typeof nodeServerOptions>[0] = {},
): Promise<Endpoint> {
  const errors: string[] = [];
  const server = createServer(nodeServerOptions(limits));
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: url, allowedOrigins: ['https://shop.example'] });
  const handler = createKassaHandler({ ...config, onError: (error, context) => errors.push(`${context}: ${String(error)}`), ...overrides });
  server.on('request', createNodeListener(handler, listener));
  return { url, port, errors, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Whether the request went out on a connection an earlier request had used. */
  reused: boolean;
}

/** One request through `agent` (keep-alive, one socket: consecutive requests share a connection). */
function send(endpoint: Endpoint, agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${endpoint.url}${path}`, { method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString(), reused: req.reusedSocket }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes raw bytes on a fresh connection and collects what comes back until the server closes or goes quiet. */
function raw(endpoint: Endpoint, bytes: string, quietMs = 400): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(endpoint.port, '127.0.0.1');
    let text = '';
    let timer = setTimeout(done, quietMs * 5);
    function done() {
      clearTimeout(timer);
      const closed = socket.destroyed || socket.readableEnded;
      socket.destroy();
      resolve({ text, closed });
    }
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.write(bytes);
  });
}

/** The status codes of every response in a raw answer, in order. */
function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

function assertProblem(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(answer.text);
  assert.equal(problemCode(body.type), code, answer.text);
  assert.equal(typeof body.title, 'string');
}

const health = (host = '127.0.0.1') => `GET /kassa/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
const JSON_TYPE = { 'content-type': 'application/json' };

describe('no request stops the endpoint', () => {
  let endpoint: Endpoint;
  before(async () => {
    endpoint = await startEndpoint({}, { trustProxy: 1, bodyTimeoutMs: 400, drainTimeoutMs: 400 }, { headersTimeoutMs: 500 });
  });
  after(() => endpoint.close());

  it('answers TRACE with a 405 problem, and the same connection goes on', async () => {
    const { text } = await raw(endpoint, `TRACE /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${health()}`);
    assert.deepEqual(statuses(text), [405, 200], text);
    assert.match(text, /content-type: application\/problem\+json/);
    assert.match(text, /urn:kassa:problem:method-not-allowed/);
    // A method Node's parser does not know at all is refused by Node, answered as a problem too.
    const unknown = await raw(endpoint, `TRACK /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    assert.deepEqual(statuses(unknown.text), [400], unknown.text);
    assert.match(unknown.text, /urn:kassa:problem:bad-request/);
  });

  it('answers a malformed Host or X-Forwarded-Host with 400, and the same connection goes on', async () => {
    const hosts = ['a b', '', 'a@b', 'shop.example:99999', 'shop.example:port', 'a/b', '[zz::1]', 'shop..example'];
    for (const host of hosts) {
      const { text } = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\nHost: ${host}\r\n\r\n${health()}`);
      assert.deepEqual(statuses(text), [400, 200], `Host: ${JSON.stringify(host)}\n${text}`);
      assert.match(text, /urn:kassa:problem:bad-request/);
    }
    for (const forwarded of ['a b', 'a@b', 'x:99999']) {
      const { text } = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Host: ${forwarded}\r\n\r\n${health()}`);
      assert.deepEqual(statuses(text), [400, 200], `X-Forwarded-Host: ${forwarded}\n${text}`);
    }
    const { text } = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: gopher\r\n\r\n${health()}`);
    assert.deepEqual(statuses(text), [400, 200], text);
  });

  it('answers what Node itself refuses (a malformed header, headers too large) with problem+json', async () => {
    const bad = await raw(endpoint, 'GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n');
    assert.deepEqual(statuses(bad.text), [400], bad.text);
    assert.match(bad.text, /content-type: application\/problem\+json[\s\S]*urn:kassa:problem:bad-request/);
    const large = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.deepEqual(statuses(large.text), [431], large.text);
    assert.match(large.text, /urn:kassa:problem:headers-too-large/);
    assert.equal((await raw(endpoint, health())).text.includes('200 OK'), true, 'still answering');
  });

  it('answers a missing Host and an unmet Expect as problems, and the same connection goes on', async () => {
    const noHost = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\n\r\n${health()}`);
    assert.deepEqual(statuses(noHost.text), [400, 200], noHost.text);
    assert.match(noHost.text, /urn:kassa:problem:bad-request/);
    const expect = await raw(endpoint, `GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: a-miracle\r\n\r\n${health()}`);
    assert.deepEqual(statuses(expect.text), [417, 200], expect.text);
    assert.match(expect.text, /urn:kassa:problem:expectation-failed/);
  });

  it('answers a refused HEAD without a body, so an HTTP client reads the status', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await send(endpoint, agent, 'HEAD', `/kassa/health?${'a'.repeat(17_000)}`);
      assert.equal(answer.status, 431);
      assert.equal(answer.text, '');
      const problem = await send(endpoint, agent, 'HEAD', '/kassa/payments/kp_not-a-reference');
      assert.equal(problem.status, 404);
      assert.equal(problem.text, '');
      assert.ok(Number(problem.headers['content-length']) > 0, 'the length the GET answer would have');
      assert.equal((await send(endpoint, agent, 'GET', '/kassa/health')).status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('answers early errors with a body still unread and keeps the connection usable (2 MB bodies)', async () => {
    const big = Buffer.alloc(2_000_000, 'a');
    const probes: Array<[string, string, Record<string, string>, number, string]> = [
      ['POST', '/kassa/session', JSON_TYPE, 413, 'body-too-large'],
      ['POST', '/kassa/session', { 'content-type': 'text/plain' }, 415, 'unsupported-media-type'],
      ['POST', '/kassa/payments', JSON_TYPE, 400, 'idempotency-key-required'],
      ['POST', '/kassa/session', { ...JSON_TYPE, origin: 'https://elsewhere.example' }, 403, 'origin-not-allowed'],
      ['POST', '/kassa/nothing-here', JSON_TYPE, 404, 'not-found'],
      ['POST', '/kassa/health', JSON_TYPE, 405, 'method-not-allowed'],
      ['POST', '/kassa/webhooks/hidirect', JSON_TYPE, 413, 'body-too-large'],
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const [method, path, headers, status, code] of probes) {
        assertProblem(await send(endpoint, agent, method, path, headers, big), status, code);
        const next = await send(endpoint, agent, 'GET', '/kassa/health');
        assert.equal(next.status, 200, `after ${status} on ${path}`);
        assert.equal(next.reused, true, `after ${status} on ${path}, on the same connection`);
      }
    } finally {
      agent.destroy();
    }
  });

  it('answers 413 to 50 MB bodies every time (no EPIPE), and goes on', async () => {
    const huge = Buffer.alloc(50_000_000, 'a');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 6; i++) {
        assertProblem(await send(endpoint, agent, 'POST', '/kassa/session', JSON_TYPE, huge), 413, 'body-too-large');
      }
      assert.equal((await send(endpoint, agent, 'GET', '/kassa/health')).status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('answers a body that trickles in with 408 once its time is up', async () => {
    const started = Date.now();
    const socket = connect(endpoint.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => {});
    socket.write('POST /kassa/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const drip = setInterval(() => socket.writable && socket.write(' '), 100);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(drip);
    assert.deepEqual(statuses(text), [408], text);
    assert.match(text, /urn:kassa:problem:request-timeout/);
    assert.ok(Date.now() - started < 3_000, `closed after ${Date.now() - started} ms`);
  });

  it('cuts off headers that never end', async () => {
    const started = Date.now();
    const { text, closed } = await raw(endpoint, 'GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n', 3_000);
    assert.ok(closed, 'the connection was closed');
    assert.ok(Date.now() - started < 3_000, `closed after ${Date.now() - started} ms`);
    if (text) assert.match(text, /^HTTP\/1\.1 408 [\s\S]*urn:kassa:problem:request-timeout/);
  });

  it('does not report a client that leaves mid-body as an endpoint error', async () => {
    const socket = connect(endpoint.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /kassa/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"order":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(endpoint.errors, []);
    assert.match((await raw(endpoint, health())).text, /200 OK/);
  });

  it('answers HEAD like GET, without a body', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const head = await send(endpoint, agent, 'HEAD', '/kassa/health');
      assert.equal(head.status, 200);
      assert.match(String(head.headers['content-type']), /^application\/json/);
      assert.equal(head.text, '');
      assert.equal((await send(endpoint, agent, 'GET', '/kassa/health')).status, 200);
    } finally {
      agent.destroy();
    }
  });

  it('uses Accept-Language only when it is a language tag', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const order = JSON.stringify({ order: 'DEMO-SEK' });
      const swedish = await send(endpoint, agent, 'POST', '/kassa/session', { ...JSON_TYPE, 'accept-language': 'sv-SE,sv;q=0.9' }, order);
      assert.equal(JSON.parse(swedish.text).locale, 'sv-SE');
      const hostile = await send(endpoint, agent, 'POST', '/kassa/session', { ...JSON_TYPE, 'accept-language': '<script>alert(1)</script>' }, order);
      assert.equal(JSON.parse(hostile.text).locale, 'en');
    } finally {
      agent.destroy();
    }
  });

  it('refuses __proto__ as a key instead of dropping it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = '{"token":"t","method":"hidirect:hi-health","fields":{"__proto__":{"admin":"1"}}}';
      const answer = await send(endpoint, agent, 'POST', '/kassa/payments', { ...JSON_TYPE, 'idempotency-key': 'proto-probe-1' }, body);
      assertProblem(answer, 400, 'invalid-body');
      assert.equal(JSON.parse(answer.text).field, '__proto__');
    } finally {
      agent.destroy();
    }
  });

  it('reported nothing as an internal error through all of the above', () => {
    assert.deepEqual(endpoint.errors, []);
  });
});

describe('behind Express with a body parser mounted first', () => {
  let url: string;
  let server: Server;
  before(async () => {
    const app = express();
    app.use(express.json());
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: url });
    app.use('/kassa', createNodeListener(createKassaHandler(config)));
  });
  after(() => closeServer(server));

  it('takes the parsed JSON body for a session', async () => {
    const answer = await fetch(`${url}/kassa/session`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ order: 'DEMO-EUR' }) });
    assert.equal(answer.status, 201, await answer.clone().text());
    assert.equal((await answer.json()).order, 'DEMO-EUR');
  });

  it('refuses a parsed webhook with a problem that says where to mount Kassa', async () => {
    const answer = await fetch(`${url}/kassa/webhooks/hidirect`, { method: 'POST', headers: JSON_TYPE, body: '{"id":"x"}' });
    assert.equal(answer.status, 500);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = await answer.json();
    assert.equal(problemCode(body.type), 'body-already-parsed');
    assert.match(body.detail, /mount Kassa before/);
  });
});

describe('the client address', () => {
  it('is required: a Fetch runtime that passes none gets a clear problem, never a shared bucket', async () => {
    const errors: string[] = [];
    const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: 'http://shop.test' });
    const kassa = createKassaHandler({ ...config, onError: (error) => errors.push(String(error)) });
    const session = () => new Request('http://shop.test/kassa/session', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ order: 'DEMO-EUR' }) });
    for (let i = 0; i < 2; i++) {
      const answer = await kassa(session());
      assert.equal(answer.status, 500);
      assert.equal(problemCode((await answer.json()).type), 'client-address-unknown');
    }
    assert.equal(errors.length, 1, 'said once, to the merchant');
    assert.match(errors[0]!, /clientAddress/);
    assert.equal((await kassa(new Request('http://shop.test/kassa/health'))).status, 200, 'routes without a limit still answer');
  });

  it('comes from the runtime: each client has its own budget', async () => {
    const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: 'http://shop.test' });
    const kassa = createKassaHandler({ ...config, rateLimitPerMinute: 3, clientAddress: (request) => request.headers.get('x-test-client') });
    const session = (client: string) =>
      kassa(new Request('http://shop.test/kassa/session', { method: 'POST', headers: { ...JSON_TYPE, 'x-test-client': client }, body: JSON.stringify({ order: 'DEMO-NOK' }) }));
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await session('198.51.100.1')).status);
    assert.deepEqual(first, [201, 201, 201, 429]);
    assert.equal((await session('198.51.100.2')).status, 201, 'another client is not locked out');
    assert.equal((await kassa(new Request('http://shop.test/kassa/session', { method: 'POST', headers: JSON_TYPE, body: '{"order":"DEMO-NOK"}' }), { clientAddress: '198.51.100.3' })).status, 201);
  });

  it('behind a trusted proxy is the right-most untrusted hop: a client cannot skip its limit or spend a victim’s', async () => {
    const endpoint = await startEndpoint({ rateLimitPerMinute: 5 }, { trustProxy: 1 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const session = (forwardedFor: string) => send(endpoint, agent, 'POST', '/kassa/session', { ...JSON_TYPE, 'x-forwarded-for': forwardedFor }, '{"order":"DEMO-NOK"}');
      // The attacker (198.51.100.7, appended by the proxy) writes a new address first each time, then the victim's.
      const attacker = [];
      for (let i = 0; i < 7; i++) attacker.push((await session(`203.0.113.${i + 20}, 198.51.100.7`)).status);
      assert.deepEqual(attacker, [201, 201, 201, 201, 201, 429, 429], 'spoofed first entries do not make new clients');
      for (let i = 0; i < 3; i++) assert.equal((await session('203.0.113.9, 198.51.100.7')).status, 429);
      assert.equal((await session('203.0.113.9')).status, 201, 'the victim, whose address the attacker wrote, still pays');
    } finally {
      agent.destroy();
      await endpoint.close();
    }
  });

  it('refuses trustProxy: true, which would trust whatever a client writes', () => {
    const listen = () => createNodeListener(async () => new Response(), { trustProxy: true as unknown as number });
    assert.throws(listen, (error) => error instanceof KassaConfigError && /trustProxy/.test(error.message));
  });
});

describe('provider reads and status limits', () => {
  let endpoint: Endpoint;
  before(async () => {
    endpoint = await startEndpoint({ statusRateLimitPerMinute: 1_000_000, providerReadIntervalMs: 2_000 });
  });
  after(() => endpoint.close());
  beforeEach(() => callControl(sandbox.url, 'POST', '/reset'));

  async function heroPayment(): Promise<string> {
    const session = await (await fetch(`${endpoint.url}/kassa/session`, { method: 'POST', headers: JSON_TYPE, body: '{"order":"DEMO-EUR"}' })).json();
    const hero = session.methods.find((m: { provider: string }) => m.provider === 'hero');
    const created = await fetch(`${endpoint.url}/kassa/payments`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'idempotency-key': `poll-${Date.now()}-${Math.random()}` },
      body: JSON.stringify({ token: session.token, method: hero.id }),
    });
    assert.equal(created.status, 201);
    return (await created.json()).payment.reference;
  }

  /** Hero's status reads (its only read of a payment's state). */
  const heroReads = async () => (await callControl(sandbox.url, 'GET', '/requests?provider=hero&operation=getPaymentsInfos')).count as number;

  it('reads a payment from its provider at most once per interval, however fast one client polls', async () => {
    const reference = await heroPayment();
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const until = Date.now() + 4_500;
    let polls = 0;
    try {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < until) {
            const answer = await send(endpoint, agent, 'GET', `/kassa/payments/${reference}`);
            assert.equal(answer.status, 200);
            polls++;
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    const reads = await heroReads();
    assert.ok(polls > 200, `${polls} polls`);
    assert.ok(reads >= 1 && reads <= 3, `${reads} Hero reads for ${polls} polls in 4.5 s`);
  });

  it('shares one read among concurrent readers', async () => {
    const reference = await heroPayment();
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${endpoint.url}/kassa/payments/${reference}`)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(await heroReads(), 1);
  });

  it('limits status reads per client', async () => {
    const limited = await startEndpoint({ statusRateLimitPerMinute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.url}/kassa/payments/kp_${'x'.repeat(24)}`)).status);
      assert.deepEqual(statuses, [404, 404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('status streams', () => {
  let endpoint: Endpoint;
  let reference: string;
  before(async () => {
    endpoint = await startEndpoint({ maxStreamsPerClient: 3, maxStreams: 5, streamLifetimeSeconds: 1 }, { trustProxy: 1 });
    const session = await (await fetch(`${endpoint.url}/kassa/session`, { method: 'POST', headers: JSON_TYPE, body: '{"order":"DEMO-EUR"}' })).json();
    const created = await fetch(`${endpoint.url}/kassa/payments`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'idempotency-key': `streams-${Date.now()}` },
      body: JSON.stringify({ token: session.token, method: 'hidirect:hi-health' }),
    });
    reference = (await created.json()).payment.reference;
  });
  after(() => endpoint.close());

  /** Opens a stream as `client` and answers its status once the headers are in; `close` ends it. */
  async function open(client: string): Promise<{ status: number; type: string; close(): void; ended: Promise<void> }> {
    const abort = new AbortController();
    const response = await fetch(`${endpoint.url}/kassa/payments/${reference}/events`, { headers: { 'x-forwarded-for': client }, signal: abort.signal });
    const type = response.status === 200 ? '' : (problemCode((await response.clone().json()).type) ?? '');
    const ended = response.body
      ? (async () => {
          try {
            for await (const _ of response.body as unknown as AsyncIterable<Uint8Array>);
          } catch {
            // aborted
          }
        })()
      : Promise.resolve();
    return { status: response.status, type, close: () => abort.abort(), ended };
  }

  it('caps streams per client (429) and in total (503), and another request is still answered at the cap', async () => {
    const held = [await open('198.51.100.1'), await open('198.51.100.1'), await open('198.51.100.1')];
    assert.deepEqual(held.map((s) => s.status), [200, 200, 200]);
    const fourth = await open('198.51.100.1');
    assert.deepEqual([fourth.status, fourth.type], [429, 'too-many-streams']);
    held.push(await open('198.51.100.2'), await open('198.51.100.2'));
    const full = await open('198.51.100.3');
    assert.deepEqual([full.status, full.type], [503, 'server-busy']);
    const read = await fetch(`${endpoint.url}/kassa/payments/${reference}`, { headers: { 'x-forwarded-for': '198.51.100.3' } });
    assert.equal(read.status, 200, 'a plain read is answered at the cap');
    for (const stream of held) stream.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open('198.51.100.3');
    assert.equal(again.status, 200, 'closed streams free their slots');
    again.close();
  });

  it('ends a stream after its lifetime, though the payment still waits', async () => {
    const started = Date.now();
    const stream = await open('198.51.100.9');
    assert.equal(stream.status, 200);
    await stream.ended;
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3_000, `ended after ${took} ms`);
  });
});

describe('provider-facing URLs', () => {
  it('require publicUrl outside the sandbox environment', () => {
    const config = demoKassaConfig({ sandboxUrl: sandbox.url, shopUrl: 'https://shop.example' });
    const { publicUrl: _unused, ...withoutPublicUrl } = config;
    assert.doesNotThrow(() => createKassaHandler(withoutPublicUrl), 'the sandbox works without it');
    const staging = { ...withoutPublicUrl, providers: { kronor: { environment: 'staging' as const, merchantToken: 'kronor-staging-token', webhookSecret: 'kronor-webhook-secret-0123456789' } } };
    assert.throws(
      () => createKassaHandler(staging),
      (error) => error instanceof KassaConfigError && /publicUrl is required outside the sandbox environment \(kronor\)/.test(error.message),
    );
  });

  it('never come from the Host header when publicUrl is set', async () => {
    const endpoint = await startEndpoint();
    try {
      await callControl(sandbox.url, 'POST', '/reset');
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        send(endpoint, new Agent(), 'POST', path, { ...JSON_TYPE, host: 'attacker.example', ...headers }, JSON.stringify(body));
      const session = JSON.parse((await post('/kassa/session', { order: 'DEMO-EUR' })).text);
      const created = JSON.parse((await post('/kassa/payments', { token: session.token, method: 'hidirect:hi-health' }, { 'idempotency-key': 'host-probe-1' })).text);
      assert.ok(created.payment, JSON.stringify(created));
      assert.doesNotMatch(JSON.stringify(created.action), /attacker\.example/);
      const [atProvider] = (await callControl(sandbox.url, 'GET', '/payments?provider=hidirect')).payments;
      await fetch(atProvider.pageUrl);
      await callControl(sandbox.url, 'POST', `/payments/hidirect/${encodeURIComponent(atProvider.id)}/outcome`, { outcome: 'pay' });
      const { webhooks } = await callControl(sandbox.url, 'GET', '/webhooks?provider=hidirect');
      assert.ok(webhooks.length > 0, 'hi.health sent its webhook');
      for (const hook of webhooks) assert.ok(hook.url.startsWith(`${endpoint.url}/kassa/`), hook.url);
    } finally {
      await endpoint.close();
    }
  });
});
