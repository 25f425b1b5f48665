/**
 * For endpoint tests over real HTTP: the sandbox and the demo shop's server (the endpoint mounted at `/kassa` on
 * node:http) started on free ports, and small clients for the endpoint, its event stream and the sandbox.
 */
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import type { PaymentView, SessionResponse } from '../../src/core/model.ts';
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
    demo = await startDemo({ sandboxUrl: sandbox.url, allowedOrigins: ['https://shop.example'], overrides });
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
      const answer = await harness.api<SessionResponse>('/session', json({ order }));
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
