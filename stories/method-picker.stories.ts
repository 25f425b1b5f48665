import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import '../src/components/method-picker/define.ts';
import type { PaymentMethod } from '../src/core/model.ts';
import type { MethodGrouping } from '../src/components/method-picker/method-picker.ts';
import { methodName, SESSIONS } from './support/fixtures.ts';
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

    await userEvent.click(picker.getByRole('radio', { name: 'Payment card' }));
    const element = canvasElement.querySelector('kassa-method-picker')!;
    await expect(element.value).toBe('milkypay:payment_card_eur_hpp');
    await expect(args.onChange).toHaveBeenCalledTimes(1);
    await expect(picker.getByRole('radio', { name: 'Payment card' })).toHaveAttribute('aria-checked', 'true');

    // Arrow keys move and select, across groups, as native radios do.
    const cards = EUR.filter((m) => m.kind === 'card');
    await userEvent.keyboard('{ArrowDown}');
    await expect(element.value).toBe(cards[1]!.id);
    const root = await shadowPath(canvasElement, 'kassa-method-picker');
    await expect(root.activeElement).toBe(picker.getAllByRole('radio')[1]);
    await expect(picker.getAllByRole('radio')[1]).toHaveAccessibleName(methodName(cards[1]!));
    await expect(args.onChange).toHaveBeenCalledTimes(2);

    // MilkyPay's logo, served by the recorded sandbox answer, really loads.
    const logo = root.querySelector<HTMLImageElement>('img[src$="payment_card.svg"]')!;
    await waitFor(() => expect(logo.naturalWidth).toBeGreaterThan(0));
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
    const kronor = picker.getAllByRole('group')[4]!;
    await expect([...kronor.querySelectorAll('[role=radio]')].map((r) => r.textContent?.trim())).toEqual(['Card', 'Bank transfer']);
  },
};

/** Disabled while a payment starts: the methods are dimmed, out of the tab order, and nothing can be chosen. */
export const Disabled: Story = {
  args: { disabled: true, value: 'hero:Pay1X' },
  play: async ({ canvasElement, args }) => {
    const picker = await inShadow(canvasElement, 'kassa-method-picker');
    const group = await picker.findByRole('radiogroup', { name: 'Payment method' });
    await expect(group).toHaveAttribute('aria-disabled', 'true');
    for (const radio of picker.getAllByRole('radio')) await expect(radio).toHaveAttribute('tabindex', '-1');
    await userEvent.click(picker.getByRole('radio', { name: 'Payment card' }));
    await expect(args.onChange).not.toHaveBeenCalled();
    await expect(canvasElement.querySelector('kassa-method-picker')!.value).toBe('hero:Pay1X');
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
