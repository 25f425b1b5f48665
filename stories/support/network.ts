/**
 * The merchant's Kassa endpoint and Kronor, mocked at the network edge with Mock Service Worker so the elements run
 * their real code (fetch, EventSource, Apollo over HTTP and graphql-ws) against the recorded answers.
 *
 * A story makes one mock at module level and installs it in `beforeEach`, which also forgets what an earlier run
 * of the story saw; its `play` function then reads what the elements asked (`sessionRequests`,
 * `paymentRequests`) and moves the payment on (`kassa.push(view)`, `kronor.decide()`).
 */
import { delay, graphql, http, HttpResponse, sse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
// Types `context.msw` (the worker msw-storybook-addon starts) in every story's `beforeEach`.
import type {} from 'msw-storybook-addon';
import type { PaymentResponse, PaymentView, SessionResponse } from '../../src/core/model.ts';
import { LOGOS, PAYMENTS, PROBLEMS, SESSIONS, type KronorFlow, type Order, type RecordedOrder } from './fixtures.ts';

/** Where the stories' elements find the endpoint (relative to the page, as on a shop). */
export const ENDPOINT = '/kassa';

type ProblemName = keyof typeof PROBLEMS;

/** One answer of the endpoint: a recorded body, a recorded problem, no connection, or no answer at all. */
export type Answer<T> = { body: T } | { problem: ProblemName } | 'network-error' | 'never';

type Handler = RequestHandler | WebSocketHandler;

interface StreamClient {
  send(message: { event: 'status'; id: string; data: PaymentView }): void;
  close(): void;
}

function problem(name: ProblemName): Response {
  const { status, body } = PROBLEMS[name];
  return HttpResponse.json(body, { status, headers: { 'content-type': 'application/problem+json' } });
}

async function answer<T>(value: Answer<T>, status: number): Promise<Response> {
  if (value === 'never') {
    await delay('infinite');
    return HttpResponse.error();
  }
  if (value === 'network-error') return HttpResponse.error();
  if ('problem' in value) return problem(value.problem);
  return HttpResponse.json(value.body as object, { status });
}

const FINAL = new Set(['paid', 'failed', 'declined', 'cancelled', 'expired', 'refunded', 'partially_refunded']);

export interface KassaOptions {
  /** The order whose recorded session and payments are answered (default DEMO-EUR). */
  order?: RecordedOrder;
  /** Answers to `POST /session`, one per call; the last one repeats. Default: the order's recorded session. */
  session?: Array<Answer<SessionResponse>>;
  /** The answer to `POST /payments` for a method and fields. Default: the order's recorded payment for that method. */
  payment?: (method: string, fields: Record<string, string> | undefined) => Answer<PaymentResponse> | undefined;
  /** Payments known from the start, as `GET /payments/{ref}` and the event stream answer them. */
  payments?: PaymentView[];
}

/** The merchant's endpoint: `POST /session`, `POST /payments`, `GET /payments/{ref}` and its event stream. */
export class MockKassa {
  readonly sessionRequests: Array<{ order?: string; locale?: string }> = [];
  readonly paymentRequests: Array<{ method: string; fields?: Record<string, string>; idempotencyKey: string | null }> = [];
  private views = new Map<string, PaymentView>();
  private streams = new Map<string, Set<StreamClient>>();

  constructor(private readonly options: KassaOptions = {}) {}

  get order(): RecordedOrder {
    return this.options.order ?? 'DEMO-EUR';
  }

  /** Forgets earlier runs, then installs this mock (with the recorded logos) for the story. */
  install(worker: SetupWorker, ...more: Handler[]): void {
    this.sessionRequests.length = 0;
    this.paymentRequests.length = 0;
    this.views = new Map((this.options.payments ?? []).map((view) => [view.reference, view]));
    this.streams = new Map();
    worker.use(...this.handlers(), ...logoHandlers(), ...more);
  }

  /** The payment moves on: `GET` answers this view from now on and every open stream sends it. */
  push(view: PaymentView): void {
    this.views.set(view.reference, view);
    for (const client of this.streams.get(view.reference) ?? []) {
      client.send(statusEvent(view));
      if (FINAL.has(view.state)) client.close();
    }
  }

  /** How many event streams are open for a payment. */
  openStreams(reference: string): number {
    return this.streams.get(reference)?.size ?? 0;
  }

  private handlers(): RequestHandler[] {
    return [
      http.post(`*${ENDPOINT}/session`, async ({ request }) => {
        const body = (await request.json()) as { order?: string; locale?: string };
        this.sessionRequests.push(body);
        const answers = this.options.session ?? [{ body: SESSIONS[this.order] }];
        return answer(answers[Math.min(this.sessionRequests.length, answers.length) - 1]!, 201);
      }),
      http.post(`*${ENDPOINT}/payments`, async ({ request }) => {
        const body = (await request.json()) as { method: string; fields?: Record<string, string> };
        this.paymentRequests.push({ method: body.method, fields: body.fields, idempotencyKey: request.headers.get('idempotency-key') });
        const chosen = this.options.payment?.(body.method, body.fields);
        const recorded = PAYMENTS[this.order as Order]?.[body.method];
        // A method with no recorded answer gets no answer at all (the checkout then says it could not reach the shop).
        const reply: Answer<PaymentResponse> = chosen ?? (recorded ? { body: recorded } : 'network-error');
        if (typeof reply === 'object' && 'body' in reply) this.views.set(reply.body.payment.reference, reply.body.payment);
        return answer(reply, 201);
      }),
      // Unknown payments: the endpoint answers its problem, for the stream as for a read.
      http.get(`*${ENDPOINT}/payments/:reference/events`, ({ params }) => (this.views.has(String(params.reference)) ? undefined : problem('payment-not-found'))),
      sse<{ status: PaymentView }>(`*${ENDPOINT}/payments/:reference/events`, ({ params, client }) => {
        const reference = String(params.reference);
        const view = this.views.get(reference)!;
        const clients = this.streams.get(reference) ?? new Set<StreamClient>();
        this.streams.set(reference, clients);
        const stream: StreamClient = {
          send: (message) => client.send(message),
          close: () => {
            clients.delete(stream);
            client.close();
          },
        };
        clients.add(stream);
        // As the endpoint does: the reconnection delay, then the payment as it is now; the stream ends when final.
        client.send({ retry: 2000 });
        stream.send(statusEvent(view));
        if (FINAL.has(view.state)) stream.close();
      }),
      http.get(`*${ENDPOINT}/payments/:reference`, ({ params }) => {
        const view = this.views.get(String(params.reference));
        return view ? HttpResponse.json(view) : problem('payment-not-found');
      }),
    ];
  }
}

function statusEvent(view: PaymentView): { event: 'status'; id: string; data: PaymentView } {
  return { event: 'status', id: String(Date.parse(view.updatedAt)), data: view };
}

/** MilkyPay's logos from the sandbox, as recorded (the method lists point at them). */
function logoHandlers(): RequestHandler[] {
  return Object.entries(LOGOS).map(([url, svg]) => http.get(url, () => new HttpResponse(svg, { headers: { 'content-type': 'image/svg+xml' } })));
}

/**
 * Kronor as the browser reaches it with a session token: the start mutation over HTTP and the `paymentRequests`
 * subscription over graphql-ws (the `graphql-transport-ws` protocol). The request waits on the shopper's phone
 * until `decide()`, which sends the recorded outcome to every subscriber and to the endpoint mock.
 */
export class MockKronor {
  readonly started: string[] = [];
  readonly cancelled: string[] = [];
  private decided = false;
  private subscribers = new Set<{ send: (row: unknown) => void }>();

  constructor(
    private readonly flow: KronorFlow,
    private readonly kassa: MockKassa,
  ) {}

  /** Installs the endpoint mock with Kronor's, answering this flow's Swish payment. */
  install(worker: SetupWorker): void {
    this.started.length = 0;
    this.cancelled.length = 0;
    this.decided = false;
    this.subscribers = new Set();
    this.kassa.install(worker, ...this.handlers());
  }

  /** The shopper's phone decided: the request row moves to its recorded outcome, and so does the endpoint's read. */
  decide(): void {
    this.decided = true;
    for (const subscriber of this.subscribers) subscriber.send(this.flow.decided.request);
    this.kassa.push(this.flow.decided.read);
  }

  /** Subscriptions open now. */
  get subscriptions(): number {
    return this.subscribers.size;
  }

  private row(): unknown {
    return this.decided ? this.flow.decided.request : this.flow.waiting.request;
  }

  private handlers(): Handler[] {
    const action = this.flow.payment.action;
    if (action.type !== 'kronor') throw new Error('not a Kronor flow');
    const kronor = graphql.link(action.httpUrl);
    const socket = ws.link(action.wsUrl);
    return [
      kronor.mutation('KassaKronorSwish', ({ variables }) => {
        this.started.push(String((variables as { pay?: { idempotencyKey?: string } }).pay?.idempotencyKey));
        // The Kassa payment now has a request waiting on the phone.
        this.kassa.push(this.flow.waiting.read);
        return HttpResponse.json(this.flow.started);
      }),
      kronor.mutation('KassaKronorCancel', ({ variables }) => {
        this.cancelled.push(String((variables as { cancel?: { idempotencyKey?: string } }).cancel?.idempotencyKey));
        return HttpResponse.json({ data: { cancelPayment: { waitToken: this.flow.started.data.newSwishPayment.waitToken } } });
      }),
      kronor.mutation('KassaKronorRefresh', () => HttpResponse.json({ data: { refreshPaymentStatus: { result: true } } })),
      socket.addEventListener('connection', ({ client }) => {
        const mine = new Map<string, { send: (row: unknown) => void }>();
        client.addEventListener('message', (event) => {
          const message = JSON.parse(String(event.data)) as { type: string; id?: string };
          switch (message.type) {
            case 'connection_init':
              return client.send(JSON.stringify({ type: 'connection_ack' }));
            case 'ping':
              return client.send(JSON.stringify({ type: 'pong' }));
            case 'subscribe': {
              const id = message.id!;
              const subscriber = {
                send: (row: unknown) => client.send(JSON.stringify({ id, type: 'next', payload: { data: { paymentRequests: [row] } } })),
              };
              mine.set(id, subscriber);
              this.subscribers.add(subscriber);
              return subscriber.send(this.row());
            }
            case 'complete': {
              const subscriber = mine.get(message.id!);
              if (subscriber) this.subscribers.delete(subscriber);
              mine.delete(message.id!);
              return;
            }
          }
        });
        client.addEventListener('close', () => {
          for (const subscriber of mine.values()) this.subscribers.delete(subscriber);
        });
      }),
    ];
  }
}

/** Only the logos, for stories of elements that make no request of their own. */
export function mockLogos(worker: SetupWorker): void {
  worker.use(...logoHandlers());
}
