/**
 * Every language file against English: the same keys, no English left in place, the same placeholders, and plural
 * forms only where the language's plural rules have them.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LOCALES } from './i18n.ts';
import en, { type MessageKey, type PluralForms } from './locales/en.ts';

/**
 * Keys whose text is a name that reads the same in every language, so a translation may equal English: payment
 * brands (their owners write them so in every market, Arabic pages included) and the providers' company names.
 */
const SAME_IN_EVERY_LANGUAGE = new Set<MessageKey>([
  'method.paypal', // PayPal
  'method.klarna', // Klarna
  'method.swish', // Swish
  'method.mobilepay', // MobilePay
  'method.vipps', // Vipps
  'method.blik', // BLIK
  'method.mbway', // MB WAY
  'method.p24', // Przelewy24
  'picker.provider.hero', // Hero
  'picker.provider.milkypay', // MilkyPay
  'picker.provider.hidirect', // hi.health
  'picker.provider.whenthen', // WhenThen
  'picker.provider.kronor', // Kronor
]);

/** The placeholders whose value is the number a plural message follows. */
const NUMBERS = new Set(['count', 'days']);

const localeFiles = readdirSync(new URL('./locales/', import.meta.url))
  .filter((name) => name.endsWith('.ts') && !name.startsWith('en'))
  .map((name) => name.replace(/\.ts$/, ''));

type Text = string | PluralForms;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();
}

function forms(text: Text): Array<[category: string, text: string]> {
  return typeof text === 'string' ? [['other', text]] : Object.entries(text);
}

/** Plural categories that hold a single whole number in a language (Arabic `two` is 2 alone; Russian `one` is not). */
export function singleNumberCategories(locale: string): Set<string> {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Map<string, number>();
  for (let n = 0; n <= 1000; n++) {
    const category = rules.select(n);
    numbers.set(category, (numbers.get(category) ?? 0) + 1);
  }
  return new Set([...numbers].filter(([, count]) => count === 1).map(([category]) => category));
}

/** What is wrong with one message against English, as sentences (none when it is right). */
export function messageProblems(locale: string, key: string, text: unknown, english: Text): string[] {
  const problems: string[] = [];
  if (typeof text !== 'string' && (typeof text !== 'object' || text === null)) return [`${key} is missing`];
  const ownForms = forms(text as Text);
  if (ownForms.some(([, form]) => typeof form !== 'string' || form.trim() === '')) problems.push(`${key} is empty`);
  if (typeof text === 'object') {
    const known = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
    const wanted = placeholders(forms(english).map(([, form]) => form).join(' '));
    if (!wanted.some((name) => NUMBERS.has(name))) problems.push(`${key} has plural forms, but no number to choose them by`);
    if (!('other' in text)) problems.push(`${key} has plural forms without \`other\``);
    for (const category of Object.keys(text)) {
      if (!known.includes(category)) problems.push(`${key} has the form \`${category}\`, which ${locale} does not use (it has ${known.join(', ')})`);
    }
  }
  const englishTexts = new Set(forms(english).map(([, form]) => form));
  if (locale !== 'en' && !SAME_IN_EVERY_LANGUAGE.has(key as MessageKey)) {
    for (const [, form] of ownForms) if (englishTexts.has(form)) problems.push(`${key} is still English: "${form}"`);
  }
  const single = singleNumberCategories(locale);
  const expected = placeholders([...englishTexts].join(' '));
  for (const [category, form] of ownForms) {
    if (typeof form !== 'string') continue;
    const own = placeholders(form);
    // "يومين" (two days) or "one day" says the number in words: the form of a single number may leave it out.
    const mayOmit = typeof text === 'object' && single.has(category) ? expected.filter((name) => NUMBERS.has(name)) : [];
    const missing = expected.filter((name) => !own.includes(name) && !mayOmit.includes(name));
    const extra = own.filter((name) => !expected.includes(name));
    if (missing.length || extra.length) {
      problems.push(`${key}${typeof text === 'object' ? ` (${category})` : ''}: placeholders ${JSON.stringify(own)}, English has ${JSON.stringify(expected)}`);
    }
  }
  return problems;
}

describe('messageProblems', () => {
  const rows: Array<[locale: string, key: string, text: unknown, english: Text, problems: string[]]> = [
    ['sv', 'checkout.pay', 'Betala {amount}', 'Pay {amount}', []],
    ['sv', 'checkout.pay', 'Betala', 'Pay {amount}', ['checkout.pay: placeholders [], English has ["amount"]']],
    ['sv', 'checkout.pay', 'Betala {summa}', 'Pay {amount}', ['checkout.pay: placeholders ["summa"], English has ["amount"]']],
    ['sv', 'checkout.title', 'Payment', 'Payment', ['checkout.title is still English: "Payment"']],
    ['sv', 'method.swish', 'Swish', 'Swish', []],
    ['sv', 'checkout.title', undefined, 'Payment', ['checkout.title is missing']],
    ['sv', 'checkout.title', ' ', 'Payment', ['checkout.title is empty']],
    ['pl', 'method.b2b-pay-later.days', { one: 'w {days} dniu', few: 'w {days} dni', many: 'w {days} dni', other: 'w {days} dnia' }, 'Pay in {days} days', []],
    ['pl', 'method.b2b-pay-later.days', { one: 'w {days} dniu', few: 'w {days} dni' }, 'Pay in {days} days', ['method.b2b-pay-later.days has plural forms without `other`']],
    ['sv', 'method.b2b-pay-later.days', { one: 'om {days} dag', few: 'om {days} dagar', other: 'om {days} dagar' }, 'Pay in {days} days', ['method.b2b-pay-later.days has the form `few`, which sv does not use (it has one, other)']],
    ['sv', 'checkout.title', { one: 'Betalning', other: 'Betalningar' }, 'Payment', ['checkout.title has plural forms, but no number to choose them by']],
    ['ar', 'method.b2b-pay-later.days', { two: 'ادفع خلال يومين', few: 'ادفع خلال {days} أيام', other: 'ادفع خلال {days} يوم' }, 'Pay in {days} days', []],
    ['ru', 'method.b2b-pay-later.days', { one: 'Оплата через день', other: 'Оплата через {days} дней' }, 'Pay in {days} days', ['method.b2b-pay-later.days (one): placeholders [], English has ["days"]']],
    ['sv', 'method.b2b-pay-later.days', { one: 'Pay in {days} day', other: 'Betala inom {days} dagar' }, { one: 'Pay in {days} day', other: 'Pay in {days} days' }, ['method.b2b-pay-later.days is still English: "Pay in {days} day"']],
  ];
  for (const [locale, key, text, english, problems] of rows) {
    it(`${locale} ${key} ${JSON.stringify(text)} → ${problems.length ? problems.join('; ') : 'right'}`, () => {
      assert.deepEqual(messageProblems(locale, key, text, english), problems);
    });
  }

  it('knows which plural categories hold a single number', () => {
    assert.deepEqual([...singleNumberCategories('ar')].sort(), ['one', 'two', 'zero']);
    assert.deepEqual([...singleNumberCategories('en')], ['one']);
    assert.deepEqual([...singleNumberCategories('ru')], []);
    assert.deepEqual([...singleNumberCategories('fr')], []); // `one` is 0 and 1
  });
});

describe('language files', () => {
  it('are the languages Kassa lists, one file each', () => {
    assert.deepEqual([...localeFiles].sort(), LOCALES.filter((locale) => locale !== 'en').sort());
  });

  it('English keeps its own plural rules', () => {
    const problems = Object.entries(en).flatMap(([key, text]) => (typeof text === 'object' ? messageProblems('en', key, text, text) : []));
    assert.deepEqual(problems, []);
  });

  const englishKeys = Object.keys(en).sort();
  for (const locale of localeFiles) {
    it(`${locale} translates every message of English, and nothing else`, async () => {
      const messages = ((await import(`./locales/${locale}.ts`)) as { default: Record<string, unknown> }).default;
      const problems = [
        ...Object.keys(messages)
          .filter((key) => !(key in en))
          .map((key) => `${key} is not a message Kassa has`),
        ...englishKeys.flatMap((key) => messageProblems(locale, key, messages[key], en[key as MessageKey])),
      ];
      assert.deepEqual(problems, [], `${locale}: ${problems.length} of ${englishKeys.length} messages are not right`);
    });
  }
});
