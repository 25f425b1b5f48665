/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { LOCALES, loadMessages, methodName, methodNames, translate, type Locale, type Messages, type Translate } from '../../core/i18n.ts';
import type { MethodType, PaymentMethod, ProviderName } from '../../core/model.ts';

/** Brand names read the same in every language; every other name is translated. */
const BRANDS = new Set<MethodType>(['paypal', 'klarna', 'swish', 'mobilepay', 'vipps', 'blik', 'mbway', 'p24']);

/** Every type and variant Kassa names, with the English name it gets. */
const NAMED: Array<[type: MethodType, variant: string | undefined, english: string]> = [
  ['card', undefined, 'Card'],
  ['paypal', undefined, 'PayPal'],
  ['klarna', undefined, 'Klarna'],
  ['swish', undefined, 'Swish'],
  ['swish', 'phone', 'Swish with mobile number'],
  ['mobilepay', undefined, 'MobilePay'],
  ['vipps', undefined, 'Vipps'],
  ['blik', undefined, 'BLIK'],
  ['mbway', undefined, 'MB WAY'],
  ['p24', undefined, 'Przelewy24'],
  ['bank-transfer', undefined, 'Bank transfer'],
  ['b2b-pay-later', undefined, 'Pay later by invoice'],
  ['b2b-pay-later', 'Pay1X', 'Pay in full'],
  ['b2b-pay-later', 'Pay3X', 'Pay in 3 interest-free instalments'],
  ['b2b-pay-later', 'Pay4X', 'Pay in 4 interest-free instalments'],
  ['b2b-pay-later', 'Pay15D', 'Pay in 15 days'],
  ['b2b-pay-later', 'Pay30D', 'Pay in 30 days'],
  ['b2b-pay-later', 'Pay45D', 'Pay in 45 days'],
  ['b2b-pay-later', 'Pay60D', 'Pay in 60 days'],
  ['hi-health', undefined, 'hi.health – health expenses'],
];

function entry(type: MethodType | undefined, variant?: string, provider: ProviderName = 'kronor', name: Record<string, string> = { en: 'Provider name' }): PaymentMethod {
  return { id: `${provider}:${type}${variant ? `.${variant}` : ''}`, provider, kind: 'other', name, ...(type ? { type } : {}), ...(variant ? { variant } : {}) };
}

describe('method names', () => {
  const catalogues = {} as Record<Locale, Messages>;
  const t = (locale: Locale): Translate => (key, params) => translate(catalogues[locale], key, params);
  before(async () => {
    for (const locale of LOCALES) catalogues[locale] = await loadMessages(locale);
  });

  for (const [type, variant, english] of NAMED) {
    it(`${type}${variant ? ` ${variant}` : ''}: "${english}" in English, translated in the other eight languages${BRANDS.has(type) ? ' (a brand: the same)' : ''}`, () => {
      const method = entry(type, variant);
      expect(methodName(method, t('en'), 'en')).to.equal(english);
      for (const locale of LOCALES.filter((l) => l !== 'en')) {
        const name = methodName(method, t(locale), locale);
        expect(name, locale).to.not.equal('Provider name');
        if (BRANDS.has(type) && !variant) expect(name, locale).to.equal(english);
        else expect(name, `${locale} says "${name}"`).to.not.equal(english);
      }
    });
  }

  it('puts the number of days or instalments into every language', () => {
    for (const locale of LOCALES) {
      expect(methodName(entry('b2b-pay-later', 'Pay45D'), t(locale), locale), locale).to.contain('45');
      expect(methodName(entry('b2b-pay-later', 'Pay4X'), t(locale), locale), locale).to.contain('4');
    }
    expect(methodName(entry('b2b-pay-later', 'Pay90D'), t('de'), 'de')).to.equal('In 90 Tagen bezahlen');
  });

  it('names a method Kassa has no type or variant for as its provider does, in the shopper\u2019s language', () => {
    const name = { en: 'Mobile money', de: 'Mobiles Geld' };
    for (const method of [entry('other', undefined, 'milkypay', name), entry(undefined, undefined, 'milkypay', name), entry('swish', 'qr', 'kronor', name), entry('b2b-pay-later', 'Pay0X', 'hero', name), entry('crypto' as MethodType, undefined, 'milkypay', name)]) {
      expect(methodName(method, t('de'), 'de'), JSON.stringify(method)).to.equal('Mobiles Geld');
      expect(methodName(method, t('fi'), 'fi')).to.equal('Mobile money');
    }
    expect(methodName({ ...entry('other'), name: {} }, t('en'), 'en')).to.equal('kronor:other');
  });

  describe('methodNames', () => {
    it('keeps distinct names as they are', () => {
      expect(methodNames([entry('card'), entry('paypal'), entry('other', undefined, 'milkypay', { en: 'Wallet' })], t('en'), 'en')).to.deep.equal(['Card', 'PayPal', 'Wallet']);
    });

    it('tells a provider’s own method from Kassa’s type of the same name', () => {
      const methods = [entry('card'), entry('other', undefined, 'milkypay', { en: 'Card' })];
      expect(methodNames(methods, t('en'), 'en')).to.deep.equal(['Card · Kronor', 'Card · MilkyPay']);
    });

    it('adds the provider\u2019s name to names that would be alike (every provider\u2019s own card)', () => {
      const methods = [entry('card', undefined, 'whenthen'), entry('card', undefined, 'kronor'), entry('paypal', undefined, 'kronor')];
      expect(methodNames(methods, t('en'), 'en')).to.deep.equal(['Card · WhenThen', 'Card · Kronor', 'PayPal']);
      expect(methodNames(methods, t('de'), 'de')).to.deep.equal(['Karte · WhenThen', 'Karte · Kronor', 'PayPal']);
    });

    it('numbers names still alike after that (one provider\u2019s two methods of one name)', () => {
      const twins = [entry('other', undefined, 'milkypay', { en: 'Wallet' }), entry('other', undefined, 'milkypay', { en: 'Wallet' })];
      expect(methodNames(twins, t('en'), 'en')).to.deep.equal(['Wallet · MilkyPay', 'Wallet · MilkyPay (2)']);
    });
  });
});
