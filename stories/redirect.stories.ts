import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import '../src/components/redirect/define.ts';
import type { KassaNavigate } from '../src/components/redirect/navigation.ts';
import type { KassaErrorEvent } from '../src/components/shared/events.ts';
import type { NextAction } from '../src/core/model.ts';
import type { PendingPayment } from '../src/core/pending-payment.ts';
import { PAYMENTS } from './support/fixtures.ts';
import { ENDPOINT } from './support/network.ts';
import { inShadow, shadowPath } from './support/shadow.ts';

interface Args {
  action: NextAction;
  pending?: Omit<PendingPayment, 'savedAt'>;
  providerName: string;
  auto: boolean;
  locale?: string;
  allowedHosts?: string[];
  /** Stand-ins that record instead of leaving the page, so nothing leaves Storybook. */
  navigate: KassaNavigate;
  submitForm: (form: HTMLFormElement) => void;
  onError: (event: KassaErrorEvent) => void;
}

/** MilkyPay's card payment answers a plain redirect to its hosted page; its PayPal answers a form to POST there. */
const CARD = PAYMENTS['DEMO-EUR']['card']!;
const PAYPAL = PAYMENTS['DEMO-EUR']['paypal']!;
const pendingOf = (payment: typeof CARD) => ({ reference: payment.payment.reference, endpoint: ENDPOINT, provider: payment.payment.provider });

const meta = {
  title: 'Elements/kassa-redirect',
  component: 'kassa-redirect',
  args: { action: CARD.action, pending: pendingOf(CARD), providerName: 'MilkyPay', auto: true, navigate: fn(), submitForm: fn(), onError: fn() },
  argTypes: {
    action: { control: 'object' },
    pending: { control: 'object' },
    navigate: { table: { disable: true } },
    submitForm: { table: { disable: true } },
    onError: { table: { disable: true } },
  },
  render: (args) =>
    html`<kassa-redirect
      .action=${args.action}
      .pending=${args.pending}
      .navigate=${args.navigate}
      .submitForm=${args.submitForm}
      .allowedHosts=${args.allowedHosts}
      .auto=${args.auto}
      provider-name=${args.providerName}
      locale=${ifDefined(args.locale)}
      @kassa-error=${args.onError}
    ></kassa-redirect>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** A GET redirect to MilkyPay's hosted page: the payment is remembered, then the browser is sent on once. */
export const Get: Story = {
  play: async ({ canvasElement, args }) => {
    const redirect = await inShadow(canvasElement, 'kassa-redirect');
    await expect(await redirect.findByRole('status')).toHaveTextContent('Taking you to MilkyPay to pay…');
    const url = (CARD.action as { url: string }).url;
    await expect(redirect.getByRole('link', { name: 'Continue to payment' })).toHaveAttribute('href', url);
    await waitFor(() => expect(args.navigate).toHaveBeenCalledWith(url, { method: 'GET', url }));
    await expect(args.navigate).toHaveBeenCalledTimes(1);
    await expect(args.submitForm).not.toHaveBeenCalled();
    // The return page finds the payment again, even in a new tab.
    await expect(localStorage.getItem('kassa:pending')).toBe(CARD.payment.reference);
  },
};

/** A form POST (MilkyPay's `flow_data`): a real form with the provider's hidden fields, submitted once. */
export const PostForm: Story = {
  args: { action: PAYPAL.action, pending: pendingOf(PAYPAL) },
  play: async ({ canvasElement, args }) => {
    const action = PAYPAL.action as Extract<NextAction, { type: 'form' }>;
    await waitFor(() => expect(args.submitForm).toHaveBeenCalledTimes(1));
    const form = (args.submitForm as ReturnType<typeof fn>).mock.calls[0]![0] as HTMLFormElement;
    await expect(form.method).toBe('post');
    await expect(form.action).toBe(action.url);
    await expect(Object.fromEntries(new FormData(form))).toEqual(action.fields);
    await expect(args.navigate).not.toHaveBeenCalled();
    const redirect = await inShadow(canvasElement, 'kassa-redirect');
    await expect(redirect.getByRole('button', { name: 'Continue to payment' })).toBeVisible();
  },
};

/** `auto="false"`: nothing happens until the shopper uses the button. */
export const WaitsForTheShopper: Story = {
  args: { auto: false },
  play: async ({ canvasElement, args }) => {
    const redirect = await inShadow(canvasElement, 'kassa-redirect');
    const link = await redirect.findByRole('link', { name: 'Continue to payment' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(args.navigate).not.toHaveBeenCalled();
    await userEvent.click(link);
    const { url } = CARD.action as { url: string };
    await expect(args.navigate).toHaveBeenCalledWith(url, { method: 'GET', url });
  },
};

/** A `javascript:` address is refused: a message, a `kassa-error`, and no navigation at all. */
export const RefusedJavascriptUrl: Story = {
  args: { action: { type: 'redirect', url: 'javascript:alert(document.domain)' }, pending: undefined },
  play: async ({ canvasElement, args }) => {
    const redirect = await inShadow(canvasElement, 'kassa-redirect');
    await expect(await redirect.findByRole('alert')).toHaveTextContent('This payment cannot continue: the payment page address is not trusted.');
    await waitFor(() => expect(args.onError).toHaveBeenCalledTimes(1));
    const event = (args.onError as ReturnType<typeof fn>).mock.calls[0]![0] as KassaErrorEvent;
    await expect(event.code).toBe('unsafe-action');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(args.navigate).not.toHaveBeenCalled();
    await expect((await shadowPath(canvasElement, 'kassa-redirect')).querySelector('a, form')).toBeNull();
  },
};

/** A host outside the page's allow-list is refused the same way. */
export const RefusedForeignHost: Story = {
  args: { allowedHosts: ['pay.example'] },
  play: async ({ canvasElement, args }) => {
    const redirect = await inShadow(canvasElement, 'kassa-redirect');
    await expect(await redirect.findByRole('alert')).toBeVisible();
    await waitFor(() => expect(args.onError).toHaveBeenCalledTimes(1));
    await expect(args.navigate).not.toHaveBeenCalled();
  },
};
