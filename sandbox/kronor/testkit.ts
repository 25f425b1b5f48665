/**
 * Small helpers for the Kronor tests: GraphQL calls with a token, sessions with sensible defaults, and a webhook
 * receiver. Test-only; nothing in the simulator imports it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MERCHANT_TOKEN } from './config.ts';

export const RETURN_URL = 'https://shop.example/return?order=A-1001';

export interface GqlResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions: { code: string; path: string } }>;
}

export async function gql<T = any>(base: string, token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const response = await fetch(`${base}/kronor/v1/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as GqlResult<T>;
}

/** The data of a call that must succeed. */
export async function ok<T = any>(base: string, token: string | null, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await gql<T>(base, token, query, variables);
  if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** The first error's code and message of a call that must fail. */
export async function refused(base: string, token: string | null, query: string, variables?: Record<string, unknown>) {
  const result = await gql(base, token, query, variables);
  if (!result.errors) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  if ('data' in result) throw new Error('Hasura sends errors without data');
  return { code: result.errors[0]!.extensions.code, message: result.errors[0]!.message, path: result.errors[0]!.extensions.path };
}

let keys = 0;
export function key(prefix = 'key'): string {
  keys += 1;
  return `${prefix}-${keys}-${Date.now()}`;
}

export function inHours(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString();
}

export const NEW_SESSION = `mutation New($payment: PaymentSessionInput!) { newPaymentSession(payment: $payment) { token } }`;
export const NEW_SESSION_CHECKED = `mutation Checked($payment: PaymentSessionWithReferenceCheckInput!) {
  newPaymentSessionWithReferenceCheck(payment: $payment) { token paymentId paymentTransactionId }
}`;

export const ADDITIONAL_DATA = { name: 'Anna Andersson', email: 'anna@example.com', ip: '192.0.2.1', language: 'SV' };
export const PAYPAL_DATA = {
  ...ADDITIONAL_DATA,
  shippingAddress: {
    firstName: 'Anna',
    lastName: 'Andersson',
    streetAddress: 'Storgatan 1',
    postalCode: '11122',
    city: 'Stockholm',
    country: 'SE',
    email: 'anna@example.com',
    phoneNumber: '+46701234567',
  },
  orderLines: [{ name: 'Mug', pricePerItem: 10000, quantity: 1, taxRate: 2500, totalAmount: 10000, totalTaxAmount: 2000 }],
};

export function sessionInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 10000,
    currency: 'SEK',
    expiresAt: inHours(1),
    idempotencyKey: key('session'),
    merchantReference: key('order'),
    message: 'Order 1001',
    ...overrides,
  };
}

/** A session token for the given terms (SEK 100.00 by default). */
export async function newSession(base: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = await ok(base, MERCHANT_TOKEN, NEW_SESSION, { payment: sessionInput(overrides) });
  return data.newPaymentSession.token as string;
}

export const SWISH = `mutation Swish($pay: SwishPaymentInput!) { newSwishPayment(pay: $pay) { waitToken } }`;
export const CARD = `mutation Card($pay: CreditCardPaymentInput!) { newCreditCardPayment(pay: $pay) { waitToken gateway } }`;

export async function newSwish(base: string, token: string, pay: Record<string, unknown> = {}): Promise<string> {
  const data = await ok(base, token, SWISH, { pay: { flow: 'mcom', idempotencyKey: key('swish'), returnUrl: RETURN_URL, ...pay } });
  return data.newSwishPayment.waitToken as string;
}

export async function newCard(base: string, token: string): Promise<string> {
  const data = await ok(base, token, CARD, { pay: { idempotencyKey: key('card'), returnUrl: RETURN_URL } });
  return data.newCreditCardPayment.waitToken as string;
}

export const REQUESTS = `query Requests($where: PaymentRequestBoolExp) {
  paymentRequests(where: $where) {
    waitToken amount currency resultingPaymentId transactionId paymentProvider
    status { status enteredAt }
    statusHistory { status }
    transactionSwishDetails { qrCode returnUrl customerSwishNumber errorCode }
    transactionCreditCardDetails { sessionUrl }
    transactionMobilePayDetails { sessionUrl qrCodeUrl }
    transactionVippsDetails { sessionUrl }
    transactionP24Details { sessionUrl }
    transactionPayPalDetails { paymentUrl }
    transactionBankTransferDetails { payUrl }
  }
}`;

/** One payment request as the session (or merchant) sees it. */
export async function request(base: string, token: string, waitToken: string) {
  const data = await ok(base, token, REQUESTS, { where: { waitToken: { _eq: waitToken } } });
  return data.paymentRequests[0];
}

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 2000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant's webhook endpoint: keeps every delivery, answers 200 `[accepted]` as Kronor expects. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('[accepted]');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/kronor`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
