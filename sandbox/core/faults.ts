/**
 * Fault injection, per provider and operation, driven by the control API. A simulator asks `intercept` before it
 * does an operation's work; a matching rule delays it, fails it, garbles it or never answers it. The one rule on
 * the way out, `drop` on the `webhook` operation, is asked by `Webhooks.send` before each webhook leaves: a
 * matching rule withholds it, while the payment itself changes as usual.
 */
import type { ServerResponse } from 'node:http';

/** `create` and `status` are the two operation kinds every simulator tags; a provider's own operation name matches too. */
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
  /** How many more requests (webhooks, for `drop`) this rule hits; `null` means until cleared. */
  remaining: number | null;
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'remaining'>> & { provider: string; kind: FaultKind; times?: number };

const KINDS: FaultKind[] = ['error', 'latency', 'malformed', 'timeout', 'close-socket', 'drop'];

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;
  /** Requests held open by `timeout` rules; released on reset so a test run can end. */
  private readonly held = new Set<ServerResponse>();

  add(input: FaultInput): FaultRule {
    if (!KINDS.includes(input.kind)) throw new Error(`kind must be one of ${KINDS.join(', ')}`);
    const drop = input.kind === 'drop';
    const operation = input.operation ?? (drop ? WEBHOOK_OPERATION : 'any');
    if (drop && operation !== WEBHOOK_OPERATION) throw new Error(`kind drop applies to operation ${WEBHOOK_OPERATION} only`);
    if (!drop && operation === WEBHOOK_OPERATION) throw new Error(`operation ${WEBHOOK_OPERATION} takes kind drop only`);
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
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(provider?: string): void {
    this.rules = provider ? this.rules.filter((r) => r.provider !== provider) : [];
    if (!provider) {
      for (const res of this.held) res.destroy();
      this.held.clear();
    }
  }

  /**
   * Applies the first matching rule. Returns true when the fault answered (or dropped) the request, so the caller
   * must stop; false when the request goes on (no rule, or only added latency).
   */
  async intercept(provider: string, operations: string[], res: ServerResponse): Promise<boolean> {
    const rule = this.rules.find(
      (r) => r.provider === provider && r.kind !== 'drop' && (r.operation === 'any' || operations.includes(r.operation)),
    );
    if (!rule) return false;
    this.hit(rule);
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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
