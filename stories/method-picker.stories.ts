import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import '../src/components/method-picker/define.ts';
import '../src/components/method-fields/define.ts';
import { englishMessages, methodNames, translate } from '../src/core/i18n.ts';
import type { PaymentMethod } from '../src/core/model.ts';
import type { MethodGrouping } from '../src/components/method-picker/method-picker.ts';
import { SESSIONS } from './support/fixtures.ts';
import { mockLogos } from './support/network.ts';
import { inShadow, shadowPath } from './support/shadow.ts';

interface Args {
  methods: PaymentMethod[];
  value: string;
  groupBy: MethodGrouping;
  locale?: string;
  disabled: boolean;
  onChange: (event: Event) => void;
}

const EUR = SESSIONS['DEMO-EUR'].methods;
/** The English names the picker gives them: entries that would read alike (two providers' cards) add the provider. */
const EUR_NAMES = new Map(methodNames(EUR, (key, params) => translate(englishMessages, key, params), 'en').map((name, i) => [EUR[i]!, name]));

const meta = {
  title: 'Elements/kassa-method-picker',
  component: 'kassa-method-picker',
  args: { methods: EUR, value: '', groupBy: 'kind', disabled: false, onChange: fn() },
  argTypes: { methods: { control: 'object' }, onChange: { table: { disable: true } } },
  render: (args) =>
    html`<kassa-method-picker
      .methods=${args.methods}
      value=${args.value}
      group-by=${args.groupBy}
      locale=${ifDefined(args.locale)}
      ?disabled=${args.disabled}
      @change=${args.onChange}
    ></kassa-method-picker>`,
  beforeEach: ({ msw }) => mockLogos(msw),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** DEMO-EUR's ten methods from all five providers, grouped by kind; click and arrow keys choose. */
export const GroupedByKind: Story = {
  play: async ({ canvasElement, args }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    const group = await picker.findByRole('radiogroup', { name: 'Payment method' });
    await expect(picker.getAllByRole('radio')).toHaveLength(EUR.length);
    const groups = picker.getAllByRole('group').map((g) => g.querySelector('[part=group-label]')?.textContent);
    await expect(groups).toEqual(['Cards', 'Wallets', 'Bank payments', 'Invoice', 'Health accounts', 'Other methods']);
    await expect(group).toHaveTextContent('hi.health – health expenses');

    await userEvent.click(picker.getByRole('radio', { name: 'Card' }));
    const element = canvasElement.querySelector('kassa-method-picker')!;
    await expect(element.value).toBe('card');
    await expect(args.onChange).toHaveBeenCalledTimes(1);
    await expect(picker.getByRole('radio', { name: 'Card' })).toHaveAttribute('aria-checked', 'true');

    // Arrow keys move and select, across groups (from the one card to the wallets), as native radios do.
    const next = EUR.find((m) => m.kind === 'wallet')!;
    await userEvent.keyboard('{ArrowDown}');
    await expect(element.value).toBe(next.id);
    const root = await shadowPath(canvasElement, 'kassa-method-picker');
    await expect(root.activeElement).toBe(picker.getAllByRole('radio')[1]);
    await expect(picker.getAllByRole('radio')[1]).toHaveAccessibleName(EUR_NAMES.get(next)!);
    await expect(args.onChange).toHaveBeenCalledTimes(2);

    // Kassa's marks draw once the picker's logo chunk is here: the card's, and its brands.
    await waitFor(() => expect(root.querySelector('[role=radio] [part=logo] svg')).not.toBeNull());
    const brands = () => [...root.querySelectorAll('[part=brands] .brand')];
    await waitFor(() => expect(brands().filter((brand) => brand.querySelector('svg')).length).toBe(2)); // Visa and Mastercard
  },
};

/** The same methods grouped by provider: one group per provider, in Kassa's fixed order. */
export const GroupedByProvider: Story = {
  args: { groupBy: 'provider' },
  play: async ({ canvasElement }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    await picker.findByRole('radiogroup', { name: 'Payment method' });
    const labels = picker.getAllByRole('group').map((g) => g.querySelector('[part=group-label]')?.textContent);
    await expect(labels).toEqual(['Hero', 'MilkyPay', 'hi.health', 'WhenThen', 'Kronor']);
    // An entry is grouped under the provider it goes to first: cards under WhenThen (the demo's routing).
    const whenthen = picker.getAllByRole('group')[3]!;
    const whenthenMethods = EUR.filter((m) => m.provider === 'whenthen');
    await expect([...whenthen.querySelectorAll('[role=radio] [part=name]')].map((r) => r.textContent)).toEqual(whenthenMethods.map((m) => EUR_NAMES.get(m)));
    await expect(whenthenMethods.map((m) => EUR_NAMES.get(m))).toEqual(['Card', 'Klarna']);
  },
};

const MBWAY = EUR.find((m) => m.id === 'mbway')!;

/**
 * What the checked method needs, in the `details` slot (here MB WAY's fields): shown right under its row, inside the
 * list, and next in the tab order; it moves with the choice.
 */
export const DetailsUnderTheCheckedMethod: Story = {
  args: { value: 'mbway' },
  render: (args) =>
    html`<kassa-method-picker .methods=${args.methods} value=${args.value} locale="en" @change=${args.onChange}>
      <kassa-method-fields slot="details" locale="en" .method=${MBWAY}></kassa-method-fields>
    </kassa-method-picker>`,
  play: async ({ canvasElement, args }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    const mbway = await picker.findByRole('radio', { name: 'MB WAY' });
    const fields = await inShadow(canvasElement, 'kassa-method-fields');
    const phone = await fields.findByRole('textbox', { name: /^Phone number/ });
    await expect(phone.getBoundingClientRect().top).toBeGreaterThan(mbway.getBoundingClientRect().bottom);
    await expect(phone.getBoundingClientRect().top - mbway.getBoundingClientRect().bottom).toBeLessThan(64);
    // Another method checked: the details move under it, above the method after it.
    const element = canvasElement.querySelector('kassa-method-picker')!;
    element.value = 'card';
    await element.updateComplete;
    const card = picker.getByRole('radio', { name: 'Card' });
    const radios = picker.getAllByRole('radio');
    const next = radios[radios.indexOf(card) + 1]!;
    await expect(phone.getBoundingClientRect().top).toBeGreaterThan(card.getBoundingClientRect().bottom);
    await expect(phone.getBoundingClientRect().bottom).toBeLessThan(next.getBoundingClientRect().top);
    element.value = 'mbway';
    await element.updateComplete;
    // Typing in the details chooses nothing.
    await userEvent.type(phone, '+351 912345678');
    await expect(args.onChange).not.toHaveBeenCalled();
    await expect(element.value).toBe('mbway');
  },
};

/** Disabled while a payment starts: the methods are dimmed, out of the tab order, and nothing can be chosen. */
export const Disabled: Story = {
  args: { disabled: true, value: 'b2b-pay-later.Pay1X' },
  play: async ({ canvasElement, args }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    const group = await picker.findByRole('radiogroup', { name: 'Payment method' });
    await expect(group).toHaveAttribute('aria-disabled', 'true');
    for (const radio of picker.getAllByRole('radio')) await expect(radio).toHaveAttribute('tabindex', '-1');
    await userEvent.click(picker.getByRole('radio', { name: 'Card' }));
    await expect(args.onChange).not.toHaveBeenCalled();
    await expect(canvasElement.querySelector('kassa-method-picker')!.value).toBe('b2b-pay-later.Pay1X');
    await expect(picker.getByRole('radio', { name: 'Pay in full' })).toHaveAttribute('aria-checked', 'true');
  },
};

/** No method for this order: a plain message instead of an empty radio group. */
export const Empty: Story = {
  args: { methods: [] },
  play: async ({ canvasElement }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    await expect(await picker.findByText('No payment method is available for this order.')).toBeVisible();
    await expect(picker.queryByRole('radiogroup')).toBeNull();
  },
};

/** One entry per method type, as the endpoint lists a routed session: Kassa's names and marks (`kassa:<type>`). */
const ROUTED: PaymentMethod[] = [
  { id: 'card', type: 'card', provider: 'milkypay', providers: ['milkypay', 'whenthen', 'kronor'], kind: 'card', name: { en: 'Card' }, logo: 'kassa:card', brands: ['visa', 'mastercard', 'amex', 'maestro'] },
  { id: 'paypal', type: 'paypal', provider: 'whenthen', providers: ['whenthen', 'kronor'], kind: 'wallet', name: { en: 'PayPal' }, logo: 'kassa:paypal' },
  { id: 'swish', type: 'swish', provider: 'kronor', kind: 'mobile', name: { en: 'Swish' }, logo: 'kassa:swish' },
  { id: 'mobilepay', type: 'mobilepay', provider: 'kronor', kind: 'mobile', name: { en: 'MobilePay' }, logo: 'kassa:mobilepay' },
  { id: 'vipps', type: 'vipps', provider: 'kronor', kind: 'mobile', name: { en: 'Vipps' }, logo: 'kassa:vipps' },
  { id: 'blik', type: 'blik', provider: 'milkypay', kind: 'mobile', name: { en: 'BLIK' }, logo: 'kassa:blik' },
  { id: 'mbway', type: 'mbway', provider: 'milkypay', kind: 'mobile', name: { en: 'MB WAY' }, logo: 'kassa:mbway' },
  { id: 'p24', type: 'p24', provider: 'kronor', kind: 'bank', name: { en: 'Przelewy24' }, logo: 'kassa:p24' },
  { id: 'bank-transfer', type: 'bank-transfer', provider: 'kronor', kind: 'bank', name: { en: 'Bank transfer' }, logo: 'kassa:bank-transfer' },
  { id: 'klarna', type: 'klarna', provider: 'whenthen', kind: 'invoice', name: { en: 'Klarna' }, logo: 'kassa:klarna' },
  { id: 'b2b-pay-later.Pay30D', type: 'b2b-pay-later', variant: 'Pay30D', provider: 'hero', kind: 'invoice', name: { en: 'Pay in 30 days' } },
  { id: 'b2b-pay-later.Pay3X', type: 'b2b-pay-later', variant: 'Pay3X', provider: 'hero', kind: 'installments', name: { en: 'Pay in 3 interest-free instalments' } },
  { id: 'hi-health', type: 'hi-health', provider: 'hidirect', kind: 'health', name: { en: 'hi.health – health expenses' } },
  { id: 'milkypay:voucher', type: 'other', provider: 'milkypay', kind: 'other', name: { en: 'Gift voucher' } },
];

/** Kassa's own dark colours, set as a shop sets them (the story cannot switch the viewer's colour scheme). */
const DARK = {
  '--kassa-color-text': '#eceef2',
  '--kassa-color-muted': '#a9b0bd',
  '--kassa-color-background': '#16181c',
  '--kassa-color-surface': '#22252b',
  '--kassa-color-border': '#4a505b',
  '--kassa-color-accent': '#8aa4ff',
  background: '#16181c',
  padding: '16px',
};

/** Every mark is drawn: a decorative SVG in each method's logo, and a card's brands after its name. */
async function expectKassaMarks(canvasElement: HTMLElement): Promise<void> {
  const root = await shadowPath(canvasElement, 'kassa-method-picker');
  const radios = [...root.querySelectorAll('[role=radio]')];
  await expect(radios).toHaveLength(ROUTED.length);
  await waitFor(() => expect(radios.every((radio) => radio.querySelector('[part=logo] > svg'))).toBe(true));
  const marks = radios.map((radio) => radio.querySelector<SVGSVGElement>('[part=logo] > svg')!.dataset.mark);
  await expect(marks).toEqual(expect.arrayContaining(['card', 'paypal', 'swish', 'blik', 'b2b-pay-later', 'hi-health', 'other']));
  const brands = [...root.querySelectorAll<SVGSVGElement>('[part=brands] svg[data-mark]')].map((svg) => svg.dataset.mark);
  await expect(brands).toEqual(['visa', 'mastercard', 'amex', 'maestro']);
}

/**
 * A routed session, one entry per method type: each shows Kassa's name (Hero's terms, hi.health, Swish …) and
 * Kassa's mark, drawn as SVG on a light chip; a card shows the brands it takes.
 */
export const KassaLogos: Story = {
  args: { methods: ROUTED },
  play: async ({ canvasElement }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    await picker.findByRole('radiogroup', { name: 'Payment method' });
    await expect(picker.getByRole('radio', { name: 'Pay in 30 days' })).toBeVisible();
    await expect(picker.getByRole('radio', { name: 'Gift voucher' })).toBeVisible();
    await expectKassaMarks(canvasElement);
  },
};

/** The same on a dark page, in German: the chips and their borders keep every mark readable. */
export const KassaLogosDark: Story = {
  args: { methods: ROUTED, locale: 'de' },
  render: (args) =>
    html`<div style=${styleMap(DARK)}>
      <kassa-method-picker .methods=${args.methods} locale=${ifDefined(args.locale)} @change=${args.onChange}></kassa-method-picker>
    </div>`,
  play: async ({ canvasElement }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    await picker.findByRole('radio', { name: 'Karte' });
    await expect(picker.getByRole('radio', { name: 'In 30 Tagen bezahlen' })).toBeVisible();
    await expect(picker.getByRole('radio', { name: 'Banküberweisung' })).toBeVisible();
    await expectKassaMarks(canvasElement);
  },
};

/**
 * The endpoint's every-provider mode lists each provider's own entry: two cards and two PayPals, each named with
 * its provider so no two radios read the same.
 */
export const EveryProvider: Story = {
  args: {
    methods: [
      { id: 'whenthen:card', type: 'card', provider: 'whenthen', kind: 'card', name: { en: 'Card' }, logo: 'kassa:card', brands: ['visa', 'mastercard'] },
      { id: 'kronor:creditCard', type: 'card', provider: 'kronor', kind: 'card', name: { en: 'Card' }, logo: 'kassa:card', brands: ['visa', 'mastercard'] },
      { id: 'whenthen:paypal', type: 'paypal', provider: 'whenthen', kind: 'wallet', name: { en: 'PayPal' }, logo: 'kassa:paypal' },
      { id: 'kronor:payPal', type: 'paypal', provider: 'kronor', kind: 'wallet', name: { en: 'PayPal' }, logo: 'kassa:paypal' },
      { id: 'kronor:swish', type: 'swish', provider: 'kronor', kind: 'mobile', name: { en: 'Swish' }, logo: 'kassa:swish' },
    ],
  },
  play: async ({ canvasElement, args }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    await picker.findByRole('radiogroup', { name: 'Payment method' });
    const names = picker.getAllByRole('radio').map((radio) => radio.querySelector('[part=name]')?.textContent);
    await expect(names).toEqual(['Card · WhenThen', 'Card · Kronor', 'PayPal · WhenThen', 'PayPal · Kronor', 'Swish']);
    await userEvent.click(picker.getByRole('radio', { name: 'Card · Kronor' }));
    await expect(canvasElement.querySelector('kassa-method-picker')!.value).toBe('kronor:creditCard');
    await expect(args.onChange).toHaveBeenCalledTimes(1);
  },
};
