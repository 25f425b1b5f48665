import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_REMAINING_MS, parseCarriedSession } from './carried-session.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const SESSION = {
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJvcmQiOiJERU1PLUVVUiJ9.c2lnbmF0dXJl',
  order: 'DEMO-EUR',
  amount: 4990,
  currency: 'EUR',
  locale: 'en',
  methods: [{ id: 'card', provider: 'whenthen', kind: 'card', name: { en: 'Card' } }],
  expiresAt: '2026-12-07T12:15:00.000Z',
};
const text = (changes: Record<string, unknown>) => JSON.stringify({ ...SESSION, ...changes });

describe('parseCarriedSession', () => {
  it('takes a well-formed session for the order with time left', () => {
    assert.deepEqual(parseCarriedSession(JSON.stringify(SESSION), 'DEMO-EUR', NOW), SESSION);
  });
  it(`takes one with exactly ${MIN_REMAINING_MS / 1000} s left`, () => {
    assert.ok(parseCarriedSession(text({ expiresAt: new Date(NOW + MIN_REMAINING_MS).toISOString() }), 'DEMO-EUR', NOW));
  });

  const refused: Array<[string, string]> = [
    ['not JSON', '{"token":'],
    ['JSON that is not an object', '"DEMO-EUR"'],
    ['null', 'null'],
    ['another order', text({ order: 'DEMO-SEK' })],
    ['an expired token', text({ expiresAt: '2026-12-07T11:59:00.000Z' })],
    ['less than a minute left', text({ expiresAt: new Date(NOW + MIN_REMAINING_MS - 1).toISOString() })],
    ['no expiry', text({ expiresAt: undefined })],
    ['an expiry that is not a date', text({ expiresAt: 'soon' })],
    ['a token that is not a JWT', text({ token: 'not-a-token' })],
    ['no token', text({ token: undefined })],
    ['an amount in major units', text({ amount: 49.9 })],
    ['a negative amount', text({ amount: -4990 })],
    ['a currency in lower case', text({ currency: 'eur' })],
    ['no locale', text({ locale: undefined })],
    ['methods that are not a list', text({ methods: {} })],
    ['a method without an id', text({ methods: [{ provider: 'hero', name: { en: 'x' } }] })],
    ['a method without names', text({ methods: [{ id: 'card', provider: 'hero' }] })],
    ['a method whose names are null', text({ methods: [{ id: 'card', provider: 'hero', name: null }] })],
    ['a null method', text({ methods: [null] })],
  ];
  for (const [what, given] of refused) {
    it(`refuses ${what}`, () => assert.equal(parseCarriedSession(given, 'DEMO-EUR', NOW), undefined));
  }
});
