/// <reference types="mocha" />
/**
 * The merchant's words, through what a script-tag page imports from kassa.js (src/index.ts): an override reaches
 * elements already on the page, English included; a language Kassa does not ship is loaded only when an element
 * needs it, then chosen like a built-in one.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { registerMessages } from '../../src/index.ts';
import { registerMessages as fromPackage } from '../../src/components/index.ts';
import type { KassaMethodPicker } from '../../src/components/method-picker/method-picker.ts';
import type { Messages } from '../../src/core/i18n.ts';
import type { PaymentMethod } from '../../src/core/model.ts';

const METHODS: PaymentMethod[] = [
  { id: 'whenthen:card', provider: 'whenthen', kind: 'card', type: 'card', name: { en: 'Card' } },
  { id: 'hero:Pay1D', provider: 'hero', kind: 'invoice', type: 'b2b-pay-later', variant: 'Pay1D', name: { en: 'Pay in 1 day' } },
  { id: 'hero:Pay14D', provider: 'hero', kind: 'invoice', type: 'b2b-pay-later', variant: 'Pay14D', name: { en: 'Pay in 14 days' } },
];

async function picker(locale: string): Promise<KassaMethodPicker> {
  const el = await fixture<KassaMethodPicker>(html`<kassa-method-picker locale=${locale}></kassa-method-picker>`);
  el.methods = METHODS;
  await el.updateComplete;
  return el;
}

const names = (el: KassaMethodPicker) => [...el.shadowRoot!.querySelectorAll('[part="name"]')].map((n) => n.textContent!.trim());
const groupLabels = (el: KassaMethodPicker) => [...el.shadowRoot!.querySelectorAll('[part="group-label"]')].map((n) => n.textContent!.trim());

describe('the merchant’s messages', () => {
  it('is one function, from kassa.js and from the package', () => {
    expect(registerMessages).to.equal(fromPackage);
  });

  it('overrides English in elements already on the page', async () => {
    const el = await picker('en');
    expect(names(el)).to.include('Card');
    registerMessages('en', { 'method.card': 'Debit or credit card', 'method.b2b-pay-later.days': { one: 'Invoice, due tomorrow', other: 'Invoice, due in {days} days' } });
    await waitUntil(() => names(el).includes('Debit or credit card'), `not re-rendered: ${names(el).join(', ')}`);
    expect(names(el)).to.include.members(['Invoice, due tomorrow', 'Invoice, due in 14 days']);
  });

  it('overrides one message of a built-in language, keeping its others', async () => {
    const el = await picker('de');
    await waitUntil(() => groupLabels(el).includes('Karten'), 'no German');
    registerMessages('de', async () => ({ default: { 'picker.group.card': 'Kredit- und Debitkarten' } satisfies Partial<Messages> }));
    await waitUntil(() => groupLabels(el).includes('Kredit- und Debitkarten'), `not re-rendered: ${groupLabels(el).join(', ')}`);
    expect(names(el)).to.include('In 14 Tagen bezahlen');
  });

  it('adds a language, loading it only when an element needs it, and an element waiting for it switches', async () => {
    let loads = 0;
    const el = await picker('tr');
    expect(names(el), 'Turkish is not a Kassa language yet: English').to.include('Debit or credit card');
    registerMessages('tr', async () => {
      loads++;
      return { 'method.card': 'Banka kartı', 'method.b2b-pay-later.days': { other: '{days} gün içinde öde' } };
    });
    await waitUntil(() => names(el).includes('Banka kartı'), `still ${names(el).join(', ')}`);
    expect(names(el)).to.include('14 gün içinde öde');
    const another = await picker('tr-TR');
    await waitUntil(() => names(another).includes('Banka kartı'), 'a second Turkish element');
    expect(loads, 'loaded once').to.equal(1);

    let finnishLoads = 0;
    registerMessages('fi', () => {
      finnishLoads++;
      return Promise.resolve({ 'method.card': 'Pankkikortti' });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finnishLoads, 'no element is in Finnish: nothing loaded').to.equal(0);
    const finnish = await picker('fi');
    await waitUntil(() => names(finnish).includes('Pankkikortti'), 'no Finnish override');
    expect(finnishLoads).to.equal(1);
  });
});
