/**
 * The demo's sandbox panel tells the truth, drilled over real HTTP against the sandbox and the demo's endpoint: the
 * fault "next payment start fails" holds for the whole start at every provider (the endpoint's retries included),
 * so the click either fails with the endpoint's problem or moves to the next provider of the method.
 *
 *   node --import tsx --test test/drills/demo-faults.drills.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentMethod, PaymentResponse, ProviderName } from '../../src/core/model.ts';
import { problemCode } from '../../src/core/problems.ts';
import { exampleFields, startAtProvider, until, useEndpoint, type Harness } from '../support/endpoint.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A click the demo's routing sends to `provider` first, and where it goes when that provider fails (none: the click fails). */
interface StartCase {
  provider: ProviderName;
  order: string;
  method: string;
  /** The request the provider's payment start is made of, and how often the adapter sends it (its retries), as the sandbox logs it; Kronor's log leaves out requests a fault answered. */
  sent?: [operation: string, times: number];
  fallsBackTo?: ProviderName;
}

const CASES: StartCase[] = [
  // Hero and hi.health take no idempotency key: their start is sent once, never retried.
  { provider: 'hero', order: 'DEMO-EUR', method: 'b2b-pay-later.Pay1X', sent: ['createPayment', 1] },
  { provider: 'hidirect', order: 'DEMO-EUR', method: 'hi-health', sent: ['createPayment', 1] },
  { provider: 'milkypay', order: 'DEMO-EUR', method: 'mbway', sent: ['createPaymentInvoice', 3] },
  { provider: 'milkypay', order: 'DEMO-EUR', method: 'paypal', sent: ['createPaymentInvoice', 3], fallsBackTo: 'whenthen' },
  { provider: 'whenthen', order: 'DEMO-EUR', method: 'klarna', sent: ['authorizePayment', 3] },
  { provider: 'whenthen', order: 'DEMO-EUR', method: 'card', sent: ['generateClientToken', 3], fallsBackTo: 'kronor' },
  { provider: 'kronor', order: 'DEMO-SEK', method: 'swish' },
];

async function requestCount(h: Harness, provider: ProviderName, operation: string): Promise<number> {
  return (await h.control('GET', `/requests?provider=${provider}&operation=${operation}`)).count;
}

async function click(h: Harness, order: string, id: string) {
  const session = await h.session(order);
  const method = session.methods.find((m: PaymentMethod) => m.id === id);
  assert.ok(method, `${order} offers ${id}: ${session.methods.map((m) => m.id).join(', ')}`);
  return { method, answer: await h.pay(session.token, method.id, { fields: exampleFields(method) }) };
}

describe('demo panel: "next payment start fails (HTTP 500)" holds for the whole start', () => {
  const h = useEndpoint();

  for (const flow of CASES) {
    const outcome = flow.fallsBackTo ? `moves to ${flow.fallsBackTo} (route fallback)` : "fails with the endpoint's problem";
    it(`${flow.provider}, ${flow.method}: the next start ${outcome}, retries included; the start after goes through`, async () => {
      // The same call the panel's button makes.
      await h.control('POST', '/faults/next-payment-start', { provider: flow.provider, status: 500 });
      const { method, answer } = await click(h, flow.order, flow.method);
      assert.equal(method.provider, flow.provider, `the demo's routing sends ${flow.method} to ${flow.provider} first`);
      if (flow.sent) assert.equal(await requestCount(h, flow.provider, flow.sent[0]), flow.sent[1], `${flow.sent[0]} sent, every time answered 500`);
      if (flow.fallsBackTo) {
        assert.equal(answer.status, 201, answer.text);
        const { payment } = answer.body as PaymentResponse;
        assert.deepEqual([payment.provider, payment.route], [flow.fallsBackTo, 'fallback']);
      } else {
        assert.equal(answer.status, 503, answer.text);
        assert.equal(problemCode(answer.body.type), 'provider-unavailable');
      }
      const made = (await h.control('GET', `/payments?provider=${flow.provider}`)).payments;
      assert.equal(made.length, 0, `${flow.provider} made no payment`);

      // One start only: the shopper's next click, a moment later, starts at the provider.
      await sleep(3_100);
      const again = await click(h, flow.order, flow.method);
      assert.equal(again.answer.status, 201, again.answer.text);
      assert.deepEqual([again.answer.body.payment.provider, again.answer.body.payment.route], [flow.provider, 'first-choice']);
    });
  }
});

/** A click whose next payment the panel set to expire, and the state Kassa must end in. */
interface ExpiryCase {
  provider: ProviderName;
  order: string;
  method: string;
  /** hi.health has no expiry of its own: an expired payment is CANCELLED there. */
  ends: 'expired' | 'cancelled';
}

const EXPIRIES: ExpiryCase[] = [
  { provider: 'hero', order: 'DEMO-EUR', method: 'b2b-pay-later.Pay1X', ends: 'expired' },
  { provider: 'milkypay', order: 'DEMO-EUR', method: 'mbway', ends: 'expired' },
  { provider: 'milkypay', order: 'DEMO-EUR', method: 'paypal', ends: 'expired' },
  { provider: 'hidirect', order: 'DEMO-EUR', method: 'hi-health', ends: 'cancelled' },
  { provider: 'whenthen', order: 'DEMO-EUR', method: 'klarna', ends: 'expired' },
  { provider: 'whenthen', order: 'DEMO-EUR', method: 'card', ends: 'expired' },
  { provider: 'kronor', order: 'DEMO-SEK', method: 'swish', ends: 'expired' },
];

/** Where the shopper's browser lands after the provider's page opens, following every redirect; the page's HTML. */
async function openProviderPage(h: Harness, created: PaymentResponse, provider: ProviderName): Promise<{ url: string; html: string }> {
  const { action } = created;
  let response: Response;
  if (action.type === 'redirect') {
    response = await fetch(action.url);
  } else if (action.type === 'form') {
    const params = new URLSearchParams(action.fields);
    response = action.method === 'GET' ? await fetch(`${action.url}?${params}`) : await fetch(action.url, { method: 'POST', body: params });
  } else if (action.type === 'kronor') {
    // The browser starts the Swish request with the session token; the shopper's phone then opens it.
    const id = await startAtProvider(h.sandbox.url, provider, created);
    const listed = (await h.control('GET', `/payments?provider=${provider}`)).payments as Array<{ id: string; pageUrl: string | null }>;
    const page = listed.find((p) => p.id === id)?.pageUrl;
    assert.ok(page, 'the Swish request has a page');
    response = await fetch(page);
  } else {
    throw new Error(`no page to open for a ${action.type} action`);
  }
  return { url: response.url, html: await response.text() };
}

describe('demo panel: "next payment expires" ends the payment expired, and leaves the shopper a way back', () => {
  const h = useEndpoint();

  for (const flow of EXPIRIES) {
    it(`${flow.provider}, ${flow.method}: ends ${flow.ends}; the page the shopper lands on leads back to the shop`, async () => {
      await h.control('POST', '/outcomes', { provider: flow.provider, outcome: 'expire' });
      const { method, answer } = await click(h, flow.order, flow.method);
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.payment.provider, flow.provider, `${method.id} starts at ${flow.provider}`);
      const created = answer.body as PaymentResponse;
      const landed = await openProviderPage(h, created, flow.provider);
      const returnPage = `${h.demo.url}/return.html`;
      if (!landed.url.startsWith(returnPage)) {
        const links = [...landed.html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
        assert.ok(links.some((href) => href.startsWith(returnPage)), `${landed.url} links back to the shop: ${landed.html}`);
      }
      const state = await until(`${flow.provider} payment final`, async () => {
        const read = await h.api(`/payments/${created.payment.reference}`);
        return ['expired', 'cancelled', 'failed', 'declined', 'paid'].includes(read.body.state) && read.body.state;
      });
      assert.equal(state, flow.ends);
    });
  }
});

describe("sandbox hosted pages: the demo shop's one name, the shopper's language where the provider speaks it", () => {
  const h = useEndpoint();

  const pages: Array<{ provider: ProviderName; order: string; method: string; language?: [header: string, lang: string, pay: string] }> = [
    { provider: 'hero', order: 'DEMO-EUR', method: 'b2b-pay-later.Pay1X' },
    { provider: 'milkypay', order: 'DEMO-EUR', method: 'mbway' },
    { provider: 'whenthen', order: 'DEMO-EUR', method: 'klarna' },
    { provider: 'hidirect', order: 'DEMO-EUR', method: 'hi-health', language: ['de-DE,de;q=0.9,en;q=0.5', 'de', '>Bezahlen</button>'] },
    { provider: 'kronor', order: 'DEMO-SEK', method: 'swish', language: ['sv-SE,sv;q=0.9', 'sv', '>Godkänn</button>'] },
  ];

  for (const page of pages) {
    const language = page.language ? `, in ${page.language[1]} for a browser that asks for it` : '';
    it(`${page.provider}: the page names "Kassa demo shop"${language}`, async () => {
      const { answer } = await click(h, page.order, page.method);
      assert.equal(answer.status, 201, answer.text);
      const created = answer.body as PaymentResponse;
      const headers: Record<string, string> = page.language ? { 'accept-language': page.language[0] } : {};
      const { action } = created;
      let response: Response;
      if (action.type === 'kronor') {
        const id = await startAtProvider(h.sandbox.url, page.provider, created);
        const listed = (await h.control('GET', `/payments?provider=${page.provider}`)).payments as Array<{ id: string; pageUrl: string | null }>;
        response = await fetch(listed.find((p) => p.id === id)!.pageUrl!, { headers });
      } else if (action.type === 'form') {
        response = await fetch(action.url, { method: action.method, body: new URLSearchParams(action.fields), headers });
      } else {
        assert.equal(action.type, 'redirect');
        response = await fetch((action as { url: string }).url, { headers });
      }
      const html = await response.text();
      assert.match(html, /data-field="merchant">Kassa demo shop</);
      if (page.language) {
        assert.match(html, new RegExp(`<html lang="${page.language[1]}">`));
        assert.ok(html.includes(page.language[2]), html);
      }
    });
  }
});
