/// <reference types="mocha" />
/**
 * What the browser sends with a click besides the method: the checkout page it was made on, so a provider's "back"
 * link can lead to the choice of method (the endpoint keeps it only on an allowed origin).
 */
import { expect } from '@open-wc/testing';
import { startPayment } from './endpoint-client.ts';

describe('startPayment: the checkout page goes with the click', () => {
  let sent: Array<{ url: string; body: Record<string, unknown> }> = [];
  const realFetch = window.fetch;

  beforeEach(() => {
    sent = [];
    window.fetch = async (input, init) => {
      sent.push({ url: String(input), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
      return new Response(JSON.stringify({ payment: {}, action: { type: 'none' } }), { status: 201, headers: { 'content-type': 'application/json' } });
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
  });

  const click = { token: 't', method: 'hero:Pay1X', idempotencyKey: 'key-12345678' };

  it('sends the current page, without its fragment', async () => {
    history.replaceState(null, '', `${location.pathname}?cart=7#pay`);
    await startPayment('/kassa', click);
    expect(sent[0]!.body.checkoutUrl).to.equal(`${location.origin}${location.pathname}?cart=7`);
  });

  it('sends the page it is given instead', async () => {
    await startPayment('/kassa', { ...click, checkoutUrl: 'https://shop.example/checkout' });
    expect(sent[0]!.body.checkoutUrl).to.equal('https://shop.example/checkout');
  });

  it('leaves out a page longer than the endpoint takes, rather than have the click refused', async () => {
    await startPayment('/kassa', { ...click, checkoutUrl: `https://shop.example/checkout?${'x'.repeat(2100)}` });
    expect(sent[0]!.body).to.not.have.property('checkoutUrl');
    expect(sent[0]!.body.method).to.equal('hero:Pay1X');
  });
});
