/**
 * `GET /payments/{ref}/events`: a payment's changes as Server-Sent Events until it is final. Streams are capped per
 * client and in total (`StreamSlots`), so they cannot use up the memory and file descriptors every shopper needs,
 * and end after a lifetime (the browser's EventSource opens a new one).
 */
import { isFinalState, type PaymentView } from '../../core/model.ts';
import { HttpProblem } from '../http/problems.ts';
import { findRecord, view } from '../payments/records.ts';
import type { KassaStore } from '../stores/store.ts';
import type { StatusWatcher } from './watcher.ts';

export class StreamSlots {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerClient: number,
    private readonly maxTotal: number,
  ) {}

  /** Takes a slot for `client` or refuses (429 for this client, 503 when the endpoint is full); returns its release. */
  open(client: string): () => void {
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.maxPerClient) {
      throw new HttpProblem('too-many-streams', `at most ${this.maxPerClient} open status streams per client`, undefined, { 'retry-after': '10' });
    }
    if (this.total >= this.maxTotal) throw new HttpProblem('server-busy', undefined, undefined, { 'retry-after': '10' });
    this.perClient.set(client, held + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}

export interface StreamDeps {
  store: KassaStore;
  watcher: StatusWatcher;
  maxStreamsPerClient: number;
  maxStreams: number;
  streamLifetimeSeconds: number;
}

export class StatusStreams {
  private readonly slots: StreamSlots;

  constructor(private readonly deps: StreamDeps) {
    this.slots = new StreamSlots(deps.maxStreamsPerClient, deps.maxStreams);
  }

  async open(request: { readonly signal: AbortSignal }, reference: string, clientKey: string): Promise<Response> {
    const record = await findRecord(this.deps.store, reference);
    const release = this.slots.open(clientKey);
    const { watcher, streamLifetimeSeconds } = this.deps;
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        const send = (text: string) => {
          if (open) controller.enqueue(encoder.encode(text));
        };
        const close = () => {
          if (!open) return;
          open = false;
          cleanup();
          controller.close();
        };
        const push = (payment: PaymentView) => {
          send(`event: status\nid: ${Date.parse(payment.updatedAt)}\ndata: ${JSON.stringify(payment)}\n\n`);
          if (isFinalState(payment.state)) close();
        };
        const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
        // A stream ends after its lifetime even while the payment waits; the browser's EventSource opens a new one.
        const lifetime = setTimeout(close, streamLifetimeSeconds * 1000);
        const unwatch = watcher.watch(record, push);
        cleanup = () => {
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          unwatch();
          release();
          request.signal.removeEventListener('abort', close);
        };
        request.signal.addEventListener('abort', close);
        send('retry: 2000\n\n');
        push(view(record));
        if (request.signal.aborted) close(); // the client left before the stream began: nothing to hold for it
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  }
}
