/// <reference types="mocha" />
/**
 * Arabic mirrors the layout: the picker's radio dot, logo and name, and the checkout's total swap sides, whatever
 * the page's own direction; English stays left to right inside a right-to-left page. axe stays clean in Arabic.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/checkout/define.ts';
import type { KassaCheckout } from '../../src/components/checkout/checkout.ts';
import type { KassaMethodPicker } from '../../src/components/method-picker/method-picker.ts';
import { loadMessages, translate } from '../../src/core/i18n.ts';
import type { PaymentMethod } from '../../src/core/model.ts';
import { freshOrder, testEnv } from './env.ts';

const METHODS: PaymentMethod[] = [
  { id: 'whenthen:card', provider: 'whenthen', kind: 'card', type: 'card', name: { en: 'Card' } },
  { id: 'kronor:swish', provider: 'kronor', kind: 'mobile', type: 'swish', name: { en: 'Swish' } },
  { id: 'hero:Pay30D', provider: 'hero', kind: 'invoice', type: 'b2b-pay-later', variant: 'Pay30D', name: { en: 'Pay in 30 days' } },
];

const box = (element: Element | null | undefined) => element!.getBoundingClientRect();

/** Where a radio's dot, logo and name are, left to right on the screen. */
function radioLayout(picker: KassaMethodPicker, index = 0) {
  const radio = picker.shadowRoot!.querySelectorAll('[role="radio"]')[index]!;
  return { dot: box(radio.querySelector('.dot')), logo: box(radio.querySelector('[part="logo"]')), name: box(radio.querySelector('[part="name"]')), radio: box(radio) };
}

async function pickerIn(template: ReturnType<typeof html>, dir: 'ltr' | 'rtl'): Promise<KassaMethodPicker> {
  const wrapper = await fixture<HTMLElement>(template);
  const picker = (wrapper.localName === 'kassa-method-picker' ? wrapper : wrapper.querySelector('kassa-method-picker')) as KassaMethodPicker;
  picker.methods = METHODS;
  await waitUntil(() => picker.shadowRoot!.querySelector('[role="radiogroup"]')?.getAttribute('dir') === dir, `the picker is not laid out ${dir}`, { timeout: 5000 });
  return picker;
}

describe('right to left', () => {
  it('mirrors an Arabic picker on a left-to-right page: dot on the right, then the logo, then the name (axe)', async () => {
    const picker = await pickerIn(html`<div style="width: 420px"><kassa-method-picker locale="ar"></kassa-method-picker></div>`, 'rtl');
    const ar = await loadMessages('ar');
    await waitUntil(() => picker.shadowRoot!.textContent!.includes(translate(ar, 'method.card')), 'no Arabic names');
    const { dot, logo, name, radio } = radioLayout(picker);
    expect(dot.right, 'the dot starts the row, on the right').to.be.closeTo(radio.right, 24);
    expect(logo.right).to.be.at.most(dot.left);
    expect(name.right).to.be.at.most(logo.left);
    // The days of Hero's term in Arabic's plural form for 30 (11–99: accusative singular).
    expect(picker.shadowRoot!.textContent).to.include(translate(ar, 'method.b2b-pay-later.days', { days: 30 }));
    await expect(picker).to.be.accessible();
  });

  it('keeps an English picker left to right inside a right-to-left page', async () => {
    const picker = await pickerIn(html`<div dir="rtl" style="width: 420px"><kassa-method-picker locale="en"></kassa-method-picker></div>`, 'ltr');
    const { dot, logo, name, radio } = radioLayout(picker);
    expect(dot.left, 'the dot starts the row, on the left').to.be.closeTo(radio.left, 24);
    expect(logo.left).to.be.at.least(dot.right);
    expect(name.left).to.be.at.least(logo.right);
  });

  it('mirrors back when the language changes from Arabic to English', async () => {
    const picker = await pickerIn(html`<kassa-method-picker locale="ar"></kassa-method-picker>`, 'rtl');
    picker.setAttribute('locale', 'en');
    await waitUntil(() => picker.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('dir') === 'ltr', 'still right to left');
    const { dot, logo } = radioLayout(picker);
    expect(dot.right).to.be.at.most(logo.left);
  });

  it('mirrors an Arabic checkout: the total’s label on the right, its amount on the left, the radios’ dots on the right (axe)', async () => {
    const { endpointUrl } = await testEnv();
    const el = await fixture<KassaCheckout>(html`<kassa-checkout style="width: 480px" endpoint=${endpointUrl} order=${freshOrder('DEMO-EUR')} locale="ar"></kassa-checkout>`);
    await waitUntil(() => el.shadowRoot!.querySelector('kassa-method-picker')?.shadowRoot?.querySelector('[role="radio"]'), 'no methods', { timeout: 10_000 });
    const ar = await loadMessages('ar');
    const root = el.shadowRoot!;
    expect(root.querySelector('section')!.getAttribute('dir')).to.equal('rtl');
    const amount = root.querySelector('[part="amount"]')!;
    const [label, value] = [...amount.querySelectorAll('span')];
    expect(label!.textContent).to.equal(translate(ar, 'checkout.total'));
    expect(box(label).left, 'the label is right of the amount').to.be.greaterThan(box(value).right);
    const picker = root.querySelector('kassa-method-picker')!;
    await waitUntil(() => picker.shadowRoot!.querySelector('[role="radiogroup"]')?.getAttribute('dir') === 'rtl', 'the picker is not right to left');
    const { dot, logo } = radioLayout(picker);
    expect(dot.left).to.be.at.least(logo.right);
    expect(root.querySelector('[part="pay-button"]')!.textContent!.trim()).to.match(/^ادفع /);
    await expect(el).to.be.accessible();
  });
});
