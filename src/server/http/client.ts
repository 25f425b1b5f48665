/**
 * The client of one request, known by its address, and the per-client rate limits that key on it. The address comes
 * from the runtime (the Node listener reads the socket; other runtimes pass it) or the `clientAddress` option.
 */
import type { KassaStore } from '../stores/store.ts';
import { clientKey, normalizeAddress } from './client-address.ts';
import { HttpProblem } from './problems.ts';

export class Client {
  private cached: string | undefined;

  constructor(
    /** Called only when a route needs the address (inside the handler's error handling: the merchant's reader may throw). */
    private readonly address: () => string | undefined,
    private readonly onMissing: () => void,
  ) {}

  /** The client's address as the runtime or `clientAddress` gave it, when known (providers that want the shopper's IP). */
  knownAddress(): string | undefined {
    try {
      const address = this.address();
      return address ? normalizeAddress(address) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The client's rate-limit key; without an address the merchant's setup is incomplete: 500 `client-address-unknown`. */
  key(): string {
    if (this.cached) return this.cached;
    const address = this.address();
    if (!address) {
      this.onMissing();
      throw new HttpProblem('client-address-unknown');
    }
    return (this.cached = clientKey(address));
  }
}

/** Per-client budgets per minute, counted in the store (so shared by every instance on it). */
export class RateLimits {
  constructor(private readonly store: KassaStore) {}

  /** Counts one request of `client` in `bucket`; over `perMinute`, 429 with `Retry-After`. */
  async check(client: Client, bucket: string, perMinute: number): Promise<void> {
    if (!(await this.store.hit(`${bucket}:${client.key()}`, perMinute, 60_000))) {
      throw new HttpProblem('rate-limited', undefined, undefined, { 'retry-after': '60' });
    }
  }
}
