/// <reference types="mocha" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { openSession } from '../../core/endpoint-client.ts';
import { LOCALES, loadMessages, methodName, translate, type Locale } from '../../core/i18n.ts';
import type { MethodKind, MethodType, PaymentMethod, ProviderName } from '../../core/model.ts';
import './define.ts';
import { KassaMethodPicker, alternativeMethod, groupMethods } from './method-picker.ts';
import { testEnv } from '../../../test/browser/env.ts';

const LOGO = 'https://cdn.example/logos/card.svg';

/** Deliberately listed out of group order: the picker sorts groups, and keeps the order within a group. */
const METHODS: PaymentMethod[] = [
  { id: 'hero:pay3x', provider: 'hero', kind: 'installments', name: { en: 'Pay in 3', fr: 'Payer en 3 fois' } },
  { id: 'kronor:creditCard', provider: 'kronor', kind: 'card', name: { en: 'Card', sv: 'Kort' }, logo: LOGO },
  { id: 'whenthen:card', provider: 'whenthen', kind: 'card', name: { en: 'Visa / Mastercard' } },
  { id: 'kronor:payPal', provider: 'kronor', kind: 'wallet', name: { en: 'PayPal' } },
  { id: 'kronor:bankTransfer', provider: 'kronor', kind: 'bank', name: { en: 'Bank transfer', sv: 'Banköverföring' } },
  { id: 'hidirect:health', provider: 'hidirect', kind: 'health', name: { en: 'hi.health' } },
  { id: 'milkypay:blik', provider: 'milkypay', kind: 'mobile', name: { en: 'BLIK', uk: 'БЛІК' } },
];
/** The expected flattened order: card, wallet, mobile, bank, invoice, installments, health, other. */
const ORDER = ['kronor:creditCard', 'whenthen:card', 'kronor:payPal', 'milkypay:blik', 'kronor:bankTransfer', 'hero:pay3x', 'hidirect:health'];

const shadow = (el: KassaMethodPicker) => el.shadowRoot!;
const radios = (el: KassaMethodPicker) => [...shadow(el).querySelectorAll<HTMLElement>('[role="radio"]')];
const groupLabels = (el: KassaMethodPicker) => [...shadow(el).querySelectorAll('[part="group-label"]')].map((n) => n.textContent!.trim());
const names = (el: KassaMethodPicker) => radios(el).map((r) => r.querySelector('[part="name"]')!.textContent!.trim());
const focusedRadio = (el: KassaMethodPicker) => shadow(el).activeElement as HTMLElement | null;
const checkedIds = (el: KassaMethodPicker) =>
  radios(el)
    .filter((r) => r.getAttribute('aria-checked') === 'true')
    .map((r) => ORDER[Number(r.dataset.index)]);

/**
 * Each radio's accessible name as a browser computes it here: the radios have no `aria-label` or `aria-labelledby`,
 * so it is their text, without what is `aria-hidden` (the logos).
 */
function radioNames(el: KassaMethodPicker): string[] {
  const text = (node: Node): string =>
    node instanceof Element && node.getAttribute('aria-hidden') === 'true' ? '' : node.nodeType === Node.TEXT_NODE ? node.textContent! : [...node.childNodes].map(text).join('');
  return radios(el).map((radio) => text(radio).replace(/\s+/g, ' ').trim());
}
/** The mark each radio shows (`data-mark` of its logo's SVG), or `img` for a provider's image. */
const logoMarks = (el: KassaMethodPicker) =>
  radios(el).map((r) => {
    const logo = r.querySelector('[part="logo"]')!;
    return logo.localName === 'img' ? 'img' : (logo.querySelector('svg')?.dataset.mark ?? '');
  });
const marksShown = (el: KassaMethodPicker) => waitUntil(() => logoMarks(el).every(Boolean), 'no logo drawn', { timeout: 5000 });

async function picker(methods: PaymentMethod[] = METHODS, template = html`<kassa-method-picker locale="en"></kassa-method-picker>`) {
  const el = await fixture<KassaMethodPicker>(template);
  el.methods = methods;
  await el.updateComplete;
  return el;
}

/** A button before the picker, to Tab into it as a shopper does. */
async function pickerAfterButton(value = '') {
  const wrapper = await fixture<HTMLDivElement>(html`<div><button>before</button><kassa-method-picker locale="en" value=${value}></kassa-method-picker></div>`);
  const el = wrapper.querySelector('kassa-method-picker')!;
  el.methods = METHODS;
  await el.updateComplete;
  wrapper.querySelector('button')!.focus();
  await sendKeys({ press: 'Tab' });
  return el;
}

function countChanges(target: EventTarget): { count: number; values: string[] } {
  const log = { count: 0, values: [] as string[] };
  target.addEventListener('change', (event) => {
    log.count++;
    log.values.push((event.target as KassaMethodPicker).value);
  });
  return log;
}

describe('kassa-method-picker', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang');
  });

  describe('rendering', () => {
    it('is the registered class', () => {
      expect(customElements.get('kassa-method-picker')).to.equal(KassaMethodPicker);
      expect(document.createElement('kassa-method-picker')).to.be.instanceOf(KassaMethodPicker);
    });

    it('groups methods by kind in a fixed order, keeping the given order inside a group', async () => {
      const el = await picker();
      expect(groupLabels(el)).to.deep.equal(['Cards', 'Wallets', 'Mobile payments', 'Bank payments', 'Pay in instalments', 'Health accounts']);
      expect(names(el)).to.deep.equal(['Card', 'Visa / Mastercard', 'PayPal', 'BLIK', 'Bank transfer', 'Pay in 3', 'hi.health']);
      const groups = [...shadow(el).querySelectorAll('[part="group"]')];
      expect(groups[0]!.querySelectorAll('[role="radio"]')).to.have.length(2);
    });

    it('is one named radio group of named groups of radios', async () => {
      const el = await picker();
      const container = shadow(el).querySelector('[part="radiogroup"]')!;
      expect(container.getAttribute('role')).to.equal('radiogroup');
      expect(container.getAttribute('aria-label')).to.equal('Payment method');
      expect(container.querySelectorAll('[role="radio"]')).to.have.length(METHODS.length);
      const groups = [...shadow(el).querySelectorAll('[part="group"]')];
      expect(groups).to.have.length(6);
      for (const group of groups) {
        expect(group.getAttribute('role')).to.equal('group');
        const label = shadow(el).getElementById(group.getAttribute('aria-labelledby')!);
        expect(label?.getAttribute('part')).to.equal('group-label');
        expect(group.contains(label)).to.equal(true);
      }
    });

    it('groups by provider, in the providers\u2019 fixed order, with group-by="provider"', async () => {
      const el = await picker(METHODS, html`<kassa-method-picker locale="en" group-by="provider"></kassa-method-picker>`);
      expect(el.groupBy).to.equal('provider');
      expect(groupLabels(el)).to.deep.equal(['Hero', 'MilkyPay', 'hi.health', 'WhenThen', 'Kronor']);
      expect(names(el).slice(-3)).to.deep.equal(['Card', 'PayPal', 'Bank transfer']);
    });

    it('puts an unknown kind under "Other methods" and leaves out unknown providers and repeated ids', async () => {
      const odd = [
        { id: 'kronor:future', provider: 'kronor', kind: 'crypto', name: { en: 'Future' } },
        { id: 'evil:x', provider: 'evil', kind: 'card', name: { en: 'Evil' } },
        { id: 'kronor:future', provider: 'kronor', kind: 'card', name: { en: 'Twin' } },
      ] as unknown as PaymentMethod[];
      const el = await picker(odd);
      expect(groupLabels(el)).to.deep.equal(['Other methods']);
      expect(names(el)).to.deep.equal(['Future']);
    });

    it('checks the method named by value, with aria-checked, a checked part and the only tab stop', async () => {
      const el = await picker();
      el.value = 'kronor:payPal';
      await el.updateComplete;
      const all = radios(el);
      expect(checkedIds(el)).to.deep.equal(['kronor:payPal']);
      expect(all[2]!.getAttribute('part')).to.equal('method method-checked');
      expect(all[0]!.getAttribute('part')).to.equal('method');
      expect(all.map((r) => r.tabIndex)).to.deep.equal([-1, -1, 0, -1, -1, -1, -1]);
      expect(getComputedStyle(all[2]!).borderColor).to.not.equal(getComputedStyle(all[0]!).borderColor);
    });

    it('makes the first method the tab stop when nothing (or an unknown id) is checked', async () => {
      const el = await picker();
      el.value = 'kronor:gone';
      await el.updateComplete;
      expect(checkedIds(el)).to.deep.equal([]);
      expect(radios(el).map((r) => r.tabIndex)).to.deep.equal([0, -1, -1, -1, -1, -1, -1]);
    });

    it('reads value from the attribute', async () => {
      const el = await picker(METHODS, html`<kassa-method-picker locale="en" value="hero:pay3x"></kassa-method-picker>`);
      expect(el.value).to.equal('hero:pay3x');
      expect(checkedIds(el)).to.deep.equal(['hero:pay3x']);
    });

    it('shows the empty message for an empty list, and no radio group', async () => {
      const el = await picker([]);
      expect(shadow(el).querySelector('[part="empty"]')!.textContent).to.equal('No payment method is available for this order.');
      expect(shadow(el).querySelector('[role="radiogroup"], [role="radio"]')).to.equal(null);
    });

    it('renders 200 methods, and End reaches the last', async () => {
      const many: PaymentMethod[] = Array.from({ length: 200 }, (_, i) => ({
        id: `milkypay:service_${i}`,
        provider: 'milkypay',
        kind: i % 2 ? 'card' : 'bank',
        name: { en: `Service ${i}` },
      }));
      const started = performance.now();
      const el = await picker(many);
      const took = performance.now() - started;
      expect(radios(el)).to.have.length(200);
      expect(groupLabels(el)).to.deep.equal(['Cards', 'Bank payments']);
      expect(took).to.be.below(1000);
      el.focus();
      await sendKeys({ press: 'End' });
      expect(el.value).to.equal('milkypay:service_198'); // the last bank method: bank comes after card
      expect(focusedRadio(el)!.textContent).to.contain('Service 198');
    });
  });

  describe('with the demo endpoint', () => {
    it('shows every method of a real DEMO-EUR session, no two alike, each with a logo, and passes axe', async () => {
      const { endpointUrl } = await testEnv();
      const session = await openSession(endpointUrl, 'DEMO-EUR');
      expect(session.methods.length).to.be.above(3);
      const el = await picker(session.methods);
      expect(radios(el)).to.have.length(session.methods.length);
      await marksShown(el);
      const accessible = radioNames(el);
      expect(accessible).to.have.length(session.methods.length);
      expect(new Set(accessible).size).to.equal(accessible.length);
      await expect(el).to.be.accessible();
    });
  });

  describe('keyboard', () => {
    it('Tab lands on the first method when none is checked, and Space selects it', async () => {
      const el = await pickerAfterButton();
      expect(document.activeElement).to.equal(el);
      expect(focusedRadio(el)).to.equal(radios(el)[0]);
      expect(el.value).to.equal('');
      const changed = oneEvent(el, 'change');
      await sendKeys({ press: 'Space' });
      await changed;
      expect(el.value).to.equal('kronor:creditCard');
      await el.updateComplete;
      expect(radios(el)[0]!.getAttribute('aria-checked')).to.equal('true');
    });

    it('Tab lands on the checked method', async () => {
      const el = await pickerAfterButton('kronor:bankTransfer');
      expect(focusedRadio(el)).to.equal(radios(el)[4]);
    });

    it('arrow keys move focus and selection across groups, wrapping both ways', async () => {
      const el = await pickerAfterButton('whenthen:card'); // last of the cards group
      await sendKeys({ press: 'ArrowDown' });
      expect(el.value).to.equal('kronor:payPal'); // first of wallets
      expect(focusedRadio(el)).to.equal(radios(el)[2]);
      await sendKeys({ press: 'ArrowRight' });
      expect(el.value).to.equal('milkypay:blik');
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.value).to.equal('whenthen:card');
      await sendKeys({ press: 'Home' });
      expect(el.value).to.equal('kronor:creditCard');
      await sendKeys({ press: 'ArrowUp' }); // wraps to the last
      expect(el.value).to.equal('hidirect:health');
      expect(focusedRadio(el)).to.equal(radios(el)[6]);
      await sendKeys({ press: 'ArrowDown' }); // wraps to the first
      expect(el.value).to.equal('kronor:creditCard');
      await el.updateComplete;
      expect(checkedIds(el)).to.deep.equal(['kronor:creditCard']);
      expect(radios(el).filter((r) => r.tabIndex === 0)).to.deep.equal([radios(el)[0]]);
    });

    it('swaps left and right in right-to-left text (Arabic), whatever the page’s direction', async () => {
      const el = await fixture<KassaMethodPicker>(html`<kassa-method-picker locale="ar" value="whenthen:card"></kassa-method-picker>`);
      el.methods = METHODS;
      await waitUntil(() => shadow(el).querySelector('[role="radiogroup"]')?.getAttribute('dir') === 'rtl', 'not laid out right to left');
      el.focus();
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.value).to.equal('kronor:payPal');
      await sendKeys({ press: 'ArrowRight' });
      expect(el.value).to.equal('whenthen:card');
    });

    it('keeps left and right for English in a right-to-left page (the methods stay left to right)', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div dir="rtl"><kassa-method-picker locale="en" value="whenthen:card"></kassa-method-picker></div>`);
      const el = wrapper.firstElementChild as KassaMethodPicker;
      el.methods = METHODS;
      await el.updateComplete;
      expect(shadow(el).querySelector('[role="radiogroup"]')!.getAttribute('dir')).to.equal('ltr');
      el.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(el.value).to.equal('kronor:payPal');
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.value).to.equal('whenthen:card');
    });

    it('keeps focus inside the picker and one tab stop after moving', async () => {
      const el = await pickerAfterButton();
      for (let i = 0; i < 9; i++) await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(document.activeElement).to.equal(el);
      expect(focusedRadio(el)?.getAttribute('role')).to.equal('radio');
      expect(focusedRadio(el)!.tabIndex).to.equal(0);
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement).to.not.equal(el); // one tab stop: Tab leaves the picker
    });

    it('ignores arrow keys with modifiers', async () => {
      const el = await pickerAfterButton();
      await sendKeys({ down: 'Alt' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ up: 'Alt' });
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ up: 'Control' });
      expect(el.value).to.equal('');
      await sendKeys({ press: 'ArrowDown' });
      expect(el.value).to.equal('whenthen:card');
    });
  });

  describe('selection and the change event', () => {
    it('click selects and focuses a method and fires one bubbling, composed change', async () => {
      const el = await picker();
      const log = countChanges(document);
      const changed = oneEvent(el, 'change');
      radios(el)[3]!.querySelector('[part="name"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      const event = await changed;
      expect(event).to.be.instanceOf(Event);
      expect(event.type).to.equal('change');
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.target).to.equal(el);
      expect(el.value).to.equal('milkypay:blik');
      expect(log.values).to.deep.equal(['milkypay:blik']);
      expect(focusedRadio(el)).to.equal(radios(el)[3]);
    });

    it('a real click selects', async () => {
      const el = await picker();
      radios(el)[1]!.click();
      expect(el.value).to.equal('whenthen:card');
    });

    it('fires change once per change with the new value, not for re-selecting, not when set by code', async () => {
      const el = await pickerAfterButton();
      const log = countChanges(el);
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'Space' }); // already checked
      radios(el)[0]!.click(); // already checked
      await sendKeys({ press: 'ArrowDown' });
      radios(el)[5]!.click();
      el.value = 'kronor:payPal'; // by code
      await el.updateComplete;
      expect(checkedIds(el)).to.deep.equal(['kronor:payPal']);
      expect(log.values).to.deep.equal(['kronor:creditCard', 'whenthen:card', 'hero:pay3x']);
    });

    it('respects disabled: nothing selects, nothing is a tab stop, aria-disabled is set', async () => {
      const el = await picker();
      el.value = 'kronor:payPal';
      el.disabled = true;
      await el.updateComplete;
      expect(el.hasAttribute('disabled')).to.equal(true);
      const log = countChanges(el);
      radios(el)[0]!.click();
      expect(radios(el).every((r) => r.tabIndex === -1 && r.getAttribute('aria-disabled') === 'true')).to.equal(true);
      expect(shadow(el).querySelector('[role="radiogroup"]')!.getAttribute('aria-disabled')).to.equal('true');
      radios(el)[2]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Space' });
      expect(el.value).to.equal('kronor:payPal');
      expect(log.count).to.equal(0);
      el.disabled = false;
      await el.updateComplete;
      radios(el)[0]!.click();
      expect(el.value).to.equal('kronor:creditCard');
    });

    it('focus() focuses the tab stop', async () => {
      const el = await picker();
      el.value = 'hidirect:health';
      await el.updateComplete;
      el.focus();
      expect(focusedRadio(el)).to.equal(radios(el)[6]);
    });
  });

  describe('provider data is untrusted', () => {
    afterEach(() => {
      delete (window as unknown as Record<string, unknown>).__kassaPwned;
    });

    it('renders a hostile name as text, and nothing runs', async () => {
      const hostile = '<img src=x onerror=window.__kassaPwned=1>';
      const el = await picker([{ id: 'milkypay:evil', provider: 'milkypay', kind: 'card', name: { en: hostile } }]);
      await aTimeout(50);
      expect(names(el)).to.deep.equal([hostile]);
      expect(shadow(el).querySelector('img')).to.equal(null);
      expect((window as unknown as Record<string, unknown>).__kassaPwned).to.equal(undefined);
    });

    it('shows an https logo without a referrer, decorative beside the name, and drops javascript:, data: and http logos', async () => {
      const el = await picker([
        { id: 'kronor:creditCard', provider: 'kronor', kind: 'card', name: { en: 'Card' }, logo: LOGO },
        { id: 'milkypay:js', provider: 'milkypay', kind: 'card', name: { en: 'JS' }, logo: 'javascript:window.__kassaPwned=1' },
        { id: 'milkypay:data', provider: 'milkypay', kind: 'card', name: { en: 'Data' }, logo: 'data:image/svg+xml,<svg onload="alert(1)"/>' },
        { id: 'milkypay:http', provider: 'milkypay', kind: 'card', name: { en: 'Plain' }, logo: 'http://cdn.example/x.png' },
      ]);
      const logos = [...shadow(el).querySelectorAll('img')];
      expect(logos).to.have.length(1);
      expect(logos[0]!.getAttribute('src')).to.equal(LOGO);
      expect(logos[0]!.getAttribute('alt')).to.equal('');
      expect(logos[0]!.getAttribute('part')).to.equal('logo');
      expect(logos[0]!.referrerPolicy).to.equal('no-referrer');
      expect(radios(el)[0]!.contains(logos[0]!)).to.equal(true);
    });

    it('shows the mark of the method’s type when its image fails to load', async () => {
      const el = await picker([{ id: 'kronor:creditCard', provider: 'kronor', kind: 'card', type: 'card', name: { en: 'Card' }, logo: 'http://127.0.0.1:9/missing.png' }]);
      const img = shadow(el).querySelector('img')!;
      img.loading = 'eager';
      await waitUntil(() => !shadow(el).querySelector('img'), 'the broken logo stays', { timeout: 5000 });
      await marksShown(el);
      expect(logoMarks(el)).to.deep.equal(['card']);
      expect(names(el)).to.deep.equal(['Card']);
    });
  });

  describe('accessibility (axe)', () => {
    it('passes when empty', async () => {
      await expect(await picker([])).to.be.accessible();
    });
    it('passes when filled', async () => {
      await expect(await picker()).to.be.accessible();
    });
    it('passes with a method checked', async () => {
      const el = await picker();
      el.value = 'kronor:bankTransfer';
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
    it('passes when disabled', async () => {
      const el = await picker();
      el.value = 'kronor:bankTransfer';
      el.disabled = true;
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
    it('passes grouped by provider', async () => {
      await expect(await picker(METHODS, html`<kassa-method-picker locale="en" group-by="provider"></kassa-method-picker>`)).to.be.accessible();
    });
  });

  describe('details under the checked method', () => {
    const BLIK_FIELDS: PaymentMethod = {
      id: 'milkypay:blik',
      provider: 'milkypay',
      kind: 'mobile',
      name: { en: 'BLIK' },
      fields: [{ key: 'blik_code', kind: 'blik-code', type: 'text', label: { en: 'BLIK code' }, required: true }],
    };
    const withDetails = (value: string) =>
      picker(
        METHODS,
        html`<kassa-method-picker locale="en" value=${value}><div slot="details" id="details"><label>Code <input id="code" /></label></div></kassa-method-picker>`,
      );
    const radioOf = (el: KassaMethodPicker, id: string) => radios(el)[ORDER.indexOf(id)]!;
    const box = (node: Element) => node.getBoundingClientRect();

    it('shows the details slot right under the checked method, above the next one, and moves it with the choice', async () => {
      const el = await withDetails('milkypay:blik');
      const details = el.querySelector('#details')!;
      const under = (id: string) => {
        const radio = box(radioOf(el, id));
        const next = box(radios(el)[ORDER.indexOf(id) + 1]!);
        const shown = box(details);
        expect(shown.height, 'the details are shown').to.be.above(0);
        expect(shown.top - radio.bottom, `${id}: right under the method`).to.be.within(0, 24);
        expect(next.top - shown.bottom, `${id}: above the next method`).to.be.at.least(0);
      };
      under('milkypay:blik');
      el.value = 'kronor:payPal';
      await el.updateComplete;
      under('kronor:payPal');
      el.value = '';
      await el.updateComplete;
      expect(details.getClientRects().length, 'nothing checked: no details').to.equal(0);
    });

    it('takes no room when the slot is empty', async () => {
      const el = await picker();
      const gap = () => box(radioOf(el, 'kronor:bankTransfer')).top - box(radioOf(el, 'milkypay:blik')).bottom;
      const unchecked = gap();
      el.value = 'milkypay:blik';
      await el.updateComplete;
      expect(gap()).to.equal(unchecked);
      expect(shadow(el).querySelector('[part="details"]')!.getClientRects().length).to.equal(0);
    });

    it('Tab goes from the checked method into its details; arrows, Space, Home and clicks there leave the choice alone', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div><button>before</button><kassa-method-picker locale="en" value="kronor:payPal"><div slot="details"><input id="code" /></div></kassa-method-picker><button id="after">after</button></div>`,
      );
      const el = wrapper.querySelector('kassa-method-picker')!;
      el.methods = METHODS;
      await el.updateComplete;
      const changes = countChanges(el);
      wrapper.querySelector('button')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(focusedRadio(el)).to.equal(radioOf(el, 'kronor:payPal'));
      await sendKeys({ press: 'Tab' });
      const code = wrapper.querySelector<HTMLInputElement>('#code')!;
      expect(document.activeElement, 'Tab from the checked method lands in its details').to.equal(code);
      await sendKeys({ type: '12 3' });
      for (const key of ['ArrowDown', 'ArrowUp', 'Home', 'End']) await sendKeys({ press: key });
      code.click();
      await el.updateComplete;
      expect(code.value, 'Space typed a space').to.equal('12 3');
      expect(el.value).to.equal('kronor:payPal');
      expect(changes.count).to.equal(0);
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement, 'then out of the picker: the other methods are not tab stops').to.equal(wrapper.querySelector('#after'));
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(focusedRadio(el)).to.equal(radioOf(el, 'kronor:payPal'));
      await sendKeys({ press: 'ArrowDown' });
      expect(el.value, 'arrows on the radios still choose').to.equal('milkypay:blik');
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`passes axe with a method's fields in its details (${scheme})`, async () => {
        await import('../method-fields/define.ts');
        await emulateMedia({ colorScheme: scheme });
        try {
          const el = await picker([...METHODS.filter((m) => m.id !== 'milkypay:blik'), BLIK_FIELDS], html`<kassa-method-picker locale="en" value="milkypay:blik"><kassa-method-fields slot="details" locale="en"></kassa-method-fields></kassa-method-picker>`);
          const fields = el.querySelector('kassa-method-fields')!;
          fields.method = BLIK_FIELDS;
          await fields.updateComplete;
          fields.validate();
          await fields.updateComplete;
          expect(box(fields).height).to.be.above(0);
          await expect(el).to.be.accessible();
        } finally {
          await emulateMedia({ colorScheme: 'light' });
        }
      });
    }

    const suggestions: Array<[failed: string, groupBy: 'kind' | 'provider', avoid: ProviderName | undefined, suggested: string | undefined]> = [
      ['kronor:creditCard', 'kind', undefined, 'whenthen:card'], // the first one shown that is not the failed one
      ['whenthen:card', 'kind', undefined, 'kronor:creditCard'],
      ['kronor:creditCard', 'kind', 'kronor', 'whenthen:card'],
      ['kronor:payPal', 'kind', 'kronor', 'whenthen:card'], // another provider's first
      ['hero:pay3x', 'provider', undefined, 'milkypay:blik'], // in the provider order: Hero, MilkyPay, …
      ['hero:pay3x', 'provider', 'hero', 'milkypay:blik'],
    ];
    for (const [failed, groupBy, avoid, suggested] of suggestions) {
      it(`alternativeMethod after ${failed} (${groupBy}${avoid ? `, not ${avoid}` : ''}) → ${String(suggested)}`, () => {
        expect(alternativeMethod(METHODS, failed, groupBy, avoid)?.id).to.equal(suggested);
      });
    }
    it('alternativeMethod: none when the failed one is the only method; a method of the same provider when only those are left', () => {
      expect(alternativeMethod([METHODS[0]!], METHODS[0]!.id, 'kind')).to.equal(undefined);
      const kronorOnly = METHODS.filter((m) => m.provider === 'kronor');
      expect(alternativeMethod(kronorOnly, 'kronor:payPal', 'kind', 'kronor')?.id).to.equal('kronor:creditCard');
    });
    it('groupMethods numbers the methods in the order they are shown', () => {
      const shown = groupMethods(METHODS, 'kind').flatMap((g) => g.methods.map((m) => [m.index, m.method.id]));
      expect(shown).to.deep.equal(ORDER.map((id, i) => [i, id]));
    });
  });

  describe('localization', () => {
    it('uses the Swedish catalogue and Swedish provider names with locale="sv" (English where not translated)', async () => {
      const sv = await loadMessages('sv');
      const el = await picker(METHODS, html`<kassa-method-picker locale="sv"></kassa-method-picker>`);
      await waitUntil(() => names(el).includes('Banköverföring'), 'no Swedish names');
      expect(names(el)[0]).to.equal('Kort');
      expect(names(el)).to.include('BLIK'); // no Swedish: English
      expect(groupLabels(el)[0]).to.equal(sv['picker.group.card']);
      expect(shadow(el).querySelector('[part="radiogroup"]')!.getAttribute('aria-label')).to.equal(sv['picker.label']);
    });

    it('follows a change of locale', async () => {
      const el = await picker();
      el.locale = 'sv';
      await waitUntil(() => names(el)[0] === 'Kort', 'did not switch to Swedish');
      el.locale = 'en';
      await waitUntil(() => names(el)[0] === 'Card', 'did not switch back');
      expect(groupLabels(el)[0]).to.equal('Cards');
    });

    it('follows the page language when it has no locale', async () => {
      document.documentElement.lang = 'sv';
      const el = await picker(METHODS, html`<kassa-method-picker></kassa-method-picker>`);
      await waitUntil(() => names(el)[0] === 'Kort', 'page language not used');
    });
  });

  describe('Kassa\u2019s names and logos', () => {
    after(() => emulateMedia({ colorScheme: 'light' }));

    const method = (type: MethodType, provider: ProviderName, kind: MethodKind, name: Record<string, string>, more: Partial<PaymentMethod> = {}): PaymentMethod => ({
      id: type,
      type,
      provider,
      kind,
      name,
      logo: `kassa:${type}`,
      ...more,
    });
    const card = method('card', 'milkypay', 'card', { en: 'Card', de: 'Karte', fr: 'Carte bancaire', sv: 'Kort' }, { providers: ['milkypay', 'whenthen', 'kronor'], brands: ['visa', 'mastercard'] });
    const paypal = method('paypal', 'whenthen', 'wallet', { en: 'PayPal' }, { providers: ['whenthen', 'kronor'] });
    const klarna = method('klarna', 'whenthen', 'invoice', { en: 'Klarna' });
    const bankTransfer = method('bank-transfer', 'kronor', 'bank', { en: 'Bank transfer', sv: 'Banköverföring' });
    /** The session's entries per demo currency, as the endpoint lists them (some without a logo: they get their type's). */
    const SESSIONS: Record<string, PaymentMethod[]> = {
      EUR: [
        card,
        paypal,
        method('mbway', 'milkypay', 'mobile', { en: 'MB WAY' }, { fields: [{ key: 'phone', kind: 'phone', type: 'tel', label: { en: 'Phone number' }, required: true }] }),
        { ...method('b2b-pay-later', 'hero', 'invoice', { en: 'Pay in full', fr: 'Paiement comptant' }, { variant: 'Pay1X' }), id: 'b2b-pay-later.Pay1X', logo: undefined },
        { ...method('hi-health', 'hidirect', 'health', { en: 'hi.health – health expenses', de: 'hi.health – Gesundheitsausgaben' }), logo: undefined },
        klarna,
        bankTransfer,
      ],
      SEK: [card, paypal, klarna, method('swish', 'kronor', 'mobile', { en: 'Swish', sv: 'Swish' }), bankTransfer],
      DKK: [card, paypal, klarna, method('mobilepay', 'kronor', 'mobile', { en: 'MobilePay', da: 'MobilePay' })],
      NOK: [card, paypal, klarna, method('vipps', 'kronor', 'mobile', { en: 'Vipps', nb: 'Vipps' })],
      PLN: [
        method('blik', 'milkypay', 'mobile', { en: 'BLIK' }, { fields: [{ key: 'blik_code', kind: 'blik-code', type: 'text', label: { en: 'BLIK code' }, required: true }] }),
        card,
        paypal,
        klarna,
        method('p24', 'kronor', 'bank', { en: 'Przelewy24', pl: 'Przelewy24' }),
      ],
    };

    for (const [currency, methods] of Object.entries(SESSIONS)) {
      it(`${currency}: in each of the nine languages, Kassa\u2019s names, no two radios alike, a logo on every entry, no provider English`, async () => {
        const english = await loadMessages('en');
        for (const locale of LOCALES) {
          const messages = await loadMessages(locale);
          const t = (l: Locale) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(l === locale ? messages : english, key, params);
          const expected = methods.map((m) => methodName(m, t(locale), locale));
          const el = await picker(methods, html`<kassa-method-picker locale=${locale}></kassa-method-picker>`);
          await waitUntil(() => [...names(el)].sort().join('|') === [...expected].sort().join('|'), `${locale}: ${names(el).join(', ')}`);
          await marksShown(el);
          const accessible = radioNames(el);
          expect(accessible, locale).to.have.length(methods.length);
          expect(new Set(accessible).size, `${locale}: ${accessible.join(', ')}`).to.equal(methods.length);
          if (locale !== 'en') {
            for (const m of methods) {
              const englishName = methodName(m, t('en'), 'en');
              const localName = methodName(m, t(locale), locale);
              if (englishName !== localName) expect(names(el), `${locale} ${m.id}`).to.not.include(m.name.en!);
            }
          }
          expect(logoMarks(el), locale).to.not.include('other');
          el.remove();
        }
      });
    }

    it('the every-provider list: two cards (and two PayPals) get distinct names that say whose they are', async () => {
      const everyProvider: PaymentMethod[] = [
        { id: 'whenthen:card', provider: 'whenthen', type: 'card', kind: 'card', name: { en: 'Card', de: 'Karte' }, logo: 'kassa:card', brands: ['visa', 'mastercard', 'amex'] },
        { id: 'kronor:creditCard', provider: 'kronor', type: 'card', kind: 'card', name: { en: 'Card', sv: 'Kort' }, logo: 'kassa:card' },
        { id: 'whenthen:paypal', provider: 'whenthen', type: 'paypal', kind: 'wallet', name: { en: 'PayPal' }, logo: 'kassa:paypal' },
        { id: 'kronor:payPal', provider: 'kronor', type: 'paypal', kind: 'wallet', name: { en: 'PayPal' } },
      ];
      const el = await picker(everyProvider);
      await marksShown(el);
      expect(radioNames(el)).to.deep.equal(['Card · WhenThen', 'Card · Kronor', 'PayPal · WhenThen', 'PayPal · Kronor']);
      el.locale = 'de';
      await waitUntil(() => names(el)[0] === 'Karte · WhenThen', `no German: ${names(el).join(', ')}`);
      expect(names(el)[1]).to.equal('Karte · Kronor');
      await expect(el).to.be.accessible();
    });

    it('draws Kassa\u2019s marks for kassa: ids, the type\u2019s mark without a logo, and a card\u2019s brands after its name', async () => {
      const el = await picker([
        { ...card, brands: ['visa', 'mastercard', 'visa', 'diners' as never] },
        { ...paypal, logo: undefined },
        { ...klarna, logo: 'kassa:no-such-mark' },
        { id: 'milkypay:wallet', provider: 'milkypay', kind: 'wallet', type: 'other', name: { en: 'Wallet' } },
      ]);
      await marksShown(el);
      expect(logoMarks(el)).to.deep.equal(['card', 'paypal', 'other', 'klarna']); // wallets before invoices
      const brands = radios(el)[0]!.querySelector('[part="brands"]')!;
      expect([...brands.querySelectorAll('.brand > svg')].map((svg) => (svg as SVGSVGElement).dataset.mark)).to.deep.equal(['visa', 'mastercard']);
      expect(brands.previousElementSibling!.getAttribute('part')).to.equal('name');
      expect(radios(el)[1]!.querySelector('[part="brands"]')).to.equal(null);
      for (const svg of shadow(el).querySelectorAll('.logo > svg, .brand > svg')) expect(svg.getAttribute('aria-hidden')).to.equal('true');
      expect(radioNames(el)).to.deep.equal(['Card', 'PayPal', 'Wallet', 'Klarna']); // the marks add nothing to the names
    });

    it('sizes logos in em (2.5em × 1.6em), so they grow with the text and at 200 % zoom', async () => {
      const el = await picker([card]);
      await marksShown(el);
      const size = (node: Element) => {
        const { width, height } = node.getBoundingClientRect();
        return [Math.round(width * 10) / 10, Math.round(height * 10) / 10];
      };
      const logo = radios(el)[0]!.querySelector('[part="logo"]')!;
      expect(size(logo)).to.deep.equal([40, 25.6]);
      expect(size(logo.querySelector('svg')!)).to.deep.equal([40, 25.6]);
      el.style.setProperty('--kassa-font-size', '32px');
      expect(size(logo)).to.deep.equal([80, 51.2]);
      el.style.removeProperty('--kassa-font-size');
      const zoomed = await fixture<HTMLDivElement>(html`<div class="zoomed"><kassa-method-picker locale="en"></kassa-method-picker></div>`);
      zoomed.style.setProperty('zoom', '2');
      const inZoom = zoomed.querySelector('kassa-method-picker')!;
      inZoom.methods = [card];
      await inZoom.updateComplete;
      await marksShown(inZoom);
      expect(size(radios(inZoom)[0]!.querySelector('[part="logo"] svg')!)).to.deep.equal([80, 51.2]);
    });

    it('in a dark theme, each mark sits on its light chip whose border keeps 3:1 against the method\u2019s background', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      // A dark page, as a shop in dark mode has: the picker paints its methods, not the page behind its labels.
      const page = await fixture<HTMLDivElement>(html`<div><kassa-method-picker locale="en"></kassa-method-picker></div>`);
      page.style.setProperty('background', '#16181c');
      page.style.setProperty('color-scheme', 'dark');
      const el = page.querySelector('kassa-method-picker')!;
      el.methods = SESSIONS.PLN!;
      await el.updateComplete;
      await marksShown(el);
      const background = getComputedStyle(radios(el)[0]!).backgroundColor;
      expect(background).to.equal('rgb(22, 24, 28)');
      for (const svg of shadow(el).querySelectorAll<SVGSVGElement>('[part="logo"] > svg')) {
        const chip = svg.querySelector('rect')!;
        const [r, g, b] = chip.getAttribute('stroke')!.match(/[0-9a-f]{2}/gi)!.map((h) => parseInt(h, 16));
        const lum = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        const border = 0.2126 * lum(r!) + 0.7152 * lum(g!) + 0.0722 * lum(b!);
        const page = 0.2126 * lum(22) + 0.7152 * lum(24) + 0.0722 * lum(28);
        expect((border + 0.05) / (page + 0.05), svg.dataset.mark).to.be.at.least(3);
        expect(svg.getBoundingClientRect().width).to.be.above(0);
      }
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });
    });
  });

  describe('lifecycle', () => {
    it('stops following the page language once removed, and resumes when put back', async () => {
      const el = await picker(METHODS, html`<kassa-method-picker></kassa-method-picker>`);
      document.documentElement.lang = 'en';
      await aTimeout(50); // the controller settles on the page language
      await el.updateComplete;
      expect(names(el)[0]).to.equal('Card');
      const parent = el.parentNode!;
      el.remove();
      document.documentElement.lang = 'sv';
      await aTimeout(100);
      expect(names(el)[0]).to.equal('Card');
      parent.appendChild(el);
      await waitUntil(() => names(el)[0] === 'Kort', 'did not resume');
    });

  });
});
