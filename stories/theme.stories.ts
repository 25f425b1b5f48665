import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import '../src/components/checkout/define.ts';
import '../src/components/status/define.ts';
import { checkout, checkoutArgs, checkoutArgTypes, picker, renderCheckout, settled, type CheckoutArgs } from './support/checkout.ts';
import { STATES } from './support/fixtures.ts';
import { ENDPOINT, MockKassa } from './support/network.ts';
import { shadowPath } from './support/shadow.ts';

/**
 * A shop's own dark theme, set once on an ancestor through Kassa's custom properties (here an amber accent, so it
 * cannot be mistaken for Kassa's own dark defaults). Every element follows it, including the ones inside the
 * checkout.
 */
const DARK = {
  '--kassa-color-text': '#f1f3f5',
  '--kassa-color-muted': '#b7bec8',
  '--kassa-color-background': '#101418',
  '--kassa-color-surface': '#1b2128',
  '--kassa-color-border': '#5c6773',
  '--kassa-color-accent': '#f5b841',
  '--kassa-color-accent-text': '#1a1300',
  '--kassa-color-error': '#ffb4ab',
  '--kassa-color-success': '#7fd99a',
  '--kassa-color-focus': '#f5b841',
  '--kassa-radius': '14px',
  '--kassa-spacing': '14px',
  '--kassa-font-family': 'Georgia, serif',
  '--kassa-font-size': '17px',
};

const paid = new MockKassa({ payments: [STATES.byState.paid] });

const meta = {
  title: 'Theme',
  component: 'kassa-checkout',
  args: checkoutArgs(),
  argTypes: checkoutArgTypes,
  render: (args) =>
    html`<div style=${styleMap({ ...DARK, background: '#101418', padding: '24px', display: 'grid', gap: '24px' })}>
      ${renderCheckout(args)}
      <kassa-status endpoint=${ENDPOINT} reference=${STATES.byState.paid.reference}></kassa-status>
    </div>`,
} satisfies Meta<CheckoutArgs>;

export default meta;
type Story = StoryObj<CheckoutArgs>;

export const DarkCustomProperties: Story = {
  beforeEach: ({ msw }) => paid.install(msw),
  play: async ({ canvasElement }) => {
    await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'Card' }));
    const view = await checkout(canvasElement);
    const pay = view.getByRole('button', { name: /^Pay / });
    await waitFor(() => expect(pay).toHaveAttribute('aria-disabled', 'false'));
    await settled(pay);
    const payStyle = getComputedStyle(pay);
    await expect(payStyle.backgroundColor).toBe('rgb(245, 184, 65)');
    await expect(payStyle.color).toBe('rgb(26, 19, 0)');
    await expect(payStyle.borderRadius).toBe('14px');
    await expect(payStyle.fontFamily).toBe('Georgia, serif');

    const section = (await shadowPath(canvasElement, 'kassa-checkout')).querySelector('section')!;
    await expect(getComputedStyle(section).backgroundColor).toBe('rgb(16, 20, 24)');
    await expect(getComputedStyle(section).color).toBe('rgb(241, 243, 245)');

    // Inside the picker (a child of the checkout) and in a separate status element.
    const checked = (await shadowPath(canvasElement, 'kassa-checkout', 'kassa-method-picker')).querySelector('[aria-checked=true]')!;
    await expect(getComputedStyle(checked).borderColor).toBe('rgb(245, 184, 65)');
    const status = (await shadowPath(canvasElement, 'kassa-status')).querySelector('[part=status]')!;
    await waitFor(() => expect(status).toHaveTextContent('Payment complete. Thank you!'));
    await expect(getComputedStyle(status).backgroundColor).toBe('rgb(27, 33, 40)');
  },
};
