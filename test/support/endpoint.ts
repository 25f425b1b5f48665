/**
 * For endpoint tests over real HTTP: the sandbox and the demo shop's server (the endpoint mounted at `/kassa` on
 * node:http) started on free ports, and small clients for the endpoint, its event stream and the sandbox.
 */
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import type { PaymentMethod, PaymentResponse, PaymentView, ProviderName, SessionResponse } from '../../src/core/model.ts';
import type { KassaConfig } from '../../src/server/config.ts';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Harness {
  readonly sandbox: RunningSandbox;
  readonly demo: RunningDemo;
  /** Every answer the endpoint gave in this file, for the secrets scan. */
  readonly answers: Answer[];
  api<T = any>(path: string, init?: RequestInit): Promise<Answer<T>>;
  /**
   * Opens a session for `order`; a fixed demo order (`DEMO-EUR`) becomes a new order with its contents each time
   * (`DEMO-EUR~t7`), as the demo shop's own checkouts do: one order is paid at most once.
   */
  session(order: string): Promise<SessionResponse>;
  /** The answer body is a `PaymentResponse` on 201, a problem otherwise. */
  pay(token: string, method: string, options?: { key?: string; fields?: Record<string, string> }): Promise<Answer>;
  control<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Reads status events from `/payments/{ref}/events` until a final state or `timeoutMs`. */
  events(reference: string, timeoutMs?: number): Promise<PaymentView[]>;
}

export function useEndpoint(overrides: Partial<KassaConfig> = {}): Harness {
  let sandbox: RunningSandbox | undefined;
  let demo: RunningDemo | undefined;
  const answers: Answer[] = [];

  before(async () => {
    sandbox = await startSandbox();
    // Tests inject provider faults back to back: provider health is left closed unless a test is about it.
    demo = await startDemo({ sandboxUrl: sandbox.url, allowedOrigins: ['https://shop.example'], overrides: { health: { failureThreshold: 1_000 }, ...overrides } });
  });
  beforeEach(async () => {
    await harness.control('POST', '/reset');
  });
  after(async () => {
    await demo?.close();
    await sandbox?.close();
  });

  const harness: Harness = {
    get sandbox() {
      if (!sandbox) throw new Error('not started');
      return sandbox;
    },
    get demo() {
      if (!demo) throw new Error('not started');
      return demo;
    },
    answers,
    async api(path, init = {}) {
      const response = await fetch(`${harness.demo.url}/kassa${path}`, init);
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const answer = { status: response.status, headers: response.headers, body, text } as Answer;
      answers.push(answer);
      return answer;
    },
    async session(order) {
      const answer = await harness.api<SessionResponse>('/session', json({ order: freshOrder(order) }));
      if (answer.status !== 201) throw new Error(`session for ${order}: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    pay(token, method, options = {}) {
      return harness.api('/payments', json({ token, method, ...(options.fields ? { fields: options.fields } : {}) }, { 'idempotency-key': options.key ?? randomUUID() }));
    },
    control(method, path, body) {
      return callControl(harness.sandbox.url, method, path, body);
    },
    events(reference, timeoutMs = 15_000) {
      return readStatusEvents(`${harness.demo.url}/kassa/payments/${reference}/events`, timeoutMs);
    },
  };
  return harness;
}

/**
 * A method each provider pays with on the demo orders (needing no fields, or only required ones with examples): an
 * entry the demo's routing sends to that provider first.
 */
export const PROVIDER_FLOWS: ReadonlyArray<{ provider: ProviderName; order: string; method: (methods: PaymentMethod[]) => PaymentMethod | undefined }> = [
  { provider: 'hero', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hero') },
  { provider: 'milkypay', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.id === 'paypal' && m.provider === 'milkypay') },
  { provider: 'hidirect', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.provider === 'hidirect') },
  { provider: 'whenthen', order: 'DEMO-EUR', method: (ms) => ms.find((m) => m.id === 'klarna') },
  { provider: 'kronor', order: 'DEMO-SEK', method: (ms) => ms.find((m) => m.id === 'swish') },
];

/**
 * A method the session offers by id: an entry (`card`, `swish`), or a provider's own method (`whenthen:card`) that one
 * of the entries routes to. The endpoint takes a provider's own id for a click that must go to that provider.
 */
export function methodById(methods: readonly PaymentMethod[], id: string): PaymentMethod | undefined {
  const entry = methods.find((m) => m.id === id);
  if (entry) return entry;
  const [provider] = id.split(':');
  const routed = methods.find((m) => m.providers?.includes(provider as ProviderName) && (!m.fields?.length || m.provider === provider));
  return routed && { ...routed, id, provider: provider as ProviderName };
}

/** The required fields of a method, filled with its examples. */
export function exampleFields(method: PaymentMethod): Record<string, string> {
  return Object.fromEntries((method.fields ?? []).filter((f) => f.required).map((f) => [f.key, f.example ?? 'x']));
}

/**
 * Does what the shopper's browser does after `POST /payments` until the provider has a payment to decide (Kronor: the
 * browser starts it with the session token; a hosted page: it is opened), and answers the sandbox's id for it.
 */
export async function startAtProvider(sandboxUrl: string, provider: ProviderName, created: PaymentResponse, method?: string): Promise<string> {
  const { action } = created;
  if (action.type === 'kronor') {
    // Swish unless the method says card: the browser starts either with the session token.
    const card = method === 'kronor:creditCard';
    const mutation = card
      ? 'mutation Card($pay: CreditCardPaymentInput!) { started: newCreditCardPayment(pay: $pay) { waitToken } }'
      : 'mutation Swish($pay: SwishPaymentInput!) { started: newSwishPayment(pay: $pay) { waitToken } }';
    const pay = card ? { idempotencyKey: `card-${randomUUID()}`, returnUrl: action.returnUrl } : { flow: 'mcom', idempotencyKey: `swish-${randomUUID()}`, returnUrl: action.returnUrl };
    const response = await fetch(action.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${action.sessionToken}` },
      body: JSON.stringify({ query: mutation, variables: { pay } }),
    });
    const body = (await response.json()) as { data?: { started?: { waitToken?: string } } };
    if (!body.data?.started?.waitToken) throw new Error(`Kronor did not start the ${card ? 'card' : 'Swish'} payment: ${JSON.stringify(body)}`);
  } else if (action.type === 'redirect') {
    // Opening the hosted page is what some providers need before a payment can be decided (hi.health claims it).
    const page = await fetch(action.url, { redirect: 'manual' });
    if (page.status >= 400) throw new Error(`hosted page answered ${page.status}`);
  }
  const { payments } = (await callControl(sandboxUrl, 'GET', `/payments?provider=${provider}`)) as { payments: Array<{ id: string; reference: string | null }> };
  // Found by Kassa's reference where the provider keeps it, else by its id in the hosted page's address, else the only one.
  const url = action.type === 'redirect' || action.type === 'form' ? decodeURIComponent(action.url) : '';
  const payment =
    payments.find((p) => p.reference !== null && p.reference === created.payment?.reference) ??
    payments.find((p) => url.includes(p.id)) ??
    (payments.length === 1 ? payments[0] : undefined);
  if (!payment) throw new Error(`no ${provider} payment in the sandbox for ${created.payment?.reference ?? 'this action'} (${payments.length} there)`);
  return payment.id;
}

/** Waits until `check` answers something truthy (polling every 25 ms), and answers it; throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let orders = 0;

/** A fixed demo order's fresh variant (`DEMO-EUR` → `DEMO-EUR~t12-x3f`); any other reference as it is. */
export function freshOrder(order: string): string {
  return /^DEMO-[A-Z]{3}$/.test(order) ? `${order}~t${++orders}-${Math.random().toString(36).slice(2, 8)}` : order;
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Every `status` event a payment's event stream sends until it closes (or `timeoutMs` passes). */
export async function readStatusEvents(url: string, timeoutMs = 15_000): Promise<PaymentView[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
  const seen: PaymentView[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: status') && data) seen.push(JSON.parse(data.slice(6)));
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError' && (error as Error).name !== 'AbortError') throw error;
  }
  return seen;
}
