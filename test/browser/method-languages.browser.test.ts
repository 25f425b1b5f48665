/// <reference types="mocha" />
/**
 * The method list as shoppers read it, from the real demo endpoint: for each demo currency and each of Kassa's nine
 * languages, the picker shows no two entries with the same name, draws a logo for every one, and shows no English
 * provider text in a non-English language — neither a method's name nor its fields' labels and hints.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/method-fields/define.ts';
import type { KassaMethodFields } from '../../src/components/method-fields/method-fields.ts';
import '../../src/components/method-picker/define.ts';
import type { KassaMethodPicker } from '../../src/components/method-picker/method-picker.ts';
import { openSession } from '../../src/core/endpoint-client.ts';
import { LOCALES, loadMessages, translate, type Locale, type Messages } from '../../src/core/i18n.ts';
import type { PaymentMethod, SessionResponse } from '../../src/core/model.ts';
import { freshOrder, testEnv } from './env.ts';

const ORDERS = ['DEMO-EUR', 'DEMO-SEK', 'DEMO-DKK', 'DEMO-NOK', 'DEMO-PLN'];

/** Names that read the same in every language: brands. */
const BRAND_NAMES = new Set(['PayPal', 'Klarna', 'Swish', 'MobilePay', 'Vipps', 'BLIK', 'MB WAY', 'Przelewy24']);

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Every English text a provider gave for the session's methods: names, field labels, hints. */
function providerEnglish(methods: readonly PaymentMethod[]): Set<string> {
  const texts = new Set<string>();
  for (const method of methods) {
    if (method.name.en) texts.add(method.name.en);
    for (const field of method.fields ?? []) {
      if (field.label.en) texts.add(field.label.en);
      if (field.hint?.en) texts.add(field.hint.en);
    }
  }
  return texts;
}

describe('method names, logos and fields in every language, from real sessions', () => {
  const sessions = new Map<string, SessionResponse>();
  const catalogues = {} as Record<Locale, Messages>;

  before(async () => {
    const { endpointUrl } = await testEnv();
    for (const order of ORDERS) sessions.set(order, await openSession(endpointUrl, freshOrder(order)));
    for (const locale of LOCALES) catalogues[locale] = await loadMessages(locale);
  });

  for (const order of ORDERS) {
    it(`${order}: distinct names, a logo each, and no English provider text, in all nine languages`, async () => {
      const { methods } = sessions.get(order)!;
      expect(methods.length, 'methods listed').to.be.above(2);
      const english = providerEnglish(methods);
      for (const locale of LOCALES) {
        const picker = await fixture<KassaMethodPicker>(html`<kassa-method-picker locale=${locale} .methods=${methods}></kassa-method-picker>`);
        const radios = [...shadow(picker).querySelectorAll<HTMLElement>('[role="radio"]')];
        expect(radios, `${locale}: one radio per entry`).to.have.length(methods.length);
        const names = radios.map((radio) => text(radio.querySelector('[part~="name"]')));
        expect(new Set(names).size, `${locale}: ${names.join(' | ')}`).to.equal(names.length);
        await waitUntil(() => radios.every((radio) => radio.querySelector('[part~="logo"] svg, img[part~="logo"]')), `${locale}: a logo for every entry`, { timeout: 5_000 });
        if (locale !== 'en') {
          for (const name of names) {
            const untranslated = english.has(name) && !BRAND_NAMES.has(name);
            expect(untranslated, `${locale}: "${name}" is a provider's English text`).to.equal(false);
          }
        }

        for (const method of methods.filter((m) => m.fields?.length)) {
          const fields = await fixture<KassaMethodFields>(html`<kassa-method-fields locale=${locale} .method=${method}></kassa-method-fields>`);
          const shown = [...shadow(fields).querySelectorAll('[part~="label"], [part~="hint"], [part~="legend"]')].map(text);
          expect(shown.length, `${locale}: ${method.id}'s fields are shown`).to.be.above(0);
          if (locale === 'en') continue;
          for (const line of shown) {
            // A label carries the "required" mark in the shopper's language after the provider's words, if any.
            const words = line.replace(translate(catalogues[locale], 'fields.required'), '').replace(/[*()]/g, '').trim();
            expect(english.has(words) && !BRAND_NAMES.has(words), `${locale}: ${method.id} shows the provider's English "${words}"`).to.equal(false);
          }
        }
      }
    });
  }
});
