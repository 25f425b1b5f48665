import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MethodField, PaymentMethod, ProviderName } from '../../core/model.ts';
import type { ResolvedOrder } from '../provider.ts';
import { parseRecord } from './health.ts';
import { entryFor, fieldsForCandidate, offerKey, offersFor, providerEntry, providersFor, routingSchema, ruleMatches, type RouteRule, type RoutingConfig } from './rules.ts';

const ALL: ProviderName[] = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'];

const order = (over: Partial<ResolvedOrder> = {}): ResolvedOrder => ({ reference: 'o-1', amount: 4990, currency: 'EUR', ...over });

const method = (id: string, type: PaymentMethod['type'], over: Partial<PaymentMethod> = {}): PaymentMethod => ({
  id,
  provider: id.split(':')[0] as ProviderName,
  kind: type === 'card' ? 'card' : 'other',
  type,
  name: { en: id },
  ...over,
});

describe('routing rules', () => {
  const rows: Array<[string, RouteRule, Partial<ResolvedOrder>, boolean]> = [
    ['no condition', { provider: 'kronor' }, {}, true],
    ['currency listed', { provider: 'kronor', currencies: ['EUR', 'SEK'] }, {}, true],
    ['currency not listed', { provider: 'kronor', currencies: ['SEK'] }, {}, false],
    ['amount at the minimum', { provider: 'kronor', minAmount: 4990 }, {}, true],
    ['amount under the minimum', { provider: 'kronor', minAmount: 4991 }, {}, false],
    ['amount at the maximum', { provider: 'kronor', maxAmount: 4990 }, {}, true],
    ['amount over the maximum', { provider: 'kronor', maxAmount: 4989 }, {}, false],
    ['shopper country listed', { provider: 'kronor', countries: ['SE'] }, { customer: { country: 'se' } }, true],
    ['shopper country not listed', { provider: 'kronor', countries: ['SE'] }, { customer: { country: 'FI' } }, false],
    ['no shopper country where one is asked', { provider: 'kronor', countries: ['SE'] }, {}, false],
    ['every condition holds', { provider: 'kronor', currencies: ['EUR'], minAmount: 100, maxAmount: 10_000, countries: ['FI'] }, { customer: { country: 'FI' } }, true],
  ];
  for (const [name, rule, over, expected] of rows) {
    it(`${name} → ${expected ? 'matches' : 'does not match'}`, () => assert.equal(ruleMatches(rule, order(over)), expected));
  }

  it('orders providers by the rule, drops those it leaves out, unconfigured ones and repeats', () => {
    const routing: RoutingConfig = { methods: { card: ['whenthen', { provider: 'kronor', currencies: ['SEK'] }, 'milkypay', 'whenthen', 'hero'] } };
    assert.deepEqual(providersFor('card', order(), routing, ['milkypay', 'whenthen', 'kronor']), ['whenthen', 'milkypay']);
    assert.deepEqual(providersFor('card', order({ currency: 'SEK' }), routing, ['milkypay', 'whenthen', 'kronor']), ['whenthen', 'kronor', 'milkypay']);
    assert.deepEqual(providersFor('paypal', order(), routing, ['kronor', 'milkypay']), ['kronor', 'milkypay'], 'no rule: the configured order');
    assert.deepEqual(providersFor('card', order(), { methods: { card: [] } }, ALL), [], 'an empty list routes nowhere');
  });

  it('checks the routing configuration', () => {
    assert.equal(routingSchema.safeParse({ methods: { card: ['whenthen', { provider: 'kronor', currencies: ['SEK'] }] }, list: 'provider' }).success, true);
    const refused = [
      { methods: { card: ['stripe'] } },
      { methods: { crypto: ['kronor'] } },
      { methods: { card: [{ provider: 'kronor', currencies: ['sek'] }] } },
      { methods: { card: [{ provider: 'kronor', minAmount: 10, maxAmount: 5 }] } },
      { methods: { card: [{ provider: 'kronor', country: ['SE'] }] } },
      { list: 'everything' },
      { cardBrands: ['diners'] },
    ];
    for (const config of refused) assert.equal(routingSchema.safeParse(config).success, false, JSON.stringify(config));
  });
});

describe('offers and entries', () => {
  const eur = [
    method('hero:Pay1X', 'b2b-pay-later', { variant: 'Pay1X', kind: 'invoice' }),
    method('milkypay:payment_card_eur_hpp', 'card', { logo: 'https://cdn.example/card.svg', min: 50 }),
    method('milkypay:paypal_eur_hpp', 'paypal'),
    method('milkypay:privat24_eur_hpp', 'other', { logo: 'https://cdn.example/p24.svg' }),
    method('whenthen:card', 'card'),
    method('whenthen:paypal', 'paypal'),
    method('kronor:creditCard', 'card'),
    method('kronor:swish', 'swish'),
    method('kronor:swish-ecom', 'swish', { variant: 'phone' }),
  ];

  it('keys a method by its type and variant; a method without a type by its own id', () => {
    assert.deepEqual(eur.map(offerKey), ['b2b-pay-later.Pay1X', 'card', 'paypal', 'milkypay:privat24_eur_hpp', 'card', 'paypal', 'card', 'swish', 'swish.phone']);
  });

  it('groups one method per type, routed in the configured order, in the order first listed', () => {
    const offers = offersFor(eur, order(), { methods: { card: ['whenthen', 'kronor', 'milkypay'] } }, ALL);
    assert.deepEqual(
      offers.map((o) => [o.key, o.candidates.map((m) => m.id)]),
      [
        ['b2b-pay-later.Pay1X', ['hero:Pay1X']],
        ['card', ['whenthen:card', 'kronor:creditCard', 'milkypay:payment_card_eur_hpp']],
        ['paypal', ['milkypay:paypal_eur_hpp', 'whenthen:paypal']],
        ['milkypay:privat24_eur_hpp', ['milkypay:privat24_eur_hpp']],
        ['swish', ['kronor:swish']],
        ['swish.phone', ['kronor:swish-ecom']],
      ],
    );
  });

  it('leaves out a type routing sends nowhere for the order', () => {
    const offers = offersFor(eur, order(), { methods: { paypal: [{ provider: 'whenthen', currencies: ['SEK'] }] } }, ALL);
    assert.equal(offers.find((o) => o.key === 'paypal'), undefined);
  });

  it("names an entry by its type, with Kassa's logo, the brands and the providers it may go to", () => {
    const [card] = offersFor(eur, order(), { methods: { card: ['whenthen', 'kronor', 'milkypay'] } }, ALL).filter((o) => o.key === 'card');
    const usable = card!.candidates.slice(1);
    assert.deepEqual(entryFor(card!, usable, {}), {
      id: 'card',
      provider: 'kronor',
      providers: ['kronor', 'milkypay'],
      kind: 'card',
      type: 'card',
      name: { en: 'kronor:creditCard' },
      logo: 'kassa:card',
      brands: ['visa', 'mastercard'],
    });
    const other = offersFor(eur, order(), {}, ALL).find((o) => o.key === 'milkypay:privat24_eur_hpp')!;
    assert.equal(entryFor(other, other.candidates, {}).id, 'milkypay:privat24_eur_hpp', 'a method without a type keeps its id');
    assert.equal(entryFor(other, other.candidates, {}).logo, 'https://cdn.example/p24.svg', "and the provider's logo");
    const hero = offersFor(eur, order(), {}, ALL)[0]!;
    assert.deepEqual([entryFor(hero, hero.candidates, {}).id, entryFor(hero, hero.candidates, {}).variant], ['b2b-pay-later.Pay1X', 'Pay1X']);
  });

  it("lists a provider's own entry without its limits, with a logo", () => {
    const entry = providerEntry(eur[1]!, { cardBrands: ['visa', 'amex'] });
    assert.deepEqual([entry.id, entry.logo, entry.brands, entry.min], ['milkypay:payment_card_eur_hpp', 'https://cdn.example/card.svg', ['visa', 'amex'], undefined]);
    assert.equal(providerEntry(eur[4]!, {}).logo, 'kassa:card');
  });
});

describe('fields for each candidate', () => {
  const phone = (key: string, required = true): MethodField => ({ key, type: 'tel', kind: 'phone', label: { en: 'Phone' }, required });
  const first = method('milkypay:mbway_eur_hpp', 'mbway', { fields: [phone('phone')] });
  const second = method('kronor:mbway', 'mbway', { fields: [phone('msisdn')] });
  const third = method('whenthen:mbway', 'mbway', { fields: [phone('phone'), { key: 'email', type: 'email', kind: 'email', label: { en: 'E-mail' }, required: true }] });
  const shown = [first.fields, second.fields, third.fields];

  const rows: Array<[string, PaymentMethod, Record<string, string>, Record<string, string> | undefined]> = [
    ['its own key', first, { phone: '+351912345678' }, { phone: '+351912345678' }],
    ['the same kind under another key', second, { phone: '+351912345678' }, { msisdn: '+351912345678' }],
    ['a required field the shopper was not asked for', third, { phone: '+351912345678' }, undefined],
    ['a required field left empty', first, { phone: '  ' }, undefined],
    ['no fields at all', method('whenthen:card', 'card'), { phone: '1' }, {}],
  ];
  for (const [name, candidate, given, expected] of rows) {
    it(name, () => assert.deepEqual(fieldsForCandidate(candidate, given, shown), expected));
  }
});

describe('the breaker record', () => {
  const rows: Array<[string | undefined, ReturnType<typeof parseRecord>]> = [
    [undefined, { generation: 0 }],
    ['not json', { generation: 0 }],
    ['{"generation":3}', { generation: 3 }],
    ['{"openUntil":1700000000000,"generation":2}', { openUntil: 1_700_000_000_000, generation: 2 }],
    ['{"openUntil":"soon","generation":"x"}', { generation: 0 }],
  ];
  for (const [stored, expected] of rows) {
    it(`${stored ?? 'nothing'} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseRecord(stored), expected));
  }
});
