import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptedLanguages, pageLanguage, PAGE_LANGUAGES, PAGE_WORDS } from './language.ts';

describe('the hosted pages\' language', () => {
  const cases: Array<[preferred: Array<string | null | undefined>, served: readonly ('en' | 'sv' | 'de')[] | undefined, expected: string]> = [
    [['sv-SE', 'en'], undefined, 'sv'],
    [['SV'], undefined, 'sv'],
    [['de_DE'], undefined, 'de'],
    [['fr-FR', 'de'], undefined, 'de'],
    [['fr'], undefined, 'en'],
    [[], undefined, 'en'],
    [[null, undefined, ''], undefined, 'en'],
    [['sv'], ['en', 'de'], 'en'],
    [['de'], ['en', 'sv'], 'en'],
  ];
  for (const [preferred, served, expected] of cases) {
    it(`${JSON.stringify(preferred)} served ${served?.join('/') ?? 'all'} → ${expected}`, () => {
      assert.equal(pageLanguage(preferred, served), expected);
    });
  }

  it('reads an Accept-Language header in its order', () => {
    assert.deepEqual(acceptedLanguages('sv-SE,sv;q=0.9,en;q=0.8'), ['sv-SE', 'sv', 'en']);
    assert.deepEqual(acceptedLanguages(undefined), []);
  });

  it('has every word in every language, each its own', () => {
    for (const language of PAGE_LANGUAGES) {
      const words = PAGE_WORDS[language];
      assert.ok(words.sandboxNotice('X').includes('X'));
      if (language !== 'en') assert.notEqual(words.pay, PAGE_WORDS.en.pay, `${language} is translated`);
    }
  });
});
