/**
 * The WhenThen simulator against WhenThen's own documentation: the seed's requests, the real schema, auth, bad
 * input, every page outcome, presets, signed webhooks, faults and idempotency.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parse, validate } from 'graphql';
import { loadReferenceSchema, schemaSubsetProblems } from '../core/schema-subset.ts';
import { useSandbox } from '../testing.ts';
import { AUTHORISATION_LIFETIME_MS } from './config.ts';
import { pageWindow } from './list.ts';
import { hasLapsed, OPERATION_STATUSES, operationOutcome, type PaymentOperation } from './operations.ts';
import { buildWhenThenSchema } from './schema.ts';
import { PAYMENT_STATUSES, type PaymentStatus } from './state.ts';
import { cardBrand, luhnValid } from './validation.ts';
import { formatInTimeZone } from './views.ts';

const sandbox = useSandbox();
const PRIVATE = 'Bearer sandbox-whenthen-key';
const SHOP = 'https://shop.example/return';

interface GraphqlAnswer {
  status: number;
  body: any;
}

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  options: { auth?: string | null; idempotencyKey?: string } = {},
): Promise<GraphqlAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = options.auth === undefined ? PRIVATE : options.auth;
  if (auth !== null) headers.authorization = auth;
  if (options.idempotencyKey) headers['x-idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${sandbox.url}/whenthen/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

const AUTHORIZE = `mutation authorizePayment($authorisePayment: AuthorisedPaymentInput!) {
  authorizePayment(authorisePayment: $authorisePayment) { id status amount { rawAmount currency formattedAmount } currency }
}`;
const GET = `query getPayment($id: ID!) { getPayment(id: $id) { id status amount { rawAmount } refundedAmount { rawAmount }
  paymentCore { paymentMethod outcome { declineCode reason } } paymentMethodDetails { number expires paymentMethod } } }`;

const futureYear = new Date().getUTCFullYear() + 2;
const card = (number: string, extra: Record<string, unknown> = {}) => ({ number, expMonth: 12, expYear: futureYear, cvc: '123', ...extra });

function cardPayment(number = '4242424242424242', extra: Record<string, unknown> = {}) {
  return { amount: 4990, currencyCode: 'EUR', orderId: 'A-1001', paymentMethod: { type: 'CARD', card: card(number) }, ...extra };
}

async function authorize(input: Record<string, unknown>, options: { auth?: string | null; idempotencyKey?: string } = {}) {
  return gql(AUTHORIZE, { authorisePayment: input }, options);
}

/** Authorizes and returns the payment, failing the test on any error. */
async function paid(input: Record<string, unknown>): Promise<{ id: string; status: string }> {
  const { body } = await authorize(input);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.authorizePayment;
}

/** Authorizes a payment that must go through a WhenThen page; returns the error's code and url, and the id. */
async function challenged(input: Record<string, unknown>): Promise<{ code: string; url: string; id: string }> {
  const { status, body } = await authorize(input);
  assert.equal(status, 200);
  assert.equal(body.data.authorizePayment, null);
  const { code, url } = body.errors[0].extensions;
  return { code, url, id: decodeURIComponent(new URL(url).pathname.split('/').at(-1)!) };
}

async function getPayment(id: string) {
  const { body } = await gql(GET, { id });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.getPayment;
}

function errorCode(answer: GraphqlAnswer): string | undefined {
  return answer.body.errors?.[0]?.extensions?.code;
}

async function clientToken(amount: number | null = 4990, currency: string | null = 'EUR'): Promise<string> {
  const { body } = await gql('mutation t($amount: Long, $currency: String) { generateClientToken(amount: $amount, currency: $currency) { token ttl } }', { amount, currency });
  return body.data.generateClientToken.token;
}

/** A browser's form post, without following the redirect. */
async function postForm(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function open(url: string): Promise<Response> {
  return fetch(url.startsWith('http') ? url : `${sandbox.url}${url}`, { redirect: 'manual' });
}

function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
}

async function sandboxPayments(): Promise<Array<{ id: string; status: string; amount: number; reference: string | null; pageUrl: string | null }>> {
  return (await sandbox.control('GET', '/payments?provider=whenthen')).payments;
}

// --- schema ---------------------------------------------------------------------------------------------------------

/** The GraphQL documents of the curl examples in WhenThen's own documentation. */
function seedDocuments(): Map<string, string> {
  const seed = readFileSync(new URL('../reference/whenthen-requests.txt', import.meta.url), 'utf8');
  const documents = new Map<string, string>();
  for (const match of seed.matchAll(/"query"\s*:\s*"((?:query|mutation)[\s\S]*?\})\s*",\s*"variables"/g)) {
    documents.set(/^(?:query|mutation)\s+(\w+)/.exec(match[1]!)![1]!, match[1]!);
  }
  return documents;
}

describe('WhenThen schema', () => {
  it('is a subset of the real schema', () => {
    assert.deepEqual(schemaSubsetProblems(buildWhenThenSchema(), loadReferenceSchema('whenthen.graphqls')), []);
  });

  it('accepts every seed request of an operation it simulates', () => {
    const documents = seedDocuments();
    assert.deepEqual([...documents.keys()].sort(), ['authorizePayment', 'cancelPayment', 'capturePayment', 'getPayment', 'listPayments', 'refundPayment', 'setupWallet']);
    documents.delete('setupWallet'); // Apple Pay merchant validation is not simulated.
    const schema = buildWhenThenSchema();
    for (const [name, source] of documents) assert.deepEqual(validate(schema, parse(source)).map(String), [], name);
  });

  it('runs the seed listPayments request as written, with "after": 0', async () => {
    await paid(cardPayment());
    const { status, body } = await gql(seedDocuments().get('listPayments')!, { first: 10, after: 0 });
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(body.data.listPayments.pageInfo.totalSize, 1);
    assert.equal(body.data.listPayments.data.name, 'Default');
    assert.match(body.data.listPayments.edges[0].node.id, /^payments:/);
    assert.equal(body.data.listPayments.edges[0].node.paymentMethodDetails.number, '**** **** **** 4242');
  });

  it('reads Long from numbers and numeric strings but refuses fractions', async () => {
    assert.equal((await paid(cardPayment(undefined, { amount: '1250' }))).status, 'SUCCEEDED');
    const fraction = await authorize(cardPayment(undefined, { amount: 12.5 }));
    assert.match(fraction.body.errors[0].message, /Long/);
    assert.equal(fraction.body.data, undefined);
  });
});

describe('WhenThen pure helpers', () => {
  it('checks card numbers and schemes', () => {
    assert.equal(luhnValid('4242424242424242'), true);
    assert.equal(luhnValid('4242424242424241'), false);
    const brands: Array<[string, string]> = [['4242424242424242', 'VISA'], ['5555555555554444', 'MASTERCARD'], ['2221000000000009', 'MASTERCARD'], ['378282246310005', 'AMEX'], ['9999999999999995', 'CARD']];
    for (const [number, brand] of brands) assert.equal(cardBrand(number), brand, number);
  });

  it('formats dates in a time zone', () => {
    const at = '2024-06-01T10:00:00.000Z';
    assert.equal(formatInTimeZone(at, 'Z'), at);
    assert.equal(formatInTimeZone(at, '+02:00'), '2024-06-01T12:00:00.000+02:00');
    assert.equal(formatInTimeZone(at, 'America/New_York'), '2024-06-01T06:00:00.000-04:00');
    assert.throws(() => formatInTimeZone(at, 'Mars/Base'), /Unknown time zone/);
  });

  it('pages with first/after and last/before', () => {
    const cases: Array<[Parameters<typeof pageWindow>[1], [number, number]]> = [
      [{ first: 2 }, [0, 2]],
      [{ first: 2, after: '2' }, [2, 4]],
      [{ after: '0', first: 10 }, [0, 5]],
      [{ last: 2 }, [3, 5]],
      [{ last: 2, before: '4' }, [1, 3]],
      [{}, [0, 5]],
    ];
    for (const [args, window] of cases) assert.deepEqual(pageWindow(5, args), window, JSON.stringify(args));
    assert.throws(() => pageWindow(5, { after: 'abc' }), /cursor/);
    assert.throws(() => pageWindow(5, { first: 1000 }), /first/);
  });
});

// --- auth -------------------------------------------------------------------------------------------------------------

describe('WhenThen auth', () => {
  const refused: Array<[string, string | null]> = [
    ['no Authorization header', null],
    ['a wrong key', 'Bearer sk_test_wrong'],
    ['the key without Bearer', 'sandbox-whenthen-key'],
    ['another scheme', 'Api-Key sandbox-whenthen-key'],
  ];
  for (const [name, auth] of refused) {
    it(`refuses ${name} with 401 and a GraphQL error`, async () => {
      const answer = await gql(GET, { id: 'x' }, { auth });
      assert.equal(answer.status, 401);
      assert.equal(errorCode(answer), 'error.auth.unauthenticated');
      assert.equal(answer.body.data, null);
    });
  }

  it('lets a client token tokenise and authorize, bound to its amount and currency', async () => {
    const token = await clientToken(4990, 'EUR');
    const tokenised = await gql('mutation t($data: TokenInput!) { tokenisePaymentMethod(data: $data) { id token card { number brand expMonth } } }',
      { data: { paymentMethod: { card: card('5555555555554444') } } }, { auth: `Bearer ${token}` });
    assert.equal(tokenised.body.errors, undefined, JSON.stringify(tokenised.body.errors));
    assert.deepEqual(tokenised.body.data.tokenisePaymentMethod.card, { number: '4444', brand: 'Mastercard', expMonth: 12 });
    // Amount and currency come from the client token when left out.
    const payment = await authorize({ paymentMethod: { type: 'CARD', token: tokenised.body.data.tokenisePaymentMethod.token } }, { auth: `Bearer ${token}` });
    assert.deepEqual(payment.body.data.authorizePayment.amount, { rawAmount: 4990, currency: 'EUR', formattedAmount: '€49.90' });
    const other = await authorize(cardPayment(undefined, { amount: 1 }), { auth: `Bearer ${token}` });
    assert.equal(errorCode(other), 'error.authorize.clientTokenMismatch');
  });

  it('refuses a client token for server operations with HTTP 200 and error.auth.forbidden', async () => {
    const { id } = await paid(cardPayment());
    const token = await clientToken();
    for (const [query, variables] of [[GET, { id }], ['mutation { generateClientToken { token } }', {}]] as const) {
      const answer = await gql(query, variables, { auth: `Bearer ${token}` });
      assert.equal(answer.status, 200);
      assert.equal(errorCode(answer), 'error.auth.forbidden');
    }
  });

  it('answers a client token with its ttl in seconds and refuses it once expired', async (t) => {
    const { body } = await gql('mutation { generateClientToken(amount: 100, currency: "EUR") { token ttl } }');
    assert.equal(body.data.generateClientToken.ttl, 900);
    const auth = `Bearer ${body.data.generateClientToken.token}`;
    const tokenise = 'mutation t($data: TokenInput!) { tokenisePaymentMethod(data: $data) { token } }';
    const variables = { data: { paymentMethod: { card: card('4242424242424242') } } };
    assert.equal((await gql(tokenise, variables, { auth })).status, 200);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 901_000 });
    const expired = await gql(tokenise, variables, { auth });
    assert.equal(expired.status, 401);
    assert.equal(errorCode(expired), 'error.auth.unauthenticated');
  });
});

// --- bad input ------------------------------------------------------------------------------------------------------

describe('WhenThen bad input', () => {
  const codes: Array<[string, Record<string, unknown>, string]> = [
    ['no amount', cardPayment(undefined, { amount: undefined }), 'INVALID_AMOUNT'],
    ['a zero amount', cardPayment(undefined, { amount: 0 }), 'INVALID_AMOUNT'],
    ['a negative amount', cardPayment(undefined, { amount: -5 }), 'INVALID_AMOUNT'],
    ['an amount over the maximum', cardPayment(undefined, { amount: 100_000_000 }), 'INVALID_AMOUNT'],
    ['no currency', cardPayment(undefined, { currencyCode: undefined }), 'UNSUPPORTED_CURRENCY'],
    ['an unknown currency', cardPayment(undefined, { currencyCode: 'XXX' }), 'UNSUPPORTED_CURRENCY'],
    ['a lower-case currency', cardPayment(undefined, { currencyCode: 'eur' }), 'UNSUPPORTED_CURRENCY'],
    ['an unknown payment method type', cardPayment(undefined, { paymentMethod: { type: 'BITCOIN' } }), 'error.authorize.unsupportedPaymentMethod'],
    ['a CARD without token or card', cardPayment(undefined, { paymentMethod: { type: 'CARD' } }), 'error.authorize.missingPaymentMethod'],
    ['an unknown card token', cardPayment(undefined, { paymentMethod: { type: 'CARD', token: 'wt_tok_nope' } }), 'error.authorize.unknownPaymentMethodToken'],
    ['a card number failing Luhn', cardPayment('4242424242424241'), 'INCORRECT_NUMBER'],
    ['a month 13', cardPayment(undefined, { paymentMethod: { type: 'CARD', card: card('4242424242424242', { expMonth: 13 }) } }), 'INVALID_DATE'],
    ['an expired card', cardPayment(undefined, { paymentMethod: { type: 'CARD', card: card('4242424242424242', { expYear: 2020 }) } }), 'EXPIRED_CARD'],
    ['a letter CVC', cardPayment(undefined, { paymentMethod: { type: 'CARD', card: card('4242424242424242', { cvc: '12a' }) } }), 'INVALID_CVC'],
    ['Google Pay without walletToken', cardPayment(undefined, { paymentMethod: { type: 'GOOGLE_PAY' } }), 'error.authorize.missingPaymentMethod'],
    ['PayPal without apmRedirectUrl', cardPayment(undefined, { paymentMethod: { type: 'PAYPAL' } }), 'error.authorize.missingApmRedirectUrl'],
    ['a javascript: 3-D Secure redirect', cardPayment(undefined, { perform3DSecure: { redirectUrl: 'javascript:alert(1)' } }), 'error.request.invalidUrl'],
  ];
  for (const [name, input, code] of codes) {
    it(`answers ${name} with ${code} and creates nothing`, async () => {
      const answer = await authorize(input);
      assert.equal(answer.status, 200);
      assert.equal(errorCode(answer), code, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.data, { authorizePayment: null });
      assert.equal((await sandboxPayments()).length, 0);
    });
  }

  const invalid: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['a missing required input field', AUTHORIZE, { authorisePayment: { amount: 100, currencyCode: 'EUR' } }, /paymentMethod/],
    ['a wrong type', AUTHORIZE, { authorisePayment: cardPayment(undefined, { amount: 'ten' }) }, /Long/],
    ['an unknown operation', '{ deletePayment(id: "x") }', {}, /Cannot query field "deletePayment"/],
    ['an unknown field', 'query { getPayment(id: "x") { id colour } }', {}, /Cannot query field "colour"/],
    ['a missing argument', 'query { getPayment { id } }', {}, /argument "id"/],
    ['broken syntax', 'query { getPayment(id: "x") { id }', {}, /Syntax Error/],
  ];
  for (const [name, query, variables, message] of invalid) {
    it(`answers ${name} with a GraphQL error and HTTP 200`, async () => {
      const answer = await gql(query, variables);
      assert.equal(answer.status, 200);
      assert.match(answer.body.errors[0].message, message);
      assert.equal(answer.body.data, undefined);
    });
  }

  it('answers a body that is not a GraphQL request with 400', async () => {
    for (const body of ['not json', '{}', '[]', '{"query": "{ getPayment(id: \\"x\\") { id } }", "variables": [1]}']) {
      const response = await fetch(`${sandbox.url}/whenthen/graphql`, { method: 'POST', headers: { authorization: PRIVATE, 'content-type': 'application/json' }, body });
      assert.equal(response.status, 400, body);
      assert.ok(Array.isArray((await response.json()).errors));
    }
  });

  it('refuses a client token without amount for an invalid currency', async () => {
    const answer = await gql('mutation { generateClientToken(amount: 100, currency: "ZZZ") { token } }');
    assert.equal(errorCode(answer), 'UNSUPPORTED_CURRENCY');
  });
});

// --- operations -------------------------------------------------------------------------------------------------------

describe('WhenThen operations', () => {
  it('authorizes and captures at once in a plain flow (SUCCEEDED)', async () => {
    const payment = await paid(cardPayment(undefined, { flowId: 'any-flow' }));
    assert.equal(payment.status, 'SUCCEEDED');
    const stored = await getPayment(payment.id);
    assert.equal(stored.paymentMethodDetails.number, '**** **** **** 4242');
    assert.equal(stored.paymentMethodDetails.expires, `12/${futureYear}`);
    assert.equal(stored.paymentCore.paymentMethod, 'VISA');
  });

  it('tokenises a card with the private key and pays with the token', async () => {
    const { body } = await gql('mutation t($data: TokenInput!) { tokenisePaymentMethod(data: $data) { id token createdDate } }', {
      data: { paymentMethod: { card: { number: '4242 4242 4242 4242', expMonth: 1, expYear: futureYear } } },
    });
    const token = body.data.tokenisePaymentMethod.token;
    assert.match(token, /^wt_tok_/);
    const payment = await paid({ amount: 100, currencyCode: 'GBP', paymentMethod: { type: 'CARD', token } });
    assert.equal(payment.status, 'SUCCEEDED');
  });

  it('keeps headless and delayed-capture payments AUTHORISED, then captures part and refunds in steps', async () => {
    for (const extra of [{ headlessMode: true }, { flowId: 'sandbox-flow-manual-capture' }]) {
      assert.equal((await paid(cardPayment(undefined, extra))).status, 'AUTHORISED', JSON.stringify(extra));
    }
    const { id } = await paid(cardPayment(undefined, { amount: 10_000, headlessMode: true }));
    const capture = await gql('mutation c($id: ID!, $amount: Long) { capturePayment(id: $id, amount: $amount, metadata: {note: "x"}) { status amount { rawAmount } metadata } }', { id, amount: 8_000 });
    assert.deepEqual(capture.body.data.capturePayment, { status: 'SUCCEEDED', amount: { rawAmount: 8_000 }, metadata: { note: 'x' } });

    const REFUND = 'mutation r($id: ID!, $amount: Long, $reason: String) { refundPayment(id: $id, amount: $amount, reason: $reason) { status refundedAmount { rawAmount } } }';
    const steps: Array<[number | null, string | null, number | null, string | null]> = [
      [3_000, 'PARTIAL_REFUNDED', 3_000, null],
      [6_000, null, null, 'INVALID_AMOUNT'],
      // Without an amount WhenThen refunds "the original amount", more than the 5 000 left.
      [null, null, null, 'INVALID_AMOUNT'],
      [5_000, 'REFUNDED', 8_000, null],
      [1, null, null, 'error.payment.invalidStatus'],
    ];
    for (const [amount, status, refunded, code] of steps) {
      const answer = await gql(REFUND, { id, amount, reason: 'customer asked' });
      if (code) assert.equal(errorCode(answer), code);
      else assert.deepEqual(answer.body.data.refundPayment, { status, refundedAmount: { rawAmount: refunded } });
    }
  });

  it('cancels only an AUTHORISED payment and captures only once', async () => {
    const CANCEL = 'mutation c($id: ID!) { cancelPayment(id: $id, reason: "out of stock") { status paymentCore { outcome { reason } } } }';
    const CAPTURE = 'mutation c($id: ID!) { capturePayment(id: $id) { status } }';
    const REFUND = 'mutation r($id: ID!) { refundPayment(id: $id) { status } }';
    const authorised = await paid(cardPayment(undefined, { headlessMode: true }));
    assert.equal(errorCode(await gql(REFUND, { id: authorised.id })), 'error.payment.invalidStatus');
    const cancelled = await gql(CANCEL, { id: authorised.id });
    assert.deepEqual(cancelled.body.data.cancelPayment, { status: 'CANCELLED', paymentCore: { outcome: { reason: 'out of stock' } } });
    assert.equal(errorCode(await gql(CAPTURE, { id: authorised.id })), 'error.payment.invalidStatus');
    const succeeded = await paid(cardPayment());
    assert.equal(errorCode(await gql(CANCEL, { id: succeeded.id })), 'error.payment.invalidStatus');
    assert.equal(errorCode(await gql(CAPTURE, { id: succeeded.id })), 'error.payment.invalidStatus');
    assert.equal(errorCode(await gql('mutation c($id: ID!) { capturePayment(id: $id, amount: 999999) { status } }', { id: (await paid(cardPayment(undefined, { headlessMode: true }))).id })), 'INVALID_AMOUNT');
  });

  it('declines the decline test card with GENERAL_DECLINE', async () => {
    const payment = await paid(cardPayment('4000000000000002'));
    assert.equal(payment.status, 'DECLINED');
    assert.equal((await getPayment(payment.id)).paymentCore.outcome.declineCode, 'GENERAL_DECLINE');
  });

  it('pays with a wallet token without any page', async () => {
    const payment = await paid({ amount: 500, currencyCode: 'USD', paymentMethod: { type: 'APPLE_PAY', walletToken: '{"paymentData":"x"}' } });
    assert.equal(payment.status, 'SUCCEEDED');
    assert.equal((await getPayment(payment.id)).paymentCore.paymentMethod, 'APPLE_PAY');
  });

  it('finds a payment by id or node id, in any time zone, and says when there is none', async () => {
    const { id } = await paid(cardPayment());
    const DATE = 'query g($id: ID!, $tz: String!) { getPayment(id: $id) { id date(tz: $tz) } }';
    const inUtc = await gql(DATE, { id, tz: 'Z' });
    assert.match(inUtc.body.data.getPayment.date, /Z$/);
    const asNode = await gql(DATE, { id: `payments:${id}`, tz: '+05:30' });
    assert.equal(asNode.body.data.getPayment.id, id);
    assert.match(asNode.body.data.getPayment.date, /\+05:30$/);
    assert.equal(errorCode(await gql(DATE, { id, tz: 'Nowhere/Else' })), 'error.request.invalidTimeZone');
    const missing = await gql(GET, { id: randomUUID() });
    assert.equal(errorCode(missing), 'error.payment.notFound');
    assert.deepEqual(missing.body.data, { getPayment: null });
  });

  it('lists payments newest first, filtered and paged', async () => {
    const ids = [];
    for (const amount of [100, 200, 300]) ids.push((await paid(cardPayment(undefined, { amount, orderId: `A-${amount}` }))).id);
    await paid(cardPayment('4000000000000002', { amount: 400 }));
    const LIST = `query l($first: Int, $after: String, $status: [PaymentStatus], $minAmount: Int, $data: PaymentFilterInput) {
      listPayments(first: $first, after: $after, status: $status, minAmount: $minAmount, data: $data) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor totalSize } edges { cursor node { id orderId status amount { rawAmount } } } } }`;
    const firstPage = (await gql(LIST, { first: 2, status: ['SUCCEEDED'] })).body.data.listPayments;
    assert.deepEqual(firstPage.pageInfo, { hasNextPage: true, hasPreviousPage: false, startCursor: '1', endCursor: '2', totalSize: 3 });
    assert.deepEqual(firstPage.edges.map((e: any) => e.node.orderId), ['A-300', 'A-200']);
    const secondPage = (await gql(LIST, { first: 2, after: firstPage.pageInfo.endCursor, status: ['SUCCEEDED'] })).body.data.listPayments;
    assert.deepEqual(secondPage.edges.map((e: any) => e.node.id), [`payments:${ids[0]}`]);
    assert.equal(secondPage.pageInfo.hasNextPage, false);
    const byFilter = (await gql(LIST, { data: { filter: { status: { value: 'DECLINED' } }, sort: [{ fieldName: 'amount', order: 'ASC' }] } })).body.data.listPayments;
    assert.deepEqual(byFilter.edges.map((e: any) => e.node.amount.rawAmount), [400]);
    const sorted = (await gql(LIST, { minAmount: 200, data: { sort: [{ fieldName: 'amount', order: 'ASC' }] } })).body.data.listPayments;
    assert.deepEqual(sorted.edges.map((e: any) => e.node.amount.rawAmount), [200, 300, 400]);
    assert.equal(errorCode(await gql(LIST, { after: 'abc' })), 'error.listPayments.invalidPagination');
  });

  it('answers a batch with an array, and counts every operation', async () => {
    const response = await fetch(`${sandbox.url}/whenthen/graphql`, {
      method: 'POST',
      headers: { authorization: PRIVATE, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: 'mutation { generateClientToken { ttl } }' }, { query: '{ listPayments { pageInfo { totalSize } } }' }]),
    });
    const answers = await response.json();
    assert.deepEqual(answers, [{ data: { generateClientToken: { ttl: 900 } } }, { data: { listPayments: { pageInfo: { totalSize: 0 } } } }]);
    const counted = await sandbox.control('GET', '/requests?provider=whenthen');
    assert.deepEqual(counted.requests.map((r: any) => r.operation), ['generateClientToken', 'listPayments']);
  });

  it('answers many payments by alias in one request, each alias on its own, and counts it as one call', async () => {
    const [a, b] = [await paid(cardPayment()), await paid(cardPayment())];
    const before = (await sandbox.control('GET', '/requests?provider=whenthen&operation=getPayment')).count;
    const answer = await gql(
      'query($a: ID!, $b: ID!, $c: ID!) { p0: getPayment(id: $a) { id status } p1: getPayment(id: $b) { id status } p2: getPayment(id: $c) { id status } }',
      { a: a.id, b: b.id, c: 'f00dfeed-0000-4000-8000-000000000000' },
    );
    assert.deepEqual(answer.body.data, { p0: { id: a.id, status: 'SUCCEEDED' }, p1: { id: b.id, status: 'SUCCEEDED' }, p2: null });
    assert.deepEqual(answer.body.errors.map((e: any) => [e.path, e.extensions.code]), [[['p2'], 'error.payment.notFound']]);
    assert.equal((await sandbox.control('GET', '/requests?provider=whenthen&operation=getPayment')).count - before, 1);
  });

  it("runs on a clock set through the control API: payments' dates, tokens and the Date header follow it", async () => {
    assert.deepEqual((await sandbox.control('POST', '/whenthen/clock', { offsetSeconds: -3600 })).offsetSeconds, -3600);
    const made = await paid(cardPayment());
    const response = await fetch(`${sandbox.url}/whenthen/graphql`, {
      method: 'POST',
      headers: { authorization: PRIVATE, 'content-type': 'application/json' },
      body: JSON.stringify({ query: GET, variables: { id: made.id } }),
    });
    const hourAgo = Date.now() - 3_600_000;
    assert.ok(Math.abs(Date.parse(response.headers.get('date')!) - hourAgo) < 5000, `Date ${response.headers.get('date')}`);
    const listed = await sandboxPayments();
    assert.ok(Math.abs(Date.parse((listed[0] as any).createdAt) - hourAgo) < 5000);
    await assert.rejects(sandbox.control('POST', '/whenthen/clock', { offsetSeconds: 'soon' }), /400/);
    await sandbox.control('POST', '/reset');
    const now = await fetch(`${sandbox.url}/whenthen/graphql`, { method: 'POST', headers: { authorization: PRIVATE, 'content-type': 'application/json' }, body: JSON.stringify({ query: GET, variables: { id: 'x' } }) });
    assert.ok(Math.abs(Date.parse(now.headers.get('date')!) - Date.now()) < 5000, 'reset sets the clock back');
  });
});

describe('WhenThen operation rules', () => {
  type Row = [operation: PaymentOperation, status: PaymentStatus, amount: number, refunded: number, requested: number | undefined, expected: string];
  // expected: "STATUS amount/refunded" after the operation, or WhenThen's error code.
  const rows: Row[] = [
    ['capture', 'AUTHORISED', 5_000, 0, undefined, 'SUCCEEDED 5000/0'],
    ['capture', 'AUTHORISED', 5_000, 0, 5_000, 'SUCCEEDED 5000/0'],
    ['capture', 'AUTHORISED', 5_000, 0, 3_000, 'SUCCEEDED 3000/0'],
    ['capture', 'AUTHORISED', 5_000, 0, 5_001, 'INVALID_AMOUNT'],
    ['capture', 'AUTHORISED', 5_000, 0, 0, 'INVALID_AMOUNT'],
    ['capture', 'AUTHORISED', 5_000, 0, 12.5, 'INVALID_AMOUNT'],
    ['capture', 'SUCCEEDED', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['capture', 'CANCELLED', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['capture', 'NEEDS_3D_SECURE', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['refund', 'SUCCEEDED', 5_000, 0, undefined, 'REFUNDED 5000/5000'],
    ['refund', 'SUCCEEDED', 5_000, 0, 2_000, 'PARTIAL_REFUNDED 5000/2000'],
    ['refund', 'SUCCEEDED', 5_000, 0, 5_001, 'INVALID_AMOUNT'],
    ['refund', 'PARTIAL_REFUNDED', 5_000, 2_000, 3_000, 'REFUNDED 5000/5000'],
    ['refund', 'PARTIAL_REFUNDED', 5_000, 2_000, 1_000, 'PARTIAL_REFUNDED 5000/3000'],
    ['refund', 'PARTIAL_REFUNDED', 5_000, 2_000, 3_001, 'INVALID_AMOUNT'],
    ['refund', 'PARTIAL_REFUNDED', 5_000, 2_000, undefined, 'INVALID_AMOUNT'],
    ['refund', 'AUTHORISED', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['refund', 'REFUNDED', 5_000, 5_000, 1, 'error.payment.invalidStatus'],
    ['refund', 'DISPUTED', 5_000, 0, 1, 'error.payment.invalidStatus'],
    ['cancel', 'AUTHORISED', 5_000, 0, undefined, 'CANCELLED 5000/0'],
    ['cancel', 'SUCCEEDED', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['cancel', 'PARTIAL_REFUNDED', 5_000, 1_000, undefined, 'error.payment.invalidStatus'],
    ['cancel', 'NEEDS_APM_AUTHORIZATION', 5_000, 0, undefined, 'error.payment.invalidStatus'],
    ['cancel', 'CANCELLED', 5_000, 0, undefined, 'error.payment.invalidStatus'],
  ];
  for (const [operation, status, amount, refundedAmount, requested, expected] of rows) {
    it(`${operation} ${requested ?? 'without amount'} of ${status} ${amount}/${refundedAmount} → ${expected}`, () => {
      const outcome = operationOutcome({ status, amount, refundedAmount }, operation, requested);
      assert.equal(outcome.ok ? `${outcome.status} ${outcome.amount}/${outcome.refundedAmount}` : outcome.code, expected);
    });
  }

  it('refuses every operation in every status the seed does not allow it in', () => {
    for (const operation of Object.keys(OPERATION_STATUSES) as PaymentOperation[]) {
      for (const status of PAYMENT_STATUSES.filter((s) => !OPERATION_STATUSES[operation].includes(s))) {
        const outcome = operationOutcome({ status, amount: 5_000, refundedAmount: 0 }, operation, 1);
        assert.equal(outcome.ok ? outcome.status : outcome.code, 'error.payment.invalidStatus', `${operation} of ${status}`);
      }
    }
  });

  it('lapses an AUTHORISED payment seven days after its authorisation, and nothing else', () => {
    const at = '2026-01-01T10:00:00.000Z';
    const sevenDays = Date.parse(at) + AUTHORISATION_LIFETIME_MS;
    assert.equal(AUTHORISATION_LIFETIME_MS, 7 * 24 * 60 * 60 * 1000);
    const rows: Array<[PaymentStatus, string | null, number, boolean]> = [
      ['AUTHORISED', at, sevenDays - 1, false],
      ['AUTHORISED', at, sevenDays, true],
      ['AUTHORISED', null, sevenDays, false],
      ['SUCCEEDED', at, sevenDays * 2, false],
      ['NEEDS_3D_SECURE', at, sevenDays, false],
    ];
    for (const [status, authorisedAt, now, lapsed] of rows) {
      assert.equal(hasLapsed({ status, authorisedAt }, now, AUTHORISATION_LIFETIME_MS), lapsed, `${status} ${authorisedAt} at ${now}`);
    }
  });

  it('cancels an authorisation older than seven days, so it can no longer be captured', async () => {
    const CAPTURE = 'mutation c($id: ID!, $amount: Long) { capturePayment(id: $id, amount: $amount) { status amount { rawAmount } } }';
    const young = await paid(cardPayment(undefined, { headlessMode: true }));
    const old = await paid(cardPayment(undefined, { headlessMode: true }));
    const aged = await sandbox.control('POST', `/whenthen/payments/${young.id}/age-authorisation`, { days: 6.9 });
    assert.equal(aged.status, 'AUTHORISED');
    assert.equal((await sandbox.control('POST', `/whenthen/payments/${old.id}/age-authorisation`, { days: 7 })).status, 'CANCELLED');

    const lapsed = await gql(CAPTURE, { id: old.id });
    assert.equal(errorCode(lapsed), 'error.payment.invalidStatus');
    assert.deepEqual([(await getPayment(old.id)).status, (await getPayment(old.id)).paymentCore.outcome.reason], ['CANCELLED', 'The authorisation lapsed: it was not captured within 7 days']);
    assert.deepEqual((await gql(CAPTURE, { id: young.id, amount: 4_000 })).body.data.capturePayment, { status: 'SUCCEEDED', amount: { rawAmount: 4_000 } });
    await assert.rejects(sandbox.control('POST', `/whenthen/payments/${young.id}/age-authorisation`, { days: 8 }), /→ 409/);
    await assert.rejects(sandbox.control('POST', `/whenthen/payments/${old.id}/age-authorisation`, { days: 0 }), /→ 400/);
    await assert.rejects(sandbox.control('POST', `/whenthen/payments/${randomUUID()}/age-authorisation`, { days: 1 }), /→ 404/);
  });

  it('leaves a refused operation without effect', async () => {
    const { id } = await paid(cardPayment(undefined, { headlessMode: true, amount: 5_000 }));
    const before = await getPayment(id);
    for (const [query, variables] of [
      ['mutation c($id: ID!, $amount: Long) { capturePayment(id: $id, amount: $amount) { status } }', { id, amount: 5_001 }],
      ['mutation r($id: ID!) { refundPayment(id: $id, amount: 1) { status } }', { id }],
    ] as const) {
      assert.ok(errorCode(await gql(query, variables)));
      assert.deepEqual(await getPayment(id), before);
    }
  });
});

// --- 3-D Secure and APM pages ---------------------------------------------------------------------------------------------

function threeDSecurePayment(extra: Record<string, unknown> = {}) {
  return cardPayment('4000000000003220', { perform3DSecure: { redirectUrl: `${SHOP}?order=A-1001` }, ...extra });
}

describe('WhenThen 3-D Secure', () => {
  it('answers error.authorize.requires3DSecure with the challenge page, which shows the payment', async () => {
    const { code, url, id } = await challenged(threeDSecurePayment());
    assert.equal(code, 'error.authorize.requires3DSecure');
    assert.equal(url, `${sandbox.url}/whenthen/3ds/${id}`);
    assert.equal((await getPayment(id)).status, 'NEEDS_3D_SECURE');
    const page = await (await open(url)).text();
    assert.match(page, /data-field="amount">49\.90 EUR</);
    assert.match(page, /data-field="merchant">Kassa demo shop</);
    assert.match(page, /•••• 3220/);
    const [listed] = await sandboxPayments();
    assert.equal(listed!.pageUrl, url);
  });

  const formOutcomes: Array<[string, Record<string, unknown>, string, string]> = [
    ['pay', {}, 'SUCCEEDED', 'COMPLETED'],
    ['pay', { headlessMode: true }, 'AUTHORISED', 'COMPLETED'],
    ['decline', {}, 'DECLINED', 'FAILED'],
    ['cancel', {}, 'CANCELLED', 'FAILED'],
  ];
  for (const [outcome, extra, status, threeDSecureStatus] of formOutcomes) {
    it(`${outcome} on the page (${JSON.stringify(extra)}) ends ${status} and returns with 3ds_status=${threeDSecureStatus}`, async () => {
      const { url, id } = await challenged(threeDSecurePayment(extra));
      const response = await postForm(new URL(url).pathname, { outcome });
      assert.equal(response.status, 303);
      const back = new URL(response.headers.get('location')!);
      assert.equal(`${back.origin}${back.pathname}`, SHOP);
      assert.deepEqual(Object.fromEntries(back.searchParams), { order: 'A-1001', id, '3ds_status': threeDSecureStatus });
      assert.equal((await getPayment(id)).status, status);
    });
  }

  const controlOutcomes: Array<[string, string, string]> = [
    ['pay', 'SUCCEEDED', 'COMPLETED'],
    ['decline', 'DECLINED', 'FAILED'],
    ['cancel', 'CANCELLED', 'FAILED'],
    ['fail', 'FAILED', 'FAILED'],
    ['expire', 'INACTIVE', 'FAILED'],
  ];
  for (const [outcome, status, threeDSecureStatus] of controlOutcomes) {
    it(`${outcome} through the control API ends ${status}`, async () => {
      const { id } = await challenged(threeDSecurePayment());
      const decided = await sandbox.control('POST', `/payments/whenthen/${id}/outcome`, { outcome });
      assert.equal(decided.status, status);
      assert.equal(new URL(decided.redirectUrl).searchParams.get('3ds_status'), threeDSecureStatus);
      assert.equal((await getPayment(id)).status, status);
    });
  }

  it('refuses to decide a payment twice, and an unknown one', async () => {
    const { url, id } = await challenged(threeDSecurePayment());
    await sandbox.control('POST', `/payments/whenthen/${id}/outcome`, { outcome: 'pay' });
    await assert.rejects(sandbox.control('POST', `/payments/whenthen/${id}/outcome`, { outcome: 'decline' }), /→ 409/);
    assert.equal((await postForm(new URL(url).pathname, { outcome: 'decline' })).status, 409);
    assert.equal((await open(url)).status, 409);
    assert.equal((await getPayment(id)).status, 'SUCCEEDED');
    await assert.rejects(sandbox.control('POST', `/payments/whenthen/${randomUUID()}/outcome`, { outcome: 'pay' }), /→ 404/);
  });

  it('declines a 3-D Secure card with AUTHORIZATION_REQUIRED when there is no redirectUrl to come back to', async () => {
    const payment = await paid(cardPayment('4000000000003220'));
    assert.equal(payment.status, 'DECLINED');
    assert.equal((await getPayment(payment.id)).paymentCore.outcome.declineCode, 'AUTHORIZATION_REQUIRED');
  });

  it('applies an outcome preset for the next payment as soon as the page opens', async () => {
    await sandbox.control('POST', '/outcomes', { provider: 'whenthen', outcome: 'decline' });
    const { url, id } = await challenged(threeDSecurePayment());
    const response = await open(url);
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get('location')!).searchParams.get('3ds_status'), 'FAILED');
    assert.equal((await getPayment(id)).status, 'DECLINED');
  });
});

describe('WhenThen APM page', () => {
  const cases: Array<[string, string, string]> = [
    ['pay', 'SUCCEEDED', 'PayPal'],
    ['decline', 'DECLINED', 'PayPal'],
    ['cancel', 'CANCELLED', 'Klarna'],
  ];
  for (const [outcome, status, label] of cases) {
    it(`${outcome} with ${label} returns to apmRedirectUrl with status=${status}`, async () => {
      const type = label.toUpperCase();
      const { code, url, id } = await challenged({ amount: 2500, currencyCode: 'SEK', paymentMethod: { type }, apmRedirectUrl: SHOP });
      assert.equal(code, 'error.authorize.requiresApmAuthorization');
      assert.equal(url, `${sandbox.url}/whenthen/apm/${id}`);
      assert.equal((await getPayment(id)).status, 'NEEDS_APM_AUTHORIZATION');
      assert.match(await (await open(url)).text(), new RegExp(`Pay with ${label}`));
      const response = await postForm(new URL(url).pathname, { outcome });
      assert.equal(response.headers.get('location'), `${SHOP}?id=${id}&status=${status}`);
      assert.equal((await getPayment(id)).status, status);
    });
  }

  it('does not show a 3-D Secure page for an APM payment', async () => {
    const { id } = await challenged({ amount: 2500, currencyCode: 'SEK', paymentMethod: { type: 'PAYPAL' }, apmRedirectUrl: SHOP });
    assert.equal((await open(`/whenthen/3ds/${id}`)).status, 404);
  });
});

// --- hosted checkout --------------------------------------------------------------------------------------------------

async function openCheckout(token: string, extra: Record<string, string> = {}): Promise<{ response: Response; html: string }> {
  const query = new URLSearchParams({ clientToken: token, redirectUrl: SHOP, orderId: 'A-2002', ...extra });
  const response = await open(`/whenthen/hosted/checkout?${query}`);
  return { response, html: await response.text() };
}

async function submitCheckout(html: string, fields: Record<string, string>): Promise<Response> {
  const defaults = { cardNumber: '4242 4242 4242 4242', expMonth: '12', expYear: String(futureYear), cvc: '123', cardName: 'Ada Shopper' };
  return postForm('/whenthen/hosted/checkout', { ...hiddenFields(html), ...defaults, ...fields });
}

function returned(response: Response): { id: string; status: string } {
  assert.equal(response.status, 303);
  const back = new URL(response.headers.get('location')!);
  assert.equal(`${back.origin}${back.pathname}`, SHOP);
  return { id: back.searchParams.get('id')!, status: back.searchParams.get('status')! };
}

describe('WhenThen hosted checkout', () => {
  it('shows the merchant, the amount and currency of the client token (never the query) and a test card', async () => {
    const { response, html } = await openCheckout(await clientToken(12_345, 'SEK'), { amount: '1', currency: 'EUR' });
    assert.equal(response.status, 200);
    assert.match(html, /data-field="amount">123\.45 SEK</);
    assert.match(html, /data-field="merchant">Kassa demo shop</);
    assert.match(html, /name="cardNumber" value="4242 4242 4242 4242"/);
    assert.match(html, /4000000000003220/);
    assert.equal((await sandboxPayments()).length, 0);
  });

  const buttons: Array<[string, Record<string, string>, string]> = [
    ['Pay with the success card', { outcome: 'pay' }, 'SUCCEEDED'],
    ['Pay with the decline card', { outcome: 'pay', cardNumber: '4000000000000002' }, 'DECLINED'],
    ['Decline', { outcome: 'decline' }, 'DECLINED'],
    ['Cancel', { outcome: 'cancel', cardNumber: '' }, 'CANCELLED'],
  ];
  for (const [name, fields, status] of buttons) {
    it(`${name} returns to redirectUrl with a ${status} payment`, async () => {
      const { html } = await openCheckout(await clientToken(4990, 'EUR'));
      const { id, status: shown } = returned(await submitCheckout(html, fields));
      assert.equal(shown, status);
      const [payment] = await sandboxPayments();
      assert.deepEqual([payment!.id, payment!.status, payment!.amount, payment!.reference], [id, status, 4990, 'A-2002']);
    });
  }

  it('keeps a delayed-capture flow AUTHORISED', async () => {
    const { html } = await openCheckout(await clientToken(), { flowId: 'sandbox-flow-manual-capture' });
    assert.equal(returned(await submitCheckout(html, { outcome: 'pay' })).status, 'AUTHORISED');
  });

  it('sends a 3-D Secure card through the challenge page, then back with the final status', async () => {
    const { html } = await openCheckout(await clientToken());
    const submitted = await submitCheckout(html, { outcome: 'pay', cardNumber: '4000 0000 0000 3220' });
    assert.equal(submitted.status, 303);
    const challenge = new URL(submitted.headers.get('location')!);
    assert.match(challenge.pathname, /^\/whenthen\/3ds\//);
    const { id, status } = returned(await postForm(challenge.pathname, { outcome: 'pay' }));
    assert.equal(status, 'SUCCEEDED');
    assert.equal((await getPayment(id)).status, 'SUCCEEDED');
  });

  it('shows a card error on the page and creates no payment', async () => {
    const { html } = await openCheckout(await clientToken());
    const response = await submitCheckout(html, { outcome: 'pay', cardNumber: '4242 4242 4242 4241' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /role="alert"[^>]*>The card number is incorrect/);
    assert.equal((await sandboxPayments()).length, 0);
  });

  it('makes one payment of a double submit', async () => {
    const { html } = await openCheckout(await clientToken());
    const first = returned(await submitCheckout(html, { outcome: 'pay' }));
    const second = returned(await submitCheckout(html, { outcome: 'pay' }));
    assert.deepEqual(second, first);
    assert.equal((await sandboxPayments()).length, 1);
  });

  it('refuses a missing token, a token without amount and a bad redirectUrl', async () => {
    assert.equal((await openCheckout('wt_ct_unknown')).response.status, 401);
    assert.equal((await openCheckout(await clientToken(null, null))).response.status, 400);
    assert.equal((await openCheckout(await clientToken(), { redirectUrl: 'javascript:alert(1)' })).response.status, 400);
  });

  it('applies a preset outcome when the checkout opens', async () => {
    await sandbox.control('POST', '/outcomes', { provider: 'whenthen', outcome: 'pay' });
    const { response } = await openCheckout(await clientToken());
    assert.equal(returned(response).status, 'SUCCEEDED');
    await sandbox.control('POST', '/outcomes', { provider: 'whenthen', outcome: 'expire' });
    const { response: expired } = await openCheckout(await clientToken());
    assert.equal(returned(expired).status, 'INACTIVE');
  });
});

// --- webhooks -------------------------------------------------------------------------------------------------------

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/whenthen`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Verifies a webhook the way a merchant would: hex HMAC-SHA256 of the raw body, compared to the header. */
function verified(delivery: Received, secret: string): boolean {
  return createHmac('sha256', secret).update(delivery.body).digest('hex') === delivery.headers['x-whenthen-signature'];
}

describe('WhenThen webhooks', () => {
  it('posts payment.updated, signed with the default secret, on every status change', async () => {
    const receiver = await startReceiver();
    try {
      await sandbox.control('POST', '/whenthen/webhook-endpoint', { url: receiver.url });
      const { id } = await paid(cardPayment(undefined, { headlessMode: true }));
      await gql('mutation c($id: ID!) { capturePayment(id: $id) { status } }', { id });
      assert.equal(receiver.received.length, 2);
      for (const delivery of receiver.received) {
        assert.equal(verified(delivery, 'sandbox-whenthen-webhook-secret'), true);
        assert.equal(verified(delivery, 'another-secret'), false);
      }
      const bodies = receiver.received.map((d) => JSON.parse(d.body));
      assert.deepEqual(bodies.map((b) => [b.type, b.data.id, b.data.status, b.data.amount.rawAmount]), [
        ['payment.updated', id, 'AUTHORISED', 4990],
        ['payment.updated', id, 'SUCCEEDED', 4990],
      ]);
      assert.equal(receiver.received[0]!.headers['content-type'], 'application/json');
    } finally {
      await receiver.close();
    }
  });

  it('posts payment.updated after every capture, refund, cancel and lapse, and none after a refusal', async () => {
    const receiver = await startReceiver();
    try {
      await sandbox.control('POST', '/whenthen/webhook-endpoint', { url: receiver.url });
      const captured = await paid(cardPayment(undefined, { headlessMode: true, amount: 10_000 }));
      await gql('mutation c($id: ID!) { capturePayment(id: $id, amount: 8000) { status } }', { id: captured.id });
      await gql('mutation c($id: ID!) { capturePayment(id: $id) { status } }', { id: captured.id });
      await gql('mutation r($id: ID!) { refundPayment(id: $id, amount: 3000) { status } }', { id: captured.id });
      await gql('mutation r($id: ID!) { refundPayment(id: $id, amount: 6000) { status } }', { id: captured.id });
      await gql('mutation r($id: ID!) { refundPayment(id: $id, amount: 5000) { status } }', { id: captured.id });
      const cancelled = await paid(cardPayment(undefined, { headlessMode: true }));
      await gql('mutation c($id: ID!) { cancelPayment(id: $id) { status } }', { id: cancelled.id });
      const lapsed = await paid(cardPayment(undefined, { headlessMode: true }));
      await sandbox.control('POST', `/whenthen/payments/${lapsed.id}/age-authorisation`, { days: 8 });
      const seen = receiver.received.map((d) => JSON.parse(d.body).data).map((p) => [p.id, p.status, p.amount.rawAmount, p.refundedAmount?.rawAmount ?? null]);
      assert.deepEqual(seen, [
        [captured.id, 'AUTHORISED', 10_000, null],
        [captured.id, 'SUCCEEDED', 8_000, null],
        [captured.id, 'PARTIAL_REFUNDED', 8_000, 3_000],
        [captured.id, 'REFUNDED', 8_000, 8_000],
        [cancelled.id, 'AUTHORISED', 4_990, null],
        [cancelled.id, 'CANCELLED', 4_990, null],
        [lapsed.id, 'AUTHORISED', 4_990, null],
        [lapsed.id, 'CANCELLED', 4_990, null],
      ]);
      assert.ok(receiver.received.every((d) => verified(d, 'sandbox-whenthen-webhook-secret')));
    } finally {
      await receiver.close();
    }
  });

  it('signs with a registered secret, sends for control-API outcomes and statuses, and forgets the endpoint on reset', async () => {
    const receiver = await startReceiver();
    try {
      await sandbox.control('POST', '/whenthen/webhook-endpoint', { url: receiver.url, secret: 'shop-secret' });
      const { id } = await challenged(threeDSecurePayment());
      await sandbox.control('POST', `/payments/whenthen/${id}/outcome`, { outcome: 'pay' });
      await sandbox.control('POST', `/payments/whenthen/${id}/status`, { status: 'DISPUTED' });
      assert.deepEqual(receiver.received.map((d) => JSON.parse(d.body).data.status), ['NEEDS_3D_SECURE', 'SUCCEEDED', 'DISPUTED']);
      assert.ok(receiver.received.every((d) => verified(d, 'shop-secret')));
      assert.equal((await getPayment(id)).status, 'DISPUTED');
      const logged = await sandbox.control('GET', '/webhooks?provider=whenthen');
      assert.equal(logged.webhooks.length, 3);
      assert.equal(logged.webhooks[2].status, 200);

      await sandbox.control('POST', '/reset');
      assert.deepEqual(await sandbox.control('GET', '/whenthen/webhook-endpoint'), { url: null });
      await paid(cardPayment());
      assert.equal(receiver.received.length, 3);
    } finally {
      await receiver.close();
    }
  });

  it('refuses an endpoint that is not an http URL and an unknown status', async () => {
    for (const body of [{}, { url: 'ftp://x.example' }, { url: 'http://x.example', secret: '' }]) {
      await assert.rejects(sandbox.control('POST', '/whenthen/webhook-endpoint', body), /→ 400/);
    }
    const { id } = await paid(cardPayment());
    await assert.rejects(sandbox.control('POST', `/payments/whenthen/${id}/status`, { status: 'PAID' }), /→ 400/);
  });
});

// --- faults and idempotency --------------------------------------------------------------------------------------------

describe('WhenThen faults', () => {
  it('fails authorizePayment with a create fault, once, and leaves other operations alone', async () => {
    await sandbox.control('POST', '/faults', { provider: 'whenthen', operation: 'create', kind: 'error', status: 503 });
    assert.equal((await gql('mutation { generateClientToken { ttl } }')).status, 200);
    const failed = await authorize(cardPayment());
    assert.deepEqual([failed.status, failed.body], [503, 'Internal Server Error']);
    assert.equal((await sandboxPayments()).length, 0);
    assert.equal((await authorize(cardPayment())).status, 200);
    assert.equal((await sandboxPayments()).length, 1);
  });

  it('fails getPayment and listPayments with a status fault', async () => {
    const { id } = await paid(cardPayment());
    await sandbox.control('POST', '/faults', { provider: 'whenthen', operation: 'status', kind: 'error', status: 502, times: 2 });
    assert.equal((await gql(GET, { id })).status, 502);
    assert.equal((await gql('{ listPayments { pageInfo { totalSize } } }')).status, 502);
    assert.equal((await gql(GET, { id })).status, 200);
  });

  it('answers malformed JSON for a malformed fault on an exact operation', async () => {
    await sandbox.control('POST', '/faults', { provider: 'whenthen', operation: 'capturePayment', kind: 'malformed' });
    const { id } = await paid(cardPayment(undefined, { headlessMode: true }));
    const response = await fetch(`${sandbox.url}/whenthen/graphql`, {
      method: 'POST',
      headers: { authorization: PRIVATE, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation c($id: ID!) { capturePayment(id: $id) { status } }', variables: { id } }),
    });
    await assert.rejects(response.json(), SyntaxError);
    assert.equal((await getPayment(id)).status, 'AUTHORISED');
  });
});

describe('WhenThen idempotency', () => {
  it('answers the same key and body with the same payment, made once', async () => {
    const key = randomUUID();
    const first = await authorize(cardPayment(), { idempotencyKey: key });
    const again = await authorize(cardPayment(), { idempotencyKey: key });
    assert.deepEqual(again.body, first.body);
    assert.equal((await sandboxPayments()).length, 1);
    const counted = await sandbox.control('GET', '/requests?provider=whenthen&operation=authorizePayment');
    assert.equal(counted.count, 2);
  });

  it('makes one payment of concurrent requests with one key', async () => {
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => authorize(cardPayment(), { idempotencyKey: key })));
    assert.equal(new Set(answers.map((a) => a.body.data.authorizePayment.id)).size, 1);
    assert.equal((await sandboxPayments()).length, 1);
  });

  it('replays a 3-D Secure answer with the same challenge page', async () => {
    const key = randomUUID();
    const first = await authorize(threeDSecurePayment(), { idempotencyKey: key });
    const again = await authorize(threeDSecurePayment(), { idempotencyKey: key });
    assert.equal(again.body.errors[0].extensions.url, first.body.errors[0].extensions.url);
    assert.equal((await sandboxPayments()).length, 1);
  });

  it('refuses the same key with another body', async () => {
    const key = randomUUID();
    await authorize(cardPayment(), { idempotencyKey: key });
    const other = await authorize(cardPayment(undefined, { amount: 1 }), { idempotencyKey: key });
    assert.equal(other.status, 200);
    assert.equal(errorCode(other), 'error.idempotency.keyReused');
    assert.equal((await sandboxPayments()).length, 1);
  });

  it('does the work again for another key, and ignores keys on queries', async () => {
    await authorize(cardPayment(), { idempotencyKey: randomUUID() });
    await authorize(cardPayment(), { idempotencyKey: randomUUID() });
    assert.equal((await sandboxPayments()).length, 2);
    const key = randomUUID();
    const LIST = '{ listPayments { pageInfo { totalSize } } }';
    assert.equal((await gql(LIST, {}, { idempotencyKey: key })).body.data.listPayments.pageInfo.totalSize, 2);
    await paid(cardPayment());
    assert.equal((await gql(LIST, {}, { idempotencyKey: key })).body.data.listPayments.pageInfo.totalSize, 3);
  });
});
