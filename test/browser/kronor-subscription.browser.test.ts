/// <reference types="mocha" />
/**
 * The sandbox as a browser sees it: Chromium opens a Kronor payment session, starts a Swish payment with the
 * session token, subscribes to `paymentRequests` over graphql-ws, and sees WAITING_FOR_PAYMENT then PAID when the
 * Swish "phone" page approves — with no reload and no polling.
 */
import { expect } from '@open-wc/testing';
import { createClient, type Client } from 'graphql-ws';
import { testEnv, type TestEnv as Env } from './env.ts';

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

describe('sandbox Kronor from Chromium', () => {
  let env: Env;
  let client: Client | undefined;

  before(async () => {
    env = await testEnv();
  });

  after(async () => {
    await client?.dispose();
  });

  it('pushes WAITING_FOR_PAYMENT then PAID over the websocket when the Swish phone page approves', async () => {
    const httpUrl = `${env.sandboxUrl}/kronor/v1/graphql`;
    const reference = `browser-${Date.now()}`;
    // In a real shop the endpoint makes the session with the merchant token; the test stands in for it.
    const { newPaymentSession } = await graphql(
      httpUrl,
      'sandbox-kronor-merchant-token',
      `mutation Session($payment: PaymentSessionInput!) { newPaymentSession(payment: $payment) { token } }`,
      {
        payment: {
          amount: 49900,
          currency: 'SEK',
          expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
          idempotencyKey: reference,
          merchantReference: reference,
          message: 'Kassa browser test',
        },
      },
    );
    const sessionToken: string = newPaymentSession.token;

    client = createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      connectionParams: { headers: { Authorization: `Bearer ${sessionToken}` } },
    });
    const seen: string[] = [];
    const paid = new Promise<void>((resolve, reject) => {
      client!.subscribe<{ paymentRequests: Array<{ waitToken: string; status: Array<{ status: string }> }> }>(
        { query: 'subscription { paymentRequests { waitToken status { status } } }' },
        {
          next: ({ data }) => {
            for (const request of data?.paymentRequests ?? []) {
              const status = request.status[0]?.status;
              if (status && seen.at(-1) !== status) seen.push(status);
              if (status === 'PAID') resolve();
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });

    const { newSwishPayment } = await graphql(
      httpUrl,
      sessionToken,
      `mutation Swish($pay: SwishPaymentInput!) { newSwishPayment(pay: $pay) { waitToken } }`,
      { pay: { flow: 'mcom', idempotencyKey: `${reference}-swish`, returnUrl: `${location.origin}/return` } },
    );
    const waitToken: string = newSwishPayment.waitToken;

    // Wait until the subscription has shown the request waiting, as a shopper's page would.
    const deadline = Date.now() + 5_000;
    while (!seen.includes('WAITING_FOR_PAYMENT') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).to.include('WAITING_FOR_PAYMENT');

    // The shopper's phone approves: the Swish phone page's own form post.
    const approve = await fetch(`${env.sandboxUrl}/kronor/swish/phone/${encodeURIComponent(waitToken)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=pay',
      redirect: 'manual',
    });
    expect(approve.type === 'opaqueredirect' || approve.ok).to.equal(true);

    await paid;
    expect(seen.indexOf('WAITING_FOR_PAYMENT')).to.be.lessThan(seen.indexOf('PAID'));
  });
});
