import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSafePattern, matchesSafePattern } from './safe-pattern.ts';

describe('compileSafePattern', () => {
  const accepted: Array<[pattern: string, good: string, bad: string]> = [
    ['^\\+?\\d{10,15}$', '+380501234567', '12ab'],
    ['/^[a-z]+$/i', 'Hello', 'he11o'],
    ['^(\\d{3})-(\\d{4})$', '123-4567', '1234567'],
    ['^[+*]\\d+$', '+12', '12'],
    ['^(ab)+$', 'abab', 'aba'],
  ];
  for (const [pattern, good, bad] of accepted) {
    it(`compiles ${pattern}`, () => {
      const re = compileSafePattern(pattern);
      assert.ok(re, 'refused a safe pattern');
      assert.equal(re.test(good), true);
      assert.equal(re.test(bad), false);
    });
  }

  const refused = ['^(a+)+$', '^(a*)*$', '(a|aa)+', '^(\\w+\\s?)*$', '((ab)*c)+', '^(a{1,3}){2,}$', '(x)\\1', '[', 'a'.repeat(300)];
  for (const pattern of refused) {
    it(`refuses ${pattern.slice(0, 20)}`, () => assert.equal(compileSafePattern(pattern), undefined));
  }

  it('keeps the page responsive on a catastrophic pattern', () => {
    const started = performance.now();
    assert.equal(matchesSafePattern('^(a+)+$', `${'a'.repeat(40)}!`), true);
    assert.ok(performance.now() - started < 50);
  });

  it('fails over-long values and passes when there is no pattern', () => {
    assert.equal(matchesSafePattern('^\\d+$', '1'.repeat(300)), false);
    assert.equal(matchesSafePattern(undefined, 'anything'), true);
  });
});
