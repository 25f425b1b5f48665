/**
 * The simulator's time: the real clock plus an offset that a drill (`POST /_sandbox/hidirect/clock`) moves forward,
 * so tests can let the 7 days of an uncaptured authorisation or the 2 hours of a checkout token pass without waiting.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.realNow() + this.offsetMs;
  }

  /** Time only moves forward: a payment never becomes younger. */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('the clock only moves forward by whole milliseconds');
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
