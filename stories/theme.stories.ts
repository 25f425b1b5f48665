import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
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

/** The shop's page: its own `color-scheme`, painted in that scheme's system colours as a browser does. */
const page = (scheme: string) => ({ colorScheme: scheme, background: 'Canvas', color: 'CanvasText', padding: '24px', display: 'grid', gap: '24px' });

const meta = {
  title: 'Theme',
  component: 'kassa-checkout',
  args: checkoutArgs(),
  argTypes: { ...checkoutArgTypes, theme: { control: 'inline-radio', options: [undefined, 'light', 'dark', 'auto'] } },
  parameters: { scheme: 'light' },
  render: (args, { parameters }) =>
    html`<div style=${styleMap(page(parameters.scheme))}>
      ${renderCheckout(args)}
      <kassa-status theme=${ifDefined(args.theme)} endpoint=${ENDPOINT} reference=${STATES.byState.paid.reference}></kassa-status>
    </div>`,
} satisfies Meta<CheckoutArgs>;

export default meta;
type Story = StoryObj<CheckoutArgs>;

export const DarkCustomProperties: Story = {
  render: (args) =>
    html`<div style=${styleMap({ ...DARK, background: '#101418', padding: '24px', display: 'grid', gap: '24px' })}>
      ${renderCheckout(args)}
      <kassa-status endpoint=${ENDPOINT} reference=${STATES.byState.paid.reference}></kassa-status>
    </div>`,
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

/** Kassa's own colours in each scheme, as computed. */
const PALETTE = {
  light: {
    text: 'rgb(27, 29, 33)',
    muted: 'rgb(91, 98, 112)',
    background: 'rgb(255, 255, 255)',
    surface: 'rgb(245, 246, 248)',
    border: 'rgb(125, 133, 148)',
    accent: 'rgb(47, 85, 212)',
    accentText: 'rgb(255, 255, 255)',
  },
  dark: {
    text: 'rgb(236, 238, 242)',
    muted: 'rgb(169, 176, 189)',
    background: 'rgb(22, 24, 28)',
    surface: 'rgb(34, 37, 43)',
    border: 'rgb(113, 121, 135)',
    accent: 'rgb(138, 164, 255)',
    accentText: 'rgb(14, 19, 48)',
  },
} as const;

/**
 * The checkout and a status on a page of one scheme, in the scheme `shown`: the Pay button disabled (its own
 * colours, not faded), a method row's border, then a chosen method, and the paid status. axe checks the end state.
 */
function inScheme(scheme: 'light' | 'dark', shown: 'light' | 'dark', theme?: CheckoutArgs['theme']): Story {
  const colours = PALETTE[shown];
  return {
    args: { theme },
    parameters: { scheme },
    beforeEach: ({ msw }) => paid.install(msw),
    play: async ({ canvasElement }) => {
      const methods = await picker(canvasElement);
      const view = await checkout(canvasElement);
      const section = (await shadowPath(canvasElement, 'kassa-checkout')).querySelector('section')!;
      await expect(getComputedStyle(section).backgroundColor).toBe(colours.background);
      await expect(getComputedStyle(section).color).toBe(colours.text);

      const pay = view.getByRole('button', { name: /^Pay / });
      await expect(pay).toHaveAttribute('aria-disabled', 'true');
      await settled(pay);
      await expect(getComputedStyle(pay).opacity).toBe('1');
      await expect(getComputedStyle(pay).backgroundColor).toBe(colours.surface);
      await expect(getComputedStyle(pay).color).toBe(colours.muted);

      const card = await methods.findByRole('radio', { name: 'Card' });
      await expect(getComputedStyle(card).borderTopColor).toBe(colours.border);
      await userEvent.click(card);
      await waitFor(() => expect(pay).toHaveAttribute('aria-disabled', 'false'));
      await settled(pay);
      await expect(getComputedStyle(pay).backgroundColor).toBe(colours.accent);
      await expect(getComputedStyle(pay).color).toBe(colours.accentText);

      const status = (await shadowPath(canvasElement, 'kassa-status')).querySelector('[part=status]')!;
      await waitFor(() => expect(status).toHaveTextContent('Payment complete. Thank you!'));
      await expect(getComputedStyle(status).backgroundColor).toBe(colours.surface);
    },
  };
}

/** A light shop: light, whatever the device (`color-scheme: light`). */
export const LightPage = inScheme('light', 'light');

/** A dark shop (`color-scheme: dark`): Kassa's dark defaults. */
export const DarkPage = inScheme('dark', 'dark');

/** `theme="dark"` on a light page: the elements bring their own dark ground. */
export const ThemeDarkOnLightPage = inScheme('light', 'dark', 'dark');

/** `theme="light"` on a dark page. */
export const ThemeLightOnDarkPage = inScheme('dark', 'light', 'light');
