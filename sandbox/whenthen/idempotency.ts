/**
 * `X-Idempotency-Key` on mutations (seed: "The Create a Payment API supports Idempotency"): the same key with the
 * same request answers the first answer again without doing the work twice — also while the first is still running —
 * and the same key with another request is refused. INVENTED: keys are kept IDEMPOTENCY_TTL_MS, per sandbox.
 */
import { createHash } from 'node:crypto';
import { IDEMPOTENCY_TTL_MS } from './config.ts';

interface Entry {
  fingerprint: string;
  expiresAt: number;
  answer: Promise<unknown>;
}

export type IdempotentAnswer<T> = { conflict: false; value: T } | { conflict: true };

export class IdempotencyKeys {
  private entries = new Map<string, Entry>();

  async run<T>(key: string, request: unknown, work: () => Promise<T>): Promise<IdempotentAnswer<T>> {
    const now = Date.now();
    const fingerprint = fingerprintOf(request);
    const known = this.entries.get(key);
    if (known && known.expiresAt > now) {
      if (known.fingerprint !== fingerprint) return { conflict: true };
      return { conflict: false, value: (await known.answer) as T };
    }
    const answer = work();
    this.entries.set(key, { fingerprint, expiresAt: now + IDEMPOTENCY_TTL_MS, answer });
    try {
      return { conflict: false, value: await answer };
    } catch (error) {
      // A crash is not an answer: the next try with this key does the work.
      this.entries.delete(key);
      throw error;
    }
  }

  reset(): void {
    this.entries.clear();
  }
}

/** The same JSON with keys in any order or other whitespace is the same request. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
