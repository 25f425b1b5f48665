import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chooseLocale, englishMessages, pickLocalized, supportedLocale, translate, type Locale } from './i18n.ts';
import en, { type Messages } from './locales/en.ts';
import enCheckout from './locales/en-checkout.ts';
import enParts from './locales/en-parts.ts';
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

/**
 * The message keys a source file asks for: `t('checkout.pay')` as the key, `t(\`error.${code}\`)` as the prefix
 * `error.` (every key under it may be asked for).
 */
export function requestedKeys(source: string): { keys: string[]; prefixes: string[] } {
  const keys: string[] = [];
  const prefixes: string[] = [];
  const sections = new Set(Object.keys(en).map((key) => key.split('.')[0]!));
  for (const match of source.matchAll(/(?<![\w$])t\(\s*(['`])([a-z][\w.-]*)(\$\{)?/g)) {
    const [, , text, interpolated] = match;
    if (!sections.has(text!.split('.')[0]!)) continue; // t('…') of something else: an import, an event name
    (interpolated ? prefixes : keys).push(text!);
  }
  return { keys, prefixes };
}

describe('English in two files', () => {
  it('en.ts is en-checkout.ts and en-parts.ts, with no key in both', () => {
    assert.deepEqual(Object.keys(en).sort(), [...Object.keys(enCheckout), ...Object.keys(enParts)].sort());
    assert.deepEqual(Object.keys(enCheckout).filter((key) => key in enParts), []);
  });

  it('finds keys and prefixes in source', () => {
    const found = requestedKeys("t('checkout.pay', { amount }); this.t(`error.${code}`); import('x.ts'); new Event('change'); at('common.x')");
    assert.deepEqual(found, { keys: ['checkout.pay'], prefixes: ['error.'] });
  });

  // kassa.js holds these modules and only en-checkout.ts: a key they show from en-parts.ts would reach the shopper as the key.
  const initial = ['../components/checkout/checkout.ts', '../components/checkout/checkout-controller.ts', '../components/method-picker/method-picker.ts'];
  for (const file of initial) {
    it(`${file.split('/').pop()} asks only for keys kassa.js carries`, () => {
      const { keys, prefixes } = requestedKeys(readFileSync(new URL(file, import.meta.url), 'utf8'));
      assert.ok(keys.length > 0, 'no keys found: the scan is broken');
      for (const key of keys) assert.ok(key in enCheckout, `${key} is not in en-checkout.ts`);
      for (const prefix of prefixes) {
        const under = Object.keys(en).filter((key) => key.startsWith(prefix));
        assert.ok(under.length > 0, `no key starts with ${prefix}`);
        for (const key of under) assert.ok(key in enCheckout, `${key} (asked for as ${prefix}…) is not in en-checkout.ts`);
      }
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
    assert.equal(translate(en, 'qr.expiresIn', { time: 0 }), 'Expires in 0');
  });
  it('gives the key itself for a message the catalogue does not hold', () => {
    // kassa.js's English has no `en-parts.ts` messages; an element that shows them adds them (LocaleController).
    assert.equal(translate(englishMessages, 'qr.expiresIn', { time: 0 }), 'qr.expiresIn');
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
