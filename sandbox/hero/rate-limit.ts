/**
 * Hero's published rate limit (1800 requests a minute and 200 a second per API key) as sliding windows over request
 * times. Pure apart from the injected clock, so tests can drive it without waiting.
 */
export interface RateLimitConfig {
  enabled: boolean;
  perSecond: number;
  perMinute: number;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; false means it is over the limit and must be answered 429 (and is not counted). */
  allow(key: string): boolean {
    if (!this.config.enabled) return true;
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < MINUTE_MS);
    const lastSecond = recent.filter((t) => now - t < SECOND_MS).length;
    if (recent.length >= this.config.perMinute || lastSecond >= this.config.perSecond) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }

  reset(): void {
    this.hits.clear();
  }
}
