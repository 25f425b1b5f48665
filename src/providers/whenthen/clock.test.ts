/** WhenThen's clock offset from its answers' `Date` header: one answer's bounds, and the running estimate. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextOffset, offsetAt, offsetSample, type ClockOffset } from './clock.ts';

const T = Date.UTC(2030, 0, 1, 12, 0, 0);
const header = (ms: number) => new Date(ms).toUTCString();

describe('offsetSample: what one answer says', () => {
  const TABLE: Array<[string, string | null, number, number, ClockOffset | undefined]> = [
    ['clocks together, a 100 ms round trip', header(T), T - 50, T + 50, { low: -50, high: 1050, at: T + 50 }],
    ['WhenThen 90 s ahead', header(T + 90_000), T, T + 20, { low: 89_980, high: 91_000, at: T + 20 }],
    ['WhenThen 2 min behind', header(T - 120_000), T, T + 10, { low: -120_010, high: -119_000, at: T + 10 }],
    ['no header', null, T, T + 10, undefined],
    ['a header that is no HTTP date', '12345', T, T + 10, undefined],
    ['an answer before its request: a clock step on Kassa\'s side, ignored', header(T), T + 10, T, undefined],
  ];
  for (const [what, date, sent, received, expected] of TABLE) test(what, () => assert.deepEqual(offsetSample(date, sent, received), expected));
});

describe('nextOffset: the running estimate', () => {
  const TABLE: Array<[string, ClockOffset | undefined, ClockOffset | undefined, ClockOffset | undefined]> = [
    ['the first answer is the estimate', undefined, { low: 0, high: 1000, at: T }, { low: 0, high: 1000, at: T }],
    ['no answer keeps it', { low: 0, high: 1000, at: T }, undefined, { low: 0, high: 1000, at: T }],
    ['answers narrow it to their overlap', { low: 0, high: 1000, at: T }, { low: 600, high: 1700, at: T }, { low: 600, high: 1000, at: T }],
    ['an older estimate widens by drift first (100 ppm: 6 ms over a minute)', { low: 0, high: 1000, at: T }, { low: 400, high: 1400, at: T + 60_000 }, { low: 400, high: 1006, at: T + 60_000 }],
    ['an answer outside it: WhenThen\'s clock was set, the answer wins', { low: 0, high: 1000, at: T }, { low: 5000, high: 6000, at: T + 1000 }, { low: 5000, high: 6000, at: T + 1000 }],
  ];
  for (const [what, current, sample, expected] of TABLE) test(what, () => assert.deepEqual(nextOffset(current, sample), expected));

  test('many answers pin the offset to within half a second, though each says only whole seconds', () => {
    const truth = 90_437;
    let estimate: ClockOffset | undefined;
    for (let i = 0; i < 20; i++) {
      const sent = T + i * 1337;
      const received = sent + 30;
      estimate = nextOffset(estimate, offsetSample(header(Math.floor((sent + 15 + truth) / 1000) * 1000), sent, received));
    }
    assert.ok(estimate!.low <= truth && truth <= estimate!.high, `${truth} in [${estimate!.low}, ${estimate!.high}]`);
    assert.ok(estimate!.high - estimate!.low < 500, `narrowed to ${estimate!.high - estimate!.low} ms`);
  });
});

describe('offsetAt', () => {
  test('the estimate widens by drift as it ages', () => {
    assert.deepEqual(offsetAt({ low: 0, high: 1000, at: T }, T + 600_000), { low: -60, high: 1060 });
  });
});
