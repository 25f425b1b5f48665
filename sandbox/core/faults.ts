/**
 * Fault injection, per provider and operation, driven by the control API. A simulator asks `intercept` before it
 * does an operation's work; a matching rule delays it, fails it, garbles it or never answers it. The one rule on
 * the way out, `drop` on the `webhook` operation, is asked by `Webhooks.send` before each webhook leaves: a
 * matching rule withholds it, while the payment itself changes as usual.
 */
import type { ServerResponse } from 'node:http';

/**
 * `create` and `status` are the two operation kinds every simulator tags; `start` tags the requests a merchant's
 * server makes to start a payment (WhenThen's client token for its card checkout among them, the browser's own calls
 * not); a provider's own operation name matches too.
 */
export type FaultKind = 'error' | 'latency' | 'malformed' | 'timeout' | 'close-socket' | 'drop';

/** The operation `drop` rules name: the provider's outgoing webhooks (and callbacks), not a request it answers. */
export const WEBHOOK_OPERATION = 'webhook';

export interface FaultRule {
  id: number;
  provider: string;
  /** `create`, `status`, `any`, or an exact operation name such as `createPayment`; `webhook` for `drop`. */
  operation: string;
  kind: FaultKind;
  /** HTTP status for `error` (500, 502, 503, 429 …). */
  status: number;
  /** Delay for `latency`; how long `timeout` holds the request before dropping it. */
  latencyMs: number;
  /** How many more requests (webhooks, for `drop`; payment starts, for `per: 'payment'`) this rule hits; `null` means until cleared. */
  remaining: number | null;
  /**
   * What `times` counts. `request`: every request. `payment`: a payment start, retries included — a request the
   * rule hit is answered the same way each time it comes again (the same body, as a retry sends it) within
   * `REPEAT_GAP_MS` of the last time, without counting, so an endpoint that retries cannot get past it.
   */
  per: 'request' | 'payment';
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'remaining'>> & { provider: string; kind: FaultKind; times?: number };

/**
 * How soon a repeat must follow the last one for a `per: 'payment'` rule to count it as a retry of the same start:
 * longer than the backoff between an endpoint's retries, shorter than a shopper takes to click again.
 */
export const REPEAT_GAP_MS = 3_000;

/** The request as a fault sees it (a `SandboxRequest` is one): its body tells a retry (the same body again) from another payment start. */
export interface FaultedRequest {
  method: string;
  url: URL;
  text(): string;
}

/** The operation tag of the requests a merchant's server makes to start a payment. */
export const START_OPERATION = 'start';

/** A request a `per: 'payment'` rule hit: its repeats are answered the same way until `until`. */
interface HeldRepeat {
  rule: FaultRule;
  fingerprint: string;
  until: number;
}

const KINDS: FaultKind[] = ['error', 'latency', 'malformed', 'timeout', 'close-socket', 'drop'];

export class Faults {
  private rules: FaultRule[] = [];
  private repeats: HeldRepeat[] = [];
  private nextId = 1;
  /** Requests held open by `timeout` rules; released on reset so a test run can end. */
  private readonly held = new Set<ServerResponse>();

  add(input: FaultInput): FaultRule {
    if (!KINDS.includes(input.kind)) throw new Error(`kind must be one of ${KINDS.join(', ')}`);
    const drop = input.kind === 'drop';
    const operation = input.operation ?? (drop ? WEBHOOK_OPERATION : 'any');
    if (drop && operation !== WEBHOOK_OPERATION) throw new Error(`kind drop applies to operation ${WEBHOOK_OPERATION} only`);
    if (!drop && operation === WEBHOOK_OPERATION) throw new Error(`operation ${WEBHOOK_OPERATION} takes kind drop only`);
    const per = input.per ?? 'request';
    if (per !== 'request' && per !== 'payment') throw new Error('per must be request or payment');
    if (per === 'payment' && drop) throw new Error('per payment applies to request faults only');
    // Request faults hit once by default; a drop withholds every webhook until cleared unless `times` says otherwise.
    const times = input.times ?? (drop ? 0 : 1);
    const rule: FaultRule = {
      id: this.nextId++,
      provider: input.provider,
      operation,
      kind: input.kind,
      status: input.status ?? (input.kind === 'error' ? 500 : 200),
      latencyMs: input.latencyMs ?? (input.kind === 'timeout' ? 60_000 : 0),
      remaining: times === 0 ? null : times,
      per,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(provider?: string): void {
    this.rules = provider ? this.rules.filter((r) => r.provider !== provider) : [];
    this.repeats = provider ? this.repeats.filter((h) => h.rule.provider !== provider) : [];
    if (!provider) {
      for (const res of this.held) res.destroy();
      this.held.clear();
    }
  }

  /**
   * Applies the first matching rule — or, to a repeat of a request a `per: 'payment'` rule hit, that rule again.
   * Returns true when the fault answered (or dropped) the request, so the caller must stop; false when the request
   * goes on (no rule, or only added latency).
   */
  async intercept(provider: string, operations: string[], res: ServerResponse, request?: FaultedRequest): Promise<boolean> {
    const fingerprint = request ? fingerprintOf(request) : undefined;
    const now = Date.now();
    this.repeats = this.repeats.filter((h) => h.until > now);
    const repeat = fingerprint === undefined ? undefined : this.repeats.find((h) => h.rule.provider === provider && h.fingerprint === fingerprint);
    const rule =
      repeat?.rule ??
      this.rules.find((r) => r.provider === provider && r.kind !== 'drop' && (r.operation === 'any' || operations.includes(r.operation)));
    if (!rule) return false;
    if (repeat) repeat.until = now + REPEAT_GAP_MS;
    else {
      this.hit(rule);
      if (rule.per === 'payment' && fingerprint !== undefined) this.repeats.push({ rule, fingerprint, until: now + REPEAT_GAP_MS });
    }
    switch (rule.kind) {
      case 'latency':
        await sleep(rule.latencyMs);
        return false;
      case 'error': {
        const body = rule.status === 429 ? 'Too Many Requests' : 'Internal Server Error';
        const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
        if (rule.status === 429) headers['retry-after'] = '1';
        res.writeHead(rule.status, headers);
        res.end(body);
        return true;
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"data": {"unterminated');
        return true;
      case 'close-socket':
        res.socket?.destroy();
        return true;
      case 'timeout':
        this.held.add(res);
        await sleep(rule.latencyMs);
        this.held.delete(res);
        res.socket?.destroy();
        return true;
      case 'drop': // not found above: a drop withholds webhooks (`dropsWebhook`), never a request
        return false;
    }
  }

  /** The `drop` rule that withholds `provider`'s next webhook, counting the hit; undefined when it goes out. */
  dropsWebhook(provider: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.provider === provider && r.kind === 'drop');
    if (rule) this.hit(rule);
    return rule;
  }

  /** Counts one hit against a rule, removing it when its `times` are used up. */
  private hit(rule: FaultRule): void {
    if (rule.remaining !== null && --rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
  }
}

/** One line per request: method, path and body (a retry sends all three unchanged). */
function fingerprintOf(request: FaultedRequest): string {
  return `${request.method} ${request.url.pathname}\n${request.text()}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
