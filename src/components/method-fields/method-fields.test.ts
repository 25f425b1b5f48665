/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LOCALES, loadMessages, translate, type Locale, type Messages } from '../../core/i18n.ts';
import en from '../../core/locales/en.ts';
import type { FieldKind, MethodField, PaymentMethod } from '../../core/model.ts';
import { ISSUER_FIELD_KEYS, issuerFields } from '../../providers/hero/issuer.ts';
import { KRONOR_METHODS } from '../../providers/kronor/methods.ts';
import './define.ts';
import { KNOWN_FIELDS, KassaMethodFields, fieldKindOf, exampleToShow, inputModeFor, isBlikCode, isEmailAddress, isSwedishMobile } from './method-fields.ts';

/** A language's whole catalogue: English in full (`kassa.js` loads only the checkout's part of it), the others as loaded. */
const catalogue = (locale: Locale): Promise<Messages> => (locale === 'en' ? Promise.resolve(en) : loadMessages(locale));

const CATASTROPHIC = '^(a+)+$';

/** As MilkyPay's pre-request lists a service's fields (labels in en, ru, uk). */
const MILKY: PaymentMethod = {
  id: 'milkypay:mobile_uah',
  provider: 'milkypay',
  kind: 'mobile',
  name: { en: 'Mobile money', uk: 'Мобільні гроші' },
  fields: [
    {
      key: 'phone_number',
      type: 'tel',
      label: { en: 'Phone number', ru: 'Номер телефона', uk: 'Номер телефону' },
      hint: { en: 'International format, digits only', uk: 'Міжнародний формат' },
      example: '380501234567',
      pattern: '^380[0-9]{9}$',
      required: true,
    },
    { key: 'account_name', type: 'text', label: { en: 'Account name', ru: 'Имя счёта', uk: 'Назва рахунку' }, pattern: CATASTROPHIC, required: false },
  ],
};

const SWISH_FIELD: MethodField = KRONOR_METHODS['swish-ecom'].fields![0]!;
const SWISH: PaymentMethod = { id: 'kronor:swish-ecom', provider: 'kronor', kind: 'mobile', name: { en: 'Swish with mobile number', sv: 'Swish med mobilnummer' }, fields: [{ ...SWISH_FIELD }] };
/** The same field with no label or hint from the provider: Kassa's own apply. */
const SWISH_BARE: PaymentMethod = { ...SWISH, fields: [{ key: 'phone', type: 'tel', label: {}, required: true }] };
const HERO: PaymentMethod = { id: 'hero:pay3x', provider: 'hero', kind: 'installments', name: { en: 'Pay in 3' }, fields: issuerFields(ISSUER_FIELD_KEYS) };

const root = (el: KassaMethodFields) => el.shadowRoot!;
const inputs = (el: KassaMethodFields) => [...root(el).querySelectorAll<HTMLInputElement>('input')];
const input = (el: KassaMethodFields, i = 0) => inputs(el)[i]!;
/** The label's own text, without the "Required" mark. */
const labelText = (el: KassaMethodFields, i = 0) =>
  [...input(el, i).labels![0]!.childNodes]
    .filter((node) => node.nodeType === Node.TEXT_NODE)
    .map((node) => node.textContent)
    .join('')
    .trim();
const errorOf = (el: KassaMethodFields, i = 0) => {
  const ids = (input(el, i).getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => root(el).getElementById(id)).find((node) => node?.getAttribute('part') === 'error')?.textContent?.trim();
};
const hintOf = (el: KassaMethodFields, i = 0) => {
  const ids = (input(el, i).getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => root(el).getElementById(id)).find((node) => node?.getAttribute('part') === 'hint')?.textContent?.trim();
};

async function fields(method: PaymentMethod | undefined, locale = 'en', values: Record<string, string> = {}) {
  const el = await fixture<KassaMethodFields>(html`<kassa-method-fields locale=${locale}></kassa-method-fields>`);
  el.method = method;
  el.values = values;
  await el.updateComplete;
  await aTimeout(0); // a catalogue other than English loads asynchronously
  await el.updateComplete;
  return el;
}

async function typeInto(el: KassaMethodFields, index: number, text: string) {
  input(el, index).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

describe('kassa-method-fields', () => {
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__kassaPwned;
  });

  // First in this file: the pattern engine loads once per page, with the first method that has a pattern.
  describe('provider patterns while their engine loads', () => {
    it('a value under a pattern is not yet valid; once the engine is there it is, and change says so', async () => {
      const el = await fixture<KassaMethodFields>(html`<kassa-method-fields locale="en"></kassa-method-fields>`);
      let changes = 0;
      el.addEventListener('change', () => changes++);
      el.method = MILKY;
      el.values = { phone_number: '380501234567' };
      expect(el.valid).to.equal(false);
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el, 0)).to.equal(undefined);
      expect(el.valid).to.equal(true);
      expect(changes).to.equal(1);
    });
  });

  describe('rendering', () => {
    it('is the registered class', () => {
      expect(customElements.get('kassa-method-fields')).to.equal(KassaMethodFields);
    });

    it('renders one labelled input per MilkyPay field, with hint (the example in it, no placeholder) and limits', async () => {
      const el = await fields(MILKY);
      expect(inputs(el)).to.have.length(2);
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal('Details for Mobile money');
      expect(labelText(el, 0)).to.equal('Phone number');
      expect(labelText(el, 1)).to.equal('Account name');
      const phone = input(el, 0);
      expect(phone.type).to.equal('tel');
      expect(phone.name).to.equal('phone_number');
      expect(phone.hasAttribute('placeholder'), 'an example in the box reads as a value already there').to.equal(false);
      expect(phone.maxLength).to.equal(256);
      expect(phone.autocomplete).to.equal('tel');
      expect(phone.required).to.equal(true);
      expect(input(el, 1).required).to.equal(false);
      expect(hintOf(el, 0)).to.equal('International format, digits only e.g. 380501234567');
      expect(root(el).querySelector('[part="hint"] .example')!.textContent).to.equal('e.g. 380501234567');
      expect(phone.hasAttribute('aria-invalid')).to.equal(false);
      // The provider's pattern never reaches the browser's own (unbounded) pattern matching.
      expect(inputs(el).some((i) => i.hasAttribute('pattern'))).to.equal(false);
      expect(root(el).querySelectorAll('[part="error"]')).to.have.length(0);
      const required = phone.labels![0]!.querySelector('.required')!;
      expect(required.textContent).to.equal('Required');
      expect(required.getAttribute('aria-hidden')).to.equal('true');
    });

    it('uses a text input with a numeric keyboard for number fields', async () => {
      const el = await fields({ ...MILKY, fields: [{ key: 'amount_code', type: 'number', label: { en: 'Code' }, required: true }] });
      expect(input(el).type).to.equal('text');
      expect(input(el).inputMode).to.equal('decimal');
      el.values = { amount_code: '12a' };
      expect(el.validate()).to.equal(false);
      el.values = { amount_code: '0012' };
      expect(el.valid).to.equal(true);
    });

    it('renders nothing, and is valid, without a method or without fields', async () => {
      const none = await fields(undefined);
      expect(root(none).children).to.have.length(0);
      expect(root(none).querySelector('fieldset')).to.equal(null);
      expect(none.valid).to.equal(true);
      expect(none.validate()).to.equal(true);
      const bare = await fields({ id: 'kronor:swish', provider: 'kronor', kind: 'mobile', name: { en: 'Swish' } });
      expect(root(bare).querySelector('fieldset')).to.equal(null);
      expect(bare.valid).to.equal(true);
    });

    it('shows the values it is given, and keeps only the method\u2019s keys when the method changes', async () => {
      const el = await fields(MILKY, 'en', { phone_number: '380501234567', stale: 'x' });
      expect(input(el, 0).value).to.equal('380501234567');
      el.method = SWISH;
      el.values = { ...el.values, phone: '0701234567' };
      await el.updateComplete;
      expect(el.values).to.deep.equal({ phone: '0701234567' });
      expect(input(el).value).to.equal('0701234567');
    });

    it('forgets shown errors when another method is chosen', async () => {
      const el = await fields(MILKY);
      el.validate();
      await el.updateComplete;
      expect(root(el).querySelectorAll('[part="error"]')).to.have.length(1);
      el.method = SWISH;
      await el.updateComplete;
      expect(root(el).querySelectorAll('[part="error"]')).to.have.length(0);
      expect(el.valid).to.equal(false);
    });
  });

  describe('validation', () => {
    it('required and empty: validate() shows the error with aria-invalid, links it, focuses the input', async () => {
      const el = await fields(MILKY);
      expect(el.valid).to.equal(false);
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      const phone = input(el, 0);
      expect(phone.getAttribute('aria-invalid')).to.equal('true');
      expect(errorOf(el, 0)).to.equal('Please fill this in.');
      expect(hintOf(el, 0)).to.equal('International format, digits only e.g. 380501234567'); // hint still linked
      expect(phone.getAttribute('part')).to.equal('input input-invalid');
      expect(root(el).activeElement).to.equal(phone);
      // The optional field is fine empty.
      expect(input(el, 1).hasAttribute('aria-invalid')).to.equal(false);
    });

    it('validate() focuses the first invalid input, not the first input', async () => {
      const el = await fields(HERO, 'en', { companyName: 'ACME', addressLine1: '1 rue X', postalCode: '75002', city: 'Paris', email: 'bad', phone: '+33600000000' });
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(root(el).activeElement).to.equal(input(el, 4));
      expect(errorOf(el, 4)).to.equal('Enter an email address, e.g. name@example.com.');
      expect(inputs(el).filter((i) => i.getAttribute('aria-invalid') === 'true')).to.deep.equal([input(el, 4)]);
    });

    it('pattern mismatch: no error while typing the first time, an error after leaving the field, live after that', async () => {
      const el = await fields(MILKY);
      await typeInto(el, 0, '12345');
      expect(el.values.phone_number).to.equal('12345');
      expect(errorOf(el, 0)).to.equal(undefined);
      expect(input(el, 0).hasAttribute('aria-invalid')).to.equal(false);
      await sendKeys({ press: 'Tab' });
      await el.updateComplete;
      expect(errorOf(el, 0)).to.equal('This does not look right. Please check it.');
      expect(input(el, 0).getAttribute('aria-invalid')).to.equal('true');
      input(el, 0).select();
      await sendKeys({ type: '380501234567' });
      await el.updateComplete;
      expect(errorOf(el, 0)).to.equal(undefined); // fixed while typing: the error goes at once
      expect(el.valid).to.equal(true);
    });

    it('does not flag a field the shopper only tabbed through', async () => {
      const el = await fields(MILKY);
      input(el, 0).focus();
      await sendKeys({ press: 'Tab' });
      await el.updateComplete;
      expect(errorOf(el, 0)).to.equal(undefined);
      expect(el.valid).to.equal(false);
    });

    it('runs a pattern that backtracks catastrophically in RegExp on a linear-time engine: at once (< 100 ms), and applied', async () => {
      const el = await fields(MILKY, 'en', { phone_number: '380501234567' });
      const evil = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!';
      const started = performance.now();
      const field = input(el, 1);
      field.value = evil;
      field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      const valid = el.valid;
      const validated = el.validate();
      const took = performance.now() - started;
      expect(took).to.be.below(100);
      expect(el.values.account_name).to.equal(evil);
      expect(valid).to.equal(false);
      expect(validated).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el, 1)).to.equal('This does not look right. Please check it.');
      el.values = { ...el.values, account_name: 'a'.repeat(200) };
      expect(el.validate()).to.equal(true);
    });

    it('a pattern blocks an invalid value at once, before a render and whether or not its engine has loaded', async () => {
      const el = await fixture<KassaMethodFields>(html`<kassa-method-fields locale="en"></kassa-method-fields>`);
      el.method = { ...MILKY, id: 'milkypay:mobile_uah_2' };
      el.values = { phone_number: '12345' };
      expect(el.valid).to.equal(false);
      expect(el.validate()).to.equal(false);
      el.values = { phone_number: '380501234567' };
      // updateComplete waits for the engine, so `valid` read after it covers the pattern.
      await el.updateComplete;
      expect(el.valid).to.equal(true);
      expect(el.validate()).to.equal(true);
    });

    it('does not apply a pattern re2js cannot run (a backreference): the provider checks it', async () => {
      const method: PaymentMethod = { ...MILKY, fields: [{ key: 'twice', type: 'text', label: { en: 'Twice' }, pattern: '^(\\d)\\1$', required: true }] };
      const el = await fields(method, 'en', { twice: '12' });
      expect(el.validate()).to.equal(true);
    });

    it('says a value set by code is too long', async () => {
      const el = await fields(MILKY, 'en', { phone_number: '3'.repeat(300) });
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el, 0)).to.equal('This is too long.');
    });

    it('trims a value when the shopper leaves the field, and tests it trimmed', async () => {
      const el = await fields(SWISH);
      await typeInto(el, 0, '  070 123 45 67 ');
      expect(el.valid).to.equal(true);
      await sendKeys({ press: 'Tab' });
      await el.updateComplete;
      expect(el.values.phone).to.equal('070 123 45 67');
      expect(input(el).value).to.equal('070 123 45 67');
    });

    it('checks a Swish number as a Swedish mobile: 07XXXXXXXX or 467XXXXXXXX', async () => {
      for (const good of ['0701234567', '46701234567', '+46 70 123 45 67', '0046701234567', '073-123 45 67']) expect(isSwedishMobile(good), good).to.equal(true);
      for (const bad of ['0801234567', '070123456', '4670123456', '+4570123456', 'abc']) expect(isSwedishMobile(bad), bad).to.equal(false);
      const el = await fields(SWISH_BARE, 'en', { phone: '0812345678' });
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el)).to.equal('Enter a Swedish mobile number, e.g. 0701234567.');
      el.values = { phone: '46701234567' };
      await el.updateComplete;
      expect(el.valid).to.equal(true);
      expect(errorOf(el)).to.equal(undefined);
    });

    it('checks e-mail addresses', () => {
      expect(isEmailAddress('compta@exemple.fr')).to.equal(true);
      for (const bad of ['compta', 'a@b', 'a b@c.fr', '@c.fr', 'a@.fr']) expect(isEmailAddress(bad), bad).to.equal(false);
    });
  });

  describe('known fields', () => {
    it('gives a Swish number Kassa\u2019s own label, hint and autofill when the provider gives none', async () => {
      const el = await fields(SWISH_BARE);
      expect(labelText(el)).to.equal('Mobile number');
      expect(hintOf(el)).to.equal('The number your Swish app uses, e.g. 0701234567');
      expect(input(el).autocomplete).to.equal('tel');
    });

    it('keeps the provider\u2019s own label and hint when it has them in the shopper\u2019s language', async () => {
      const el = await fields(SWISH);
      expect(labelText(el)).to.equal('Mobile number for Swish');
      expect(hintOf(el)).to.equal(`${SWISH_FIELD.hint!.en} e.g. ${SWISH_FIELD.example}`);
    });

    it('gives Hero\u2019s company details autofill tokens, and Kassa labels when the provider has no text', async () => {
      const bare = { ...HERO, fields: HERO.fields!.map((f) => ({ ...f, label: {} })) };
      const el = await fields(bare);
      expect(inputs(el).map((i) => i.getAttribute('autocomplete'))).to.deep.equal(['organization', 'address-line1', 'postal-code', 'address-level2', 'email', 'tel']);
      expect(inputs(el).map((_, i) => labelText(el, i))).to.deep.equal(['Company name', 'Street address', 'Postal code', 'City', 'Email', 'Phone number']);
      expect(input(el, 4).type).to.equal('email');
    });
  });

  describe('field kinds', () => {
    /** MilkyPay's BLIK, as the session lists it: a code field with English text only. */
    const BLIK: PaymentMethod = {
      id: 'blik',
      type: 'blik',
      provider: 'milkypay',
      kind: 'mobile',
      name: { en: 'BLIK' },
      fields: [{ key: 'blik_code', kind: 'blik-code', type: 'text', label: { en: 'BLIK code' }, hint: { en: 'Open your banking app' }, required: true }],
    };
    const MBWAY: PaymentMethod = {
      id: 'mbway',
      type: 'mbway',
      provider: 'milkypay',
      kind: 'mobile',
      name: { en: 'MB WAY' },
      fields: [{ key: 'phone_number', kind: 'phone', type: 'tel', label: { en: 'Phone number' }, hint: { en: 'International format' }, required: true }],
    };
    const SWISH_NUMBER: PaymentMethod = {
      id: 'swish.phone',
      type: 'swish',
      variant: 'phone',
      provider: 'kronor',
      kind: 'mobile',
      name: { en: 'Swish with mobile number', sv: 'Swish med mobilnummer' },
      fields: [{ ...SWISH_FIELD, key: 'swish_number', kind: 'swish-number' }],
    };

    const kinds: Array<[field: Pick<MethodField, 'key' | 'kind'>, provider: PaymentMethod['provider'], kind: FieldKind | undefined]> = [
      [{ key: 'blik_code', kind: 'blik-code' }, 'milkypay', 'blik-code'],
      [{ key: 'whatever', kind: 'company-name' }, 'hero', 'company-name'],
      [{ key: 'phone', kind: 'phone' }, 'kronor', 'phone'], // the kind wins over the key
      [{ key: 'phone' }, 'kronor', 'swish-number'],
      [{ key: 'phone' }, 'hero', 'phone'],
      [{ key: 'blik_code' }, 'milkypay', 'blik-code'],
      [{ key: 'postalCode' }, 'hero', 'postal-code'],
      [{ key: 'account_name' }, 'milkypay', undefined],
      [{ key: 'x', kind: 'iban' as FieldKind }, 'milkypay', undefined],
      [{ key: 'toString' }, 'milkypay', undefined],
      [{ key: 'x', kind: 'toString' as FieldKind }, 'milkypay', undefined],
    ];
    for (const [field, provider, kind] of kinds) {
      it(`fieldKindOf ${JSON.stringify(field)} at ${provider} → ${String(kind)}`, () => expect(fieldKindOf(field, { provider })).to.equal(kind));
    }

    it('checks a BLIK code: 6 digits', () => {
      for (const good of ['123456', '000000']) expect(isBlikCode(good), good).to.equal(true);
      for (const bad of ['12345', '1234567', '12 3456', 'abcdef', '']) expect(isBlikCode(bad), bad).to.equal(false);
    });

    it('a BLIK code in German: "BLIK-Code", Kassa\u2019s German hint, a numeric keyboard, one-time-code autofill, a 6-digit check', async () => {
      const de = await catalogue('de');
      const el = await fields(BLIK, 'de', { blik_code: '12345' });
      await waitUntil(() => labelText(el) === 'BLIK-Code', `label: ${labelText(el)}`);
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal('Angaben für BLIK');
      expect(hintOf(el)).to.equal(de['fields.blikCode.hint']); // not the provider's English hint
      const code = input(el);
      expect(code.inputMode).to.equal('numeric');
      expect(code.autocomplete).to.equal('one-time-code');
      expect(code.type).to.equal('text');
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el)).to.equal(de['fields.blikCode.error']);
      el.values = { blik_code: '123456' };
      await el.updateComplete;
      expect(el.valid).to.equal(true);
    });

    it('shows a provider\u2019s hint only in a language it gave it in: never its English inside a German form', async () => {
      const unknownKind: PaymentMethod = { ...MBWAY, fields: [{ key: 'account_name', type: 'text', label: { en: 'Account name', de: 'Kontoname' }, hint: { en: 'As on your bank statement' }, required: true }] };
      const el = await fields(unknownKind, 'de');
      await waitUntil(() => labelText(el) === 'Kontoname', 'no German label');
      expect(hintOf(el)).to.equal(undefined);
      expect(root(el).querySelector('[part="hint"]')).to.equal(null);
      el.locale = 'en';
      await waitUntil(() => hintOf(el) === 'As on your bank statement', 'no English hint in English');
    });

    it('a phone number from MilkyPay: Kassa\u2019s label in the shopper\u2019s language, a tel input, no Swedish check', async () => {
      const pl = await catalogue('pl');
      const el = await fields(MBWAY, 'pl', { phone_number: '+351912345678' });
      await waitUntil(() => labelText(el) === pl['fields.phoneNumber'], `label: ${labelText(el)}`);
      expect(input(el).type).to.equal('tel');
      expect(input(el).autocomplete).to.equal('tel');
      expect(hintOf(el)).to.equal(undefined); // the provider's hint is English only, and Kassa has none for a phone
      expect(el.validate()).to.equal(true);
    });

    it('Swish by number: Kassa\u2019s Swedish-mobile check and hint by kind, whatever the key', async () => {
      const el = await fields({ ...SWISH_NUMBER, fields: [{ key: 'swish_number', kind: 'swish-number', type: 'text', label: {}, required: true }] }, 'en', { swish_number: '0812345678' });
      expect(labelText(el)).to.equal('Mobile number');
      expect(hintOf(el)).to.equal('The number your Swish app uses, e.g. 0701234567');
      expect(input(el).type).to.equal('tel');
      expect(el.validate()).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el)).to.equal('Enter a Swedish mobile number, e.g. 0701234567.');
    });

    it('in each of the nine languages: Kassa\u2019s label for every known kind, the legend names the method as the picker does, no provider English', async () => {
      const english = await catalogue('en');
      for (const locale of LOCALES) {
        const messages = await catalogue(locale);
        for (const method of [BLIK, MBWAY, SWISH_NUMBER]) {
          const bare = { ...method, fields: method.fields!.map((f) => ({ ...f, label: { en: f.label.en! } })) };
          const el = await fields(bare, locale);
          const field = bare.fields[0]!;
          // The provider's English label stands in English; every other language gets Kassa's.
          const expected = locale === 'en' ? field.label.en : messages[KNOWN_FIELDS[field.kind!].label];
          await waitUntil(() => labelText(el) === expected, `${locale} ${method.id}: ${labelText(el)}`);
          if (locale !== 'en' && expected !== english[KNOWN_FIELDS[field.kind!].label]) expect(labelText(el), `${locale} ${method.id}`).to.not.equal(field.label.en);
          const legend = root(el).querySelector('[part="legend"]')!.textContent!;
          if (locale !== 'en' && method === SWISH_NUMBER) expect(legend, locale).to.not.contain('Swish with mobile number');
          if (locale !== 'en') expect(hintOf(el) ?? '', `${locale} ${method.id}`).to.not.equal(method.fields![0]!.hint?.en);
          el.remove();
        }
      }
    });

    it('every kind has a label, and its check (if any) an error, in every catalogue', async () => {
      for (const locale of LOCALES) {
        const messages = await catalogue(locale);
        for (const known of Object.values(KNOWN_FIELDS)) {
          expect(messages[known.label], `${locale} ${known.label}`).to.be.a('string').and.not.equal('');
          if (known.check) expect(known.error, known.label).to.be.a('string');
        }
      }
    });
  });

  describe('keyboards, examples and error copy', () => {
    const modes: Array<[field: Pick<MethodField, 'type' | 'pattern'>, known: FieldKind | undefined, mode: string | undefined]> = [
      [{ type: 'text' }, 'blik-code', 'numeric'],
      [{ type: 'text' }, 'phone', 'tel'],
      [{ type: 'text' }, 'swish-number', 'tel'],
      [{ type: 'text' }, 'email', 'email'],
      [{ type: 'text', pattern: '^[0-9]{5}$' }, 'postal-code', 'numeric'], // the provider's digits-only pattern
      [{ type: 'text' }, 'postal-code', undefined], // British and Dutch postcodes have letters
      [{ type: 'text' }, 'city', undefined],
      [{ type: 'tel', pattern: '^380[0-9]{9}$' }, undefined, 'tel'],
      [{ type: 'email' }, undefined, 'email'],
      [{ type: 'text', pattern: '^[0-9]{6}$' }, undefined, 'numeric'],
      [{ type: 'text', pattern: '^\\d{4,8}$' }, undefined, 'numeric'],
      [{ type: 'number', pattern: '^[0-9]+$' }, undefined, 'numeric'],
      [{ type: 'number' }, undefined, 'decimal'],
      [{ type: 'text', pattern: '^[0-9]{2}-[0-9]{3}$' }, undefined, undefined], // a dash: the full keyboard
      [{ type: 'text', pattern: '^[A-Z]{2}[0-9]+$' }, undefined, undefined],
      [{ type: 'text' }, undefined, undefined],
    ];
    for (const [field, kind, mode] of modes) {
      it(`inputModeFor ${JSON.stringify(field)} of kind ${String(kind)} → ${String(mode)}`, () => {
        expect(inputModeFor(field, kind ? KNOWN_FIELDS[kind] : undefined)).to.equal(mode);
      });
    }

    const examples: Array<[hint: string, example: string | undefined, shown: string | undefined]> = [
      ['', '0701234567', '0701234567'],
      ['International format', ' 380501234567 ', '380501234567'],
      ['The number your Swish app uses, e.g. 0701234567', '070 123 45 67', undefined], // the hint shows it already
      ['International format', undefined, undefined],
      ['International format', '   ', undefined],
    ];
    for (const [hint, example, shown] of examples) {
      it(`exampleToShow ${JSON.stringify(hint)} + ${JSON.stringify(example)} → ${JSON.stringify(shown)}`, () => {
        expect(exampleToShow(hint, example)).to.equal(shown);
      });
    }

    /** What each kind brings on a phone: keyboard, autofill, input type. */
    const keyboards: Record<FieldKind, { inputMode: string; autocomplete: string; type: string }> = {
      phone: { inputMode: 'tel', autocomplete: 'tel', type: 'tel' },
      'swish-number': { inputMode: 'tel', autocomplete: 'tel', type: 'tel' },
      email: { inputMode: 'email', autocomplete: 'email', type: 'email' },
      'blik-code': { inputMode: 'numeric', autocomplete: 'one-time-code', type: 'text' },
      'company-name': { inputMode: '', autocomplete: 'organization', type: 'text' },
      'address-line1': { inputMode: '', autocomplete: 'address-line1', type: 'text' },
      'postal-code': { inputMode: '', autocomplete: 'postal-code', type: 'text' },
      city: { inputMode: '', autocomplete: 'address-level2', type: 'text' },
    };
    const KINDS = Object.keys(keyboards) as FieldKind[];
    const methodWith = (kind: FieldKind | undefined, label: Record<string, string>): PaymentMethod => ({
      id: `milkypay:${kind ?? 'plain'}`,
      provider: 'milkypay',
      kind: 'mobile',
      name: { en: 'Test' },
      fields: [{ key: 'value', ...(kind ? { kind } : {}), type: 'text', label, example: 'X-123', required: true }],
    });

    for (const kind of KINDS) {
      it(`${kind}: no placeholder, the example in the hint, inputmode "${keyboards[kind].inputMode}", autocomplete "${keyboards[kind].autocomplete}"`, async () => {
        const el = await fields(methodWith(kind, {}));
        const box = input(el);
        expect(box.hasAttribute('placeholder')).to.equal(false);
        expect(root(el).querySelector('[part="hint"] .example')?.textContent).to.equal('e.g. X-123');
        expect(box.inputMode).to.equal(keyboards[kind].inputMode);
        expect(box.autocomplete).to.equal(keyboards[kind].autocomplete);
        expect(box.type).to.equal(keyboards[kind].type);
      });
    }

    /**
     * A label put in a sentence with its capital ("Please fill in Mobile number.") — fine only for German nouns, and
     * never the case in a script without capitals (Arabic).
     */
    const capitalisedMidSentence = (message: string, label: string) =>
      label.length > 1 && label[0] !== label[0]!.toLowerCase() && label[1] === label[1]!.toLowerCase() && message.indexOf(label) > 0;

    for (const locale of LOCALES) {
      it(`${locale}: every kind's "required" error says what to enter and reads as a sentence; other fields need no name`, async () => {
        const messages = await catalogue(locale);
        for (const kind of KINDS) {
          const el = await fields(methodWith(kind, {}), locale);
          await waitUntil(() => labelText(el) === messages[KNOWN_FIELDS[kind].label], `${locale} ${kind} label`);
          el.validate();
          await el.updateComplete;
          const error = errorOf(el)!;
          expect(error, `${locale} ${kind}`).to.equal(messages[KNOWN_FIELDS[kind].required]);
          expect(error, `${locale} ${kind}`).to.not.match(/[{}]/);
          if (locale !== 'de') expect(capitalisedMidSentence(error, labelText(el)), `${locale} ${kind}: ${error}`).to.equal(false);
          el.remove();
        }
        const label = { en: 'Account name', [locale]: 'Reference' };
        const el = await fields(methodWith(undefined, label), locale);
        await waitUntil(() => labelText(el) === 'Reference', `${locale} provider label`);
        el.values = {};
        el.validate();
        await el.updateComplete;
        expect(errorOf(el)).to.equal(messages['fields.error.required']);
        expect(errorOf(el)).to.not.contain('Reference');
        el.values = { value: 'x'.repeat(300) };
        await el.updateComplete;
        expect(errorOf(el)).to.equal(messages['fields.error.tooLong']);
        for (const key of ['fields.error.required', 'fields.error.pattern', 'fields.error.tooLong'] as const) expect(messages[key], `${locale} ${key}`).to.not.contain('{');
        el.remove();
      });
    }
  });

  describe('events', () => {
    it('fires change when valid flips while typing and when a value is committed; input events reach the page', async () => {
      const el = await fields(SWISH_BARE);
      const changes: Array<{ valid: boolean; phone: string | undefined }> = [];
      let inputs = 0;
      document.addEventListener('change', (e) => e.target === el && changes.push({ valid: el.valid, phone: el.values.phone }));
      el.addEventListener('input', (e) => {
        expect(e.target).to.equal(el);
        inputs++;
      });
      await typeInto(el, 0, '070123456');
      expect(changes).to.deep.equal([]); // values changed, valid still false, not committed
      await sendKeys({ type: '7' });
      expect(changes).to.deep.equal([{ valid: true, phone: '0701234567' }]);
      await sendKeys({ press: 'Tab' });
      expect(changes).to.deep.equal([
        { valid: true, phone: '0701234567' },
        { valid: true, phone: '0701234567' },
      ]);
      expect(inputs).to.equal(10);
    });

    it('the change event bubbles and is composed', async () => {
      const el = await fields(SWISH_BARE);
      input(el).focus();
      const event = oneEvent(el, 'change');
      await sendKeys({ type: '0' });
      await sendKeys({ press: 'Tab' });
      const fired = await event;
      expect(fired.bubbles).to.equal(true);
      expect(fired.composed).to.equal(true);
      expect(fired.target).to.equal(el);
    });

    it('does not fire change for validate() or values set by code', async () => {
      const el = await fields(SWISH_BARE);
      let count = 0;
      el.addEventListener('change', () => count++);
      el.values = { phone: '0701234567' };
      await el.updateComplete;
      el.validate();
      await aTimeout(10);
      expect(count).to.equal(0);
    });
  });

  describe('server-side field problems', () => {
    it('reportErrors shows the endpoint\u2019s problem on the field, focuses it, and clears it when edited', async () => {
      const el = await fields(SWISH_BARE, 'en', { phone: '0701234567' });
      expect(el.valid).to.equal(true);
      expect(el.reportErrors({ 'fields.phone': 'fields.phone.error' })).to.equal(true);
      await el.updateComplete;
      expect(el.valid).to.equal(false);
      expect(errorOf(el)).to.equal('Enter a Swedish mobile number, e.g. 0701234567.');
      expect(root(el).activeElement).to.equal(input(el));
      await sendKeys({ press: 'End' });
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ type: '7' });
      await el.updateComplete;
      expect(errorOf(el)).to.equal(undefined);
      expect(el.valid).to.equal(true);
    });

    it('reportErrors ignores fields that are not on the form and replaces unknown message keys', async () => {
      const el = await fields(HERO);
      expect(el.reportErrors({ 'fields.nope': 'fields.phone.error' })).to.equal(false);
      expect(el.reportErrors({ city: 'no.such.key' as never })).to.equal(true);
      await el.updateComplete;
      expect(errorOf(el, 3)).to.equal('This does not look right. Please check it.');
      expect(el.reportErrors({})).to.equal(false);
      await el.updateComplete;
      expect(errorOf(el, 3)).to.equal('Enter the city.'); // its own error stays shown once shown
    });
  });

  describe('provider data is untrusted', () => {
    it('renders a hostile label, hint, example and method name as text; nothing runs', async () => {
      const hostile = '<img src=x onerror=window.__kassaPwned=1>';
      const el = await fields({
        ...MILKY,
        name: { en: hostile },
        fields: [{ key: 'x', type: 'text', label: { en: hostile }, hint: { en: hostile }, example: `${hostile}!`, required: true }],
      });
      el.validate();
      await el.updateComplete;
      await aTimeout(50);
      expect(labelText(el)).to.equal(hostile);
      expect(hintOf(el)).to.equal(`${hostile} e.g. ${hostile}!`);
      expect(input(el).hasAttribute('placeholder')).to.equal(false);
      expect(errorOf(el)).to.equal('Please fill this in.');
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal(`Details for ${hostile}`);
      expect(root(el).querySelector('img')).to.equal(null);
      expect((window as unknown as Record<string, unknown>).__kassaPwned).to.equal(undefined);
    });

    it('skips fields without a key and repeated keys', async () => {
      const el = await fields({ ...MILKY, fields: [{ key: '', type: 'text', label: { en: 'Empty' }, required: true }, ...MILKY.fields!, MILKY.fields![0]!] });
      expect(inputs(el)).to.have.length(2);
    });
  });

  describe('accessibility (axe)', () => {
    it('passes with fields', async () => {
      await expect(await fields(MILKY)).to.be.accessible();
    });
    it('passes with every error shown', async () => {
      const el = await fields(HERO, 'en', { email: 'nope', postalCode: '!' });
      el.validate();
      await el.updateComplete;
      expect(root(el).querySelectorAll('[part="error"]')).to.have.length(6);
      await expect(el).to.be.accessible();
    });
    it('passes when disabled', async () => {
      const el = await fields(SWISH);
      el.disabled = true;
      await el.updateComplete;
      expect(input(el).matches(':disabled')).to.equal(true);
      await expect(el).to.be.accessible();
    });
  });

  describe('localization', () => {
    it('picks the provider\u2019s Swedish label and Kassa\u2019s Swedish messages with locale="sv"', async () => {
      const sv = await catalogue('sv');
      const el = await fields(SWISH, 'sv', { phone: '0812345678' });
      await waitUntil(() => labelText(el) === 'Mobilnummer för Swish', 'no Swedish label');
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal(translate(sv, 'fields.legend', { method: 'Swish med mobilnummer' }));
      el.validate();
      await el.updateComplete;
      expect(errorOf(el)).to.equal(sv['fields.phone.error']);
    });

    it('uses Kassa\u2019s label for a known field when the provider has none in the shopper\u2019s language (Hero in Swedish)', async () => {
      const sv = await catalogue('sv');
      const el = await fields(HERO, 'sv');
      await waitUntil(() => labelText(el) === sv['fields.companyName'], 'no Swedish Kassa label');
      expect(labelText(el, 3)).to.equal(sv['fields.city']);
      expect(labelText(el, 3)).to.not.equal(HERO.fields![3]!.label.en); // not the provider's English
    });

    it('locale="ja" is not a Kassa language: English throughout, the provider\u2019s English label included', async () => {
      const el = await fields(MILKY, 'ja');
      expect(labelText(el)).to.equal('Phone number');
      expect(hintOf(el)).to.equal('International format, digits only e.g. 380501234567');
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal('Details for Mobile money');
    });

    it('locale="uk": the provider\u2019s Ukrainian label and Kassa\u2019s Ukrainian legend', async () => {
      const uk = await catalogue('uk');
      const el = await fields(MILKY, 'uk');
      await waitUntil(() => labelText(el) === 'Номер телефону', `still ${labelText(el)}`);
      expect(root(el).querySelector('[part="legend"]')!.textContent).to.equal(translate(uk, 'fields.legend', { method: 'Мобільні гроші' }));
    });

    it('follows a change of locale', async () => {
      const el = await fields(SWISH);
      el.locale = 'sv';
      await waitUntil(() => labelText(el) === 'Mobilnummer för Swish', 'did not switch');
      el.locale = 'en';
      await waitUntil(() => labelText(el) === 'Mobile number for Swish', 'did not switch back');
    });
  });

  describe('lifecycle', () => {
    afterEach(() => document.documentElement.removeAttribute('lang'));

    it('stops following the page language once removed, and resumes when put back', async () => {
      const el = await fixture<KassaMethodFields>(html`<kassa-method-fields></kassa-method-fields>`);
      el.method = SWISH;
      document.documentElement.lang = 'en';
      await aTimeout(50);
      await el.updateComplete;
      expect(labelText(el)).to.equal('Mobile number for Swish');
      const parent = el.parentNode!;
      el.remove();
      document.documentElement.lang = 'sv';
      await aTimeout(100);
      expect(labelText(el)).to.equal('Mobile number for Swish');
      parent.appendChild(el);
      await waitUntil(() => labelText(el) === 'Mobilnummer för Swish', 'did not resume');
    });
  });
});
