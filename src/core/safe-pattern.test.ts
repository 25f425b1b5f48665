import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSafePattern, MAX_PATTERN_LENGTH, MAX_VALUE_LENGTH, matchesSafePattern } from './safe-pattern.ts';

/** Milliseconds `run` takes. */
function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

describe('compileSafePattern', () => {
  // Each answer is checked against the native RegExp too: the engine changed, the meaning must not.
  const ordinary: Array<[pattern: string, values: string[]]> = [
    ['^\\d{6}$', ['123456', '12345', '1234567', '12345a', '', ' 123456', '١٢٣٤٥٦']],
    ['^[A-Z]{2}\\d+$', ['AB1', 'AB123456', 'ab1', 'A1', 'ABC1', 'AB', 'AB1x']],
    ['/^[a-z]+$/i', ['Hello', 'hello', 'HELLO', 'he11o', '', 'héllo']],
    ['^\\+?[0-9 ]{7,15}$', ['+380501234567', '380 50 123 45 67', '+1234567', '123456', '+12345678901234567', '12-34-567', '+ 1234567']],
    ['^\\+?\\d{10,15}$', ['+380501234567', '12ab', '123456789']],
    ['^(\\d{3})-(\\d{4})$', ['123-4567', '1234567', '123-45678']],
    ['^[+*]\\d+$', ['+12', '*3', '12']],
    ['^(ab)+$', ['abab', 'aba', '']],
    ['^[a-zA-Z_]*$', ['status_ok', '', 'status 1']],
    ['\\d', ['a1b', 'abc']], // unanchored: a match anywhere, as RegExp#test
    ['/^a.b$/s', ['a\nb', 'axb', 'ab']],
    ['/^b$/m', ['a\nb', 'b', 'ab']],
    ['^[\\u0400-\\u04FF]+$', ['Тарас', 'Taras', 'Тарас1']],
    ['^(?<code>\\d{4})$', ['1234', '12345']],
  ];
  for (const [pattern, values] of ordinary) {
    it(`runs ${pattern} as RegExp does`, () => {
      const compiled = compileSafePattern(pattern);
      assert.ok(compiled, 'refused an ordinary pattern');
      const slashed = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
      const native = slashed ? new RegExp(slashed[1]!, slashed[2]) : new RegExp(pattern);
      for (const value of values) assert.equal(compiled.test(value), native.test(value), JSON.stringify(value));
    });
  }

  // RE2 has no linear-time form for these: not applied, and the provider checks again.
  const notRun: Array<[why: string, pattern: string]> = [
    ['backreference', '(a)\\1'],
    ['lookahead', '(?=a)a'],
    ['negative lookahead', '^(?!0)\\d+$'],
    ['lookbehind', '(?<=a)b'],
    ['invalid', '['],
    ['a repeat count over 1,000', '^\\d{1001}$'],
    ['over-long', 'a'.repeat(MAX_PATTERN_LENGTH + 1)],
    ['over-large program', `^${'.{1000}'.repeat(10)}$`],
    ['empty', ''],
  ];
  for (const [why, pattern] of notRun) {
    it(`does not run a pattern: ${why}`, () => {
      assert.equal(compileSafePattern(pattern), undefined);
      assert.equal(matchesSafePattern(pattern, 'anything'), true);
    });
  }
});

describe('matchesSafePattern on patterns that backtrack catastrophically in RegExp', () => {
  // The native RegExp took 0.66 s for the first on 101 characters, and did not finish in 120 s for the 7-quantifier one on 201.
  const polynomial: Array<[pattern: string, length: number]> = [
    ['^\\d+\\d+\\d+\\d+\\d+$', 101],
    ['^\\d+\\d+\\d+\\d+\\d+\\d+\\d+$', 101],
    ['^\\d+\\d+\\d+\\d+\\d+\\d+\\d+$', 201],
    ['^\\d+\\d+\\d+\\d+\\d+\\d+\\d+$', MAX_VALUE_LENGTH],
  ];
  for (const [pattern, length] of polynomial) {
    it(`${pattern} on ${length} characters: right, and 1,000 tests in under 1 s`, () => {
      const failing = `${'1'.repeat(length - 1)}a`;
      const passing = '1'.repeat(length);
      const took = timed(() => {
        for (let i = 0; i < 500; i++) {
          assert.equal(matchesSafePattern(pattern, failing), false);
          assert.equal(matchesSafePattern(pattern, passing), true);
        }
      });
      assert.ok(took < 1000, `${took.toFixed(0)} ms`);
    });
  }

  const exponential: Array<[pattern: string, failing: string, passing: string]> = [
    ['^(a+)+$', `${'a'.repeat(30)}b`, 'a'.repeat(30)],
    ['^(a*)*$', `${'a'.repeat(30)}b`, 'a'.repeat(30)],
    ['(a|aa)+$', `${'a'.repeat(30)}b`, 'a'.repeat(30)],
    ['^(\\w+\\s?)*$', `${'word '.repeat(40)}!`, 'word '.repeat(40)],
    ['^(a{1,3}){2,}$', `${'a'.repeat(60)}!`, 'a'.repeat(60)],
  ];
  for (const [pattern, failing, passing] of exponential) {
    it(`${pattern}: right, and 1,000 tests in under 1 s`, () => {
      const took = timed(() => {
        for (let i = 0; i < 500; i++) {
          assert.equal(matchesSafePattern(pattern, failing), false);
          assert.equal(matchesSafePattern(pattern, passing), true);
        }
      });
      assert.ok(took < 1000, `${took.toFixed(0)} ms`);
    });
  }
});

describe('matchesSafePattern bounds', () => {
  it('fails an over-long value and passes when there is no pattern', () => {
    assert.equal(matchesSafePattern('^\\d+$', '1'.repeat(MAX_VALUE_LENGTH)), true);
    assert.equal(matchesSafePattern('^\\d+$', '1'.repeat(MAX_VALUE_LENGTH + 1)), false);
    assert.equal(matchesSafePattern(undefined, 'anything'), true);
    assert.equal(matchesSafePattern('', 'anything'), true);
  });

  it('answers the same for a pattern seen again (compiled once, kept)', () => {
    assert.equal(compileSafePattern('^x\\d$'), compileSafePattern('^x\\d$'));
    for (let i = 0; i < 200; i++) assert.equal(matchesSafePattern(`^${i}$`, String(i)), true);
    assert.equal(matchesSafePattern('^x\\d$', 'x1'), true);
  });
});
