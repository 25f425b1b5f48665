/**
 * Records the answers the stories replay (stories/fixtures/*.json) from the real thing: starts the sandbox and the
 * demo's endpoint on free ports, then asks them exactly what a shopper's browser asks — sessions for DEMO-EUR,
 * DEMO-SEK, DEMO-DKK, DEMO-NOK and DEMO-PLN, a payment for every method they list, each payment state read back
 * with `GET /payments/{ref}`, the problems the elements show, and a Swish payment followed at Kronor with the session
 * token.
 *
 *   npx tsx scripts/record-fixtures.ts
 *
 * The random ports are written as the ones `npm start` uses (sandbox 127.0.0.1:4010, shop 127.0.0.1:4000), so the
 * recorded addresses are those a developer sees locally and the files do not change with the ports of a run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolveDemoOrder } from '../demo/catalogue.ts';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import type { PaymentResponse, PaymentView, SessionResponse } from '../src/core/model.ts';
import { NEW_SWISH, startInput, WATCH_REQUESTS } from '../src/providers/kronor/browser-requests.ts';
import type { ResolvedOrder } from '../src/server/provider.ts';

const OUT = fileURLToPath(new URL('../stories/fixtures/', import.meta.url));
const SANDBOX_URL = 'http://127.0.0.1:4010';
const SHOP_URL = 'http://127.0.0.1:4000';

const ORDERS = ['DEMO-EUR', 'DEMO-SEK', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN'] as const;
/** DEMO-EUR for a shopper without a company on file: Hero then asks for the company details in its fields. */
const PERSON_ORDER = 'DEMO-EUR-PERSON';

/** Field values a shopper would type, by method (the provider's own examples). */
function fieldValues(method: SessionResponse['methods'][number]): Record<string, string> | undefined {
  if (!method.fields?.length) return undefined;
  return Object.fromEntries(method.fields.map((field) => [field.key, field.example ?? 'Kassa']));
}

function personOrder(reference: string): ResolvedOrder {
  if (reference !== PERSON_ORDER) return resolveDemoOrder(reference);
  const order = resolveDemoOrder('DEMO-EUR');
  const { company: _company, ...person } = order.customer!;
  return { ...order, reference, customer: person };
}

const sandbox = await startSandbox();
const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { resolveOrder: personOrder, rateLimitPerMinute: 10_000 } });

async function endpoint<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${demo.url}/kassa${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function openSession(order: string): Promise<SessionResponse> {
  const { status, body } = await endpoint<SessionResponse>('POST', '/session', { order });
  if (status !== 201) throw new Error(`session ${order}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function pay(session: SessionResponse, methodId: string, fields?: Record<string, string>): Promise<PaymentResponse> {
  const { status, body } = await endpoint<PaymentResponse>('POST', '/payments', { token: session.token, method: methodId, ...(fields ? { fields } : {}) }, { 'idempotency-key': crypto.randomUUID() });
  if (status !== 201) throw new Error(`payment ${methodId}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function read(reference: string): Promise<PaymentView> {
  const { status, body } = await endpoint<PaymentView>('GET', `/payments/${reference}`);
  if (status !== 200) throw new Error(`status ${reference}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** The sandbox's id of a payment, by Kassa's reference. */
async function providerId(provider: string, reference: string): Promise<string> {
  const { payments } = (await control('GET', `/payments?provider=${provider}`)) as { payments: Array<{ id: string; reference: string }> };
  const found = payments.filter((p) => p.reference === reference).at(-1);
  if (!found) throw new Error(`no ${provider} payment for ${reference}`);
  return found.id;
}

try {
  // ——— sessions, and a payment for every method listed ———
  const sessions: Record<string, SessionResponse> = {};
  const payments: Record<string, Record<string, PaymentResponse>> = {};
  for (const order of ORDERS) {
    const session = (sessions[order] = await openSession(order));
    payments[order] = {};
    for (const method of session.methods) payments[order][method.id] = await pay(session, method.id, fieldValues(method));
  }
  sessions[PERSON_ORDER] = await openSession(PERSON_ORDER);

  // ——— problems the elements show ———
  const eur = await openSession('DEMO-EUR');
  const problems: Record<string, unknown> = {
    'order-not-found': await endpoint('POST', '/session', { order: 'DEMO-GONE' }),
    'invalid-fields': await endpoint('POST', '/payments', { token: eur.token, method: 'milkypay:mbway_eur_hpp', fields: { phone: '+351 12' } }, {
      'idempotency-key': crypto.randomUUID(),
    }),
    'payment-not-found': await endpoint('GET', '/payments/kp_000000000000000000000000'),
  };

  // ——— one payment read back in each state ———
  // Each payment that succeeds pays its order, which then takes no other payment: those get an order of their own,
  // a variant of DEMO-EUR (`DEMO-EUR~paid`) with the same contents.
  const states: Record<string, PaymentView> = {};
  const hero = await pay(eur, 'hero:Pay1X');
  states.action_required = await read(hero.payment.reference);
  // One MilkyPay card payment through pending → processing → paid: the sequence a live status shows.
  const card = await pay(await openSession('DEMO-EUR~paid'), 'milkypay:payment_card_eur_hpp');
  const cardId = await providerId('milkypay', card.payment.reference);
  const sequence: PaymentView[] = [];
  for (const status of ['process_pending', 'processing', 'processed']) {
    await control('POST', `/payments/milkypay/${cardId}/status`, { status });
    const view = await read(card.payment.reference);
    sequence.push((states[view.state] = view));
  }
  // The order is paid now: a new session for it is refused, naming the payment.
  problems['order-already-paid'] = await endpoint('POST', '/session', { order: 'DEMO-EUR~paid' });
  for (const outcome of ['decline', 'cancel', 'expire'] as const) {
    const payment = await pay(eur, 'milkypay:payment_card_eur_hpp');
    await control('POST', `/payments/milkypay/${await providerId('milkypay', payment.payment.reference)}/outcome`, { outcome });
    const view = await read(payment.payment.reference);
    states[view.state] = view;
  }
  const broken = await pay(eur, 'milkypay:payment_card_eur_hpp');
  await control('POST', `/payments/milkypay/${await providerId('milkypay', broken.payment.reference)}/status`, { status: 'process_error' });
  states.failed = await read(broken.payment.reference);
  const health = await pay(await openSession('DEMO-EUR~authorized'), 'hidirect:hi-health');
  await control('POST', `/payments/hidirect/${await providerId('hidirect', health.payment.reference)}/status`, { status: 'AUTHORISED' });
  states.authorized = await read(health.payment.reference);

  // ——— Swish through Kronor, as the browser follows it with the session token ———
  // One Kassa payment (so one Kronor session) per outcome: its Swish request waiting with a QR code, then decided
  // on the shopper's phone; with the endpoint's reads of the payment at each step.
  const swish: Record<string, unknown> = {};
  for (const outcome of ['pay', 'decline', 'cancel'] as const) {
    const payment = await pay(await openSession(`DEMO-SEK~${outcome}`), 'kronor:swish');
    if (payment.action.type !== 'kronor') throw new Error('kronor:swish did not answer a kronor action');
    const access = payment.action;
    const kronor = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(access.httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access.sessionToken}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as any;
    };
    const requestRow = async (waitToken: string) => {
      const answer = await kronor(WATCH_REQUESTS.replace('subscription', 'query'), { where: { waitToken: { _eq: waitToken } }, limit: 1 });
      return answer.data.paymentRequests[0];
    };
    const started = await kronor(NEW_SWISH, { pay: startInput('swish', { returnUrl: access.returnUrl, idempotencyKey: crypto.randomUUID() }) });
    const waitToken: string = started.data.newSwishPayment.waitToken;
    await new Promise((resolve) => setTimeout(resolve, 100)); // INITIALIZING → WAITING_FOR_PAYMENT, with the QR code
    const waiting = { request: await requestRow(waitToken), read: await read(payment.payment.reference) };
    await control('POST', `/payments/kronor/${waitToken}/outcome`, { outcome });
    const decided = { request: await requestRow(waitToken), read: await read(payment.payment.reference) };
    swish[{ pay: 'paid', decline: 'declined', cancel: 'cancelled' }[outcome]] = { payment, started, waiting, decided };
  }

  // ——— the logos the method lists point at ———
  const logos: Record<string, string> = {};
  for (const session of Object.values(sessions)) {
    for (const method of session.methods) {
      // Kassa's own marks (`kassa:card`) are drawn by the elements; only provider images are fetched.
      if (!method.logo || !/^https?:/.test(method.logo) || method.logo in logos) continue;
      const response = await fetch(method.logo);
      if (response.ok) logos[method.logo] = await response.text();
    }
  }

  /** The run's random ports → the ones `npm start` uses, in plain and URL-encoded text. */
  const stable = (value: unknown): string => {
    let text = JSON.stringify(value, null, 2);
    const pairs: Array<[string, string]> = [
      [sandbox.url, SANDBOX_URL],
      [sandbox.url.replace(/^http/, 'ws'), SANDBOX_URL.replace(/^http/, 'ws')],
      [demo.url, SHOP_URL],
    ];
    for (const [from, to] of pairs) text = text.replaceAll(from, to).replaceAll(encodeURIComponent(from), encodeURIComponent(to));
    return `${text}\n`;
  };

  await mkdir(OUT, { recursive: true });
  const files: Record<string, unknown> = {
    'sessions.json': sessions,
    'payments.json': payments,
    'problems.json': problems,
    'states.json': { sequence, byState: states },
    'kronor.json': swish,
    'logos.json': logos,
  };
  for (const [name, value] of Object.entries(files)) await writeFile(`${OUT}${name}`, stable(value));
  console.log(`recorded ${Object.keys(files).join(', ')} into stories/fixtures/`);
} finally {
  await demo.close();
  await sandbox.close();
}
