/**
 * The browser's Kronor documents validate against Kronor's real session schema (and the sandbox's subset), and one
 * PaymentRequest row maps to what the shopper is shown by Kronor's SDK rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, validate } from 'graphql';
import { loadReferenceSchema } from '../../../sandbox/core/schema-subset.ts';
import { loadSchema } from '../../../sandbox/kronor/graphql.ts';
import { BROWSER_DOCUMENTS, KRONOR_METHODS, pickRequest, requestView, safeAppUrl, safePageUrl, START_MUTATIONS, startInput } from './browser-requests.ts';

const real = loadReferenceSchema('kronor-session.graphqls');
const sandbox = loadSchema('session.graphql');

describe('Kronor browser documents', () => {
  for (const [name, doc] of Object.entries(BROWSER_DOCUMENTS)) {
    it(`${name} validates against the real session schema and the sandbox's`, () => {
      assert.deepEqual(validate(real, parse(doc)).map(String), []);
      assert.deepEqual(validate(sandbox, parse(doc)).map(String), []);
    });
  }

  it('every method has a start mutation among the validated documents', () => {
    const documents = new Set<string>(Object.values(BROWSER_DOCUMENTS));
    for (const method of KRONOR_METHODS) assert.ok(documents.has(START_MUTATIONS[method].document), method);
  });

  it('the check catches a field the session schema does not have', () => {
    const wrong = BROWSER_DOCUMENTS.WATCH_REQUESTS.replace('payUrl', 'bankUrl');
    assert.notDeepEqual(validate(real, parse(wrong)), []);
  });

  it('builds each method’s input: Swish mcom, or ecom with the number; MobilePay and Vipps the web flow', () => {
    const base = { returnUrl: 'https://shop.example/r', idempotencyKey: 'k-1' };
    assert.deepEqual(startInput('swish', base), { ...base, merchantReturnUrl: base.returnUrl, flow: 'mcom' });
    assert.deepEqual(startInput('swish', { ...base, phone: '0701234567' }), {
      ...base,
      merchantReturnUrl: base.returnUrl,
      flow: 'ecom',
      customerSwishNumber: '0701234567',
    });
    assert.equal(startInput('mobilePay', base).userFlow, 'WebRedirect');
    assert.equal(startInput('vipps', base).userFlow, 'WebRedirect');
    assert.deepEqual(startInput('creditCard', base), { ...base, merchantReturnUrl: base.returnUrl });
  });
});

const at = (status: string, ms: number) => ({ status, enteredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString() });

describe('Kronor request rows → views', () => {
  const rows: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined]> = [
    ['only INITIALIZING is ignored', { waitToken: 'w1', status: [at('INITIALIZING', 0)] }, undefined],
    ['no status yet is ignored', { waitToken: 'w1', status: [] }, undefined],
    ['no waitToken is ignored', { status: [at('PAID', 0)] }, undefined],
    [
      'Swish: QR payload and the swish:// app link',
      { waitToken: 'w1', status: [at('WAITING_FOR_PAYMENT', 0)], transactionSwishDetails: [{ qrCode: 'Dabc', returnUrl: 'swish://paymentrequest?token=abc' }] },
      { waitToken: 'w1', status: 'WAITING_FOR_PAYMENT', state: 'action_required', qrCode: 'Dabc', appUrl: 'swish://paymentrequest?token=abc' },
    ],
    [
      'Swish timeout (TM01) is expired, not failed',
      { waitToken: 'w1', status: [at('ERROR', 0)], transactionSwishDetails: [{ errorCode: 'TM01' }] },
      { waitToken: 'w1', status: 'ERROR', state: 'expired' },
    ],
    [
      'card: sessionUrl',
      { waitToken: 'w2', status: [at('WAITING_FOR_PAYMENT', 0)], transactionCreditCardDetails: [{ sessionUrl: 'https://kronor.example/card/w2' }] },
      { waitToken: 'w2', status: 'WAITING_FOR_PAYMENT', state: 'action_required', pageUrl: 'https://kronor.example/card/w2' },
    ],
    [
      'MobilePay: sessionUrl',
      { waitToken: 'w3', status: [at('WAITING_FOR_PAYMENT', 0)], transactionMobilePayDetails: [{ sessionUrl: 'https://kronor.example/mp' }] },
      { waitToken: 'w3', status: 'WAITING_FOR_PAYMENT', state: 'action_required', pageUrl: 'https://kronor.example/mp' },
    ],
    [
      'Vipps: sessionUrl',
      { waitToken: 'w4', status: [at('WAITING_FOR_PAYMENT', 0)], transactionVippsDetails: [{ sessionUrl: 'https://kronor.example/v' }] },
      { waitToken: 'w4', status: 'WAITING_FOR_PAYMENT', state: 'action_required', pageUrl: 'https://kronor.example/v' },
    ],
    [
      'P24: sessionUrl',
      { waitToken: 'w5', status: [at('WAITING_FOR_PAYMENT', 0)], transactionP24Details: [{ sessionUrl: 'https://kronor.example/p24' }] },
      { waitToken: 'w5', status: 'WAITING_FOR_PAYMENT', state: 'action_required', pageUrl: 'https://kronor.example/p24' },
    ],
    [
      'PayPal: paymentUrl',
      { waitToken: 'w6', status: [at('WAITING_FOR_PAYMENT', 0)], transactionPayPalDetails: [{ paymentUrl: 'https://kronor.example/pp' }] },
      { waitToken: 'w6', status: 'WAITING_FOR_PAYMENT', state: 'action_required', pageUrl: 'https://kronor.example/pp' },
    ],
    [
      'bank transfer: payUrl',
      { waitToken: 'w7', status: [at('FLOW_COMPLETED', 0)], transactionBankTransferDetails: [{ payUrl: 'https://kronor.example/bt' }] },
      { waitToken: 'w7', status: 'FLOW_COMPLETED', state: 'processing', pageUrl: 'https://kronor.example/bt' },
    ],
    [
      'the latest of several status entries wins',
      { waitToken: 'w8', status: [at('PAID', 5), at('WAITING_FOR_PAYMENT', 1)] },
      { waitToken: 'w8', status: 'PAID', state: 'paid' },
    ],
    [
      'hostile URLs are dropped',
      {
        waitToken: 'w9',
        status: [at('WAITING_FOR_PAYMENT', 0)],
        transactionSwishDetails: [{ returnUrl: 'javascript:alert(1)' }],
        transactionCreditCardDetails: [{ sessionUrl: 'javascript:alert(1)' }],
      },
      { waitToken: 'w9', status: 'WAITING_FOR_PAYMENT', state: 'action_required' },
    ],
  ];
  for (const [name, row, expected] of rows) {
    it(name, () => assert.deepEqual(requestView(row), expected));
  }

  it('picks the named request, or the newest when none is named', () => {
    const list = [
      { waitToken: 'new', status: [at('WAITING_FOR_PAYMENT', 0)] },
      { waitToken: 'old', status: [at('CANCELLED', 0)] },
    ];
    assert.equal(pickRequest(list, undefined)?.waitToken, 'new');
    assert.equal(pickRequest(list, 'old')?.state, 'cancelled');
    assert.equal(pickRequest(list, 'other'), undefined);
    assert.equal(pickRequest(null, undefined), undefined);
  });

  it('page URLs are https (http only on loopback); app links only swish://', () => {
    assert.equal(safePageUrl('http://127.0.0.1:4010/kronor/card/x'), 'http://127.0.0.1:4010/kronor/card/x');
    assert.equal(safePageUrl('http://kronor.example/card'), undefined);
    assert.equal(safePageUrl('data:text/html,x'), undefined);
    assert.equal(safePageUrl('https://user:pw@kronor.example/'), undefined);
    assert.equal(safeAppUrl('swish://paymentrequest?token=1'), 'swish://paymentrequest?token=1');
    assert.equal(safeAppUrl('intent://evil'), undefined);
  });
});
