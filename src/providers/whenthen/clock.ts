/**
 * How far WhenThen's clock is from Kassa's, learnt from its answers' HTTP `Date` header. WhenThen dates a payment by
 * its own clock, and listPayments' window is in that clock; Kassa knows when it asked for a payment by its own. With
 * the offset known to within a second or two, a batch read searches a few seconds around each payment instead of
 * CLOCK_SKEW_MS (5 minutes) either side, so it walks the payments of those seconds, not of ten minutes.
 */

/** WhenThen's clock minus Kassa's, in ms: somewhere from `low` to `high`, as of `at` (Kassa's clock). */
export interface ClockOffset {
  low: number;
  high: number;
  at: number;
}

/**
 * INVENTED: how fast two clocks may drift apart (ms per ms; 100 ppm, ten times a quartz clock left alone). An
 * estimate widens by it as it ages, so an old answer never pins the offset tighter than it can still be.
 */
const DRIFT = 1e-4;

/**
 * What one answer says: WhenThen wrote `Date` (whole seconds, so its time was from D to D + 1 s) while Kassa's clock
 * went from `sentAt` to `receivedAt`. Undefined without a readable header.
 */
export function offsetSample(date: string | null, sentAt: number, receivedAt: number): ClockOffset | undefined {
  // An HTTP date names its month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone would read odd text as a year.
  if (!date || !/\b[A-Za-z]{3}\b/.test(date)) return undefined;
  const at = Date.parse(date);
  if (!Number.isFinite(at) || !(receivedAt >= sentAt)) return undefined;
  return { low: at - receivedAt, high: at + 1000 - sentAt, at: receivedAt };
}

/**
 * The running estimate after one more answer: the overlap of what every answer allows (the older estimate widened by
 * drift since it was made). Answers that do not overlap it mean WhenThen's clock was set: the newest answer wins.
 */
export function nextOffset(current: ClockOffset | undefined, sample: ClockOffset | undefined): ClockOffset | undefined {
  if (!sample) return current;
  if (!current) return sample;
  const drift = Math.abs(sample.at - current.at) * DRIFT;
  const low = Math.max(current.low - drift, sample.low);
  const high = Math.min(current.high + drift, sample.high);
  return low <= high ? { low, high, at: Math.max(current.at, sample.at) } : sample;
}

/** The estimate as of `now`: widened by the drift since it was made. */
export function offsetAt(estimate: ClockOffset, now: number): { low: number; high: number } {
  const drift = Math.abs(now - estimate.at) * DRIFT;
  return { low: estimate.low - drift, high: estimate.high + drift };
}
