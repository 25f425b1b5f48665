import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, waitFor } from 'storybook/test';
import '../src/components/status/define.ts';
import type { KassaStatus } from '../src/components/status/status.ts';
import type { PaymentView } from '../src/core/model.ts';
import { STATES } from './support/fixtures.ts';
import { ENDPOINT, MockKassa } from './support/network.ts';
import { inShadow } from './support/shadow.ts';

interface Args {
  endpoint: string;
  reference: string;
  locale?: string;
  checkoutUrl?: string;
  onStatusChange: (event: Event) => void;
  onComplete: (event: Event) => void;
  onFail: (event: Event) => void;
  onError: (event: Event) => void;
}

const meta = {
  title: 'Elements/kassa-status',
  component: 'kassa-status',
  args: { endpoint: ENDPOINT, reference: STATES.byState.pending.reference, onStatusChange: fn(), onComplete: fn(), onFail: fn(), onError: fn() },
  argTypes: {
    onStatusChange: { table: { disable: true } },
    onComplete: { table: { disable: true } },
    onFail: { table: { disable: true } },
    onError: { table: { disable: true } },
  },
  render: (args) =>
    html`<kassa-status
      endpoint=${args.endpoint}
      reference=${args.reference}
      locale=${ifDefined(args.locale)}
      checkout-url=${ifDefined(args.checkoutUrl)}
      @kassa-status-change=${args.onStatusChange}
      @kassa-complete=${args.onComplete}
      @kassa-fail=${args.onFail}
      @kassa-error=${args.onError}
    ></kassa-status>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const element = (canvasElement: HTMLElement) => canvasElement.querySelector<KassaStatus>('kassa-status')!;

/**
 * One story per state: the endpoint's event stream sends the recorded payment, and the element shows what that
 * state means for the shopper, with the amount; success and failure each fire their own event.
 */
function stateStory(view: PaymentView, message: string, outcome: 'complete' | 'fail' | 'none'): Story {
  const kassa = new MockKassa({ payments: [view] });
  return {
    args: { reference: view.reference },
    beforeEach: ({ msw }) => kassa.install(msw),
    play: async ({ canvasElement, args }) => {
      const status = await inShadow(canvasElement, 'kassa-status');
      await waitFor(() => expect(status.getByRole('status')).toHaveTextContent(message));
      await expect(status.getByRole('status')).toHaveTextContent('€49.90');
      await expect(element(canvasElement)).toHaveAttribute('state', view.state);
      await expect(element(canvasElement).payment?.providerStatus).toBe(view.providerStatus);
      await expect(args.onStatusChange).toHaveBeenCalledTimes(1);
      await expect(args.onComplete).toHaveBeenCalledTimes(outcome === 'complete' ? 1 : 0);
      await expect(args.onFail).toHaveBeenCalledTimes(outcome === 'fail' ? 1 : 0);
      await expect(args.onError).not.toHaveBeenCalled();
    },
  };
}

const S = STATES.byState;
export const ActionRequired = stateStory(S.action_required, 'Waiting for you to finish the payment.', 'none');
export const Pending = stateStory(S.pending, 'Waiting for the payment to be confirmed…', 'none');
export const Processing = stateStory(S.processing, 'Processing the payment…', 'none');
export const Authorized = stateStory(S.authorized, 'Payment approved.', 'complete');
export const Paid = stateStory(S.paid, 'Payment complete. Thank you!', 'complete');
export const Declined = stateStory(S.declined, 'The payment was declined.', 'fail');
export const Cancelled = stateStory(S.cancelled, 'The payment was cancelled.', 'fail');
export const Expired = stateStory(S.expired, 'The payment expired.', 'fail');
export const Failed = stateStory(S.failed, 'The payment failed.', 'fail');

/** The shop's checkout page for the order: where "Choose another payment method" leads. */
const CHECKOUT_PAGE = '/checkout.html?order=DEMO-EUR';

/**
 * A final failure on the return page: what happened, what it means and what to do next, and the way back to the
 * checkout of the same order. The shopper's own cancel is neutral (muted icon), the others are failures.
 */
function wayBackStory(view: PaymentView, message: string, detail: string, tone: 'failure' | 'neutral', locale?: string, action = 'Choose another payment method'): Story {
  const kassa = new MockKassa({ payments: [view] });
  return {
    args: { reference: view.reference, checkoutUrl: CHECKOUT_PAGE, ...(locale ? { locale } : {}) },
    beforeEach: ({ msw }) => kassa.install(msw),
    play: async ({ canvasElement, args }) => {
      const status = await inShadow(canvasElement, 'kassa-status');
      await waitFor(() => expect(status.getByRole('status')).toHaveTextContent(message));
      await expect(status.getByRole('status')).toHaveTextContent(detail);
      await expect(status.getByRole('status')).toHaveClass(tone);
      const link = status.getByRole('link', { name: action });
      await expect(link).toHaveAttribute('href', new URL(CHECKOUT_PAGE, location.href).href);
      await expect(args.onFail).toHaveBeenCalledTimes(1);
    },
  };
}

export const DeclinedWithWayBack = wayBackStory(
  S.declined,
  'The payment was declined.',
  'No money was taken. Try another card or payment method.',
  'failure',
);
export const CancelledWithWayBack = wayBackStory(S.cancelled, 'The payment was cancelled.', 'Nothing was charged. You can choose another payment method.', 'neutral');
export const ExpiredWithWayBack = wayBackStory(S.expired, 'The payment expired.', 'The time to approve it ran out. Nothing was charged.', 'failure');
export const FailedWithWayBack = wayBackStory(S.failed, 'The payment failed.', 'Nothing was charged. Please try again or choose another payment method.', 'failure');
export const DeclinedWithWayBackInSwedish = wayBackStory(
  S.declined,
  'Betalningen nekades.',
  'Inga pengar har dragits. Prova ett annat kort eller betalsätt.',
  'failure',
  'sv',
  'Välj ett annat betalsätt',
);

const offline = new MockKassa({ payments: [S.pending] });

/**
 * The browser goes offline while the payment is awaited: the card says so (and that it will update by itself); back
 * online it says so for a moment and follows the payment again at once.
 */
export const OfflineThenBackOnline: Story = {
  args: { reference: S.pending.reference },
  beforeEach: ({ msw }) => {
    offline.install(msw);
    return () => void window.dispatchEvent(new Event('online'));
  },
  play: async ({ canvasElement }) => {
    const status = await inShadow(canvasElement, 'kassa-status');
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Waiting for the payment to be confirmed…'));
    window.dispatchEvent(new Event('offline'));
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('You are offline. We will update this when you are back online.'));
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Back online.'));
    await expect(status.getByRole('status')).not.toHaveTextContent('You are offline');
  },
};

const stillOffline = new MockKassa({ payments: [S.pending] });

/** Offline, as the shopper sees it until the connection returns. */
export const Offline: Story = {
  args: { reference: S.pending.reference },
  beforeEach: ({ msw }) => {
    stillOffline.install(msw);
    return () => void window.dispatchEvent(new Event('online'));
  },
  play: async ({ canvasElement }) => {
    const status = await inShadow(canvasElement, 'kassa-status');
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Waiting for the payment to be confirmed…'));
    window.dispatchEvent(new Event('offline'));
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('You are offline. We will update this when you are back online.'));
  },
};

const live = new MockKassa({ payments: [STATES.sequence[0]!] });

/** Live: the stream pushes pending → processing → paid; the element follows without a reload, then lets go. */
export const LivePendingToPaid: Story = {
  args: { reference: STATES.sequence[0]!.reference },
  beforeEach: ({ msw }) => live.install(msw),
  play: async ({ canvasElement, args }) => {
    const status = await inShadow(canvasElement, 'kassa-status');
    const [pending, processing, paid] = STATES.sequence as [PaymentView, PaymentView, PaymentView];
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Waiting for the payment to be confirmed…'));
    await waitFor(() => expect(live.openStreams(pending.reference)).toBe(1));
    live.push(processing);
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Processing the payment…'));
    await expect(args.onComplete).not.toHaveBeenCalled();
    live.push(paid);
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Payment complete. Thank you!'));
    await expect(args.onStatusChange).toHaveBeenCalledTimes(3);
    await expect(args.onComplete).toHaveBeenCalledTimes(1);
    await expect(live.openStreams(pending.reference)).toBe(0);
  },
};

const unknown = new MockKassa();

/** A reference the endpoint does not know: said plainly, with no amount. */
export const NotFound: Story = {
  args: { reference: 'kp_000000000000000000000000' },
  beforeEach: ({ msw }) => unknown.install(msw),
  play: async ({ canvasElement }) => {
    const status = await inShadow(canvasElement, 'kassa-status');
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('We could not find this payment.'), { timeout: 8_000 });
    await expect(element(canvasElement)).not.toHaveAttribute('state');
  },
};

const swedish = new MockKassa({ payments: [S.paid] });

/** The same payment for a Swedish shopper: Swedish words, the amount as Swedes write euros. */
export const PaidInSwedish: Story = {
  args: { reference: S.paid.reference, locale: 'sv' },
  beforeEach: ({ msw }) => swedish.install(msw),
  play: async ({ canvasElement }) => {
    const status = await inShadow(canvasElement, 'kassa-status');
    await waitFor(() => expect(status.getByRole('status')).toHaveTextContent('Betalningen är klar. Tack!'));
    await expect(status.getByRole('status')).toHaveTextContent(/49,90\s€/);
  },
};
