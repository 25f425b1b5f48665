/** What the endpoint takes from the browser besides the click: the checkout page, only where the merchant allowed it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentResponse } from '../../core/model.ts';
import { json, useEndpoint } from '../../../test/support/endpoint.ts';
import { checkoutPage } from './create.ts';

describe('checkoutPage: the page a provider may send the shopper back to, to choose again', () => {
  const allowed = ['https://shop.example'];
  const returnUrl = 'https://www.shop.example/return';
  const table: Array<[string, string | undefined, string | undefined]> = [
    ['a page on an allowed origin', 'https://shop.example/checkout?cart=1', 'https://shop.example/checkout?cart=1'],
    ["a page on the return page's origin", 'https://www.shop.example/pay', 'https://www.shop.example/pay'],
    ['another origin', 'https://evil.example/checkout', undefined],
    ['the same host on another port', 'https://shop.example:8443/checkout', undefined],
    ['http where https is allowed', 'http://shop.example/checkout', undefined],
    ['a javascript: address', 'javascript:alert(1)', undefined],
    ['credentials in the address', 'https://user:pw@shop.example/checkout', undefined],
    ['not an address', 'checkout', undefined],
    ['nothing', undefined, undefined],
  ];
  for (const [name, given, expected] of table) {
    it(name, () => assert.equal(checkoutPage(given, allowed, returnUrl), expected));
  }
});

describe("Hero's back link leads to the checkout the shopper chose on", () => {
  const h = useEndpoint(); // allows https://shop.example

  async function cancelAtHero(checkoutUrl: string | undefined): Promise<string> {
    const session = await h.session('DEMO-EUR');
    const method = session.methods.find((m) => m.provider === 'hero')!;
    const answer = await h.api('/payments', json({ token: session.token, method: method.id, ...(checkoutUrl ? { checkoutUrl } : {}) }, { 'idempotency-key': `k-${Math.random()}` }));
    assert.equal(answer.status, 201, answer.text);
    const created = answer.body as PaymentResponse;
    const { payments } = await h.control('GET', '/payments?provider=hero');
    const id = (payments as Array<{ id: string }>).find((p) => created.action.type === 'redirect' && created.action.url.includes(p.id))!.id;
    return (await h.control('POST', `/payments/hero/${id}/outcome`, { outcome: 'cancel' })).redirectUrl;
  }

  it('a checkout page on an allowed origin', async () => {
    assert.equal(await cancelAtHero('https://shop.example/checkout?cart=7'), 'https://shop.example/checkout?cart=7');
  });

  it('the return page when the browser named a page elsewhere, or none', async () => {
    for (const given of ['https://evil.example/phish', undefined]) {
      const target = await cancelAtHero(given);
      assert.match(target, /\/return(\.html|\/)/, `${given}: ${target}`);
    }
  });
});
