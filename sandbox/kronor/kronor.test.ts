/**
 * The Kronor simulator over HTTP: both schemas against the real ones, auth refusals, every operation's happy path,
 * input rules, idempotency and the reference check, hosted-page outcomes, presets, faults and webhooks.
 * Websocket behaviour is in kronor-ws.test.ts.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { loadReferenceSchema, schemaSubsetProblems } from '../core/schema-subset.ts';
import { useSandbox } from '../testing.ts';
import { MERCHANT_TOKEN, PAYMENT_GATEWAY_TOKEN, READ_ONLY_TOKEN } from './config.ts';
import { loadSchema } from './graphql.ts';
import {
  ADDITIONAL_DATA,
  CARD,
  gql,
  inHours,
  key,
  NEW_SESSION,
  NEW_SESSION_CHECKED,
  newCard,
  newSession,
  newSwish,
  ok,
  PAYPAL_DATA,
  refused,
  request,
  RETURN_URL,
  sessionInput,
  startReceiver,
  SWISH,
  waitFor,
} from './testkit.ts';

const sandbox = useSandbox();
const base = () => sandbox.url;

async function controlPayments(): Promise<Array<{ id: string; status: string; amount: number; reference: string; pageUrl: string }>> {
  return (await sandbox.control('GET', '/payments?provider=kronor')).payments;
}

async function statusOf(waitToken: string): Promise<string> {
  return (await controlPayments()).find((p) => p.id === waitToken)!.status;
}

/** Posts a hosted page's form as a browser would, without following the redirect. */
async function submit(pageUrl: string, outcome: string): Promise<Response> {
  return fetch(pageUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome }).toString(),
    redirect: 'manual',
  });
}

/** Reads a page's form action, as a browser would before posting it. */
async function formAction(html: string): Promise<string> {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the page has a form');
  return `${base()}${action.replaceAll('&amp;', '&')}`;
}

describe('Kronor schemas', () => {
  it('the session schema is a subset of the real session schema', () => {
    assert.deepEqual(schemaSubsetProblems(loadSchema('session.graphql'), loadReferenceSchema('kronor-session.graphqls')), []);
  });

  it('the merchant schema is a subset of the real merchant schema', () => {
    assert.deepEqual(schemaSubsetProblems(loadSchema('merchant.graphql'), loadReferenceSchema('kronor-merchant.graphqls')), []);
  });
});

describe('Kronor auth', () => {
  const cases: Array<[name: string, header: () => Promise<string | null>, code: string, message: RegExp]> = [
    ['no Authorization header', async () => null, 'access-denied', /Missing 'Authorization'/],
    ['a header without Bearer', async () => 'Token sandbox-kronor-merchant-token', 'invalid-headers', /Malformed Authorization header/],
    ['a wrong merchant token', async () => 'Bearer wrong-token', 'invalid-jwt', /CompactDecodeError/],
    [
      'a JWT signed by someone else',
      async () =>
        `Bearer ${await new SignJWT({ sub: 'x' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('not the sandbox key, 32 bytes long!'))}`,
      'invalid-jwt',
      /JWSInvalidSignature/,
    ],
  ];
  for (const [name, header, code, message] of cases) {
    it(`refuses ${name} with HTTP 200 and Hasura's ${code}`, async () => {
      const authorization = await header();
      const response = await fetch(`${base()}/kronor/v1/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ payments { id } }' }),
      });
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.data, undefined);
      assert.equal(body.errors[0].extensions.code, code);
      assert.equal(body.errors[0].extensions.path, '$');
      assert.match(body.errors[0].message, message);
    });
  }

  it('gives each role its own schema', async () => {
    const token = await newSession(base());
    const merchantOnly = await refused(base(), token, NEW_SESSION, { payment: sessionInput() });
    assert.equal(merchantOnly.code, 'validation-failed');
    assert.equal(merchantOnly.message, "field 'newPaymentSession' not found in type: 'mutation_root'");
    const sessionOnly = await refused(base(), MERCHANT_TOKEN, SWISH, { pay: { flow: 'mcom', idempotencyKey: 'k', returnUrl: RETURN_URL } });
    assert.equal(sessionOnly.message, "field 'newSwishPayment' not found in type: 'mutation_root'");
  });

  it('refuses a session token once the session expired (control drill)', async () => {
    const token = await newSession(base());
    await ok(base(), token, '{ paymentRequests { waitToken } }');
    await sandbox.control('POST', '/kronor/expire-session', { token });
    const error = await refused(base(), token, '{ paymentRequests { waitToken } }');
    assert.deepEqual([error.code, error.message], ['invalid-jwt', 'Could not verify JWT: JWTExpired']);
  });

  it('refuses a session token after its expiresAt passes by itself', async () => {
    const token = await newSession(base(), { expiresAt: new Date(Date.now() + 400).toISOString() });
    await ok(base(), token, '{ paymentRequests { waitToken } }');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const error = await refused(base(), token, '{ paymentRequests { waitToken } }');
    assert.equal(error.message, 'Could not verify JWT: JWTExpired');
  });

  it('refuses tokens minted before a reset', async () => {
    const token = await newSession(base());
    await sandbox.control('POST', '/reset');
    assert.equal((await refused(base(), token, '{ paymentRequests { waitToken } }')).code, 'invalid-jwt');
  });
});

describe('Kronor GraphQL transport', () => {
  it('answers a syntax error, an unknown field and a bad body in Hasura shape', async () => {
    const syntax = await refused(base(), MERCHANT_TOKEN, '{ payments { id ');
    assert.deepEqual([syntax.code, syntax.path, syntax.message], ['validation-failed', '$.query', 'not a valid graphql query']);
    const unknown = await refused(base(), MERCHANT_TOKEN, '{ payments { color } }');
    assert.equal(unknown.code, 'validation-failed');
    const response = await fetch(`${base()}/kronor/v1/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MERCHANT_TOKEN}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).errors[0].extensions.code, 'invalid-json');
  });

  it('runs a batch and answers an array', async () => {
    const response = await fetch(`${base()}/kronor/v1/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MERCHANT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ payments { id } }' }, { query: '{ paymentRequests { waitToken } }' }]),
    });
    assert.deepEqual(await response.json(), [{ data: { payments: [] } }, { data: { paymentRequests: [] } }]);
  });

  it('refuses a subscription over HTTP', async () => {
    const error = await refused(base(), MERCHANT_TOKEN, 'subscription { payments { id } }');
    assert.match(error.message, /not supported over HTTP/);
  });

  it('counts every operation by its root field', async () => {
    const token = await newSession(base());
    await newSwish(base(), token);
    await ok(base(), token, '{ paymentRequests { waitToken } }');
    const counted = await sandbox.control('GET', '/requests?provider=kronor');
    assert.deepEqual(
      counted.requests.map((r: { operation: string }) => r.operation),
      ['newPaymentSession', 'newSwishPayment', 'paymentRequests'],
    );
  });
});

describe('Kronor newPaymentSession', () => {
  it('mints a session JWT that expires at expiresAt', async () => {
    const expiresAt = inHours(2);
    const token = await newSession(base(), { expiresAt });
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    assert.equal(claims.exp, Math.ceil(Date.parse(expiresAt) / 1000));
    assert.equal(claims['https://hasura.io/jwt/claims']['x-hasura-default-role'], 'payment-gateway');
  });

  it('defaults the currency to SEK', async () => {
    const token = await newSession(base(), { currency: undefined });
    const waitToken = await newSwish(base(), token);
    assert.equal((await request(base(), token, waitToken)).currency, 'SEK');
  });

  const tooLong = (n: number) => 'x'.repeat(n);
  const invalidInputs: Array<[name: string, overrides: Record<string, unknown>, message: RegExp]> = [
    ['amount 0', { amount: 0 }, /amount must be between/],
    ['a negative amount', { amount: -100 }, /amount must be between/],
    ['an amount above the maximum', { amount: 100_000_001 }, /amount must be between/],
    ['an amount of the wrong type', { amount: '100' }, /Int/],
    ['a currency no method takes', { currency: 'ISK' }, /no payment method is available for currency ISK/],
    ['an unknown currency', { currency: 'XXX' }, /SupportedCurrencyEnum/],
    ['a past expiresAt', { expiresAt: new Date(Date.now() - 1000).toISOString() }, /expiresAt must be in the future/],
    ['expiresAt beyond 24 hours', { expiresAt: inHours(25) }, /at most 24 hours/],
    ['expiresAt not ISO 8601', { expiresAt: 'tomorrow' }, /ISO 8601/],
    ['a message over 50 characters', { message: tooLong(51) }, /message is longer than 50/],
    ['a message with a hyphen', { message: 'Order A-1001' }, /message may only contain/],
    ['a merchantReference over 64 characters', { merchantReference: tooLong(65) }, /merchantReference is longer than 64/],
    ['an idempotencyKey over 64 characters', { idempotencyKey: tooLong(65) }, /idempotencyKey is longer than 64/],
    ['an idempotencyKey with a space', { idempotencyKey: 'a b' }, /idempotencyKey may only contain/],
    ['a missing message', { message: undefined }, /message/],
    ['a gateway other than KRONOR', { preferredGateway: 'TRUSTLY' }, /GatewayEnum/],
    [
      'order lines that do not add up',
      { additionalData: { ...ADDITIONAL_DATA, orderLines: [{ ...PAYPAL_DATA.orderLines[0], totalAmount: 500, totalTaxAmount: 100 }] } },
      /sum of orderLines totalAmount \(500\) must equal amount \(10000\)/,
    ],
    ['an IP address that is none', { additionalData: { ...ADDITIONAL_DATA, ip: 'unknown' } }, /additionalData.ip must be an IPv4 or IPv6 address/],
    ['a negative tax rate', { additionalData: { ...ADDITIONAL_DATA, orderLines: [{ ...PAYPAL_DATA.orderLines[0], taxRate: -2500 }] } }, /taxRate must not be negative/],
    ['more tax than the line costs', { additionalData: { ...ADDITIONAL_DATA, orderLines: [{ ...PAYPAL_DATA.orderLines[0], totalTaxAmount: 10001 }] } }, /totalTaxAmount must be between 0 and totalAmount/],
    ['an order line of no items', { additionalData: { ...ADDITIONAL_DATA, orderLines: [{ ...PAYPAL_DATA.orderLines[0], quantity: 0 }] } }, /quantity must be positive/],
    ['a language Kronor does not know', { additionalData: { ...ADDITIONAL_DATA, language: 'XX' } }, /Language/],
  ];
  for (const [name, overrides, message] of invalidInputs) {
    it(`refuses ${name}`, async () => {
      const error = await refused(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: sessionInput(overrides) });
      assert.equal(error.code, 'validation-failed');
      assert.match(error.message, message);
    });
  }

  it('returns the same session for the same idempotencyKey', async () => {
    const input = sessionInput();
    const first = await ok(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: input });
    const again = await ok(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: input });
    assert.equal(again.newPaymentSession.token, first.newPaymentSession.token);
    const other = await ok(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: { ...input, idempotencyKey: key() } });
    assert.notEqual(other.newPaymentSession.token, first.newPaymentSession.token);
  });

  it('lets a corrected retry through after a refused attempt with the same key', async () => {
    const input = sessionInput({ amount: 0 });
    await refused(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: input });
    await ok(base(), MERCHANT_TOKEN, NEW_SESSION, { payment: { ...input, amount: 500 } });
  });
});

describe('Kronor newPaymentSessionWithReferenceCheck', () => {
  const checked = (overrides: Record<string, unknown>) =>
    gql(base(), MERCHANT_TOKEN, NEW_SESSION_CHECKED, { payment: sessionInput({ country: 'SE', ...overrides }) });

  it('reuses the session for the same reference, amount and currency, and reports its payment', async () => {
    const merchantReference = key('order');
    const first = (await checked({ merchantReference })).data!.newPaymentSessionWithReferenceCheck;
    assert.equal(first.paymentId, null);
    const second = (await checked({ merchantReference })).data!.newPaymentSessionWithReferenceCheck;
    assert.equal(second.token, first.token);
    assert.equal(second.paymentId, null);

    const waitToken = await newSwish(base(), first.token);
    await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
    const paid = await request(base(), first.token, waitToken);

    const third = (await checked({ merchantReference })).data!.newPaymentSessionWithReferenceCheck;
    assert.equal(third.token, first.token);
    assert.equal(third.paymentId, String(paid.resultingPaymentId));
    assert.equal(third.paymentTransactionId, paid.transactionId);
  });

  it('gives a new session when the cart changed before anything was paid', async () => {
    const merchantReference = key('order');
    const first = (await checked({ merchantReference })).data!.newPaymentSessionWithReferenceCheck;
    const changed = (await checked({ merchantReference, amount: 12000 })).data!.newPaymentSessionWithReferenceCheck;
    assert.notEqual(changed.token, first.token);
  });

  it('refuses another amount or currency for a reference that was already paid', async () => {
    const merchantReference = key('order');
    const first = (await checked({ merchantReference })).data!.newPaymentSessionWithReferenceCheck;
    const waitToken = await newSwish(base(), first.token);
    await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
    for (const overrides of [{ amount: 12000 }, { currency: 'EUR' }]) {
      const error = await refused(base(), MERCHANT_TOKEN, NEW_SESSION_CHECKED, {
        payment: sessionInput({ country: 'SE', merchantReference, ...overrides }),
      });
      assert.equal(error.code, 'validation-failed');
      assert.match(error.message, /already has a successful payment/);
    }
  });

  it('requires country and currency, which newPaymentSession leaves optional', async () => {
    const error = await refused(base(), MERCHANT_TOKEN, NEW_SESSION_CHECKED, { payment: sessionInput({ country: undefined }) });
    assert.equal(error.code, 'validation-failed');
    assert.match(error.message, /country/);
  });
});

describe('Kronor payment methods', () => {
  interface MethodCase {
    name: string;
    mutation: string;
    result: string;
    pay?: Record<string, unknown>;
    good: Record<string, unknown>;
    bad: Record<string, unknown>;
    badMessage: RegExp;
    details: string;
    urlField: string;
  }
  const methods: MethodCase[] = [
    {
      name: 'Swish',
      mutation: 'newSwishPayment(pay: $pay) { waitToken }',
      result: 'waitToken',
      pay: { flow: 'mcom' },
      good: { currency: 'SEK' },
      bad: { currency: 'DKK' },
      badMessage: /Swish is not available for DKK; it takes SEK/,
      details: 'transactionSwishDetails',
      urlField: 'qrCode',
    },
    {
      name: 'card',
      mutation: 'newCreditCardPayment(pay: $pay) { waitToken gateway authToken }',
      result: 'waitToken',
      good: { currency: 'EUR' },
      bad: { currency: 'CHF' },
      badMessage: /Card is not available for CHF/,
      details: 'transactionCreditCardDetails',
      urlField: 'sessionUrl',
    },
    {
      name: 'MobilePay',
      mutation: 'newMobilePayPayment(pay: $pay) { waitToken gateway }',
      result: 'waitToken',
      good: { currency: 'DKK' },
      bad: { currency: 'SEK' },
      badMessage: /MobilePay is not available for SEK; it takes DKK/,
      details: 'transactionMobilePayDetails',
      urlField: 'sessionUrl',
    },
    {
      name: 'Vipps',
      mutation: 'newVippsPayment(pay: $pay) { waitToken gateway }',
      result: 'waitToken',
      good: { currency: 'NOK' },
      bad: { currency: 'SEK' },
      badMessage: /Vipps is not available for SEK; it takes NOK/,
      details: 'transactionVippsDetails',
      urlField: 'sessionUrl',
    },
    {
      name: 'P24',
      mutation: 'newP24Payment(pay: $pay) { paymentId }',
      result: 'paymentId',
      good: { currency: 'PLN', country: 'PL', additionalData: ADDITIONAL_DATA },
      bad: { currency: 'SEK' },
      badMessage: /Przelewy24 is not available for SEK; it takes PLN/,
      details: 'transactionP24Details',
      urlField: 'sessionUrl',
    },
    {
      name: 'PayPal',
      mutation: 'newPayPalPayment(pay: $pay) { paymentId }',
      result: 'paymentId',
      good: { currency: 'SEK', additionalData: PAYPAL_DATA },
      bad: { currency: 'SEK', additionalData: ADDITIONAL_DATA },
      badMessage: /PayPal needs additionalData.shippingAddress/,
      details: 'transactionPayPalDetails',
      urlField: 'paymentUrl',
    },
    {
      name: 'bank transfer',
      mutation: 'newBankTransferPayment(pay: $pay) { paymentId paymentRequestId gateway }',
      result: 'paymentId',
      good: { currency: 'SEK' },
      bad: { currency: 'DKK' },
      badMessage: /Bank transfer is not available for DKK/,
      details: 'transactionBankTransferDetails',
      urlField: 'payUrl',
    },
  ];

  for (const method of methods) {
    const run = (token: string) =>
      gql(base(), token, `mutation Pay($pay: ${inputType(method.mutation)}!) { ${method.mutation} }`, {
        pay: { idempotencyKey: key(), returnUrl: RETURN_URL, ...method.pay },
      });

    it(`${method.name}: starts a payment and points its details at a page`, async () => {
      const token = await newSession(base(), method.good);
      const result = await run(token);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      const field = Object.values(result.data!)[0] as Record<string, string>;
      const waitToken = field[method.result]!;
      const seen = await waitFor(
        () => request(base(), token, waitToken),
        (r) => r.status[0].status === 'WAITING_FOR_PAYMENT',
      );
      assert.equal(seen.status[0].status, 'WAITING_FOR_PAYMENT');
      assert.deepEqual(seen.statusHistory, [{ status: 'INITIALIZING' }, { status: 'WAITING_FOR_PAYMENT' }]);
      assert.ok(seen[method.details][0][method.urlField], `${method.details}.${method.urlField} is set`);
      const filled = DETAIL_FIELDS.filter((f) => seen[f].length > 0);
      assert.deepEqual(filled, [method.details], 'only the own method has details');
    });

    it(`${method.name}: refuses a session it cannot serve`, async () => {
      const token = await newSession(base(), method.bad);
      const result = await run(token);
      assert.equal(result.errors?.[0]?.extensions.code, 'validation-failed');
      assert.match(result.errors![0]!.message, method.badMessage);
    });
  }

  it('P24 needs country PL and the customer name', async () => {
    for (const [overrides, message] of [
      [{ currency: 'PLN', additionalData: ADDITIONAL_DATA }, /needs a session with country PL/],
      [{ currency: 'PLN', country: 'PL' }, /needs additionalData.name/],
    ] as const) {
      const token = await newSession(base(), overrides);
      const error = await refused(base(), token, 'mutation($pay: P24PaymentInput!) { newP24Payment(pay: $pay) { paymentId } }', {
        pay: { idempotencyKey: key(), returnUrl: RETURN_URL },
      });
      assert.match(error.message, message);
    }
  });

  const swishInputs: Array<[name: string, pay: Record<string, unknown>, message: RegExp | null, number?: string | null]> = [
    ['mcom without a number', { flow: 'mcom' }, null, null],
    ['ecom with a 07… number', { flow: 'ecom', customerSwishNumber: '070-123 45 67' }, null, '46701234567'],
    ['ecom with a +46 number', { flow: 'ecom', customerSwishNumber: '+46701234567' }, null, '46701234567'],
    ['ecom without a number', { flow: 'ecom' }, /customerSwishNumber is required for the 'ecom' flow/],
    ['ecom with a landline', { flow: 'ecom', customerSwishNumber: '0812345678' }, /not a Swedish mobile number/],
    ['an unknown flow', { flow: 'web' }, /flow must be one of mcom, ecom/],
    ['a returnUrl that is not a URL', { flow: 'mcom', returnUrl: 'not a url' }, /returnUrl must be an absolute URL/],
  ];
  for (const [name, pay, message, number] of swishInputs) {
    it(`Swish ${name}`, async () => {
      const token = await newSession(base());
      const result = await gql(base(), token, SWISH, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, ...pay } });
      if (message) {
        assert.equal(result.errors?.[0]?.extensions.code, 'validation-failed');
        return assert.match(result.errors![0]!.message, message);
      }
      const waitToken = result.data!.newSwishPayment.waitToken;
      const seen = await waitFor(() => request(base(), token, waitToken), (r) => r.transactionSwishDetails.length > 0);
      const details = seen.transactionSwishDetails[0];
      assert.equal(details.customerSwishNumber, number);
      if (pay.flow === 'mcom') {
        assert.match(details.qrCode, /^D[0-9a-f]{32}$/);
        assert.equal(details.returnUrl, `swish://paymentrequest?token=${details.qrCode.slice(1)}&callbackurl=${encodeURIComponent(RETURN_URL)}`);
      } else {
        assert.equal(details.qrCode, null);
      }
    });
  }

  it('applies each method its amount limits', async () => {
    const token = await newSession(base(), { amount: 20_000_000 });
    const error = await refused(base(), token, SWISH, { pay: { flow: 'mcom', idempotencyKey: key(), returnUrl: RETURN_URL } });
    assert.match(error.message, /outside the Swish limits/);
    await newCard(base(), token);
  });

  it('MobilePay needs a userFlow when the session prefers the KRONOR gateway', async () => {
    const token = await newSession(base(), { currency: 'DKK', preferredGateway: 'KRONOR' });
    const mutation = 'mutation($pay: MobilePayPaymentInput!) { newMobilePayPayment(pay: $pay) { waitToken } }';
    const error = await refused(base(), token, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL } });
    assert.match(error.message, /userFlow must be set/);
    const data = await ok(base(), token, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, userFlow: 'QR' } });
    const seen = await waitFor(() => request(base(), token, data.newMobilePayPayment.waitToken), (r) => r.transactionMobilePayDetails.length > 0);
    const qr = await fetch(seen.transactionMobilePayDetails[0].qrCodeUrl);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  });

  it('bank transfer takes an executionDate only when the session allows it', async () => {
    const mutation = 'mutation($pay: BankTransferPaymentInput!) { newBankTransferPayment(pay: $pay) { paymentId } }';
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const strict = await newSession(base());
    const error = await refused(base(), strict, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, executionDate: tomorrow } });
    assert.match(error.message, /does not allow an executionDate/);
    const lenient = await newSession(base(), { allowExecutionDate: true });
    const late = await refused(base(), lenient, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, executionDate: '2020-01-01' } });
    assert.match(late.message, /after today/);
    await ok(base(), lenient, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, executionDate: tomorrow } });
  });

  it('records device information and answers refreshPaymentStatus', async () => {
    const token = await newSession(base());
    const info = { browserName: 'Firefox', browserVersion: '130', fingerprint: 'abc', osName: 'Linux', osVersion: '6', userAgent: 'UA' };
    const data = await ok(
      base(),
      token,
      'mutation($info: AddSessionDeviceInformationInput!) { addSessionDeviceInformation(info: $info) { result } refreshPaymentStatus { result } }',
      { info },
    );
    assert.deepEqual(data, { addSessionDeviceInformation: { result: true }, refreshPaymentStatus: { result: true } });
  });
});

function inputType(mutation: string): string {
  return `${/^new(\w+)Payment/.exec(mutation)![1]}PaymentInput`;
}

const DETAIL_FIELDS = [
  'transactionSwishDetails',
  'transactionCreditCardDetails',
  'transactionMobilePayDetails',
  'transactionVippsDetails',
  'transactionP24Details',
  'transactionPayPalDetails',
  'transactionBankTransferDetails',
];

describe('Kronor idempotency and duplicate payments', () => {
  it('returns the same waitToken for the same idempotencyKey without a second payment', async () => {
    const token = await newSession(base());
    const pay = { flow: 'mcom', idempotencyKey: 'same-key', returnUrl: RETURN_URL };
    const first = await ok(base(), token, SWISH, { pay });
    const again = await ok(base(), token, SWISH, { pay });
    assert.equal(again.newSwishPayment.waitToken, first.newSwishPayment.waitToken);
    assert.equal((await controlPayments()).length, 1);
  });

  it('keeps idempotency keys apart per session', async () => {
    const pay = { flow: 'mcom', idempotencyKey: 'same-key', returnUrl: RETURN_URL };
    const a = await ok(base(), await newSession(base()), SWISH, { pay });
    const b = await ok(base(), await newSession(base()), SWISH, { pay });
    assert.notEqual(a.newSwishPayment.waitToken, b.newSwishPayment.waitToken);
  });

  it('answers a pending payment of the same method and parameters instead of a second one', async () => {
    const token = await newSession(base());
    const first = await newSwish(base(), token);
    const again = await newSwish(base(), token);
    assert.equal(again, first);
    const error = await refused(base(), token, SWISH, { pay: { flow: 'mcom', idempotencyKey: key(), returnUrl: 'https://shop.example/other' } });
    assert.deepEqual([error.code, /cancel it first/.test(error.message)], ['bad-request', true]);
  });

  it('cancels the pending payment so a new one can start', async () => {
    const token = await newSession(base());
    const first = await newSwish(base(), token);
    const cancelled = await ok(base(), token, 'mutation { cancelPayment(cancel: {idempotencyKey: "c1"}) { waitToken } }');
    assert.equal(cancelled.cancelPayment.waitToken, first);
    const seen = await request(base(), token, first);
    assert.deepEqual(seen.statusHistory.slice(-2), [{ status: 'CANCELLING' }, { status: 'CANCELLED' }]);
    assert.notEqual(await newSwish(base(), token), first);
    const nothing = await ok(base(), token, 'mutation { cancelPayment(cancel: {idempotencyKey: "c2"}) { waitToken } }');
    assert.notEqual(nothing.cancelPayment.waitToken, first);
  });

  it('answers with the paid payment when the session already has one', async () => {
    const token = await newSession(base());
    const paid = await newSwish(base(), token);
    await sandbox.control('POST', `/payments/kronor/${paid}/outcome`, { outcome: 'pay' });
    assert.equal(await newCard(base(), token), paid);
    assert.equal((await controlPayments()).length, 1);
  });

  it('merchant cancelPayment cancels by merchant reference, only while waiting', async () => {
    const merchantReference = key('order');
    const token = await newSession(base(), { merchantReference });
    const waitToken = await newSwish(base(), token);
    const mutation = 'mutation($c: PaymentCancelInput!) { cancelPayment(cancel: $c) { waitToken } }';
    const data = await ok(base(), MERCHANT_TOKEN, mutation, { c: { idempotencyKey: key(), paymentReference: merchantReference } });
    assert.equal(data.cancelPayment.waitToken, waitToken);
    assert.equal(await statusOf(waitToken), 'CANCELLED');
    const again = await refused(base(), MERCHANT_TOKEN, mutation, { c: { idempotencyKey: key(), paymentReference: merchantReference } });
    assert.equal(again.code, 'bad-request');
    const unknown = await refused(base(), MERCHANT_TOKEN, mutation, { c: { idempotencyKey: key(), paymentReference: 'nope' } });
    assert.match(unknown.message, /no payment with reference nope/);
  });
});

describe('Kronor hosted pages', () => {
  const pagePays: Array<[method: string, session: Record<string, unknown>, mutation: string, field: string, history: string[]]> = [
    ['Swish phone', {}, SWISH, 'waitToken', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['card', {}, CARD, 'waitToken', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['MobilePay', { currency: 'DKK' }, 'mutation($pay: MobilePayPaymentInput!) { newMobilePayPayment(pay: $pay) { waitToken } }', 'waitToken', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['Vipps', { currency: 'NOK' }, 'mutation($pay: VippsPaymentInput!) { newVippsPayment(pay: $pay) { waitToken } }', 'waitToken', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['P24', { currency: 'PLN', country: 'PL', additionalData: ADDITIONAL_DATA }, 'mutation($pay: P24PaymentInput!) { newP24Payment(pay: $pay) { paymentId } }', 'paymentId', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['PayPal', { additionalData: PAYPAL_DATA }, 'mutation($pay: PayPalPaymentInput!) { newPayPalPayment(pay: $pay) { paymentId } }', 'paymentId', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'PAID']],
    ['bank transfer', {}, 'mutation($pay: BankTransferPaymentInput!) { newBankTransferPayment(pay: $pay) { paymentId } }', 'paymentId', ['INITIALIZING', 'WAITING_FOR_PAYMENT', 'FLOW_COMPLETED', 'PAID']],
  ];
  for (const [method, session, mutation, field, history] of pagePays) {
    it(`${method}: the page's Pay button pays and returns the browser to returnUrl`, async () => {
      const token = await newSession(base(), session);
      const data = await ok(base(), token, mutation, { pay: { idempotencyKey: key(), returnUrl: RETURN_URL, ...(method === 'Swish phone' ? { flow: 'mcom' } : {}) } });
      const waitToken = (Object.values(data)[0] as Record<string, string>)[field]!;
      const page = (await controlPayments()).find((p) => p.id === waitToken)!.pageUrl;
      const html = await (await fetch(page)).text();
      assert.match(html, /<dd data-field="amount">100\.00 [A-Z]{3}<\/dd>/);
      const response = await submit(await formAction(html), 'pay');
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), RETURN_URL);
      const seen = await request(base(), token, waitToken);
      assert.deepEqual(seen.statusHistory.map((s: { status: string }) => s.status), history);
      assert.equal(typeof seen.resultingPaymentId, 'number');
    });
  }

  const outcomes: Array<[outcome: string, status: string]> = [
    ['decline', 'DECLINED'],
    ['cancel', 'CANCELLED'],
  ];
  for (const [outcome, status] of outcomes) {
    it(`card page: ${outcome} ends ${status} and returns to returnUrl`, async () => {
      const token = await newSession(base());
      const waitToken = await newCard(base(), token);
      const response = await submit(`${base()}/kronor/card/${waitToken}`, outcome);
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), RETURN_URL);
      assert.equal(await statusOf(waitToken), status);
      assert.equal((await request(base(), token, waitToken)).resultingPaymentId, null);
    });
  }

  const controlOutcomes: Array<[outcome: string, status: string, swishError: string | null]> = [
    ['pay', 'PAID', null],
    ['decline', 'DECLINED', 'RF07'],
    ['cancel', 'CANCELLED', 'BANKIDCL'],
    ['fail', 'ERROR', 'DS24'],
    ['expire', 'ERROR', 'TM01'],
  ];
  for (const [outcome, status, swishError] of controlOutcomes) {
    it(`control API: ${outcome} ends a Swish payment ${status}`, async () => {
      const token = await newSession(base());
      const waitToken = await newSwish(base(), token);
      const result = await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome });
      assert.deepEqual(result, { status, redirectUrl: RETURN_URL });
      const seen = await request(base(), token, waitToken);
      assert.equal(seen.status[0].status, status);
      assert.equal(seen.transactionSwishDetails[0].errorCode, swishError);
    });
  }

  it('refuses to decide a payment twice, on the page and through the control API', async () => {
    const token = await newSession(base());
    const waitToken = await newCard(base(), token);
    await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
    const response = await fetch(`${base()}/_sandbox/payments/kronor/${waitToken}/outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'decline' }),
    });
    assert.equal(response.status, 409);
    assert.equal((await submit(`${base()}/kronor/card/${waitToken}`, 'decline')).status, 409);
    assert.equal(await statusOf(waitToken), 'PAID');
    const unknown = await fetch(`${base()}/_sandbox/payments/kronor/nope/outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'pay' }),
    });
    assert.equal(unknown.status, 404);
  });

  it('applies a preset outcome as soon as the page opens', async () => {
    await sandbox.control('POST', '/outcomes', { provider: 'kronor', outcome: 'decline' });
    const token = await newSession(base());
    const waitToken = await newCard(base(), token);
    const response = await fetch(`${base()}/kronor/card/${waitToken}`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), RETURN_URL);
    assert.equal(await statusOf(waitToken), 'DECLINED');
  });

  it("Kronor's payment gateway page starts the method's payment and returns to merchantReturnUrl", async () => {
    const token = await newSession(base());
    const merchantReturnUrl = 'https://shop.example/done';
    const url = `${base()}/kronor/payment?env=sandbox&paymentMethod=creditCard&token=${token}&merchantReturnUrl=${encodeURIComponent(merchantReturnUrl)}`;
    const html = await (await fetch(url)).text();
    const action = await formAction(html);
    assert.match(action, /\/kronor\/card\/[0-9a-f-]{36}$/);
    const response = await submit(action, 'pay');
    assert.equal(response.headers.get('location'), merchantReturnUrl);
    const [payment] = await controlPayments();
    assert.equal(payment!.status, 'PAID');
  });

  const badGateway: Array<[name: string, query: (token: string) => string, status: number]> = [
    ['a bad token', () => 'paymentMethod=swish&token=nope&merchantReturnUrl=https://shop.example/', 401],
    ['an unknown method', (t) => `paymentMethod=klarna&token=${t}&merchantReturnUrl=https://shop.example/`, 400],
    ['a method the session cannot use', (t) => `paymentMethod=vipps&token=${t}&merchantReturnUrl=https://shop.example/`, 400],
    ['a missing merchantReturnUrl', (t) => `paymentMethod=swish&token=${t}`, 400],
  ];
  for (const [name, query, status] of badGateway) {
    it(`the gateway page answers ${status} for ${name}`, async () => {
      const token = await newSession(base());
      const response = await fetch(`${base()}/kronor/payment?${query(token)}`);
      assert.equal(response.status, status);
      assert.equal((await controlPayments()).length, 0);
    });
  }

  it('the Swish phone lists waiting payments, per number when asked', async () => {
    const token = await newSession(base());
    await newSwish(base(), token, { flow: 'ecom', customerSwishNumber: '46701234567' });
    const all = await (await fetch(`${base()}/kronor/swish/phone`)).text();
    assert.match(all, /100\.00 SEK to Kassa demo shop/);
    const other = await (await fetch(`${base()}/kronor/swish/phone?number=46709999999`)).text();
    assert.match(other, /No Swish payment is waiting/);
  });

  it('a Swish ecom approval stays on the phone (no redirect)', async () => {
    const token = await newSession(base());
    const waitToken = await newSwish(base(), token, { flow: 'ecom', customerSwishNumber: '46701234567' });
    const response = await submit(`${base()}/kronor/swish/phone/${waitToken}`, 'pay');
    assert.equal(response.status, 200);
    assert.match(await response.text(), /PAID/);
  });
});

describe('Kronor merchant operations', () => {
  const PAYMENTS = `query($where: PaymentBoolExp) {
    payments(where: $where, orderBy: {id: ASC}) {
      id currentStatus amountPaid amountAuthorized merchantReference paymentMethod paymentRefundStatus transactionId
      captures { id amount status { status } }
      refunds { totalAmount status { status } }
      transactionReleases { amount currentStatus }
      transactionCreditCardDetails { cardNumber }
    }
  }`;

  async function authorizedCard(amount = 10000) {
    await sandbox.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    const merchantReference = key('order');
    const token = await newSession(base(), { amount, merchantReference });
    const waitToken = await newCard(base(), token);
    assert.equal((await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' })).status, 'AUTHORIZED');
    const seen = await request(base(), token, waitToken);
    return { waitToken, merchantReference, paymentId: seen.resultingPaymentId as number, transactionId: seen.transactionId as string };
  }

  const CAPTURE = 'mutation($c: PaymentCaptureInput!) { newPaymentCapture(capture: $c) { captureId captureTransactionId } }';
  const RELEASE = 'mutation($r: ReleasePaymentInput!) { releasePayment(release: $r) { releaseId } }';
  const REFUND = 'mutation($r: RefundPaymentInput!) { refundPayment(refund: $r) { refundTransactionId waitToken } }';

  it('lists only payments that succeeded, filtered like Hasura', async () => {
    const token = await newSession(base(), { merchantReference: 'paid-order' });
    const paid = await newSwish(base(), token);
    await sandbox.control('POST', `/payments/kronor/${paid}/outcome`, { outcome: 'pay' });
    const declinedToken = await newSession(base(), { merchantReference: 'declined-order' });
    const declined = await newSwish(base(), declinedToken);
    await sandbox.control('POST', `/payments/kronor/${declined}/outcome`, { outcome: 'decline' });

    const all = await ok(base(), MERCHANT_TOKEN, PAYMENTS);
    assert.deepEqual(
      all.payments.map((p: { merchantReference: string; currentStatus: string; amountPaid: number }) => [p.merchantReference, p.currentStatus, p.amountPaid]),
      [['paid-order', 'PAID', 10000]],
    );
    const none = await ok(base(), MERCHANT_TOKEN, PAYMENTS, { where: { merchantReference: { _eq: 'declined-order' } } });
    assert.deepEqual(none.payments, []);
    const requests = await ok(base(), MERCHANT_TOKEN, `{ paymentRequests(where: {status: {status: {_eq: DECLINED}}}) { reference payment { id } } }`);
    assert.deepEqual(requests.paymentRequests, [{ reference: 'declined-order', payment: null }]);
  });

  it('captures an authorized card in parts until it is PAID, then refunds in parts', async () => {
    const card = await authorizedCard(10000);
    const first = await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 4000, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.equal(typeof first.newPaymentCapture.captureId, 'number');
    assert.equal(await statusOf(card.waitToken), 'PARTIALLY_CAPTURED');
    const tooMuch = await refused(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 7000, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.match(tooMuch.message, /more than the 6000 left to capture/);
    await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 6000, idempotencyKey: key(), paymentTransactionId: card.transactionId } });
    assert.equal(await statusOf(card.waitToken), 'PAID');

    await ok(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 2500, idempotencyKey: key(), message: 'Returned mug', paymentId: card.paymentId } });
    const over = await refused(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 8000, idempotencyKey: key(), message: 'x', paymentId: card.paymentId } });
    assert.match(over.message, /more than the 7500 left to refund/);

    const [payment] = (await ok(base(), MERCHANT_TOKEN, PAYMENTS, { where: { id: { _eq: card.paymentId } } })).payments;
    assert.equal(payment.amountPaid, 10000);
    assert.equal(payment.amountAuthorized, 10000);
    assert.equal(payment.paymentRefundStatus, 'PARTIALLY_REFUNDED');
    assert.deepEqual(payment.captures.map((c: { amount: number; status: Array<{ status: string }> }) => [c.amount, c.status[0]!.status]), [
      [4000, 'CAPTURE_DONE'],
      [6000, 'CAPTURE_DONE'],
    ]);
    assert.deepEqual(payment.refunds, [{ totalAmount: 2500, status: [{ status: 'PAID' }] }]);
    assert.equal(payment.transactionCreditCardDetails[0].cardNumber, '411111******1111');
  });

  it('releases an authorized card only in full', async () => {
    const card = await authorizedCard(10000);
    const partial = await refused(base(), MERCHANT_TOKEN, RELEASE, { r: { amount: 5000, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.match(partial.message, /only the full amount \(10000\)/);
    const release = await ok(base(), MERCHANT_TOKEN, RELEASE, { r: { amount: 10000, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.equal(typeof release.releasePayment.releaseId, 'string');
    assert.equal(await statusOf(card.waitToken), 'RELEASED');
    const capture = await refused(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 100, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.equal(capture.code, 'bad-request');
  });

  it('repeats a capture with the same idempotencyKey without capturing twice', async () => {
    const card = await authorizedCard(10000);
    const input = { c: { amount: 3000, idempotencyKey: 'capture-once', paymentId: card.paymentId } };
    const a = await ok(base(), MERCHANT_TOKEN, CAPTURE, input);
    const b = await ok(base(), MERCHANT_TOKEN, CAPTURE, input);
    assert.deepEqual(b, a);
    const [payment] = (await ok(base(), MERCHANT_TOKEN, PAYMENTS)).payments;
    assert.equal(payment.captures.length, 1);
  });

  const badTargets: Array<[name: string, input: Record<string, unknown>, message: RegExp]> = [
    ['neither paymentId nor paymentTransactionId', {}, /exactly one of paymentId or paymentTransactionId/],
    ['both ids', { paymentId: 1, paymentTransactionId: 'TX' }, /exactly one of paymentId or paymentTransactionId/],
    ['an unknown payment', { paymentId: 999 }, /no payment found for paymentId 999/],
    ['a zero amount', { paymentId: 1, amount: 0 }, /amount must be a positive whole number/],
  ];
  for (const [name, input, message] of badTargets) {
    it(`refuses a capture with ${name}`, async () => {
      const error = await refused(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 100, idempotencyKey: key(), ...input } });
      assert.equal(error.code, 'validation-failed');
      assert.match(error.message, message);
    });
  }

  it('refuses to refund a payment that was only authorized', async () => {
    const card = await authorizedCard();
    const error = await refused(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 100, idempotencyKey: key(), message: 'x', paymentId: card.paymentId } });
    assert.equal(error.code, 'bad-request');
  });

  it('refuses a second capture, an over-capture, a release after a capture and an over-refund, changing nothing', async () => {
    const card = await authorizedCard(10000);
    const snapshot = async () => (await ok(base(), MERCHANT_TOKEN, PAYMENTS, { where: { id: { _eq: card.paymentId } } })).payments[0];
    const over = await refused(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 10001, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.deepEqual([over.code, /more than the 10000 left to capture/.test(over.message)], ['validation-failed', true]);
    assert.deepEqual((await snapshot()).captures, []);

    await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 3000, idempotencyKey: key(), paymentId: card.paymentId } });
    const release = await refused(base(), MERCHANT_TOKEN, RELEASE, { r: { amount: 10000, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.deepEqual([release.code, /PARTIALLY_CAPTURED/.test(release.message)], ['bad-request', true]);
    await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 7000, idempotencyKey: key(), paymentId: card.paymentId } });
    const before = await snapshot();
    const twice = await refused(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 1, idempotencyKey: key(), paymentId: card.paymentId } });
    assert.deepEqual([twice.code, /is PAID; it was captured in full already/.test(twice.message)], ['bad-request', true]);

    await ok(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 9000, idempotencyKey: key(), message: 'Part', paymentId: card.paymentId } });
    const overRefund = await refused(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 1001, idempotencyKey: key(), message: 'x', paymentId: card.paymentId } });
    assert.match(overRefund.message, /more than the 1000 left to refund/);
    const after = await snapshot();
    assert.deepEqual(after.captures, before.captures);
    assert.deepEqual(after.refunds.map((r: { totalAmount: number }) => r.totalAmount), [9000]);
    assert.equal(after.currentStatus, 'PAID');
  });

  it('tells each operation by webhook as Kronor does: captures and statuses, no event for a refund', async () => {
    const receiver = await startReceiver();
    try {
      await ok(base(), MERCHANT_TOKEN, 'mutation($s: SetWebhookUrlInput!) { setWebhookUrl(setWebhookUrl: $s) { settingId } }', {
        s: { webhookUrl: receiver.url, eventSettings: [{ event: 'paymentStatusChanged', enabled: true }, { event: 'captureStateUpdate', enabled: true }] },
      });
      const events = async (count: number) => {
        const received = await waitFor(async () => receiver.received, (r) => r.length >= count);
        await new Promise((resolve) => setTimeout(resolve, 30));
        const all = received.splice(0).map((r) => JSON.parse(r.body).events[0] as { event: string; additionalData: { status: string } });
        return all.map((e) => `${e.event}:${e.additionalData.status}`).sort();
      };

      const card = await authorizedCard(10000);
      await events(2); // WAITING_FOR_PAYMENT and AUTHORIZED: not the operations.
      receiver.received.length = 0;
      await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 4000, idempotencyKey: key(), paymentId: card.paymentId } });
      assert.deepEqual(await events(3), ['captureStateUpdate:CAPTURE_DONE', 'captureStateUpdate:CAPTURING', 'paymentStatusChanged:PARTIALLY_CAPTURED']);
      await ok(base(), MERCHANT_TOKEN, CAPTURE, { c: { amount: 6000, idempotencyKey: key(), paymentId: card.paymentId } });
      assert.deepEqual(await events(3), ['captureStateUpdate:CAPTURE_DONE', 'captureStateUpdate:CAPTURING', 'paymentStatusChanged:PAID']);
      await ok(base(), MERCHANT_TOKEN, REFUND, { r: { amount: 1000, idempotencyKey: key(), message: 'x', paymentId: card.paymentId } });
      assert.deepEqual(await events(0), []);

      const held = await authorizedCard(10000);
      await events(2);
      receiver.received.length = 0;
      await ok(base(), MERCHANT_TOKEN, RELEASE, { r: { amount: 10000, idempotencyKey: key(), paymentId: held.paymentId } });
      assert.deepEqual(await events(1), ['paymentStatusChanged:RELEASED']);

      const token = await newSession(base());
      const waiting = await newSwish(base(), token);
      await waitFor(() => statusOf(waiting), (status) => status === 'WAITING_FOR_PAYMENT');
      await events(1);
      const reference = (await controlPayments()).find((p) => p.id === waiting)!.reference;
      await ok(base(), MERCHANT_TOKEN, 'mutation($c: PaymentCancelInput!) { cancelPayment(cancel: $c) { waitToken } }', { c: { idempotencyKey: key(), paymentReference: reference } });
      assert.deepEqual(await events(2), ['paymentStatusChanged:CANCELLED', 'paymentStatusChanged:CANCELLING']);
    } finally {
      await receiver.close();
    }
  });

  it("keeps the session's customer, with the shopper's IP address, on its requests and payments", async () => {
    const token = await newSession(base(), { additionalData: { ...ADDITIONAL_DATA, ip: '2001:db8::7' } });
    const waitToken = await newSwish(base(), token);
    await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
    const data = await ok(base(), MERCHANT_TOKEN, `query($w: uuid!) { paymentRequests(where: {waitToken: {_eq: $w}}) { customer { name email ip } payment { customer { ip } } } }`, { w: waitToken });
    assert.deepEqual(data.paymentRequests, [{ customer: { name: 'Anna Andersson', email: 'anna@example.com', ip: '2001:db8::7' }, payment: { customer: { ip: '2001:db8::7' } } }]);
    const anonymous = await newSwish(base(), await newSession(base()));
    const none = await ok(base(), MERCHANT_TOKEN, `query($w: uuid!) { paymentRequests(where: {waitToken: {_eq: $w}}) { customer { ip } } }`, { w: anonymous });
    assert.deepEqual(none.paymentRequests, [{ customer: null }]);
  });

  it('moves a payment to any Kronor status for drills', async () => {
    const token = await newSession(base());
    const waitToken = await newSwish(base(), token);
    await sandbox.control('POST', `/payments/kronor/${waitToken}/status`, { status: 'CAPTURE_DECLINED' });
    assert.equal((await request(base(), token, waitToken)).status[0].status, 'CAPTURE_DECLINED');
    await assert.rejects(sandbox.control('POST', `/payments/kronor/${waitToken}/status`, { status: 'PROCESSING' }), /400/);
  });
});

describe('Kronor merchant token roles', () => {
  const STATUS = `{ paymentRequests { waitToken transactionSwishDetails { errorCode } } payments { id } }`;

  it('a payment-gateway token may not read the payment details (seed), with Hasura\'s words', async () => {
    const error = await refused(base(), PAYMENT_GATEWAY_TOKEN, STATUS);
    assert.equal(error.code, 'validation-failed');
    assert.equal(error.message, "field 'transactionSwishDetails' not found in type: 'PaymentRequest'");
    assert.deepEqual(await ok(base(), PAYMENT_GATEWAY_TOKEN, '{ paymentRequests { waitToken } payments { id currentStatus } }'), { paymentRequests: [], payments: [] });
    assert.deepEqual(await ok(base(), MERCHANT_TOKEN, STATUS), { paymentRequests: [], payments: [] });
  });

  it('a merchant-read-only token reads the details but cannot write', async () => {
    assert.deepEqual(await ok(base(), READ_ONLY_TOKEN, STATUS), { paymentRequests: [], payments: [] });
    const error = await refused(base(), READ_ONLY_TOKEN, NEW_SESSION, { payment: sessionInput() });
    assert.deepEqual([error.code, error.message], ['validation-failed', 'no mutations exist']);
    assert.deepEqual(await ok(base(), MERCHANT_TOKEN, '{ payments { id } }'), { payments: [] }, 'nothing was created');
  });
});

describe('Kronor faults', () => {
  it('fails the create operation with the injected HTTP error, once', async () => {
    await sandbox.control('POST', '/faults', { provider: 'kronor', operation: 'create', kind: 'error', status: 500 });
    const response = await fetch(`${base()}/kronor/v1/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MERCHANT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: NEW_SESSION, variables: { payment: sessionInput() } }),
    });
    assert.equal(response.status, 500);
    await newSession(base());
  });

  it('fails the status operation and leaves create alone', async () => {
    await sandbox.control('POST', '/faults', { provider: 'kronor', operation: 'status', kind: 'error', status: 503 });
    const token = await newSession(base());
    const waitToken = await newSwish(base(), token);
    await assert.rejects(request(base(), token, waitToken), /HTTP 503/);
    assert.equal((await request(base(), token, waitToken)).waitToken, waitToken);
  });

  it('garbles a response when asked', async () => {
    await sandbox.control('POST', '/faults', { provider: 'kronor', operation: 'newSwishPayment', kind: 'malformed' });
    const token = await newSession(base());
    await assert.rejects(newSwish(base(), token), SyntaxError);
  });
});

describe('Kronor webhooks', () => {
  const SET = 'mutation($s: SetWebhookUrlInput!) { setWebhookUrl(setWebhookUrl: $s) { hmacSecret settingId } }';

  it('signs paymentStatusChanged with the hmacSecret (hex HMAC-SHA256 of the raw body)', async () => {
    const receiver = await startReceiver();
    try {
      const set = await ok(base(), MERCHANT_TOKEN, SET, {
        s: { webhookUrl: receiver.url, eventSettings: [{ event: 'paymentStatusChanged', enabled: true }] },
      });
      const secret = set.setWebhookUrl.hmacSecret as string;
      assert.match(secret, /^[0-9a-f]{64}$/);

      const merchantReference = key('order');
      const token = await newSession(base(), { merchantReference });
      const waitToken = await newSwish(base(), token);
      await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });

      const paid = receiver.received.find((r) => JSON.parse(r.body).events[0].additionalData.status === 'PAID');
      assert.ok(paid, 'a PAID event arrived');
      const expected = createHmac('sha256', secret).update(paid.body).digest('hex');
      assert.equal(paid.headers['x-hmac-sha256-signature'], expected);
      const { events } = JSON.parse(paid.body);
      assert.equal(events.length, 1);
      assert.equal(events[0].event, 'paymentStatusChanged');
      assert.match(events[0].id, /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(events[0].triggeredAt)));
      assert.deepEqual(events[0].additionalData, { paymentId: waitToken, status: 'PAID', reference: merchantReference, paymentMethod: 'SWISH', amount: 10000 });
    } finally {
      await receiver.close();
    }
  });

  it('sends nothing before setWebhookUrl, or for events left disabled', async () => {
    const receiver = await startReceiver();
    try {
      const token = await newSession(base());
      const first = await newSwish(base(), token);
      await sandbox.control('POST', `/payments/kronor/${first}/outcome`, { outcome: 'decline' });
      await ok(base(), MERCHANT_TOKEN, SET, { s: { webhookUrl: receiver.url, eventSettings: [{ event: 'paymentStatusChanged', enabled: false }] } });
      const second = await newSwish(base(), await newSession(base()));
      await sandbox.control('POST', `/payments/kronor/${second}/outcome`, { outcome: 'pay' });
      assert.equal(receiver.received.length, 0);
      assert.equal((await sandbox.control('GET', '/webhooks?provider=kronor')).webhooks.length, 0);
    } finally {
      await receiver.close();
    }
  });

  it('updates a setting by settingId without a new secret, and refuses unknown events', async () => {
    const receiver = await startReceiver();
    try {
      const created = await ok(base(), MERCHANT_TOKEN, SET, { s: { webhookUrl: 'https://shop.example/hooks', eventSettings: [] } });
      const updated = await ok(base(), MERCHANT_TOKEN, SET, {
        s: { webhookUrl: receiver.url, settingId: created.setWebhookUrl.settingId, eventSettings: [{ event: 'captureStateUpdate', enabled: true }] },
      });
      assert.deepEqual(updated.setWebhookUrl, { hmacSecret: null, settingId: created.setWebhookUrl.settingId });

      await sandbox.control('POST', '/kronor/settings', { cardCaptureMode: 'manual' });
      const waitToken = await newCard(base(), await newSession(base()));
      await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
      const [payment] = (await ok(base(), MERCHANT_TOKEN, '{ payments { id } }')).payments;
      await ok(base(), MERCHANT_TOKEN, 'mutation($c: PaymentCaptureInput!) { newPaymentCapture(capture: $c) { captureId } }', {
        c: { amount: 10000, idempotencyKey: key(), paymentId: payment.id },
      });
      // One captureStateUpdate per state the capture passes; only those events are enabled.
      const received = await waitFor(async () => receiver.received, (r) => r.length >= 2);
      const events = received.map((r) => JSON.parse(r.body).events[0]);
      assert.deepEqual(events.map((e) => e.event), ['captureStateUpdate', 'captureStateUpdate']);
      assert.deepEqual(events.map((e) => e.additionalData.status).sort(), ['CAPTURE_DONE', 'CAPTURING']);
      assert.deepEqual(events.map((e) => e.additionalData.amount), [10000, 10000]);

      const unknown = await refused(base(), MERCHANT_TOKEN, SET, { s: { webhookUrl: receiver.url, eventSettings: [{ event: 'everything', enabled: true }] } });
      assert.match(unknown.message, /unknown webhook event "everything"/);
      const badUrl = await refused(base(), MERCHANT_TOKEN, SET, { s: { webhookUrl: 'ftp://x', eventSettings: [] } });
      assert.match(badUrl.message, /http or https/);
    } finally {
      await receiver.close();
    }
  });
});
