/**
 * The Kronor simulator over websockets, with the npm graphql-ws client (`graphql-transport-ws`): live status via the
 * `paymentRequests` subscription, refused and expiring tokens, dropped connections, and the merchant role.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { useSandbox } from '../testing.ts';
import { MERCHANT_TOKEN } from './config.ts';
import { newSession, newSwish } from './testkit.ts';

const sandbox = useSandbox();

function connect(token: string): Client {
  return createClient({
    url: `${sandbox.url.replace(/^http/, 'ws')}/kronor/v1/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { headers: { Authorization: `Bearer ${token}` } },
    retryAttempts: 0,
  });
}

const STATUS_SUBSCRIPTION = `subscription Status {
  paymentRequests(orderBy: {createdAt: ASC}) { waitToken status { status } transactionSwishDetails { qrCode returnUrl } }
}`;

interface CloseLike {
  code: number;
  reason: string;
}

function isClose(value: unknown, code: number, reason?: RegExp): boolean {
  const close = value as CloseLike;
  return close?.code === code && (!reason || reason.test(close.reason));
}

describe('Kronor websocket subscriptions', () => {
  it('shows a Swish payment WAITING_FOR_PAYMENT, then PAID once the phone page approves it', async () => {
    const token = await newSession(sandbox.url);
    const waitToken = await newSwish(sandbox.url, token);
    const client = connect(token);
    try {
      const seen: string[] = [];
      let approved = false;
      for await (const result of client.iterate<{ paymentRequests: Array<{ waitToken: string; status: Array<{ status: string }> }> }>({
        query: STATUS_SUBSCRIPTION,
      })) {
        const ours = result.data!.paymentRequests.find((r) => r.waitToken === waitToken);
        const status = ours?.status[0]?.status;
        if (status && seen[seen.length - 1] !== status) seen.push(status);
        if (status === 'WAITING_FOR_PAYMENT' && !approved) {
          approved = true;
          // The shopper's phone: open the page, press Approve (the page's own form post).
          const page = await (await fetch(`${sandbox.url}/kronor/swish/phone/${waitToken}`)).text();
          const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
          const response = await fetch(`${sandbox.url}${action}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'outcome=pay',
            redirect: 'manual',
          });
          assert.equal(response.status, 303);
        }
        if (status === 'PAID') break;
      }
      assert.deepEqual(seen.filter((s) => s !== 'INITIALIZING'), ['WAITING_FOR_PAYMENT', 'PAID']);
    } finally {
      await client.dispose();
    }
  });

  it("sees only its own session's payments", async () => {
    const mine = await newSession(sandbox.url);
    const theirs = await newSession(sandbox.url);
    const myPayment = await newSwish(sandbox.url, mine);
    await newSwish(sandbox.url, theirs);
    const client = connect(mine);
    try {
      const iterator = client.iterate<{ paymentRequests: Array<{ waitToken: string }> }>({ query: STATUS_SUBSCRIPTION });
      const first = await iterator.next();
      assert.deepEqual(first.value!.data!.paymentRequests.map((r: { waitToken: string }) => r.waitToken), [myPayment]);
      await iterator.return!();
    } finally {
      await client.dispose();
    }
  });

  const badTokens: Array<[name: string, token: () => Promise<string>, reason: RegExp]> = [
    ['a token that is not a JWT', async () => 'nope', /CompactDecodeError/],
    [
      'an expired session token',
      async () => {
        const token = await newSession(sandbox.url);
        await sandbox.control('POST', '/kronor/expire-session', { token });
        return token;
      },
      /^Could not verify JWT: JWTExpired$/,
    ],
  ];
  for (const [name, token, reason] of badTokens) {
    it(`closes the socket with 4400 for ${name}`, async () => {
      const client = connect(await token());
      try {
        const iterator = client.iterate({ query: STATUS_SUBSCRIPTION });
        await assert.rejects(iterator.next(), (error) => isClose(error, 4400, reason));
      } finally {
        await client.dispose();
      }
    });
  }

  it('closes an open subscription when its session expires', async () => {
    const token = await newSession(sandbox.url);
    const client = connect(token);
    try {
      const iterator = client.iterate({ query: STATUS_SUBSCRIPTION });
      await iterator.next();
      await sandbox.control('POST', '/kronor/expire-session', { token });
      await assert.rejects(iterator.next(), (error) => isClose(error, 4400, /JWTExpired/));
    } finally {
      await client.dispose();
    }
  });

  it('dropConnections closes every open subscription', async () => {
    const token = await newSession(sandbox.url);
    const client = connect(token);
    try {
      const iterator = client.iterate({ query: STATUS_SUBSCRIPTION });
      await iterator.next();
      assert.deepEqual(await sandbox.control('POST', '/kronor/drop-connections'), { closed: 1 });
      await assert.rejects(iterator.next(), (error) => isClose(error, 1006));
      assert.deepEqual(await sandbox.control('POST', '/kronor/drop-connections'), { closed: 0 });
    } finally {
      await client.dispose();
    }
  });

  it('gives the merchant its own schema over the socket too', async () => {
    const client = connect(MERCHANT_TOKEN);
    try {
      const payments = client.iterate<{ payments: Array<{ currentStatus: string; amountPaid: number }> }>({
        query: 'subscription { payments { currentStatus amountPaid } }',
      });
      assert.deepEqual((await payments.next()).value!.data, { payments: [] });
      const waitToken = await newSwish(sandbox.url, await newSession(sandbox.url));
      await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
      let latest: Array<{ currentStatus: string; amountPaid: number }> = [];
      while (latest.length === 0) latest = (await payments.next()).value!.data!.payments;
      assert.deepEqual(latest, [{ currentStatus: 'PAID', amountPaid: 10000 }]);
      await payments.return!();

      // The merchant's SwishDetails has no qrCode: refused like over HTTP, in Hasura's shape.
      const refused = client.iterate({ query: 'subscription { paymentRequests { transactionSwishDetails { qrCode } } }' });
      await assert.rejects(refused.next(), (errors: unknown) => {
        const [first] = errors as Array<{ message: string; extensions: { code: string } }>;
        return first?.extensions.code === 'validation-failed' && /qrCode/.test(first.message);
      });
    } finally {
      await client.dispose();
    }
  });
});

describe('Kronor merchant subscription filtered on waiting statuses', () => {
  // Every waiting value of the real merchant PaymentStatusEnum, PROCESSING_REDIRECTED_APP/WEB included.
  const WAITING = ['PRE_FLIGHT_CHECK', 'INITIALIZING', 'WAITING_FOR_PAYMENT', 'PROCESSING_REDIRECTED_APP', 'PROCESSING_REDIRECTED_WEB', 'WAITING_FOR_PROMOTION', 'FLOW_COMPLETED', 'CANCELLING'];
  const WAITING_SUBSCRIPTION = `subscription($waiting: [PaymentStatusEnum!]!, $since: timestamptz!) {
    paymentRequests(where: {createdAt: {_gte: $since}, reference: {_like: "%"}, status: {status: {_in: $waiting}}}, orderBy: [{createdAt: DESC}], limit: 10) {
      reference status { status }
    }
  }`;

  it('lists a waiting request, and drops it from the list once paid', async () => {
    const token = await newSession(sandbox.url);
    const waitToken = await newSwish(sandbox.url, token);
    const client = connect(MERCHANT_TOKEN);
    try {
      const lengths: number[] = [];
      for await (const result of client.iterate<{ paymentRequests: Array<{ reference: string }> }>({
        query: WAITING_SUBSCRIPTION,
        variables: { waiting: WAITING, since: new Date(Date.now() - 60_000).toISOString() },
      })) {
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        lengths.push(result.data!.paymentRequests.length);
        if (lengths.length === 1) await sandbox.control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome: 'pay' });
        if (result.data!.paymentRequests.length === 0) break;
      }
      assert.equal(lengths[0], 1);
      assert.equal(lengths.at(-1), 0);
    } finally {
      await client.dispose();
    }
  });
});
