import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLocale, englishMessages, pickLocalized, supportedLocale, translate, type Locale } from './i18n.ts';
import en, { type Messages } from './locales/en.ts';
import da from './locales/da.ts';
import de from './locales/de.ts';
import fi from './locales/fi.ts';
import fr from './locales/fr.ts';
import is from './locales/is.ts';
import nb from './locales/nb.ts';
import pl from './locales/pl.ts';
import sv from './locales/sv.ts';

const catalogues: Record<Exclude<Locale, 'en'>, Messages> = { sv, da, nb, fi, is, de, fr, pl };

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();
}

describe('locale catalogues', () => {
  const englishKeys = Object.keys(en).sort();
  for (const [locale, messages] of Object.entries(catalogues)) {
    describe(locale, () => {
      it('has exactly the keys of en.ts', () => {
        assert.deepEqual(Object.keys(messages).sort(), englishKeys);
      });
      it('has a non-empty text for every key', () => {
        for (const [key, text] of Object.entries(messages)) {
          assert.ok(typeof text === 'string' && text.trim() !== '', `${locale} ${key} is empty`);
        }
      });
      it('keeps the placeholders of English', () => {
        for (const [key, english] of Object.entries(en)) {
          const text = (messages as Record<string, string>)[key] ?? '';
          assert.deepEqual(placeholders(text), placeholders(english), `${locale} ${key}`);
        }
      });
    });
  }
});

describe('supportedLocale', () => {
  const rows: Array<[tag: string | null | undefined, locale: Locale | undefined]> = [
    ['sv-SE', 'sv'],
    ['sv', 'sv'],
    ['en-GB', 'en'],
    ['de_AT', 'de'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['NB', 'nb'],
    ['nb-NO', 'nb'],
    ['pt', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [tag, locale] of rows) {
    it(`${JSON.stringify(tag)} → ${String(locale)}`, () => {
      assert.equal(supportedLocale(tag), locale);
    });
  }
});

describe('chooseLocale', () => {
  const rows: Array<[candidates: Array<string | null | undefined>, locale: Locale, tag: string]> = [
    [['fi', 'sv'], 'fi', 'fi'],
    [['pt-BR', undefined, 'sv-SE', 'de'], 'sv', 'sv-SE'],
    [['de-CH'], 'de', 'de-CH'],
    [[null, 'no'], 'nb', 'no'],
    [['pt', 'es'], 'en', 'en'],
    [[], 'en', 'en'],
  ];
  for (const [candidates, locale, tag] of rows) {
    it(`${JSON.stringify(candidates)} → ${locale} (${tag})`, () => {
      assert.deepEqual(chooseLocale(candidates), { locale, tag });
    });
  }
});

describe('translate', () => {
  it('fills placeholders', () => {
    assert.equal(translate(englishMessages, 'checkout.pay', { amount: '49,90 kr' }), 'Pay 49,90 kr');
    assert.equal(translate(sv, 'qr.openApp', { app: 'Swish' }), 'Öppna Swish');
    assert.equal(translate(englishMessages, 'qr.expiresIn', { time: 0 }), 'Expires in 0');
  });
  it('leaves unknown placeholders as they are', () => {
    assert.equal(translate(englishMessages, 'checkout.pay'), 'Pay {amount}');
    assert.equal(translate(englishMessages, 'checkout.pay', { other: 'x' }), 'Pay {amount}');
  });
  it('returns texts without placeholders unchanged', () => {
    assert.equal(translate(englishMessages, 'common.retry', { amount: 1 }), 'Try again');
  });
});

describe('pickLocalized', () => {
  const milky = { en: 'Card', ru: 'Карта', uk: 'Картка' };
  const rows: Array<[texts: Record<string, string> | undefined, locale: string, expected: string]> = [
    [milky, 'uk', 'Картка'],
    [milky, 'uk-UA', 'Картка'],
    [milky, 'sv', 'Card'],
    [{ no: 'Kort', en: 'Card' }, 'nb', 'Kort'],
    [{ nn: 'Kort', en: 'Card' }, 'nb-NO', 'Kort'],
    [{ ru: 'Карта' }, 'sv', 'Карта'],
    [{}, 'en', ''],
    [undefined, 'en', ''],
  ];
  for (const [texts, locale, expected] of rows) {
    it(`${JSON.stringify(texts)} in ${locale} → ${JSON.stringify(expected)}`, () => {
      assert.equal(pickLocalized(texts, locale), expected);
    });
  }
});
