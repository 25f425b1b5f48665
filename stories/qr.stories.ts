import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, waitFor } from 'storybook/test';
import '../src/components/qr/define.ts';
import { KRONOR } from './support/fixtures.ts';
import { composedText, inShadow, shadowPath } from './support/shadow.ts';

interface Args {
  data: string;
  deepLink: string;
  app: string;
  /** Seconds from when the story renders to `expires-at`; none → no countdown. */
  expiresInSeconds?: number;
  locale?: string;
}

/** The QR payload and `swish://` app link Kronor gave for a recorded Swish payment request. */
const SWISH = (KRONOR.paid.waiting.request.transactionSwishDetails as Array<{ qrCode: string; returnUrl: string }>)[0]!;

const meta = {
  title: 'Elements/kassa-qr',
  component: 'kassa-qr',
  args: { data: SWISH.qrCode, deepLink: SWISH.returnUrl, app: 'Swish' },
  render: (args) =>
    html`<kassa-qr
      data=${args.data}
      deep-link=${args.deepLink}
      app=${args.app}
      expires-at=${ifDefined(args.expiresInSeconds === undefined ? undefined : new Date(Date.now() + args.expiresInSeconds * 1000).toISOString())}
      locale=${ifDefined(args.locale)}
    ></kassa-qr>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Swish: the code to scan from another device, and "Open Swish" for a shopper already on their phone. */
export const Swish: Story = {
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    const code = await qr.findByRole('img', { name: 'QR code for paying with Swish' });
    await expect(code.querySelector('path')?.getAttribute('d')?.length).toBeGreaterThan(100);
    await expect(qr.getByText('Open Swish on your phone and scan the code.')).toBeVisible();
    await expect(qr.getByRole('link', { name: 'Open Swish' })).toHaveAttribute('href', SWISH.returnUrl);
    await expect(composedText(canvasElement)).not.toMatch(/Expires/);
  },
};

/** With `expires-at`: the time left, counted down every second. */
export const WithCountdown: Story = {
  args: { expiresInSeconds: 125 },
  play: async ({ canvasElement }) => {
    const root = await shadowPath(canvasElement, 'kassa-qr');
    const countdown = () => root.querySelector('[part=countdown]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    await waitFor(() => expect(countdown()).toMatch(/^Expires in 2:0[45]$/));
    const first = countdown();
    await waitFor(() => expect(countdown()).not.toBe(first), { timeout: 2_500 });
    await expect(canvasElement.querySelector('kassa-qr')).not.toHaveAttribute('expired');
  },
};

/** The code ran out while the shopper watched: code and link go, the expiry is announced. */
export const ExpiresWhileShown: Story = {
  args: { expiresInSeconds: 2 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('img')).toBeVisible();
    await expect(await qr.findByText('The code has expired.', {}, { timeout: 4_000 })).toBeVisible();
    await expect(qr.queryByRole('img')).toBeNull();
    await expect(qr.queryByRole('link')).toBeNull();
    await expect(canvasElement.querySelector('kassa-qr')).toHaveAttribute('expired');
  },
};

/** Already expired when shown. */
export const Expired: Story = {
  args: { expiresInSeconds: -60 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('status')).toHaveTextContent('The code has expired.');
    await expect(qr.queryByRole('img')).toBeNull();
    await expect(canvasElement.querySelector('kassa-qr')).toHaveAttribute('expired');
  },
};

/** An app link in any other scheme is dropped; the code stays. */
export const UnsafeAppLinkDropped: Story = {
  args: { deepLink: 'javascript:alert(1)' },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('img')).toBeVisible();
    await expect(qr.queryByRole('link')).toBeNull();
  },
};

/** In Swedish, as a Swedish shopper sees it. */
export const Swedish: Story = {
  args: { locale: 'sv', expiresInSeconds: 180 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('link', { name: 'Öppna Swish' })).toBeVisible();
  },
};
