/**
 * The Hero simulator against its documentation: every GraphQL operation, Hero's error shapes, the hosted page's
 * outcomes, the GET "notification" to redirectUri, presets, faults and the rate limiter.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { useSandbox } from '../testing.ts';
import { RateLimiter } from './rate-limit.ts';
import { HeroStore, infosOf, refundRefusal, refundTotals, type HeroPayment } from './state.ts';
import { isLoopbackHost } from './validate.ts';

const KEY = 'sandbox-hero-key';
const DISABLED_KEY = 'sandbox-hero-disabled-key';

const sandbox = useSandbox();

interface GqlAnswer {
  status: number;
  body: any;
}

async function gql(query: string, variables?: Record<string, unknown>, authorization: string | null = `Api-Key ${KEY}`): Promise<GqlAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const response = await fetch(`${sandbox.url}/hero/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Fault drills answer plain text or broken JSON; the raw text is the body then.
  }
  return { status: response.status, body };
}

const CREATE = `mutation Create($payment: NewPayment!) { createPayment(payment: $payment) { id } }`;
const INFOS = `query Infos($ids: [String!]!) {
  getPaymentsInfos(paymentIds: $ids) {
    ... on GetPaymentsInfosResult { result { paymentId isSuccess error reviewStatus reason initialPaymentAmount pendingRefundAmount refundedAmount } }
    ... on ValidationErrors { validationErrors { path validationError } }
  }
}`;
const REFUND = `mutation Refund($id: String!, $amount: Int!) {
  refundPaymentCheckout(input: { paymentCheckoutId: $id, amount: $amount }) {
    ... on RefundPaymentCheckoutOutput { success }
    ... on GqlHeroError { errorCode message }
    ... on ValidationErrors { validationErrors { path validationError } }
  }
}`;
const STATUS = `query Status($id: String!) { paymentStatus(id: $id) { isSuccess error } }`;

function newPayment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 5000,
    redirectUri: 'https://shop.example/hero/return?order=42',
    type: 'Pay1X',
    issuer: {
      address: { line1: '10 Something Street', line2: '2nd door on the left', city: 'Paris', zipCode: '75001' },
      name: 'Super Corp',
      contactEmail: 'laura@example.com',
      contactPhone: '+330600000000',
      customerReference: 'customer-1',
    },
    ...overrides,
  };
}

async function createPayment(overrides: Record<string, unknown> = {}, key = KEY): Promise<string> {
  const answer = await gql(CREATE, { payment: newPayment(overrides) }, `Api-Key ${key}`);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
  return answer.body.data.createPayment.id as string;
}

async function infos(id: string, key = KEY): Promise<any> {
  const answer = await gql(INFOS, { ids: [id] }, `Api-Key ${key}`);
  return answer.body.data.getPaymentsInfos.result[0];
}

async function heroPayments(): Promise<any[]> {
  return (await sandbox.control('GET', '/payments?provider=hero')).payments;
}

function postForm(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** The first GraphQL error's message, for tables that only compare messages. */
function firstError(answer: GqlAnswer): string {
  return answer.body.errors?.[0]?.message ?? '(no error)';
}

describe('hero: authentication', () => {
  const refusals: Array<[string, string | null]> = [
    ['no Authorization header', null],
    ['an unknown key', 'Api-Key not-a-hero-key'],
    ['the right key under another scheme', `Bearer ${KEY}`],
    ['the scheme without a key', 'Api-Key'],
  ];
  for (const [name, authorization] of refusals) {
    test(`${name} gets NOT_LOGGED in the body with HTTP 200`, async () => {
      for (const [query, variables] of [
        ['{ availablePaymentTypes(amount: 0) }', undefined],
        [CREATE, { payment: newPayment() }],
        [INFOS, { ids: ['x'] }],
      ] as const) {
        const answer = await gql(query, variables, authorization);
        assert.equal(answer.status, 200);
        assert.equal(answer.body.data, null);
        assert.equal(answer.body.errors[0].message, 'NOT_LOGGED');
        assert.equal(answer.body.errors[0].extensions.code, 'NOT_LOGGED');
      }
      assert.equal((await heroPayments()).length, 0);
    });
  }

  test('availablePaymentTypes(amount: 0) is how Hero plugins check a key: data, no errors', async () => {
    const answer = await gql('query{ availablePaymentTypes(amount: 0)}');
    assert.deepEqual(answer.body, { data: { availablePaymentTypes: [] } });
  });

  test('the scheme is case-insensitive, as HTTP auth schemes are', async () => {
    const answer = await gql('{ availablePaymentTypes(amount: 0) }', undefined, `api-key ${KEY}`);
    assert.deepEqual(answer.body, { data: { availablePaymentTypes: [] } });
  });

  test('an account whose product is disabled logs in but cannot create payments', async () => {
    const types = await gql('{ availablePaymentTypes(amount: 10000) }', undefined, `Api-Key ${DISABLED_KEY}`);
    assert.deepEqual(types.body.data.availablePaymentTypes, []);
    const create = await gql(CREATE, { payment: newPayment() }, `Api-Key ${DISABLED_KEY}`);
    assert.equal(firstError(create), 'MERCHANT_PRODUCT_DISABLED');
    assert.equal(create.body.errors[0].extensions.code, 'MERCHANT_PRODUCT_DISABLED');
  });
});

describe('hero: availablePaymentTypes', () => {
  const ALL = ['Pay1X', 'Pay3X', 'Pay4X', 'Pay15D', 'Pay30D', 'Pay60D'];
  const DEFERRED = ['Pay15D', 'Pay30D', 'Pay60D'];
  const cases: Array<[number | null, string[]]> = [
    [0, []],
    [-100, []],
    [99, []],
    [100, ['Pay1X']],
    [4999, ['Pay1X']],
    [5000, ['Pay1X', ...DEFERRED]],
    [10000, ALL],
    [3_000_000, ALL],
    [3_000_001, ['Pay1X', ...DEFERRED]],
    [5_000_001, ['Pay1X']],
    [10_000_001, []],
    [null, ALL],
  ];
  for (const [amount, expected] of cases) {
    test(`amount ${amount} → ${expected.join(', ') || 'none'} (Pay45D is not enabled on the demo account)`, async () => {
      const answer = await gql('query Types($amount: Int) { availablePaymentTypes(amount: $amount) }', { amount });
      assert.deepEqual(answer.body, { data: { availablePaymentTypes: expected } });
    });
  }

  test('an amount that is not an Int is a GraphQL error in the body', async () => {
    const answer = await gql('{ availablePaymentTypes(amount: "5000") }');
    assert.equal(answer.status, 200);
    assert.match(firstError(answer), /Int cannot represent non-integer value: "5000"/);
  });
});

describe('hero: createPayment', () => {
  test('the seed example, verbatim, creates a payment Hero reports as not initiated', async () => {
    const answer = await gql(`mutation {
createPayment(
payment: {
amount: 5000
redirectUri: "https://shop.hero.fr?shop-payment-id=abc567"
type: Pay1X
issuer: {
address: { line1: "10 Something Street" line2: "2nd door on the left" city: "Paris" zipCode: "75001" }
deliveryAddress: { line1: "2 High Street" line2: "Apartment 2" city: "Paris" zipCode: "75010" }
name: "Super Corp"
contactEmail: "laura@example.com"
contactPhone: "+330600000000"
customerReference: "<Your customer identifier>"
}
}
) {
id
}
}`);
    assert.equal(answer.status, 200);
    const id = answer.body.data.createPayment.id;
    assert.match(id, /^paycheckout-[0-9a-f-]{36}$/);
    assert.deepEqual(await infos(id), {
      paymentId: id,
      isSuccess: false,
      error: 'PAYMENT_NOT_INITIATED',
      reviewStatus: 'NONE',
      reason: 'None',
      initialPaymentAmount: 5000,
      pendingRefundAmount: 0,
      refundedAmount: 0,
    });
    const [summary] = await heroPayments();
    assert.equal(summary.id, id);
    assert.equal(summary.status, 'PAYMENT_NOT_INITIATED');
    assert.equal(summary.amount, 5000);
    assert.equal(summary.currency, 'EUR');
    assert.equal(summary.pageUrl, `${sandbox.url}/hero/checkout/${id}`);
  });

  test("Hero's plugin's extra issuer fields (siret, vatNumber, empty) and a loopback redirect are accepted", async () => {
    const payment = newPayment({ redirectUri: 'http://127.0.0.1:8080/return', comebackUri: 'http://localhost:8080/cart' });
    (payment.issuer as Record<string, unknown>).siret = '';
    (payment.issuer as Record<string, unknown>).vatNumber = 'FR40303265045';
    const answer = await gql(CREATE, { payment });
    assert.equal(answer.body.errors, undefined);
    assert.equal((await heroPayments()).length, 1);
  });

  const issuerWith = (patch: Record<string, unknown>) => ({ ...(newPayment().issuer as object), ...patch });
  const badInputs: Array<[string, Record<string, unknown>, RegExp | string, string?]> = [
    ['a missing amount', { amount: undefined }, /Field "amount" of required type "Int!" was not provided/],
    ['an amount sent as a string', { amount: '5000' }, /Int cannot represent non-integer value: "5000"/],
    ['an amount with decimals', { amount: 50.5 }, /Int cannot represent non-integer value: 50.5/],
    ['an amount past 32 bits', { amount: 2 ** 31 }, /Int cannot represent non 32-bit signed integer value/],
    ['an unknown payment type', { type: 'Pay2X' }, /Value "Pay2X" does not exist in "PaymentType" enum/],
    ['a missing redirectUri', { redirectUri: undefined }, /Field "redirectUri" of required type "String!" was not provided/],
    ['a missing billing address', { issuer: issuerWith({ address: undefined }) }, /Field "address" of required type "AddressInput!" was not provided/],
    ['a missing contactPhone', { issuer: issuerWith({ contactPhone: undefined }) }, /Field "contactPhone" of required type "String!" was not provided/],
    ['a redirectUri that is not a URL', { redirectUri: 'shop/return' }, 'redirectUri must be a URL address', 'VALIDATION_ERROR'],
    ['a comebackUri that is not http(s)', { comebackUri: 'ftp://shop.example/cart' }, 'comebackUri must be a URL address', 'VALIDATION_ERROR'],
    ['an empty company name', { issuer: issuerWith({ name: '  ' }) }, 'name should not be empty', 'VALIDATION_ERROR'],
    ['a malformed e-mail', { issuer: issuerWith({ contactEmail: 'laura' }) }, 'contactEmail must be an email', 'VALIDATION_ERROR'],
    [
      'a delivery address without a city',
      { issuer: issuerWith({ deliveryAddress: { line1: '2 High Street', city: '', zipCode: '75010' } }) },
      'city should not be empty',
      'VALIDATION_ERROR',
    ],
    ['a name longer than 255 characters', { issuer: issuerWith({ name: 'x'.repeat(256) }) }, 'name must be shorter than or equal to 255 characters', 'VALIDATION_ERROR'],
    ['a type the account is not configured for', { type: 'Pay45D' }, 'INVALID_PAYMENT_TYPE', 'INVALID_PAYMENT_TYPE'],
    ['an amount under the type minimum', { amount: 50 }, 'Amount 50 is smaller than paymentMin 100', 'AMOUNT_OUT_OF_RANGE'],
    ['a zero amount', { amount: 0 }, 'Amount 0 is smaller than paymentMin 100', 'AMOUNT_OUT_OF_RANGE'],
    ['an amount over the type maximum', { amount: 3_000_001, type: 'Pay3X' }, 'Amount 3000001 is bigger than paymentMax 3000000', 'AMOUNT_OUT_OF_RANGE'],
  ];
  for (const [name, overrides, expected, code] of badInputs) {
    test(`${name} is refused in the body (HTTP 200) and creates nothing`, async () => {
      const answer = await gql(CREATE, { payment: newPayment(overrides) });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data?.createPayment ?? null, null);
      if (typeof expected === 'string') assert.equal(firstError(answer), expected);
      else assert.match(firstError(answer), expected);
      if (code) assert.equal(answer.body.errors[0].extensions.code, code);
      assert.equal((await heroPayments()).length, 0);
    });
  }

  test('validation errors list every bad field with its path', async () => {
    const answer = await gql(CREATE, {
      payment: newPayment({ redirectUri: 'nope', issuer: issuerWith({ name: '', contactEmail: 'x' }) }),
    });
    assert.deepEqual(answer.body.errors[0].extensions.validationErrors, [
      { path: ['redirectUri'], validationError: 'redirectUri must be a URL address' },
      { path: ['issuer', 'name'], validationError: 'name should not be empty' },
      { path: ['issuer', 'contactEmail'], validationError: 'contactEmail must be an email' },
    ]);
  });

  test('Hero has no idempotency key: the same request twice makes two payments', async () => {
    const first = await createPayment();
    const second = await createPayment();
    assert.notEqual(first, second);
    assert.equal((await heroPayments()).length, 2);
    const counted = await sandbox.control('GET', '/requests?provider=hero&operation=createPayment');
    assert.equal(counted.count, 2);
  });
});

describe('hero: the GraphQL endpoint', () => {
  test('an unknown operation is a validation error in the body', async () => {
    const answer = await gql('mutation { createCharge(amount: 5000) { id } }');
    assert.equal(answer.status, 200);
    assert.match(firstError(answer), /Cannot query field "createCharge" on type "Mutation"/);
  });

  test('a syntax error is reported in the body', async () => {
    const answer = await gql('query { availablePaymentTypes(amount: 0 ');
    assert.equal(answer.status, 200);
    assert.match(firstError(answer), /^Syntax Error/);
  });

  const badBodies: Array<[string, string]> = [
    ['not JSON', 'amount=5000'],
    ['JSON without a query', '{"variables":{}}'],
    ['variables that are not an object', '{"query":"{ availablePaymentTypes }","variables":[1]}'],
    ['an empty batch', '[]'],
  ];
  for (const [name, body] of badBodies) {
    test(`a body that is ${name} gets HTTP 400`, async () => {
      const response = await fetch(`${sandbox.url}/hero/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Api-Key ${KEY}` },
        body,
      });
      assert.equal(response.status, 400);
      const json = (await response.json()) as { errors: Array<{ message: string }> };
      assert.ok(json.errors[0]!.message.length > 0);
    });
  }

  test('a batch (JSON array) gets one answer per operation, in order', async () => {
    const response = await fetch(`${sandbox.url}/hero/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Api-Key ${KEY}` },
      body: JSON.stringify([
        { query: '{ availablePaymentTypes(amount: 100) }' },
        { query: 'query Q($c: String!) { maxPaymentForCustomer(customerReference: $c) { maxPay3X } }', variables: { c: 'x' } },
      ]),
    });
    assert.deepEqual(await response.json(), [
      { data: { availablePaymentTypes: ['Pay1X'] } },
      { data: { maxPaymentForCustomer: { maxPay3X: 3_000_000 } } },
    ]);
  });

  test('every root field is counted as one operation', async () => {
    await gql('{ a: availablePaymentTypes(amount: 0) b: availablePaymentTypes(amount: 100) }');
    await gql(STATUS, { id: 'nope' });
    const counted = await sandbox.control('GET', '/requests?provider=hero');
    assert.deepEqual(
      counted.requests.map((r: { operation: string }) => r.operation),
      ['availablePaymentTypes', 'availablePaymentTypes', 'paymentStatus'],
    );
  });
});

describe('hero: getPaymentsInfos, paymentStatus, setOrderId', () => {
  test('only existing ids come back; none existing gives an empty result', async () => {
    const id = await createPayment();
    const mixed = await gql(INFOS, { ids: ['paycheckout-missing', id, id] });
    assert.deepEqual(mixed.body.data.getPaymentsInfos.result.map((r: { paymentId: string }) => r.paymentId), [id]);
    const none = await gql(INFOS, { ids: ['paycheckout-missing'] });
    assert.deepEqual(none.body, { data: { getPaymentsInfos: { result: [] } } });
  });

  test("another account's payments are invisible", async () => {
    const id = await createPayment();
    const answer = await gql(INFOS, { ids: [id] }, `Api-Key ${DISABLED_KEY}`);
    assert.deepEqual(answer.body.data.getPaymentsInfos.result, []);
  });

  const badIdLists: Array<[string, string[], string]> = [
    ['an empty list', [], 'paymentIds must contain at least 1 elements'],
    ['more than 100 ids', Array.from({ length: 101 }, (_, i) => `id-${i}`), 'paymentIds must contain no more than 100 elements'],
  ];
  for (const [name, ids, message] of badIdLists) {
    test(`${name} answers ValidationErrors`, async () => {
      const answer = await gql(INFOS, { ids });
      assert.deepEqual(answer.body.data.getPaymentsInfos, { validationErrors: [{ path: ['paymentIds'], validationError: message }] });
    });
  }

  test('paymentStatus follows the payment; an unknown id is PAYMENT_NOT_FOUND', async () => {
    const id = await createPayment();
    assert.deepEqual((await gql(STATUS, { id })).body.data.paymentStatus, { isSuccess: false, error: 'PAYMENT_NOT_INITIATED' });
    await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'pay' });
    assert.deepEqual((await gql(STATUS, { id })).body.data.paymentStatus, { isSuccess: true, error: null });
    const unknown = await gql(STATUS, { id: 'paycheckout-missing' });
    assert.equal(firstError(unknown), 'PAYMENT_NOT_FOUND');
    assert.equal(unknown.body.data, null);
  });

  test('setOrderId always answers true; the last order id wins and shows as the reference', async () => {
    const id = await createPayment();
    const set = (orderId: string, paymentId = id) =>
      gql('mutation S($p: String!, $o: String!) { setOrderId(paymentId: $p, orderId: $o) }', { p: paymentId, o: orderId });
    assert.deepEqual((await set('order-1')).body, { data: { setOrderId: true } });
    assert.deepEqual((await set('order-2')).body, { data: { setOrderId: true } });
    assert.deepEqual((await set('order-x', 'paycheckout-missing')).body, { data: { setOrderId: true } });
    const [summary] = await heroPayments();
    assert.equal(summary.reference, 'order-2');
  });
});

describe('hero: maxPaymentForCustomer', () => {
  const MAX = 'query M($c: String!) { maxPaymentForCustomer(customerReference: $c) { current maxPay30D maxPay3X } }';

  test('an ordinary customer gets the default limits', async () => {
    const answer = await gql(MAX, { c: 'customer-1' });
    assert.deepEqual(answer.body.data.maxPaymentForCustomer, { current: 0, maxPay30D: 5_000_000, maxPay3X: 3_000_000 });
  });

  test('hero-limited-customer has low limits; accepted financed payments add to current, cash does not', async () => {
    const before = await gql(MAX, { c: 'hero-limited-customer' });
    assert.deepEqual(before.body.data.maxPaymentForCustomer, { current: 20_000, maxPay30D: 100_000, maxPay3X: 50_000 });
    const issuer = { ...(newPayment().issuer as object), customerReference: 'hero-limited-customer' };
    const financed = await createPayment({ amount: 15_000, type: 'Pay3X', issuer });
    const cash = await createPayment({ amount: 7_000, type: 'Pay1X', issuer });
    const open = await createPayment({ amount: 9_000, type: 'Pay30D', issuer });
    for (const id of [financed, cash]) await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'pay' });
    void open; // left unpaid: it must not count
    const after = await gql(MAX, { c: 'hero-limited-customer' });
    assert.equal(after.body.data.maxPaymentForCustomer.current, 35_000);
  });
});

describe('hero: refundPaymentCheckout', () => {
  async function paidPayment(amount = 10_000): Promise<string> {
    const id = await createPayment({ amount });
    await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'pay' });
    return id;
  }

  test('partial refunds add up until the payment is fully refunded; then AMOUNT_TOO_HIGH', async () => {
    const id = await paidPayment(10_000);
    assert.deepEqual((await gql(REFUND, { id, amount: 4_000 })).body, { data: { refundPaymentCheckout: { success: true } } });
    assert.deepEqual((await gql(REFUND, { id, amount: 6_000 })).body, { data: { refundPaymentCheckout: { success: true } } });
    const info = await infos(id);
    assert.equal(info.refundedAmount, 10_000);
    assert.equal(info.pendingRefundAmount, 0);
    assert.equal(info.initialPaymentAmount, 10_000);
    assert.equal(info.isSuccess, true);
    assert.deepEqual((await gql(REFUND, { id, amount: 1 })).body.data.refundPaymentCheckout, {
      errorCode: 'FUNCTIONAL_ERROR',
      message: 'AMOUNT_TOO_HIGH',
    });
  });

  test('the seed example, verbatim, on an unknown checkout is INVALID_PAYMENT_CHECKOUT', async () => {
    const answer = await gql(`mutation {
refundPaymentCheckout(
input: { paymentCheckoutId: "paycheckout-6cd6e21d-c35e-4ee3-8b86-965fb3b44c99" amount: 30000 }
) {
... on RefundPaymentCheckoutOutput { success }
... on GqlHeroError { errorCode message }
... on ValidationErrors { validationErrors { path validationError } }
}
}`);
    assert.deepEqual(answer.body, {
      data: { refundPaymentCheckout: { errorCode: 'FUNCTIONAL_ERROR', message: 'INVALID_PAYMENT_CHECKOUT' } },
    });
  });

  const refusals: Array<[string, 'paid' | 'unpaid', number, unknown, string?]> = [
    ['a refund over the payment', 'paid', 10_001, { errorCode: 'FUNCTIONAL_ERROR', message: 'AMOUNT_TOO_HIGH' }],
    ['a zero refund', 'paid', 0, { errorCode: 'FUNCTIONAL_ERROR', message: 'AMOUNT_TOO_LOW' }],
    ['a negative refund', 'paid', -5, { validationErrors: [{ path: ['amount'], validationError: 'Amount must be a positive number' }] }],
    ['a refund of an unpaid payment', 'unpaid', 1_000, { errorCode: 'FUNCTIONAL_ERROR', message: 'PAYMENT_NOT_STARTED' }],
    [
      "a refund by another account",
      'paid',
      1_000,
      { errorCode: 'UNAUTHORIZED', message: "You don't have permission to perform this action" },
      DISABLED_KEY,
    ],
  ];
  for (const [name, state, amount, expected, key] of refusals) {
    test(`${name} is refused inside the union and refunds nothing`, async () => {
      const id = state === 'paid' ? await paidPayment(10_000) : await createPayment({ amount: 10_000 });
      const answer = await gql(REFUND, { id, amount }, `Api-Key ${key ?? KEY}`);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.data.refundPaymentCheckout, expected);
      assert.equal((await infos(id)).refundedAmount, 0);
    });
  }

  test('with a settle delay a refund is pending first, then refunded; what is left counts it already', async () => {
    assert.deepEqual(await sandbox.control('POST', '/hero/settings', { refundSettleMs: 60_000 }), { refundSettleMs: 60_000 });
    const id = await paidPayment(10_000);
    assert.deepEqual((await gql(REFUND, { id, amount: 4_000 })).body.data.refundPaymentCheckout, { success: true });
    let info = await infos(id);
    assert.deepEqual([info.isSuccess, info.pendingRefundAmount, info.refundedAmount], [true, 4_000, 0]);
    // Pending money is spent: 6 000 are left, not 10 000.
    assert.deepEqual((await gql(REFUND, { id, amount: 6_001 })).body.data.refundPaymentCheckout, { errorCode: 'FUNCTIONAL_ERROR', message: 'AMOUNT_TOO_HIGH' });
    const settled = await sandbox.control('POST', `/hero/payments/${id}/settle-refunds`);
    assert.deepEqual([settled.settled, settled.pendingRefundAmount, settled.refundedAmount], [4_000, 0, 4_000]);
    info = await infos(id);
    assert.deepEqual([info.pendingRefundAmount, info.refundedAmount], [0, 4_000]);
  });

  test('a short settle delay passes by itself', async () => {
    await sandbox.control('POST', '/hero/settings', { refundSettleMs: 150 });
    const id = await paidPayment(10_000);
    await gql(REFUND, { id, amount: 10_000 });
    assert.deepEqual([(await infos(id)).pendingRefundAmount, (await infos(id)).refundedAmount], [10_000, 0]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual([(await infos(id)).pendingRefundAmount, (await infos(id)).refundedAmount], [0, 10_000]);
  });

  test('reset restores refunds that settle at once; the settings refuse what is not a delay', async () => {
    await sandbox.control('POST', '/hero/settings', { refundSettleMs: 5_000 });
    await sandbox.control('POST', '/reset');
    assert.deepEqual(await sandbox.control('GET', '/hero/settings'), { refundSettleMs: 0 });
    for (const refundSettleMs of [-1, 1.5, '100', null, 86_400_001]) {
      await assert.rejects(sandbox.control('POST', '/hero/settings', { refundSettleMs }), /400/);
    }
    await assert.rejects(sandbox.control('POST', '/hero/payments/paycheckout-unknown/settle-refunds'), /404/);
  });

  test('a refund notifies nobody: Hero documents no notification for it', async () => {
    const id = await paidPayment(10_000);
    const before = (await sandbox.control('GET', '/webhooks?provider=hero')).webhooks.length;
    await gql(REFUND, { id, amount: 1_000 });
    assert.equal((await sandbox.control('GET', '/webhooks?provider=hero')).webhooks.length, before);
  });

  test('an empty paymentCheckoutId answers ValidationErrors', async () => {
    const answer = await gql(REFUND, { id: '', amount: 100 });
    assert.deepEqual(answer.body.data.refundPaymentCheckout, {
      validationErrors: [{ path: ['paymentCheckoutId'], validationError: 'paymentCheckoutId should not be empty' }],
    });
  });
});

describe('hero: hosted page and outcomes', () => {
  const COMEBACK = 'https://shop.example/checkout/methods';
  const REDIRECT = 'https://shop.example/hero/return?order=42';
  const outcomes: Array<[string, Record<string, unknown>, string, { isSuccess: boolean; error: string | null }, string]> = [
    ['pay', {}, 'ACCEPTED', { isSuccess: true, error: null }, REDIRECT],
    ['decline', {}, 'REFUSED', { isSuccess: false, error: 'PAYMENT_REFUSED' }, REDIRECT],
    ['cancel', { comebackUri: COMEBACK }, 'CANCELLED', { isSuccess: false, error: 'PAYMENT_CANCELLED' }, COMEBACK],
    ['cancel', {}, 'CANCELLED', { isSuccess: false, error: 'PAYMENT_CANCELLED' }, REDIRECT],
    ['expire', {}, 'EXPIRED', { isSuccess: false, error: 'PAYMENT_EXPIRED' }, REDIRECT],
    ['fail', {}, 'FAILED', { isSuccess: false, error: 'PAYMENT_FAILED' }, REDIRECT],
  ];

  test('the page shows the merchant, the amount, the type and a form posting to the decide route', async () => {
    const id = await createPayment({ amount: 12_345, type: 'Pay3X' });
    const response = await fetch(`${sandbox.url}/hero/checkout/${id}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Kassa demo shop/);
    assert.match(html, /123\.45 EUR/);
    assert.match(html, /Paiement en 3 fois sans frais/);
    assert.ok(html.includes(`action="/hero/checkout/${id}/decide"`));
    for (const outcome of ['pay', 'decline', 'cancel']) assert.ok(html.includes(`value="${outcome}"`));
  });

  for (const [outcome, extra, state, view, target] of outcomes) {
    const label = `${outcome}${extra.comebackUri ? ' with a comebackUri' : ''}`;

    test(`page form post: ${label} → ${state}, browser sent to ${target === COMEBACK ? 'comebackUri' : 'redirectUri'}`, async () => {
      const id = await createPayment(extra);
      const response = await postForm(`/hero/checkout/${id}/decide`, { outcome });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), target);
      assert.deepEqual((await gql(STATUS, { id })).body.data.paymentStatus, view);
      assert.equal((await heroPayments())[0].status, state);
    });

    test(`control API: ${label} → ${state}`, async () => {
      const id = await createPayment(extra);
      const result = await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome });
      assert.deepEqual(result, { status: state, redirectUrl: target });
      assert.equal((await infos(id)).error, view.error);
    });
  }

  test('a final payment cannot be decided again: 409 from the control API and the page', async () => {
    const id = await createPayment();
    await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'pay' });
    await assert.rejects(sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'decline' }), /409/);
    assert.equal((await postForm(`/hero/checkout/${id}/decide`, { outcome: 'decline' })).status, 409);
    const page = await fetch(`${sandbox.url}/hero/checkout/${id}`);
    assert.match(await page.text(), /already finished/);
    assert.equal((await infos(id)).isSuccess, true);
  });

  test('unknown payments and unknown choices are refused', async () => {
    assert.equal((await fetch(`${sandbox.url}/hero/checkout/paycheckout-missing`)).status, 404);
    assert.equal((await postForm('/hero/checkout/paycheckout-missing/decide', { outcome: 'pay' })).status, 404);
    await assert.rejects(sandbox.control('POST', '/payments/hero/paycheckout-missing/outcome', { outcome: 'pay' }), /404/);
    const id = await createPayment();
    assert.equal((await postForm(`/hero/checkout/${id}/decide`, { outcome: 'steal' })).status, 400);
    assert.equal((await infos(id)).error, 'PAYMENT_NOT_INITIATED');
  });

  test('a preset outcome for the next payment applies as soon as its page opens', async () => {
    await sandbox.control('POST', '/outcomes', { provider: 'hero', outcome: 'decline' });
    const id = await createPayment();
    const response = await fetch(`${sandbox.url}/hero/checkout/${id}`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), REDIRECT);
    assert.equal((await infos(id)).reviewStatus, 'REFUSED');
  });

  test('a preset outcome for one payment applies to that payment only', async () => {
    const other = await createPayment();
    const id = await createPayment({ comebackUri: COMEBACK });
    await sandbox.control('POST', '/outcomes', { provider: 'hero', outcome: 'cancel', paymentId: id });
    const response = await fetch(`${sandbox.url}/hero/checkout/${id}`, { redirect: 'manual' });
    assert.equal(response.headers.get('location'), COMEBACK);
    assert.equal((await fetch(`${sandbox.url}/hero/checkout/${other}`, { redirect: 'manual' })).status, 200);
  });
});

describe('hero: notification to redirectUri', () => {
  const hits: Array<{ method: string; url: string; body: string; headers: IncomingHttpHeaders }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  let receiverUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('deciding sends a body-less GET to the exact redirectUri before the browser is redirected', async () => {
    hits.length = 0;
    const redirectUri = `${receiverUrl}/wc-api/heropayments?hash=eyJvcmRlcklkIjo0Mn0%3D`;
    const id = await createPayment({ redirectUri, comebackUri: `${receiverUrl}/cart` });
    const response = await postForm(`/hero/checkout/${id}/decide`, { outcome: 'pay' });
    assert.equal(response.headers.get('location'), redirectUri);
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.method, 'GET');
    assert.equal(hits[0]!.url, '/wc-api/heropayments?hash=eyJvcmRlcklkIjo0Mn0%3D');
    assert.equal(hits[0]!.body, '');
    // Hero signs nothing: the merchant must re-read the status, which is already final when the GET arrives.
    assert.equal(hits[0]!.headers['x-signature'], undefined);
    assert.deepEqual((await gql(STATUS, { id })).body.data.paymentStatus, { isSuccess: true, error: null });
    const { webhooks } = await sandbox.control('GET', '/webhooks?provider=hero');
    assert.equal(webhooks.length, 1);
    assert.equal(webhooks[0].method, 'GET');
    assert.equal(webhooks[0].url, redirectUri);
    assert.equal(webhooks[0].status, 200);
  });

  test('cancel notifies redirectUri too, while the browser goes to comebackUri', async () => {
    hits.length = 0;
    const id = await createPayment({ redirectUri: `${receiverUrl}/return`, comebackUri: `${receiverUrl}/cart` });
    const result = await sandbox.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'cancel' });
    assert.equal(result.redirectUrl, `${receiverUrl}/cart`);
    assert.deepEqual(hits.map((h) => `${h.method} ${h.url}`), ['GET /return']);
  });

  const drills: Array<[string, { isSuccess: boolean; error: string | null; reviewStatus: string }]> = [
    ['IN_REVIEW', { isSuccess: false, error: 'PAYMENT_IN_REVIEW', reviewStatus: 'PENDING' }],
    ['ACCEPTED', { isSuccess: true, error: null, reviewStatus: 'ACCEPTED' }],
    ['REFUSED', { isSuccess: false, error: 'PAYMENT_REFUSED', reviewStatus: 'REFUSED' }],
    ['PAYMENT_NOT_INITIATED', { isSuccess: false, error: 'PAYMENT_NOT_INITIATED', reviewStatus: 'NONE' }],
  ];
  for (const [status, view] of drills) {
    test(`setStatus ${status} changes what getPaymentsInfos shows and notifies`, async () => {
      hits.length = 0;
      const id = await createPayment({ redirectUri: `${receiverUrl}/drill` });
      await sandbox.control('POST', `/payments/hero/${id}/status`, { status });
      const info = await infos(id);
      assert.deepEqual({ isSuccess: info.isSuccess, error: info.error, reviewStatus: info.reviewStatus }, view);
      assert.deepEqual(hits.map((h) => `${h.method} ${h.url}`), ['GET /drill']);
    });
  }

  test('the control API refuses a status Hero does not have', async () => {
    const id = await createPayment();
    await assert.rejects(sandbox.control('POST', `/payments/hero/${id}/status`, { status: 'PAID' }), /400/);
  });
});

describe('hero: faults', () => {
  const cases: Array<[string, Record<string, unknown>, () => Promise<GqlAnswer>, number, RegExp]> = [
    ['create 500 hits createPayment', { operation: 'create', kind: 'error', status: 500 }, () => gql(CREATE, { payment: newPayment() }), 500, /Internal Server Error/],
    ['status 503 hits getPaymentsInfos', { operation: 'status', kind: 'error', status: 503 }, () => gql(INFOS, { ids: ['x'] }), 503, /Internal Server Error/],
    ['status 502 hits paymentStatus', { operation: 'status', kind: 'error', status: 502 }, () => gql(STATUS, { id: 'x' }), 502, /Internal Server Error/],
    ['create 429 says when to retry', { operation: 'create', kind: 'error', status: 429 }, () => gql(CREATE, { payment: newPayment() }), 429, /Too Many Requests/],
    ['malformed garbles createPayment', { operation: 'createPayment', kind: 'malformed' }, () => gql(CREATE, { payment: newPayment() }), 200, /unterminated/],
  ];
  for (const [name, fault, call, status, body] of cases) {
    test(`${name}, once`, async () => {
      await sandbox.control('POST', '/faults', { provider: 'hero', ...fault });
      const faulted = await call();
      assert.equal(faulted.status, status);
      assert.match(String(faulted.body), body);
      const again = await call();
      assert.equal(again.status, 200);
      assert.equal(typeof again.body, 'object');
    });
  }

  test('a create fault leaves status operations alone and creates no payment', async () => {
    await sandbox.control('POST', '/faults', { provider: 'hero', operation: 'create', kind: 'error', status: 500, times: 0 });
    assert.equal((await gql(CREATE, { payment: newPayment() })).status, 500);
    assert.equal((await gql(INFOS, { ids: ['x'] })).status, 200);
    assert.equal((await gql('{ availablePaymentTypes(amount: 100) }')).status, 200);
    assert.equal((await heroPayments()).length, 0);
  });
});

describe('hero: pure parts', () => {
  test('the rate limiter allows perSecond a second and perMinute a minute, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ enabled: true, perSecond: 3, perMinute: 5 }, () => now);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.allow('k')), [true, true, true, false]);
    assert.equal(limiter.allow('other'), true);
    now = 1_000;
    assert.deepEqual([1, 2, 3].map(() => limiter.allow('k')), [true, true, false]);
    now = 59_999;
    assert.equal(limiter.allow('k'), false);
    now = 60_000;
    assert.equal(limiter.allow('k'), true);
    limiter.reset();
    assert.equal(new RateLimiter({ enabled: false, perSecond: 0, perMinute: 0 }).allow('k'), true);
  });

  const payment = (over: Partial<HeroPayment> = {}): HeroPayment => ({
    id: 'paycheckout-1',
    merchantKey: KEY,
    amount: 10_000,
    type: 'Pay1X',
    redirectUri: 'https://shop.example/return',
    comebackUri: null,
    issuer: { address: { line1: '1 rue', city: 'Paris', zipCode: '75001' }, name: 'Co', contactEmail: 'a@b.fr', contactPhone: '+33600000000' },
    orderId: null,
    state: 'ACCEPTED',
    refunds: [],
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  });

  const refundRules: Array<[string, HeroPayment | undefined, string, number, string | undefined]> = [
    // [what, payment, key asking, amount, refusal (message) or undefined]
    ['an unknown payment', undefined, KEY, 1_000, 'INVALID_PAYMENT_CHECKOUT'],
    ["another account's payment", payment(), DISABLED_KEY, 1_000, "You don't have permission to perform this action"],
    ['a payment never initiated', payment({ state: 'PAYMENT_NOT_INITIATED' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['a payment in review', payment({ state: 'IN_REVIEW' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['a refused payment', payment({ state: 'REFUSED' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['a cancelled payment', payment({ state: 'CANCELLED' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['an expired payment', payment({ state: 'EXPIRED' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['a failed payment', payment({ state: 'FAILED' }), KEY, 1_000, 'PAYMENT_NOT_STARTED'],
    ['a zero refund', payment(), KEY, 0, 'AMOUNT_TOO_LOW'],
    ['1 cent', payment(), KEY, 1, undefined],
    ['the whole payment', payment(), KEY, 10_000, undefined],
    ['1 cent over the payment', payment(), KEY, 10_001, 'AMOUNT_TOO_HIGH'],
    ['exactly what is left after a refund', payment({ refunds: [{ amount: 4_000, at: 0 }] }), KEY, 6_000, undefined],
    ['1 cent over what is left', payment({ refunds: [{ amount: 4_000, at: 0 }] }), KEY, 6_001, 'AMOUNT_TOO_HIGH'],
    ['anything after a full refund', payment({ refunds: [{ amount: 10_000, at: 0 }] }), KEY, 1, 'AMOUNT_TOO_HIGH'],
    ['over what is left when a refund is still pending', payment({ refunds: [{ amount: 9_000, at: Number.MAX_SAFE_INTEGER }] }), KEY, 1_001, 'AMOUNT_TOO_HIGH'],
  ];
  for (const [what, subject, key, amount, refusal] of refundRules) {
    test(`refund rule: ${what} → ${refusal ?? 'refunded'}`, () => {
      assert.equal(refundRefusal(subject, key, amount)?.message, refusal);
    });
  }

  const settling: Array<[string, number, number, { pending: number; refunded: number }]> = [
    // [what, ms since the refund, settle delay, totals]
    ['settles at once by default', 0, 0, { pending: 0, refunded: 3_000 }],
    ['pending within the delay', 999, 1_000, { pending: 3_000, refunded: 0 }],
    ['refunded once the delay has passed', 1_000, 1_000, { pending: 0, refunded: 3_000 }],
  ];
  for (const [what, elapsed, settleMs, totals] of settling) {
    test(`refund totals: ${what}`, () => {
      const subject = payment({ refunds: [{ amount: 3_000, at: 10_000 }] });
      assert.deepEqual(refundTotals(subject, 10_000 + elapsed, settleMs), totals);
      const row = infosOf(subject, 10_000 + elapsed, settleMs);
      assert.deepEqual([row.initialPaymentAmount, row.pendingRefundAmount, row.refundedAmount], [10_000, totals.pending, totals.refunded]);
    });
  }

  test('the store settles pending refunds on demand and keeps settled ones as they are', () => {
    let now = 50_000;
    const store = new HeroStore(() => now);
    store.refundSettleMs = 10_000;
    const subject = payment({ refunds: [{ amount: 1_000, at: 1_000 }, { amount: 2_000, at: 49_000 }] });
    assert.deepEqual(refundTotals(subject, now, store.refundSettleMs), { pending: 2_000, refunded: 1_000 });
    assert.equal(store.settleRefunds(subject), 2_000);
    assert.deepEqual(refundTotals(subject, now, store.refundSettleMs), { pending: 0, refunded: 3_000 });
    assert.equal(subject.refunds[0]!.at, 1_000);
    now += 1;
    assert.equal(store.settleRefunds(subject), 0);
  });

  const hosts: Array<[string, boolean]> = [
    ['localhost', true],
    ['shop.localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['shop.example', false],
    ['localhost.example', false],
  ];
  for (const [host, loopback] of hosts) {
    test(`${host} ${loopback ? 'is' : 'is not'} a host the real Hero refuses`, () => {
      assert.equal(isLoopbackHost(host), loopback);
    });
  }
});
