/**
 * Fuzz drill: random requests, raw bytes and cut-off connections sent over real HTTP to the demo shop's server, which
 * mounts the Kassa endpoint at /kassa. Whatever arrives, the process stays up, nothing is answered 5xx, every error
 * is `application/problem+json` with a `type` and a `title`, and the endpoint answers the next request — on the same
 * connection where HTTP allows it.
 *
 * The default run (200 cases per property, KASSA_FUZZ_RUNS; a few seconds) is part of `npm test`; the long run
 * (about 8 minutes, mostly the disconnects' pauses) is a drill:
 *
 *   KASSA_FUZZ_RUNS=20000 node --import tsx --test test/drills/fuzz.drills.test.ts
 *
 * A failure prints fast-check's seed and path, and the shrunk input; replay it with
 * KASSA_FUZZ_SEED=<seed> KASSA_FUZZ_PATH=<path> node --import tsx --test test/drills/fuzz.drills.test.ts
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { demoKassaConfig } from '../../demo/config.ts';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

const RUNS = Number(process.env.KASSA_FUZZ_RUNS ?? 200);
const REPLAY = process.env.KASSA_FUZZ_SEED ? { seed: Number(process.env.KASSA_FUZZ_SEED), path: process.env.KASSA_FUZZ_PATH } : {};
/** Every request must be answered within this; a hang fails with its input. */
const TIMEOUT_MS = 5_000;
const PROVIDERS = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'] as const;
const ORDERS = ['DEMO-EUR', 'DEMO-SEK', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN'];
/** The demo's webhook secrets (demo/config.ts): signed webhooks get past the signature to the body's parsing. */
const SECRETS = demoKassaConfig({ sandboxUrl: 'http://127.0.0.1:1', shopUrl: 'http://127.0.0.1:1' }).providers;

// ——— the running endpoint, and what it reported ———

let sandbox: RunningSandbox | undefined;
let demo: RunningDemo | undefined;
let port = 0;
/** A real session token and payment reference, so generated requests get past the first checks. */
const real = { token: '', reference: '', methods: [] as string[] };
/** What the endpoint reported through `onError`: an internal error, never caused by a client's input. */
const reported: string[] = [];
/** Anything thrown past the servers (a request handler that threw): in production it ends the process. */
const uncaught: string[] = [];
/** Raw sockets in flight, closed at once when something escapes so the probe fails fast instead of timing out. */
const live = new Set<net.Socket>();

function onUncaught(error: unknown) {
  uncaught.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  for (const socket of live) socket.destroy();
}

before(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  sandbox = await startSandbox();
  demo = await startDemo({
    sandboxUrl: sandbox.url,
    allowedOrigins: ['https://shop.example'],
    overrides: {
      // Rate limits would answer most of the run 429 and stop the fuzzer exploring.
      rateLimitPerMinute: 1_000_000,
      statusRateLimitPerMinute: 1_000_000,
      sessionTtlSeconds: 3_600, // the long run outlives the default 15 minutes
      onError: (error, context) => void reported.push(`${context}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });
  port = Number(new URL(demo.url).port);
  const session = await postJson('/kassa/session', { order: 'DEMO-EUR' });
  assert.equal(session.status, 201, session.text);
  real.token = session.body.token;
  real.methods = session.body.methods.map((m: { id: string }) => m.id);
  const method = real.methods.find((id) => id === 'hi-health');
  assert.ok(method, 'a hi.health method for DEMO-EUR');
  const payment = await postJson('/kassa/payments', { token: real.token, method }, { 'idempotency-key': `fuzz-${randomUUID()}` });
  assert.equal(payment.status, 201, payment.text);
  real.reference = payment.body.payment.reference;
});

after(async () => {
  await demo?.close();
  await sandbox?.close();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

// ——— requests over node:http ———

/** One generated request; printed short (a 2 MB body as its size) when fast-check reports it. */
class FuzzRequest {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly headers: Record<string, string>,
    readonly body: Buffer,
    /** Sent with `Transfer-Encoding: chunked`, in two chunks, instead of a Content-Length. */
    readonly chunked = false,
  ) {}

  [fc.toStringMethod](): string {
    return `${this.method} ${short(this.path)} ${short(JSON.stringify(this.headers))}${this.chunked ? ' (chunked)' : ''} body=${preview(this.body)}`;
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  socket: net.Socket;
  /** An event stream, dropped by us after its headers: that connection is gone on purpose. */
  dropped: boolean;
}

/** Sends one request on `agent` and reads the whole answer (an event stream only to its headers). */
function send(agent: http.Agent, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers };
    if (r.chunked) headers['transfer-encoding'] = 'chunked';
    else if (r.body.length) headers['content-length'] = String(r.body.length);
    let socket: net.Socket | undefined;
    const req = http.request({ host: '127.0.0.1', port, agent, method: r.method, path: r.path, headers, setHost: !('host' in headers) });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${TIMEOUT_MS} ms to ${r[fc.toStringMethod]()}`));
    }, TIMEOUT_MS);
    req.on('socket', (s) => (socket = s));
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(`${error.message} (${error.code}) on ${r[fc.toStringMethod]()}`));
    });
    req.on('response', (res) => {
      const answer = { status: res.statusCode ?? 0, headers: res.headers, socket: socket!, dropped: false };
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        clearTimeout(timer);
        req.destroy();
        return resolve({ ...answer, body: Buffer.alloc(0), dropped: true });
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ ...answer, body: Buffer.concat(chunks) });
      });
    });
    if (r.chunked && r.body.length > 1) {
      req.write(r.body.subarray(0, r.body.length >> 1));
      req.end(r.body.subarray(r.body.length >> 1));
    } else {
      req.end(r.body);
    }
  });
}

const HEALTH = new FuzzRequest('GET', '/kassa/health', {}, Buffer.alloc(0));

/** Whether the demo hands `target` to the endpoint (demo/server.ts routes on the URL's normalized path). */
function toEndpoint(target: string): boolean {
  const path = new URL(target, 'http://127.0.0.1').pathname;
  return path === '/kassa' || path.startsWith('/kassa/');
}

/** The checks every answer from the endpoint must pass. */
function checkAnswer(what: string, target: string, status: number, headers: Record<string, string | string[] | undefined>, body: Buffer | undefined) {
  assert.ok(status < 500, `${status} ${body?.toString('utf8').slice(0, 300)} to ${what}`);
  if (!toEndpoint(target)) return; // a page of the demo shop, not Kassa's
  if (status >= 300 && status < 400) {
    assert.match(new URL(target, 'http://127.0.0.1').pathname, /^\/kassa\/return\//, `a redirect (${status}) from outside /return/ to ${what}`);
  }
  if (status < 400 || body === undefined) return;
  assert.match(String(headers['content-type']), /^application\/problem\+json/, `${status} without problem+json to ${what}`);
  let problem: any;
  assert.doesNotThrow(() => (problem = JSON.parse(body.toString('utf8'))), `${status} with a body that is not JSON to ${what}`);
  assert.ok(typeof problem === 'object' && problem !== null, `${status}: the problem is not an object to ${what}`);
  assert.ok(typeof problem.type === 'string' && problem.type.startsWith('urn:kassa:problem:'), `${status}: the problem has no Kassa type to ${what}`);
  assert.equal(typeof problem.title, 'string', `${status}: the problem has no title to ${what}`);
  assert.equal(problem.status, status, `the problem's status differs from the answer's to ${what}`);
}

/** Nothing escaped and nothing was reported as the endpoint's own error. */
function checkQuiet(what: string) {
  assert.deepEqual(uncaught.splice(0), [], `thrown past the server by ${what}`);
  assert.deepEqual(reported.splice(0), [], `reported through onError after ${what}`);
}

/** After each case, passed or failed: what a failed case left must not be blamed on the next (a shrunk one). */
function forget() {
  uncaught.length = 0;
  reported.length = 0;
}

// ——— arbitraries: the pieces requests are made of ———

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const ALNUM = TOKEN_CHARS.filter((c) => /[A-Za-z0-9]/.test(c));
/** Headers node:http frames itself (or that change the exchange, like Expect): left to the raw probes. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', 'proxy-connection']);

const httpToken = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 16 });
/** What node:http lets through in a header value: tab, visible ASCII, and bytes 0x80–0xff (sent as Latin-1). */
const headerValue = fc.string({
  unit: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const long = (min: number, max: number) => fc.integer({ min, max }).map((n) => 'x'.repeat(n));
const weirdString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }), // lone surrogates too
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '\u0000', 'kp_', 'DEMO-EUR', 'null'),
  { weight: 1, arbitrary: long(300, 100_000) },
);

/** JSON text kept as written, so keys such as `__proto__` reach the endpoint as sent. */
class RawJson {
  constructor(readonly text: string) {}
}
type Loose = unknown;
const jsonText = (value: Loose): string => (value instanceof RawJson ? value.text : (JSON.stringify(value) ?? 'null'));
const objectText = (entries: Array<[string, Loose]>) => new RawJson(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`);

const anyJson = fc.jsonValue({ maxDepth: 3 });
const protoObject = fc
  .array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a'), fc.oneof(anyJson, fc.constant(new RawJson('{"__proto__":{"polluted":1}}')))), { minLength: 1, maxLength: 3 })
  .map(objectText);
const anyValue = fc.oneof({ weight: 3, arbitrary: weirdString }, anyJson, protoObject, fc.constantFrom(0, -1, 1e308, 4990, true, null));

/** A value that is sometimes the real one, sometimes it altered, sometimes anything. */
function realOr(value: () => string, other: fc.Arbitrary<Loose> = anyValue): fc.Arbitrary<Loose> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => value()) },
    fc.tuple(fc.nat(), fc.constantFrom(...ALNUM)).map(([i, c]) => {
      const v = value();
      const at = i % Math.max(v.length, 1);
      return v.slice(0, at) + c + v.slice(at + 1);
    }),
    fc.nat().map((i) => value().slice(0, i % Math.max(value().length, 1))),
    other,
  );
}
const token = realOr(() => real.token);
const reference = fc.oneof(
  realOr(() => real.reference, weirdString) as fc.Arbitrary<string>,
  fc.string({ unit: fc.constantFrom(...ALNUM, '_', '-'), minLength: 20, maxLength: 40 }).map((s) => `kp_${s}`), // well-formed, unknown
);
const methodId = fc.oneof({ weight: 3, arbitrary: fc.nat().map((i) => real.methods[i % real.methods.length]) }, fc.constantFrom('hero:', 'x:y', 'kronor:swish', 'milkypay:mbway_eur_hpp'), anyValue);
const order = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ORDERS) }, anyValue);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** Mostly absent: what is answered before anything else is looked at (a bad Host, a foreign Origin), or nearly always wrong. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, arb);
const usually = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: arb }, fc.constant(undefined));
/** Keys the body must not have, now and then. */
const extraEntries = fc.oneof({ weight: 4, arbitrary: fc.constant<Array<[string, Loose]>>([]) }, fc.array(fc.tuple(weirdString, anyValue), { minLength: 1, maxLength: 2 }));

function entries(named: Record<string, Loose>, extra: Array<[string, Loose]>): Array<[string, Loose]> {
  return [...Object.entries(named).filter(([, v]) => v !== undefined), ...extra];
}

const sessionBody = fc
  .record({ order: usually(order), locale: optional(fc.oneof(fc.constantFrom('sv', 'de-CH', 'en-US-x-kassa', 'x'), anyValue)), extra: extraEntries })
  .map(({ extra, ...named }) => objectText(entries(named, extra)));

const fields = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('phone', '__proto__', 'constructor', 'toString', 'email'), weirdString),
      fc.oneof({ weight: 2, arbitrary: fc.constantFrom('+351912345678', '+351 912345678', '', ' ') }, anyValue),
    ),
    { maxLength: 4 },
  )
  .map(objectText);
const paymentBody = fc
  .record({ token: usually(token), method: usually(methodId), fields: optional(fields), order: rarely(order), extra: extraEntries })
  .map(({ extra, ...named }) => objectText(entries(named, extra)));

/** Bodies shaped like each provider's webhook (their modules' comments), naming the real payment or not. */
const webhookRef = realOr(() => real.reference);
const webhookBody = fc.oneof(
  fc.record({ data: fc.record({ type: fc.oneof(fc.constant('payment-invoices'), anyValue), id: anyValue, attributes: fc.record({ reference_id: webhookRef }) }) }),
  fc.record({ type: fc.oneof(fc.constant('payment.updated'), anyValue), data: fc.record({ id: anyValue, orderId: webhookRef, date: anyValue, amount: fc.record({ rawAmount: anyValue }) }) }),
  fc.record({ events: fc.array(fc.record({ event: fc.oneof(fc.constant('paymentStatusChanged'), anyValue), additionalData: fc.record({ reference: webhookRef }) }), { maxLength: 3 }) }),
  fc.record({ id: anyValue, status: anyValue, merchantReference: webhookRef, amount: anyValue, currency: fc.oneof(fc.constant('EUR'), anyValue) }),
  anyJson,
);

const utf8 = (value: Loose) => Buffer.from(jsonText(value), 'utf8');
const body = fc.oneof(
  { weight: 4, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 4, arbitrary: sessionBody.map(utf8) },
  { weight: 4, arbitrary: paymentBody.map(utf8) },
  { weight: 2, arbitrary: webhookBody.map(utf8) },
  { weight: 2, arbitrary: anyJson.map(utf8) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2_048 }).map((b) => Buffer.from(b)) },
  // Invalid UTF-8 inside otherwise good JSON.
  { weight: 1, arbitrary: fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82]).map((bad) => Buffer.concat([Buffer.from('{"order":"DEMO-'), Buffer.from(bad), Buffer.from('"}')])) },
  // Around the 16 KiB limit, and far over it.
  { weight: 1, arbitrary: fc.constantFrom(16_384 - 14, 16_384, 16_385, 100_000, 2_000_000).map((n) => Buffer.from(`{"order":"${'a'.repeat(n)}"}`)) },
);

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/problem+json',
    'application/vnd.kassa+json',
    'application/jsonx',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
  ),
  headerValue,
);
const idempotencyKey = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz:key.3_x') }, // repeated: replays and conflicts
  fc.string({ unit: fc.constantFrom(...ALNUM, '_', '.', ':', '-'), minLength: 8, maxLength: 128 }),
  fc.constantFrom('short', '', 'x'.repeat(129), 'with space1', 'ünïcødé-key'),
  headerValue,
);
const origin = fc.oneof(fc.constantFrom('https://shop.example', 'https://evil.example', 'null', '', 'http://shop.example', 'https://shop.example:443', 'https://shop.example/'), headerValue);
const host = fc.oneof(fc.constantFrom('127.0.0.1', 'shop.example', 'a b', '', 'a@b', 'host:99999', '[::1]:8080', '[zz]', 'x..y', '-x', 'ä.example'), headerValue);

/** Kassa's headers (valid, invalid, garbage), proxy headers nobody trusts here, and random others. */
const headers = fc
  .tuple(
    fc.record({ origin: rarely(origin), host: rarely(host) }),
    fc.record(
      {
        'content-type': contentType,
        'idempotency-key': idempotencyKey,
        'accept-language': fc.oneof(fc.constantFrom('sv', 'de-CH,de;q=0.9', '*', 'x'.repeat(40)), headerValue),
        'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1, 10.0.0.1', 'unknown', ''), headerValue),
        'x-forwarded-host': fc.oneof(fc.constantFrom('evil.example', 'a b'), headerValue),
        'x-forwarded-proto': fc.oneof(fc.constantFrom('https', 'gopher', ''), headerValue),
        authorization: fc.oneof((token as fc.Arbitrary<unknown>).map((t) => `Bearer ${typeof t === 'string' ? t : ''}`.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')), headerValue),
        cookie: headerValue,
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(
      httpToken.filter((n) => !FRAMING.has(n.toLowerCase())),
      headerValue,
      { maxKeys: 4 },
    ),
  )
  .map(([rare, known, others]) => {
    const all: Record<string, string> = { ...others, ...known };
    for (const [name, value] of Object.entries(rare)) if (value !== undefined) all[name] = value;
    return all;
  });

/** A path segment: text, unicode, dot segments, bad escapes, very long. */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('..', '.', '', '%', '%zz', '%00', '%2e%2e', '%2F', '%c3%28', '%ff', '..%2f', ';x', '~', '\u00e9', 'payments', 'events', 'kassa'),
  { weight: 1, arbitrary: long(200, 20_000) },
);
/** Each character as it is (where node:http allows it, so `%` may start a bad escape), or percent-encoded. */
const encoded = (text: string, raw: boolean) =>
  [...text]
    .map((c) => (raw && /^[\x21-\xff]$/.test(c) ? c : [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')))
    .join('');
const provider = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PROVIDERS) }, fc.constantFrom('HERO', 'paypal', '__proto__', 'constructor', 'toString'), segment);

/** The real routes under /kassa, and others near them. */
const route: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom<string[]>(['session'], ['payments'], ['health'], [], ['']),
  reference.map((r) => ['payments', r]),
  reference.map((r) => ['payments', r, 'events']),
  reference.map((r) => ['return', r]),
  provider.map((p) => ['webhooks', p]),
  fc.array(segment, { maxLength: 4 }),
  // A real route with one segment more, somewhere.
  fc.tuple(fc.constantFrom(['session'], ['payments'], ['health'], ['webhooks', 'hero']), segment, fc.nat()).map(([r, s, i]) => [...r.slice(0, i % (r.length + 1)), s, ...r.slice(i % (r.length + 1))]),
);
const query = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  fc.constantFrom('?', '?a=1&a=2', '?__proto__[x]=1', '?%zz', '?order=DEMO-EUR', '#fragment'),
  fc.string({ maxLength: 20 }).map((q) => `?${encoded(q, true)}`),
);
const path = fc
  .record({ route, raw: fc.boolean(), query, trailing: fc.constantFrom('', '', '', '/', '//') })
  .map(({ route, raw, query, trailing }) => `/kassa${route.map((s) => `/${encoded(s, raw)}`).join('')}${trailing}${query}`);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE') },
  // Methods Node's parser knows but Request cannot carry, or Kassa does not answer.
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'MKCOL', 'PURGE', 'LINK', 'SEARCH', 'REPORT', 'LOCK', 'M-SEARCH', 'SOURCE', 'QUERY') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_'.split('')), minLength: 1, maxLength: 10 }).filter((m) => m !== 'CONNECT') },
);

/** Anything: any method, path, headers and body. */
const wildRequest = fc
  .record({ method, path, headers, body, chunked: fc.boolean() })
  .map(({ method, path, headers, body, chunked }) => new FuzzRequest(method, path, headers, body, chunked && body.length > 0));

/** Signs a webhook body as the provider would, so the endpoint gets past the signature to the body. */
function signed(name: string, bytes: Buffer): Record<string, string> {
  if (name === 'milkypay') {
    const secret = Buffer.from(SECRETS.milkypay!.callbackSecret, 'utf8');
    return { 'x-signature': createHash('sha1').update(secret).update(bytes).update(secret).digest('base64') };
  }
  if (name === 'whenthen') return { 'x-whenthen-signature': createHmac('sha256', SECRETS.whenthen!.webhookSecret).update(bytes).digest('hex') };
  if (name === 'kronor') return { 'x-hmac-sha256-signature': createHmac('sha256', SECRETS.kronor!.webhookSecret).update(bytes).digest('hex') };
  // hi.health signs with RSA, Hero sends none: a signature-shaped header is as far as a client gets.
  return { 'hi-api-signature': Buffer.from(bytes.subarray(0, 256)).toString('base64') || 'AA==' };
}

const json = { 'content-type': 'application/json' };
/** Requests close to what the checkout sends, so the fuzzer also reaches the code behind the first checks. */
const plausibleRequest = fc.oneof(
  fc.record({ body: sessionBody, origin: optional(origin), more: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, headers) }).map(
    ({ body, origin, more }) => new FuzzRequest('POST', '/kassa/session', { ...more, ...json, ...(origin === undefined ? {} : { origin }) }, utf8(body)),
  ),
  fc.record({ body: paymentBody, key: idempotencyKey }).map(({ body, key }) => new FuzzRequest('POST', '/kassa/payments', { ...json, 'idempotency-key': key }, utf8(body))),
  fc.record({ m: fc.constantFrom('GET', 'HEAD'), kind: fc.constantFrom('payments', 'return', 'events'), ref: reference }).map(({ m, kind, ref }) => {
    const p = kind === 'events' ? `/kassa/payments/${encoded(ref, false)}/events` : `/kassa/${kind}/${encoded(ref, false)}`;
    return new FuzzRequest(m, p, {}, Buffer.alloc(0));
  }),
  fc.record({ name: provider, body: webhookBody, sign: fc.boolean() }).map(({ name, body, sign }) => {
    const bytes = utf8(body);
    return new FuzzRequest('POST', `/kassa/webhooks/${encoded(name, false)}`, { ...json, ...(sign ? signed(name, bytes) : {}) }, bytes);
  }),
  fc.record({ p: path, origin }).map(({ p, origin }) => new FuzzRequest('OPTIONS', p, { origin, 'access-control-request-method': 'POST' }, Buffer.alloc(0))),
  fc.constantFrom('GET', 'HEAD').map((m) => new FuzzRequest(m, '/kassa/health', {}, Buffer.alloc(0))),
);

// ——— raw bytes over node:net ———

/** One raw exchange: the bytes sent, and what the demo does with the target (to know whose answer it is). */
class RawProbe {
  constructor(
    readonly bytes: Buffer,
    readonly target: string,
    readonly method: string,
  ) {}

  [fc.toStringMethod](): string {
    return short(JSON.stringify(this.bytes.toString('latin1')), 600);
  }
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Asked after every raw probe on the same connection; `Connection: close` so the server ends the exchange. (The
 * client does not half-close instead: Node's server drops a request still being answered when the client does.)
 */
const PIPELINED_HEALTH = Buffer.from(`GET /kassa/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

/**
 * Writes the probe and a health request after it, and reads until the server closes (or the time limit passes). After
 * an event stream's headers, or a first answer to a request asking to `Upgrade` (Node's parser reads nothing after
 * one), it stops there: the health request would wait forever behind them.
 */
function exchange(probe: RawProbe): Promise<{ answers: RawAnswer[]; received: Buffer; timedOut: boolean }> {
  const headFirst = probe.method === 'HEAD';
  const upgrade = /\nupgrade:/i.test(probe.bytes.toString('latin1'));
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    live.add(socket);
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const received = Buffer.concat(chunks);
      if (/\r\ncontent-type: text\/event-stream/i.test(received.toString('latin1')) || (upgrade && parseAnswers(received, headFirst, false).length)) socket.destroy();
    });
    socket.on('error', () => {}); // a reset is an answer too: judged by what arrived
    socket.on('close', () => {
      clearTimeout(timer);
      live.delete(socket);
      const received = Buffer.concat(chunks);
      resolve({ answers: parseAnswers(received, headFirst, true), received, timedOut });
    });
    socket.write(Buffer.concat([probe.bytes, PIPELINED_HEALTH]));
  });
}

/**
 * The whole HTTP/1.x answers in `bytes`, one after another: Content-Length or chunked bodies, or (once the connection
 * has `closed`) the rest. An event stream's answer counts from its headers.
 */
function parseAnswers(bytes: Buffer, headFirst: boolean, closed: boolean): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const [line, ...fields] = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(line ?? '');
    if (!status) break;
    const headers: Record<string, string> = {};
    for (const field of fields) {
      const colon = field.indexOf(':');
      headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
    }
    const code = Number(status[1]);
    at = end + 4;
    let body: Buffer = Buffer.alloc(0);
    if ((headFirst && !answers.length) || code < 200 || code === 204 || code === 304) {
      // no body
    } else if (headers['content-type']?.startsWith('text/event-stream')) {
      at = bytes.length;
    } else if (headers['content-length'] !== undefined) {
      body = bytes.subarray(at, at + Number(headers['content-length']));
      if (body.length < Number(headers['content-length'])) break;
      at += body.length;
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', at);
        if (lineEnd < 0) return closed ? [...answers, { status: code, headers, body: Buffer.concat(parts) }] : answers;
        const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
        at = lineEnd + 2;
        if (!(size > 0)) {
          at += 2;
          break;
        }
        parts.push(bytes.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      if (!closed) break;
      body = bytes.subarray(at);
      at = bytes.length;
    }
    if (code >= 200) answers.push({ status: code, headers, body });
  }
  return answers;
}

const CRLF = '\r\n';
/** Bytes of any value 0–255, as a Latin-1 string (one character per byte). */
const anyBytes = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength });
const rawTarget = fc.oneof(
  { weight: 6, arbitrary: path },
  fc.constantFrom(
    '*',
    'http://shop.example/kassa/health',
    'http://127.0.0.1/kassa/session',
    'https://x/kassa/health',
    '//a@b/kassa/health',
    '//kassa/health',
    '/kassa/health#x',
    'kassa/health',
    '/kassa/%00',
    '/kassa/health?x=%zz',
    '/kassa/he alth',
    '/kassa/health\u0000',
    '',
  ),
  anyBytes(24).map((s) => `/kassa/${s}`),
  // Scheme-relative: the authority part is parsed as a host.
  anyBytes(8).map((h) => `//${h}/kassa/health`),
);
const rawHost: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string[]>(['127.0.0.1']) },
  fc.constantFrom<string[]>([], ['localhost', 'shop.example'], ['a b'], [''], ['a@b'], ['host:99999'], ['[::1]'], ['[zz]'], ['x:-1'], ['a/b']),
  anyBytes(12).map((h) => [h]),
);
const rawHeaderName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('content-type', 'origin', 'idempotency-key', 'accept', 'x-a', 'Expect', 'Upgrade', 'Connection') },
  httpToken,
  fc.constantFrom('bad name', 'bad:name', 'x\u0000y', 'é', '(x)', '', ' x', 'x '),
);
const rawHeaderValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('application/json', 'https://shop.example', 'fuzz-key-1', '*/*', '100-continue', 'websocket', 'close', 'keep-alive, Upgrade') },
  headerValue,
  fc.constantFrom('a\u0000b', 'a\rb', 'a\nb', `folded${CRLF} continued`, `x${CRLF}\tmore`, '\u007f'),
  anyBytes(16),
);
type Framing = 'none' | 'length' | 'longer' | 'shorter' | 'bad-length' | 'two-lengths' | 'chunked' | 'bad-chunk' | 'chunked-and-length';
const framing = fc.constantFrom<Framing>('none', 'length', 'length', 'longer', 'shorter', 'bad-length', 'two-lengths', 'chunked', 'chunked', 'bad-chunk', 'chunked-and-length');

/** A request line and headers from random pieces, with bodies framed right and wrong. */
const wildPieces = fc.record({
  method: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE') },
    fc.constantFrom('CONNECT', 'PRI', 'PROPFIND', 'get', 'G ET', '', 'GET\u0000'),
    httpToken,
  ),
  target: rawTarget,
  version: fc.oneof({ weight: 6, arbitrary: fc.constant('HTTP/1.1') }, fc.constantFrom('HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1 ', 'http/1.1', '', 'HTTP/1.10')),
  hosts: rawHost,
  fields: fc.array(fc.tuple(rawHeaderName, rawHeaderValue), { maxLength: 5 }),
  framing,
  body: fc.oneof(sessionBody.map((b) => jsonText(b)), anyBytes(200)),
  chunkSize: fc.constantFrom('zz', '-1', 'ffffffffffffffffff', '1;ext=1', ' 5', '0x5', ''),
  badLength: fc.constantFrom('-1', '1e3', '0x10', 'abc', '', '5, 5', '99999999999999999999'),
  eol: fc.oneof({ weight: 8, arbitrary: fc.constant(CRLF) }, fc.constantFrom('\n', '\r')),
});
/** Well-formed requests written by hand, so raw answers are not all the parser's 400. */
const cleanPieces = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
  target: fc.oneof(path, fc.constantFrom('/kassa/health', '/kassa/session')),
  version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0'),
  hosts: fc.constant(['127.0.0.1']),
  fields: fc.array(fc.tuple(fc.constantFrom('content-type', 'origin', 'idempotency-key', 'accept'), fc.constantFrom('application/json', 'https://shop.example', 'fuzz-key-1', '*/*')), { maxLength: 3 }),
  framing: fc.constantFrom<Framing>('none', 'length', 'chunked'),
  body: sessionBody.map((b) => jsonText(b)),
  chunkSize: fc.constant(''),
  badLength: fc.constant(''),
  eol: fc.constant(CRLF),
});
const rawProbe = fc
  .oneof({ weight: 3, arbitrary: wildPieces }, cleanPieces)
  .map(({ method, target, version, hosts, fields, framing, body, chunkSize, badLength, eol }) => {
    const lines = [`${method} ${target} ${version}`.trimEnd(), ...hosts.map((h) => `Host: ${h}`), ...fields.map(([n, v]) => `${n}: ${v}`)];
    const bodyBytes = Buffer.from(body, body.startsWith('{') ? 'utf8' : 'latin1');
    const size = bodyBytes.length;
    let payload: Buffer = bodyBytes;
    if (framing === 'none') payload = Buffer.alloc(0);
    if (framing === 'length') lines.push(`Content-Length: ${size}`);
    if (framing === 'longer') lines.push(`Content-Length: ${size + 10}`);
    if (framing === 'shorter') lines.push(`Content-Length: ${Math.max(size - 5, 0)}`);
    if (framing === 'bad-length') lines.push(`Content-Length: ${badLength}`);
    if (framing === 'two-lengths') lines.push(`Content-Length: ${size}`, `Content-Length: ${size + 1}`);
    if (framing === 'chunked' || framing === 'chunked-and-length' || framing === 'bad-chunk') {
      lines.push('Transfer-Encoding: chunked');
      if (framing === 'chunked-and-length') lines.push(`Content-Length: ${size}`);
      const head = framing === 'bad-chunk' ? chunkSize : size.toString(16);
      payload = Buffer.concat([Buffer.from(`${head}${CRLF}`), bodyBytes, Buffer.from(`${CRLF}0${CRLF}${CRLF}`)]);
    }
    const bytes = Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, 'latin1'), payload]);
    return new RawProbe(bytes, target, method);
  });

/** Whether the demo's router can read the target as a URL (what it cannot read it hands to Kassa, which answers a problem). */
function demoCanRoute(target: string): boolean {
  try {
    new URL(target, 'http://127.0.0.1');
    return true;
  } catch {
    return false;
  }
}

/** A GET /kassa/health on a new connection: the process is alive and answering. */
async function freshHealth(what: string): Promise<void> {
  const answer = await send(new http.Agent({ keepAlive: false }), HEALTH);
  assert.equal(answer.status, 200, `health after ${what}`);
}

// ——— the properties ———

function tally(seen: Map<number, number>, status: number) {
  seen.set(status, (seen.get(status) ?? 0) + 1);
}

/** A broken setup (everything 404, say) must not pass: several kinds of answer must have occurred. */
function checkVariety(seen: Map<number, number>, minClientErrors: number) {
  const summary = JSON.stringify(Object.fromEntries([...seen].sort(([a], [b]) => a - b)));
  const count = (low: number, high: number) => [...seen.keys()].filter((s) => s >= low && s < high).length;
  assert.ok(count(200, 300) >= 1, `no 2xx answer in the run: ${summary}`);
  assert.ok(count(400, 500) >= minClientErrors, `fewer than ${minClientErrors} different 4xx answers in the run: ${summary}`);
  console.log(`  statuses: ${summary}`);
}

describe(`fuzzing the endpoint over HTTP (${RUNS} runs per property)`, () => {
  it('(1) any method, path, headers and body: answered < 500, errors as problem+json, the connection still usable', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const seen = new Map<number, number>();
    let reused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: wildRequest }, { weight: 2, arbitrary: plausibleRequest }), async (request) => {
          const what = request[fc.toStringMethod]();
          const answer = await send(agent, request);
          tally(seen, answer.status);
          checkAnswer(what, request.path, answer.status, answer.headers, request.method === 'HEAD' ? undefined : answer.body);
          const health = await send(agent, HEALTH);
          assert.equal(health.status, 200, `health after ${what}`);
          // Kept alive unless the server said otherwise (or the event stream we dropped): the same connection answers.
          // Not after HEAD: Node's client closes a connection whose HEAD answer has no Content-Length (the server does
          // not; the raw probes pipeline a request after HEAD on one connection).
          if (!answer.dropped && !/close/i.test(answer.headers.connection ?? '') && request.method !== 'HEAD') {
            assert.equal(health.socket, answer.socket, `health came on a new connection after ${what}`);
            reused++;
          }
          checkQuiet(what);
        }).afterEach(forget),
        { numRuns: RUNS, includeErrorInReport: true, ...REPLAY },
      );
    } finally {
      agent.destroy();
    }
    checkVariety(seen, 4);
    assert.ok(reused > RUNS / 4, `the connection was kept for only ${reused} of ${RUNS} requests`);
    console.log(`  health on the same connection after ${reused} of ${RUNS} requests`);
  });

  it('(2) raw bytes: a status line (problem+json from 400 on) or a refusal, never 5xx; the same connection answers next', async () => {
    const seen = new Map<number, number>();
    let closedSilently = 0;
    let healthOnSame = 0;
    await fc.assert(
      fc.asyncProperty(rawProbe, async (probe) => {
        const what = probe[fc.toStringMethod]();
        const { answers, received, timedOut } = await exchange(probe);
        checkQuiet(what);
        assert.ok(!timedOut, `no answer and no close within ${TIMEOUT_MS} ms to ${what}`);
        if (!answers.length) {
          // Only what Node refuses outright may be closed without a word: CONNECT, with no tunnel here.
          assert.equal(received.length, 0, `an answer that is not HTTP: ${short(JSON.stringify(received.toString('latin1')))} to ${what}`);
          assert.match(probe.bytes.toString('latin1'), /^CONNECT /, `closed without an answer: ${what}`);
          closedSilently++;
        }
        for (const [i, answer] of answers.entries()) {
          // The first answer is to the request line sent; later ones to bytes after it (Node's 400 problem).
          const target = i === 0 && demoCanRoute(probe.target) ? probe.target : '/kassa/';
          checkAnswer(what, target, answer.status, answer.headers, probe.method === 'HEAD' && i === 0 ? undefined : answer.body);
        }
        // Unless the server said it would close (or the probe holds the connection: a stream, an upgrade), the health
        // request sent after the probe is answered on the same connection.
        const last = answers.at(-1);
        const healthAnswered = answers.length >= 2 && last?.status === 200 && /"status":"ok"/.test(last.body.toString('utf8'));
        const probeAnswers = healthAnswered ? answers.slice(0, -1) : answers;
        const holds = /\nupgrade:/i.test(probe.bytes.toString('latin1')) || probeAnswers.some((a) => a.headers['content-type']?.startsWith('text/event-stream'));
        if (probeAnswers.length && !holds && !probeAnswers.some((a) => /close/i.test(a.headers.connection ?? ''))) {
          assert.ok(healthAnswered, `the health request after the probe was not answered on its connection: ${what}`);
        }
        if (healthAnswered) healthOnSame++;
        for (const answer of probeAnswers) tally(seen, answer.status);
        await freshHealth(what);
      }).afterEach(forget),
      { numRuns: RUNS, includeErrorInReport: true, ...REPLAY },
    );
    checkVariety(seen, 3);
    console.log(`  closed without an answer: ${closedSilently} of ${RUNS}; health answered on the probe's connection after ${healthOnSame}`);
  });

  it('(3) disconnects: headers or body cut off at any point; health answers and nothing is reported as an error', async () => {
    const cut = fc.record({
      method: fc.constantFrom('POST', 'POST', 'PUT', 'GET'),
      target: fc.constantFrom('/kassa/session', '/kassa/payments', '/kassa/webhooks/milkypay', '/kassa/webhooks/kronor', '/kassa/webhooks/hidirect', '/kassa/health', 'payment'),
      declared: fc.oneof(fc.integer({ min: 1, max: 16_384 }), fc.integer({ min: 16_385, max: 4_000_000 })),
      chunked: fc.boolean(),
      inHeaders: fc.boolean(),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      pauseMs: fc.integer({ min: 0, max: 30 }),
      how: fc.constantFrom('destroy', 'reset', 'half-close'),
    });
    await fc.assert(
      fc.asyncProperty(cut, async ({ method, target, declared, chunked, inHeaders, at, pauseMs, how }) => {
        const path = target === 'payment' ? `/kassa/payments/${real.reference}` : target;
        const head = [
          `${method} ${path} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          'Idempotency-Key: fuzz-cut-key',
          chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`,
        ].join(CRLF);
        const headBytes = Buffer.from(`${head}${CRLF}${CRLF}`);
        const sent = Math.min(declared, 300_000);
        const bodyText = `{"order":"DEMO-EUR","token":"${real.token}","pad":"${'a'.repeat(sent)}`.slice(0, sent);
        const bodyBytes = chunked ? Buffer.from(`${declared.toString(16)}${CRLF}${bodyText}`) : Buffer.from(bodyText);
        const bytes = inHeaders ? headBytes.subarray(0, Math.floor(at * headBytes.length)) : Buffer.concat([headBytes, bodyBytes.subarray(0, Math.floor(at * bodyBytes.length))]);
        const what = `${method} ${path} ${chunked ? 'chunked' : `content-length ${declared}`}, cut in the ${inHeaders ? 'headers' : 'body'} after ${bytes.length} bytes by ${how}`;

        await new Promise<void>((resolve) => {
          const socket = net.connect(port, '127.0.0.1');
          live.add(socket);
          const timer = setTimeout(() => socket.destroy(), TIMEOUT_MS);
          socket.on('error', () => {});
          socket.on('data', () => {});
          socket.on('close', () => {
            clearTimeout(timer);
            live.delete(socket);
            resolve();
          });
          socket.write(bytes, () => {
            setTimeout(() => {
              if (how === 'destroy') socket.destroy();
              else if (how === 'reset') socket.resetAndDestroy();
              else socket.end(); // the server answers (or not) and closes
            }, pauseMs);
          });
        });
        await freshHealth(what);
        // Let the server finish with the cut request before judging what it reported.
        await new Promise((resolve) => setTimeout(resolve, 5));
        checkQuiet(what);
      }).afterEach(forget),
      { numRuns: RUNS, includeErrorInReport: true, ...REPLAY },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    checkQuiet('the disconnects (reported late)');
  });

  it('(4) afterwards: every status-stream slot is free again, and the cap still holds', async () => {
    // Streams dropped above must have given their slot back: 16 (maxStreamsPerClient) open at once, the 17th refused.
    const agents = Array.from({ length: 17 }, () => new http.Agent({ keepAlive: false }));
    const statuses: number[] = [];
    const sockets: net.Socket[] = [];
    const events = `/kassa/payments/${real.reference}/events`;
    try {
      for (const agent of agents) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, agent, path: events }, (res) => {
            sockets.push(res.socket);
            res.once('data', () => resolve(res.statusCode ?? 0));
            res.once('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.setTimeout(TIMEOUT_MS, () => reject(new Error('no answer from the event stream')));
        });
        statuses.push(status);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      for (const agent of agents) agent.destroy();
    }
    assert.deepEqual(statuses.slice(0, 16), Array(16).fill(200), `streams refused: ${statuses.join(', ')}`);
    assert.equal(statuses[16], 429, 'the 17th stream from one client is refused (the payment is still open: nothing ends it here)');
    checkQuiet('opening the streams');
  });
});

// ——— printing ———

function short(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function preview(bytes: Buffer): string {
  return bytes.length > 200 ? `<${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 60).toString('latin1'))}…>` : JSON.stringify(bytes.toString('latin1'));
}
