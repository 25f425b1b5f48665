import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chooseLocale, direction, englishMessages, loadMessages, pickLocalized, messageWatchers, pluralForm, registerMessages, supportedLocale, translate, type PluralForms } from './i18n.ts';
import en from './locales/en.ts';
import enCheckout from './locales/en-checkout.ts';
import enParts from './locales/en-parts.ts';
import sv from './locales/sv.ts';

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
  const rows: Array<[tag: string | null | undefined, locale: string | undefined]> = [
    ['sv-SE', 'sv'],
    ['sv', 'sv'],
    ['en-GB', 'en'],
    ['de_AT', 'de'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['NB', 'nb'],
    ['nb-NO', 'nb'],
    ['pt', 'pt'],
    ['pt-PT', 'pt'],
    ['pt-BR', 'pt-BR'],
    ['pt_br', 'pt-BR'],
    ['ar-EG', 'ar'],
    ['uk-UA', 'uk'],
    ['tr', undefined],
    ['constructor', undefined],
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
  const rows: Array<[candidates: Array<string | null | undefined>, locale: string, tag: string]> = [
    [['fi', 'sv'], 'fi', 'fi'],
    [['pt-BR', undefined, 'sv-SE', 'de'], 'pt-BR', 'pt-BR'],
    [['tr-TR', 'sv-SE'], 'sv', 'sv-SE'],
    [['de-CH'], 'de', 'de-CH'],
    [[null, 'no'], 'nb', 'no'],
    [['tr', 'ja'], 'en', 'en'],
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
    [{ en: 'Card', pt: 'Cartão (PT)', 'pt-BR': 'Cartão (BR)' }, 'pt-BR', 'Cartão (BR)'],
    [{ en: 'Card', pt: 'Cartão' }, 'pt-BR', 'Cartão'],
    [{}, 'en', ''],
    [undefined, 'en', ''],
  ];
  for (const [texts, locale, expected] of rows) {
    it(`${JSON.stringify(texts)} in ${locale} → ${JSON.stringify(expected)}`, () => {
      assert.equal(pickLocalized(texts, locale), expected);
    });
  }
});

describe('plural forms', () => {
  const days: PluralForms = { zero: 'zero', one: 'one', two: 'two', few: 'few', many: 'many', other: 'other' };
  const rows: Array<[language: string, counts: number[], expected: string[]]> = [
    ['en', [0, 1, 2, 5, 21], ['other', 'one', 'other', 'other', 'other']],
    ['pl', [1, 2, 5, 22, 25, 112], ['one', 'few', 'many', 'few', 'many', 'many']],
    ['ar', [0, 1, 2, 3, 10, 11, 99, 100, 102, 103], ['zero', 'one', 'two', 'few', 'few', 'many', 'many', 'other', 'other', 'few']],
    ['ru', [1, 3, 5, 21, 11], ['one', 'few', 'many', 'one', 'many']],
    ['is', [1, 11, 21], ['one', 'other', 'one']],
    ['fr', [0, 1, 2], ['one', 'one', 'other']],
  ];
  for (const [language, counts, expected] of rows) {
    it(`${language}: ${counts.join(', ')} → ${expected.join(', ')}`, () => {
      assert.deepEqual(counts.map((count) => pluralForm(days, count, language)), expected);
    });
  }

  it('reads `other` for a category the message leaves out', () => {
    assert.equal(pluralForm({ one: 'dnia', other: 'dni' }, 5, 'pl'), 'dni');
  });

  it('picks the form by the catalogue’s language, for {count} or {days}', async () => {
    const pl = await loadMessages('pl');
    const ar = await loadMessages('ar');
    const english = await loadMessages('en');
    assert.equal(translate(english, 'method.b2b-pay-later.days', { days: 1 }), 'Pay in 1 day');
    assert.equal(translate(english, 'method.b2b-pay-later.days', { days: 30 }), 'Pay in 30 days');
    assert.equal(translate(pl, 'method.b2b-pay-later.days', { days: 1 }), 'Zapłać w ciągu 1 dnia');
    assert.equal(translate(pl, 'method.b2b-pay-later.days', { days: 22 }), 'Zapłać w ciągu 22 dni');
    const arabic = [1, 2, 3, 11, 100].map((n) => translate(ar, 'method.b2b-pay-later.days', { days: n }));
    assert.equal(new Set(arabic.map((text) => text.replace(/\d+/g, '#'))).size, 5, `one wording per Arabic category: ${arabic.join(' | ')}`);
    assert.ok(arabic[3]!.includes('11') && arabic[4]!.includes('100'), arabic.join(' | '));
    // Catalogues spread into another (as an element adds its own English) keep their language.
    assert.equal(translate({ ...enParts, ...pl } as typeof pl, 'method.b2b-pay-later.days', { days: 1 }), 'Zapłać w ciągu 1 dnia');
    // A catalogue of unknown language (imported directly) reads English rules.
    assert.equal(translate(en, 'method.b2b-pay-later.days', { days: 1 }), 'Pay in 1 day');
  });
});

describe('direction', () => {
  const rows: Array<[locale: string, dir: 'ltr' | 'rtl']> = [
    ['ar', 'rtl'],
    ['he', 'rtl'],
    ['fa', 'rtl'],
    ['en', 'ltr'],
    ['pt-BR', 'ltr'],
    ['arn', 'ltr'], // Mapudungun, not Arabic
  ];
  for (const [locale, dir] of rows) {
    it(`${locale} → ${dir}`, () => assert.equal(direction(locale), dir));
  }
});

// Registrations stay for the rest of this process: these come last, and use languages the tables above do not.
describe('registerMessages', () => {
  it('overrides a message in a built-in language, over its chunk, and tells the elements', async () => {
    let told = 0;
    const watcher = () => told++;
    messageWatchers.add(watcher);
    const before = await loadMessages('sv');
    registerMessages('sv-SE', { 'checkout.pay': 'Lägg order · {amount}' });
    messageWatchers.delete(watcher);
    const after = await loadMessages('sv');
    assert.notEqual(after, before);
    assert.equal(translate(after, 'checkout.pay', { amount: '10 kr' }), 'Lägg order · 10 kr');
    assert.equal(after['checkout.title'], sv['checkout.title']);
    assert.equal(told, 1);
    registerMessages('sv', { 'checkout.pay': 'Betala nu {amount}' });
    assert.equal(told, 1, 'a stopped watcher is not called');
  });

  it('overrides English, which every language reads for what it lacks', async () => {
    registerMessages('kk', { 'checkout.title': 'Төлем' });
    registerMessages('en', { 'checkout.pay': 'Place order · {amount}', 'qr.title': 'Scan me' });
    const english = await loadMessages('en');
    assert.equal(translate(english, 'checkout.pay', { amount: '€5' }), 'Place order · €5');
    assert.equal(english['qr.title'], 'Scan me');
    assert.equal(english['checkout.total'], enCheckout['checkout.total']);
    const kazakh = await loadMessages('kk');
    assert.equal(kazakh['checkout.title'], 'Төлем');
    assert.equal(kazakh['checkout.pay'], 'Place order · {amount}');
    assert.equal((await loadMessages('de'))['checkout.pay'], (await import('./locales/de.ts')).default['checkout.pay'], 'a translation keeps its own');
  });

  it('adds a language, loaded only when first needed and then chosen like a built-in one', async () => {
    let loads = 0;
    assert.equal(supportedLocale('tr-TR'), undefined);
    registerMessages('tr', async () => {
      loads++;
      return { default: { 'checkout.pay': '{amount} öde', 'method.b2b-pay-later.days': { other: '{days} gün içinde öde' } } };
    });
    assert.equal(loads, 0, 'registering loads nothing');
    assert.equal(supportedLocale('tr-TR'), 'tr');
    assert.deepEqual(chooseLocale(['tr-TR', 'sv']), { locale: 'tr', tag: 'tr-TR' });
    const turkish = await loadMessages('tr');
    assert.equal(translate(turkish, 'checkout.pay', { amount: '5 ₺' }), '5 ₺ öde');
    assert.equal(translate(turkish, 'method.b2b-pay-later.days', { days: 1 }), '1 gün içinde öde');
    assert.equal(turkish['common.retry'], enCheckout['common.retry'], 'what it lacks reads English');
    await loadMessages('tr');
    registerMessages('tr', { 'common.retry': 'Tekrar dene' });
    assert.equal((await loadMessages('tr'))['common.retry'], 'Tekrar dene');
    assert.equal(loads, 1, 'the loader ran once');
  });

  it('takes a plain object as well as a module, and a right-to-left language mirrors', async () => {
    registerMessages('he', async () => ({ 'checkout.title': 'תשלום' }));
    assert.equal((await loadMessages('he'))['checkout.title'], 'תשלום');
    assert.equal(direction(chooseLocale(['he-IL']).locale), 'rtl');
  });

  it('fails while a loader fails, and loads again on the next call', async () => {
    let attempts = 0;
    registerMessages('eo', async () => {
      if (++attempts === 1) throw new Error('offline');
      return { 'checkout.title': 'Pago' };
    });
    await assert.rejects(loadMessages('eo'));
    assert.equal((await loadMessages('eo'))['checkout.title'], 'Pago');
    assert.equal(attempts, 2);
  });
});
