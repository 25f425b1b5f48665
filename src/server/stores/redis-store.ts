/**
 * `RedisStore`: the endpoint's state (`KassaStore`) on Redis, for several endpoint processes behind a load balancer.
 * They share the idempotency keys (a double click that lands on two instances still makes one payment), the payment
 * records (a status read, a webhook or a return may reach any instance), the rate-limit counters and the fan-out of
 * status events (a status stream open on one instance hears the change a webhook made on another). One process
 * needs none of this: keep `MemoryStore` (or `FileStore`).
 *
 *   import { createClient } from 'redis';
 *   const client = await createClient({ url: process.env.REDIS_URL }).connect();
 *   const store = new RedisStore(client, { prefix: 'kassa:' });
 *   createKassaHandler({ ...config, store });   // and `await store.close()` on shutdown
 *
 * The merchant creates and connects the client (node-redis v5 or later), so Kassa itself has no dependency on
 * `redis`: the store uses plain commands (`sendCommand`) and, for SUBSCRIBE, a second connection it opens with
 * `client.duplicate()` on the first `subscribe` and closes in `close()`. It needs one Redis (a primary, 2.6 or later
 * for Lua, 6.2 for `ZRANGE … BYSCORE`), with EVAL, PUBLISH and SUBSCRIBE allowed.
 *
 * Key layout (`prefix` defaults to `kassa:`; keys chosen by browsers are hashed, never used as they are):
 * - `{prefix}idempotency:{sha256(key)}`: a hash, `fingerprint` and, once answered, `response` (JSON). An unanswered
 *   claim lives 24 h (its holder may have died mid-request: the provider may have made the payment, so the same
 *   click is refused rather than run again); an answer lives `ttlMs`.
 * - `{prefix}payment:{reference}`: the `PaymentRecord` as JSON; `{prefix}payment-id:{provider}:{providerPaymentId}`:
 *   its reference; `{prefix}payment-events:{reference}`: its events (a list, JSON), `{prefix}delivered:{reference}`:
 *   the sequence delivered to the merchant's hook; `{prefix}order:{sha256(order)}`: the order's attempts (a sorted
 *   set by creation time). A change is saved with its event in one script, only over the sequence it was read at
 *   (another instance's change wins, and the loser reads again). Nothing of a payment expires while it has
 *   undelivered events; then all of it expires `paymentRetentionMs` (7 days by default) later.
 * - `{prefix}outbox`: a sorted set of the payments with undelivered events, by next delivery attempt (ms).
 * - `{prefix}reads`: a sorted set of the payments not yet final, by their next reconciliation read (ms). An instance
 *   takes the due ones in bulk and moves them past a lease in one script, so another instance does not take them too.
 * - `{prefix}lease:{sha256(name)}`: a lease (`SET` with an expiry, taken only when free): one instance at a time
 *   delivers a payment's events, or probes a provider.
 * - `{prefix}rate:{sha256(key)}`: a fixed-window counter (INCR, PEXPIRE on the first hit, in one script; many counters
 *   in one script for a batch of status reads).
 * - `{prefix}value:{sha256(key)}`: a small shared value with an expiry (provider health).
 * - channel `{prefix}events:{reference}`: `{ origin, view }` for every `publish`; each store ignores its own messages
 *   (it has already told its local listeners).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PaymentView, ProviderName } from '../../core/model.ts';
import type { PaymentEvent } from '../events/event.ts';
import {
  DEFAULT_PAYMENT_RETENTION_MS,
  type IdempotencyClaim,
  type KassaStore,
  type PaymentListener,
  type PaymentRecord,
  type PendingEvents,
  type StoreOptions,
  type StoredResponse,
} from './store.ts';

/** The commands RedisStore sends, as node-redis's `client.sendCommand(['SET', …])` takes them. */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
  /** A new client with the same options, for the SUBSCRIBE connection. */
  duplicate(): RedisSubscriberClient;
}

/** The subscriber connection (node-redis's `duplicate()`): only pub/sub. */
export interface RedisSubscriberClient {
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channels: string | string[]): Promise<unknown>;
  close(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface RedisStoreOptions extends StoreOptions {
  /** Put before every key and channel, so Kassa can share a Redis with other data. Default `kassa:`. */
  prefix?: string;
  /** Where failures of the SUBSCRIBE connection and of status listeners go; console.error by default. */
  onError?: (error: unknown, context: string) => void;
}

/** How long a claim nobody answers stays refused (its holder stopped mid-request; the outcome is unknown). */
export const UNANSWERED_CLAIM_TTL_MS = 24 * 3_600_000;
/** How often a duplicate request looks again for the first one's answer. */
export const CLAIM_POLL_INTERVAL_MS = 25;

/** Claims the key when free; else answers what holds it. KEYS[1] key; ARGV fingerprint, TTL of the claim (ms). */
const CLAIM_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'acquired'}
end
return {'held', redis.call('HGET', KEYS[1], 'fingerprint'), redis.call('HGET', KEYS[1], 'response')}`;

/** Stores the answer of a claim that still exists. KEYS[1] key; ARGV response JSON, TTL (ms). */
const FINISH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'response', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** One hit in a fixed window that starts at the first hit. KEYS[1] counter; ARGV window (ms). */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** `HIT_SCRIPT` for every key, in one step. KEYS the counters; ARGV window (ms). Answers the counts, in order. */
const HIT_EACH_SCRIPT = `
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  counts[i] = count
end
return counts`;

/**
 * Takes the due reconciliation reads and moves them past a lease, in one step. KEYS[1] the schedule; ARGV now (ms),
 * most to take, the lease's end (ms). Answers the references taken, earliest due first.
 */
const CLAIM_READS_SCRIPT = `
local due = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
for _, reference in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], reference) end
return due`;

/**
 * Saves a payment with its event when the stored sequence is the one before it. KEYS: payment, payment-id, events,
 * order, outbox; ARGV: record JSON, event JSON, the sequence expected stored, now (ms), created (ms), reference.
 * While events wait, nothing of the payment expires (an undelivered event is never lost to retention).
 */
const COMMIT_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
local sequence = 0
if stored then sequence = tonumber(cjson.decode(stored).sequence) or 0 end
if sequence ~= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[6])
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], 'NX', ARGV[5], ARGV[6])
redis.call('ZADD', KEYS[5], 'NX', ARGV[4], ARGV[6])
for i = 2, 4 do redis.call('PERSIST', KEYS[i]) end
return 1`;

/**
 * Moves the delivered mark forward; once every event is delivered the payment leaves the outbox and its retention
 * starts. KEYS: delivered, outbox, events, payment, payment-id, order; ARGV: sequence, reference, retention (ms).
 */
const DELIVERED_SCRIPT = `
local delivered = tonumber(redis.call('GET', KEYS[1]) or '0')
local total = redis.call('LLEN', KEYS[3])
local sequence = math.min(tonumber(ARGV[1]), total)
if sequence > delivered then
  redis.call('SET', KEYS[1], sequence)
  delivered = sequence
end
if delivered >= total then
  redis.call('ZREM', KEYS[2], ARGV[2])
  for i = 3, 6 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return delivered`;

/** Takes or extends a lease. KEYS[1] lease; ARGV owner, TTL (ms). */
const LEASE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Gives a lease up if still held by the owner. KEYS[1] lease; ARGV owner. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

interface EventMessage {
  origin: string;
  view: PaymentView;
}

export class RedisStore implements KassaStore {
  private readonly prefix: string;
  private readonly paymentRetentionMs: number;
  private readonly onError: (error: unknown, context: string) => void;
  /** Tells this store's own messages from other processes' (they were delivered locally already). */
  private readonly origin = randomUUID();
  private readonly listeners = new Map<string, Set<PaymentListener>>();
  /** Channels SUBSCRIBEd on the subscriber connection now. */
  private readonly subscribed = new Set<string>();
  private subscriber: Promise<RedisSubscriberClient> | undefined;
  /** SUBSCRIBE / UNSUBSCRIBE run one after another, each bringing Redis in line with the local listeners. */
  private subscriptionWork: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly client: RedisCommandClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'kassa:';
    this.paymentRetentionMs = Math.max(1, Math.ceil(options.paymentRetentionMs ?? DEFAULT_PAYMENT_RETENTION_MS));
    this.onError = options.onError ?? ((error, context) => console.error(`kassa: ${context}:`, error));
  }

  async claimIdempotency(key: string, fingerprint: string, waitMs: number): Promise<IdempotencyClaim> {
    const redisKey = this.key('idempotency', hash(key));
    const deadline = Date.now() + waitMs;
    for (;;) {
      const reply = (await this.eval(CLAIM_SCRIPT, redisKey, fingerprint, UNANSWERED_CLAIM_TTL_MS)) as [string, string?, (string | null)?];
      if (reply[0] === 'acquired') return { kind: 'acquired' };
      const [, heldFingerprint, response] = reply;
      if (heldFingerprint !== fingerprint) return { kind: 'conflict' };
      if (response) return { kind: 'replay', response: JSON.parse(response) as StoredResponse };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'conflict' };
      // The holder may be another process: look again shortly (a duplicate click is rare, the wait is short).
      await new Promise((resolve) => setTimeout(resolve, Math.min(CLAIM_POLL_INTERVAL_MS, left)));
    }
  }

  async finishIdempotency(key: string, response: StoredResponse | null, ttlMs: number): Promise<void> {
    const redisKey = this.key('idempotency', hash(key));
    if (response) await this.eval(FINISH_SCRIPT, redisKey, JSON.stringify(response), Math.max(1, Math.ceil(ttlMs)));
    else await this.client.sendCommand(['DEL', redisKey]);
  }

  async getPayment(reference: string): Promise<PaymentRecord | undefined> {
    const json = await this.client.sendCommand(['GET', this.key('payment', reference)]);
    if (typeof json !== 'string') return undefined;
    const record = JSON.parse(json) as PaymentRecord;
    record.sequence ??= 0; // saved before payments had events: its first change is its first event
    return record;
  }

  async getPayments(references: readonly string[]): Promise<Array<PaymentRecord | undefined>> {
    if (!references.length) return [];
    const records = (await this.client.sendCommand(['MGET', ...references.map((r) => this.key('payment', r))])) as Array<string | null>;
    return records.map((json) => {
      if (typeof json !== 'string') return undefined;
      const record = JSON.parse(json) as PaymentRecord;
      record.sequence ??= 0;
      return record;
    });
  }

  async findPayment(provider: ProviderName, providerPaymentId: string): Promise<PaymentRecord | undefined> {
    const reference = await this.client.sendCommand(['GET', this.key('payment-id', provider, providerPaymentId)]);
    return typeof reference === 'string' ? this.getPayment(reference) : undefined;
  }

  async commitPayment(record: PaymentRecord, event: PaymentEvent): Promise<boolean> {
    if (event.sequence !== record.sequence || record.sequence < 1) return false;
    const reference = record.reference;
    const keys = [
      this.key('payment', reference),
      this.key('payment-id', record.provider, record.providerPaymentId),
      this.key('payment-events', reference),
      this.orderKey(record.order),
      this.key('outbox'),
    ];
    const args = [JSON.stringify(record), JSON.stringify(event), record.sequence - 1, Date.now(), Date.parse(record.createdAt) || Date.now(), reference];
    return Number(await this.evalKeys(COMMIT_SCRIPT, keys, ...args)) === 1;
  }

  async orderPayments(order: string): Promise<PaymentRecord[]> {
    const references = (await this.client.sendCommand(['ZRANGE', this.orderKey(order), '0', '-1'])) as string[];
    if (!references.length) return [];
    const records = (await this.client.sendCommand(['MGET', ...references.map((r) => this.key('payment', r))])) as Array<string | null>;
    return records.flatMap((json) => (json ? [JSON.parse(json) as PaymentRecord] : []));
  }

  async paymentEvents(reference: string): Promise<PaymentEvent[]> {
    const events = (await this.client.sendCommand(['LRANGE', this.key('payment-events', reference), '0', '-1'])) as string[];
    return events.map((json) => JSON.parse(json) as PaymentEvent);
  }

  async dueEvents(now: number, limit: number): Promise<string[]> {
    return (await this.client.sendCommand(['ZRANGE', this.key('outbox'), '-inf', String(now), 'BYSCORE', 'LIMIT', '0', String(limit)])) as string[];
  }

  async pendingEvents(reference: string): Promise<PendingEvents> {
    const delivered = Number((await this.client.sendCommand(['GET', this.key('delivered', reference)])) ?? 0);
    const events = (await this.client.sendCommand(['LRANGE', this.key('payment-events', reference), String(delivered), '-1'])) as string[];
    return { delivered, events: events.map((json) => JSON.parse(json) as PaymentEvent) };
  }

  async markDelivered(reference: string, sequence: number): Promise<void> {
    const record = await this.getPayment(reference);
    if (!record) return;
    const keys = [
      this.key('delivered', reference),
      this.key('outbox'),
      this.key('payment-events', reference),
      this.key('payment', reference),
      this.key('payment-id', record.provider, record.providerPaymentId),
      this.orderKey(record.order),
    ];
    await this.evalKeys(DELIVERED_SCRIPT, keys, sequence, reference, this.paymentRetentionMs);
  }

  async postponeEvents(reference: string, at: number): Promise<void> {
    await this.client.sendCommand(['ZADD', this.key('outbox'), 'XX', String(Math.round(at)), reference]);
  }

  async scheduleRead(reference: string, at: number): Promise<void> {
    await this.client.sendCommand(['ZADD', this.key('reads'), String(Math.round(at)), reference]);
  }

  async unscheduleRead(reference: string): Promise<void> {
    await this.client.sendCommand(['ZREM', this.key('reads'), reference]);
  }

  async dueReads(now: number, limit: number): Promise<string[]> {
    return (await this.client.sendCommand(['ZRANGE', this.key('reads'), '-inf', String(now), 'BYSCORE', 'LIMIT', '0', String(limit)])) as string[];
  }

  async claimDueReads(now: number, limit: number, leaseMs: number): Promise<string[]> {
    if (limit < 1) return [];
    return (await this.eval(CLAIM_READS_SCRIPT, this.key('reads'), Math.floor(now), Math.floor(limit), Math.round(now + leaseMs))) as string[];
  }

  async scheduleReads(reads: ReadonlyArray<{ reference: string; at: number | undefined }>): Promise<void> {
    const scheduled = reads.flatMap(({ reference, at }) => (at === undefined ? [] : [String(Math.round(at)), reference]));
    const unscheduled = reads.flatMap(({ reference, at }) => (at === undefined ? [reference] : []));
    // Sent together: node-redis writes both before the first answer comes back.
    await Promise.all([
      scheduled.length ? this.client.sendCommand(['ZADD', this.key('reads'), ...scheduled]) : undefined,
      unscheduled.length ? this.client.sendCommand(['ZREM', this.key('reads'), ...unscheduled]) : undefined,
    ]);
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.eval(LEASE_SCRIPT, this.key('lease', hash(name)), owner, Math.max(1, Math.ceil(ttlMs)))) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.eval(RELEASE_SCRIPT, this.key('lease', hash(name)), owner);
  }

  async publish(view: PaymentView): Promise<void> {
    // Local listeners at once, as MemoryStore does (a SUBSCRIBE still under way would miss the round trip).
    this.deliver(view.reference, view);
    const message: EventMessage = { origin: this.origin, view };
    await this.client.sendCommand(['PUBLISH', this.channel(view.reference), JSON.stringify(message)]);
  }

  subscribe(reference: string, listener: PaymentListener): () => void {
    let set = this.listeners.get(reference);
    if (!set) {
      set = new Set();
      this.listeners.set(reference, set);
      this.syncSubscription(reference);
    }
    set.add(listener);
    const own = set;
    return () => {
      if (!own.delete(listener) || own.size || this.listeners.get(reference) !== own) return;
      this.listeners.delete(reference);
      this.syncSubscription(reference);
    };
  }

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const count = Number(await this.eval(HIT_SCRIPT, this.key('rate', hash(key)), Math.max(1, Math.ceil(windowMs))));
    return count <= limit;
  }

  async hitEach(keys: readonly string[], limit: number, windowMs: number): Promise<boolean[]> {
    if (!keys.length) return [];
    const counters = keys.map((key) => this.key('rate', hash(key)));
    const counts = (await this.evalKeys(HIT_EACH_SCRIPT, counters, Math.max(1, Math.ceil(windowMs)))) as number[];
    return counts.map((count) => Number(count) <= limit);
  }

  async getValue(key: string): Promise<string | undefined> {
    const value = await this.client.sendCommand(['GET', this.key('value', hash(key))]);
    return typeof value === 'string' ? value : undefined;
  }

  async setValue(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.sendCommand(['SET', this.key('value', hash(key)), value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
  }

  async deleteValue(key: string): Promise<void> {
    await this.client.sendCommand(['DEL', this.key('value', hash(key))]);
  }

  /** Resolves once Redis has every SUBSCRIBE / UNSUBSCRIBE asked for so far (other processes' events now arrive). */
  async subscriptionsSettled(): Promise<void> {
    await this.subscriptionWork;
  }

  /** Closes the SUBSCRIBE connection (the merchant's client stays open: it is theirs). Later events stay local. */
  async close(): Promise<void> {
    this.closed = true;
    await this.subscriptionWork;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    const connection = await subscriber?.catch(() => undefined);
    // Unsubscribed first, acknowledged by Redis: the channels are free when this returns, not when the socket closes.
    if (connection && this.subscribed.size) await connection.unsubscribe([...this.subscribed]).catch(() => undefined);
    this.subscribed.clear();
    await connection?.close();
  }

  private syncSubscription(reference: string): void {
    const channel = this.channel(reference);
    this.subscriptionWork = this.subscriptionWork
      .then(async () => {
        const wanted = this.listeners.has(reference) && !this.closed;
        if (wanted === this.subscribed.has(channel)) return;
        const subscriber = await this.subscriberConnection();
        if (wanted) {
          await subscriber.subscribe(channel, (message) => this.receive(reference, message));
          this.subscribed.add(channel);
        } else {
          await subscriber.unsubscribe(channel);
          this.subscribed.delete(channel);
        }
      })
      // Without the subscription local events still arrive, and the status watcher still polls the provider.
      .catch((error) => this.onError(error, `subscribing to events of payment ${reference}`));
  }

  private subscriberConnection(): Promise<RedisSubscriberClient> {
    this.subscriber ??= (async () => {
      const connection = this.client.duplicate();
      connection.on('error', (error) => this.onError(error, 'the Redis subscriber connection'));
      await connection.connect();
      return connection;
    })().catch((error) => {
      this.subscriber = undefined; // the next subscribe tries again
      throw error;
    });
    return this.subscriber;
  }

  private receive(reference: string, text: string): void {
    let message: EventMessage;
    try {
      message = JSON.parse(text) as EventMessage;
    } catch (error) {
      return this.onError(error, `reading an event of payment ${reference}`);
    }
    if (message.origin === this.origin || message.view?.reference !== reference) return;
    this.deliver(reference, message.view);
  }

  private deliver(reference: string, view: PaymentView): void {
    for (const listener of [...(this.listeners.get(reference) ?? [])]) {
      try {
        listener(view);
      } catch (error) {
        this.onError(error, `telling a listener of payment ${reference}`);
      }
    }
  }

  private eval(script: string, key: string, ...args: Array<string | number>): Promise<unknown> {
    return this.evalKeys(script, [key], ...args);
  }

  private evalKeys(script: string, keys: string[], ...args: Array<string | number>): Promise<unknown> {
    return this.client.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args.map(String)]);
  }

  private orderKey(order: string): string {
    return this.key('order', hash(order));
  }

  private key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  private channel(reference: string): string {
    return this.key('events', reference);
  }
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
