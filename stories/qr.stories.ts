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
  /** Which leads: the app link (`app`), the code (`qr`), or by device (`auto`). The stories' browser is a desktop. */
  layout?: 'auto' | 'app' | 'qr';
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
      layout=${ifDefined(args.layout)}
      locale=${ifDefined(args.locale)}
    ></kassa-qr>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** Swish on a desktop: the code to scan with the phone leads; "Open Swish on this device" is a plain link below it. */
export const Swish: Story = {
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    const code = await qr.findByRole('img', { name: 'QR code for paying with Swish' });
    await expect(code.querySelector('path')?.getAttribute('d')?.length).toBeGreaterThan(100);
    await expect(qr.getByText('Scan the code with Swish on your phone.')).toBeVisible();
    await expect(qr.getByRole('link', { name: 'Open Swish on this device' })).toHaveAttribute('href', SWISH.returnUrl);
    await expect(qr.queryByRole('button')).toBeNull();
    await expect(composedText(canvasElement)).not.toMatch(/Expires/);
  },
};

/** On a desktop with the time left: code, countdown, then the link for paying on this device. */
export const Desktop: Story = {
  args: { expiresInSeconds: 180 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('img', { name: 'QR code for paying with Swish' })).toBeVisible();
    await expect(qr.getByText(/^Expires in \d:\d\d$/)).toBeVisible();
    const link = qr.getByRole('link', { name: 'Open Swish on this device' });
    await expect(getComputedStyle(link).backgroundColor).toBe('rgba(0, 0, 0, 0)');
  },
};

/** On a phone (`layout="app"`, which `auto` picks on a phone): "Open Swish" leads, the code waits behind a disclosure. */
export const PhoneAppFirst: Story = {
  args: { layout: 'app', expiresInSeconds: 180 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByText('Approve the payment in Swish.')).toBeVisible();
    const open = qr.getByRole('link', { name: 'Open Swish' });
    await expect(open).toHaveAttribute('href', SWISH.returnUrl);
    await expect(open.getBoundingClientRect().height).toBeGreaterThanOrEqual(48);
    await expect(qr.getByText(/^Expires in \d:\d\d$/)).toBeVisible();
    await expect(qr.getByRole('button', { name: 'Paying on another device? Show the QR code' })).toHaveAttribute('aria-expanded', 'false');
    await expect(qr.queryByRole('img')).toBeNull();
  },
};

/** On a phone, the shopper asked for the code to pay on another device. */
export const PhoneCodeShown: Story = {
  args: { layout: 'app', expiresInSeconds: 180 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    const toggle = await qr.findByRole('button', { name: 'Paying on another device? Show the QR code' });
    toggle.click();
    await waitFor(() => expect(toggle).toHaveAttribute('aria-expanded', 'true'));
    await expect(await qr.findByRole('img', { name: 'QR code for paying with Swish' })).toBeVisible();
    await expect(qr.getByText('Scan the code with Swish on your phone.')).toBeVisible();
  },
};

/** A few seconds left: the countdown near zero, before the expiry is announced. */
export const ExpiringSoon: Story = {
  args: { layout: 'app', expiresInSeconds: 9 },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByText(/^Expires in 0:0\d$/)).toBeVisible();
    await expect(qr.getByRole('link', { name: 'Open Swish' })).toBeVisible();
    await expect(canvasElement.querySelector('kassa-qr')).not.toHaveAttribute('expired');
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

/** In Swedish, as a Swedish shopper sees it on the phone. */
export const Swedish: Story = {
  args: { locale: 'sv', expiresInSeconds: 180, layout: 'app' },
  play: async ({ canvasElement }) => {
    const qr = await inShadow(canvasElement, 'kassa-qr');
    await expect(await qr.findByRole('link', { name: 'Öppna Swish' })).toBeVisible();
    await expect(qr.getByText('Godkänn betalningen i Swish.')).toBeVisible();
    await expect(qr.getByRole('button', { name: 'Betalar du på en annan enhet? Visa QR-koden' })).toBeVisible();
  },
};
