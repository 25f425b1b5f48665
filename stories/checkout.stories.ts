import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import '../src/components/checkout/define.ts';
import type { KassaErrorEvent } from '../src/components/shared/events.ts';
import type { NextAction } from '../src/core/model.ts';
import { callArgument, checkout, settled, checkoutArgs, checkoutArgTypes, picker, qr, fields, redirect, renderCheckout, status, type CheckoutArgs } from './support/checkout.ts';
import { KRONOR, methodNamesEn, PAYMENTS, SESSIONS, STATES, type KronorFlow, type Order } from './support/fixtures.ts';
import { ENDPOINT, MockKassa, MockKronor } from './support/network.ts';
import { shadowOf } from './support/shadow.ts';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { http, HttpResponse } from 'msw';
import { problemType } from '../src/core/problem-codes.ts';

const meta = {
  title: 'Elements/kassa-checkout',
  component: 'kassa-checkout',
  args: checkoutArgs(),
  argTypes: checkoutArgTypes,
  render: renderCheckout,
} satisfies Meta<CheckoutArgs>;

export default meta;
type Story = StoryObj<CheckoutArgs>;

// ——— opening the session ———

const slow = new MockKassa({ session: ['never'] });

/** The endpoint has not answered yet. */
export const Loading: Story = {
  beforeEach: ({ msw }) => slow.install(msw),
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await expect(await view.findByRole('status')).toHaveTextContent('Loading payment methods…');
    await waitFor(() => expect(slow.sessionRequests).toHaveLength(1));
    await expect(slow.sessionRequests[0]!.order).toBe('DEMO-EUR');
    await expect(view.queryByRole('button')).toBeNull();
  },
};

const refused = new MockKassa({ session: [{ problem: 'order-not-found' }, { body: SESSIONS['DEMO-EUR'] }] });

/** The endpoint answered a problem: a localized message (never the raw answer) and a retry that opens a new session. */
export const EndpointError: Story = {
  beforeEach: ({ msw }) => refused.install(msw),
  play: async ({ canvasElement, args }) => {
    const view = await checkout(canvasElement);
    await expect(await view.findByRole('alert')).toHaveTextContent('We could not find your order.');
    await expect(view.getByRole('alert')).not.toHaveTextContent('DEMO-GONE');
    await waitFor(() => expect(args.onError).toHaveBeenCalledTimes(1));
    await expect(callArgument<KassaErrorEvent>(args.onError).code).toBe('order-not-found');

    await userEvent.click(view.getByRole('button', { name: 'Try again' }));
    await expect(await (await picker(canvasElement)).findByRole('radiogroup')).toBeVisible();
    await expect(refused.sessionRequests).toHaveLength(2);
  },
};

const alreadyPaid = new MockKassa({ session: [{ problem: 'order-already-paid' }], payments: [STATES.byState.paid] });

/**
 * The order already has a successful payment (another tab, another device): the endpoint answers 409
 * `order-already-paid` naming it, and the checkout says so and shows that payment's status — no picker, no second charge.
 */
export const OrderAlreadyPaid: Story = {
  beforeEach: ({ msw }) => alreadyPaid.install(msw),
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await waitFor(() => expect(view.getAllByRole('status')[0]).toHaveTextContent('This order is already paid.'));
    await expect(view.queryByRole('radiogroup')).toBeNull();
    await expect(view.queryByRole('button', { name: /^Pay/ })).toBeNull();
    await expect(alreadyPaid.sessionRequests).toHaveLength(1);
  },
};

const carrying = new MockKassa({ session: ['never'] });

/** The session JSON a shop's server writes into the checkout (`kassa.sessionJson`), with its time left renewed. */
function carriedSession(): HTMLScriptElement {
  const script = document.createElement('script');
  script.type = 'application/json';
  script.textContent = JSON.stringify({ ...SESSIONS['DEMO-EUR'], amountText: '€49.90', expiresAt: new Date(Date.now() + 15 * 60_000).toISOString() });
  return script;
}

/**
 * The page carries the session: a `<script type="application/json">` child, as the shop's server rendered it. The
 * methods and the total show at once, with no loading state and no session request.
 */
export const CarriedSession: Story = {
  beforeEach: ({ msw }) => carrying.install(msw),
  render: (args) => html`<kassa-checkout endpoint=${args.endpoint} order=${args.order} locale=${ifDefined(args.locale)} theme=${ifDefined(args.theme)}
    >${carriedSession()}</kassa-checkout
  >`,
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await expect(await (await picker(canvasElement)).findByRole('radiogroup', { name: 'Payment method' })).toBeVisible();
    await expect(view.getByText('Total').parentElement).toHaveTextContent('€49.90');
    await expect(view.getByRole('button', { name: /^Pay / })).toHaveTextContent('€49.90');
    await expect(view.queryByText('Loading payment methods…')).toBeNull();
    await expect(carrying.sessionRequests).toHaveLength(0);
  },
};

// ——— each order's methods ———

/** Each demo order's methods, as the sandbox's five providers list them for its currency. */
function methodsStory(order: Order, total: RegExp, groupBy?: 'provider'): Story {
  const kassa = new MockKassa({ order });
  const methods = SESSIONS[order].methods;
  return {
    args: { order, groupBy },
    beforeEach: ({ msw }) => kassa.install(msw),
    play: async ({ canvasElement, args }) => {
      const view = await checkout(canvasElement);
      const list = await picker(canvasElement);
      await list.findByRole('radiogroup', { name: 'Payment method' });
      await expect(view.getByText('Total').parentElement).toHaveTextContent(total);
      const radios = list.getAllByRole('radio');
      // The name part: a radio's text also holds its logo's wordmark.
      const shown = (r: HTMLElement) => r.querySelector('[part~="name"]')?.textContent?.trim();
      const names = methodNamesEn(methods);
      await expect(radios.map(shown).sort()).toEqual([...names].sort());

      // Nothing chosen: the pay button says why it does nothing.
      const pay = view.getByRole('button', { name: /^Pay / });
      await expect(pay).toHaveTextContent(total);
      await expect(pay).toHaveAttribute('aria-disabled', 'true');
      await expect(pay).toHaveAccessibleDescription('Choose a payment method to continue.');
      await userEvent.click(pay);
      await expect(kassa.paymentRequests).toHaveLength(0);

      // A method without fields makes it ready.
      const plain = radios.find((r) => methods[names.indexOf(shown(r)!)]?.fields === undefined)!;
      await userEvent.click(plain);
      await waitFor(() => expect(pay).toHaveAttribute('aria-disabled', 'false'));
      await expect(args.onMethodChange).toHaveBeenCalledTimes(1);
      await settled(pay);
    },
  };
}

export const MethodsEUR = methodsStory('DEMO-EUR', /€49\.90/);
export const MethodsEURByProvider = methodsStory('DEMO-EUR', /€49\.90/, 'provider');
export const MethodsSEK = methodsStory('DEMO-SEK', /SEK\s499\.00/);
export const MethodsDKK = methodsStory('DEMO-DKK', /DKK\s375\.00/);
export const MethodsNOK = methodsStory('DEMO-NOK', /NOK\s520\.00/);
export const MethodsPLN = methodsStory('DEMO-PLN', /PLN\s215\.00/);

// ——— fields ———

const mbway = new MockKassa({ payment: (method) => (method === 'mbway' ? { problem: 'invalid-fields' } : undefined) });

/**
 * MilkyPay's MB WAY needs a phone number: paying with it empty shows the field's error and sends nothing; a number
 * the endpoint refuses comes back as an error on that same field.
 */
export const MilkyPayFieldsWithErrors: Story = {
  args: { groupBy: 'provider' },
  beforeEach: ({ msw }) => mbway.install(msw),
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'MB WAY' }));
    const form = await fields(canvasElement);
    const phone = await form.findByRole('textbox', { name: /^Phone number/ });

    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await expect(await form.findByText('Enter your phone number.')).toBeVisible();
    await expect(mbway.paymentRequests).toHaveLength(0);

    await userEvent.type(phone, '+351912345678');
    await waitFor(() => expect(form.queryByText('Enter your phone number.')).toBeNull());
    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await expect(await view.findByRole('alert')).toHaveTextContent('Please check the details you entered.');
    await expect(await form.findByText('This does not look right. Please check it.')).toBeVisible();
    await expect(mbway.paymentRequests).toEqual([{ method: 'mbway', fields: { phone: '+351912345678' }, idempotencyKey: expect.any(String) }]);
    await settled(view.getByRole('button', { name: /^Pay / }));
  },
};

/** A method's fields open right under it, inside the list (not below all the methods). */
export const FieldsUnderTheChosenMethod: Story = {
  beforeEach: ({ msw }) => new MockKassa().install(msw),
  play: async ({ canvasElement }) => {
    const list = await picker(canvasElement);
    const mbwayRadio = await list.findByRole('radio', { name: 'MB WAY' });
    await userEvent.click(mbwayRadio);
    const form = await fields(canvasElement);
    const phone = await form.findByRole('textbox', { name: /^Phone number/ });
    await expect(phone).not.toHaveAttribute('placeholder');
    await expect(phone).toHaveAttribute('inputmode', 'tel');
    // Right under MB WAY (the last method of DEMO-EUR's list), above the pay button.
    const box = phone.getBoundingClientRect();
    await expect(box.top).toBeGreaterThan(mbwayRadio.getBoundingClientRect().bottom);
    await expect(box.top - mbwayRadio.getBoundingClientRect().bottom).toBeLessThan(64);
    await expect(box.bottom).toBeLessThan((await checkout(canvasElement)).getByRole('button', { name: /^Pay / }).getBoundingClientRect().top);
    // Inside the picker, in its `details` slot (real Tab order is covered by the browser tests).
    await expect(shadowOf(canvasElement.querySelector('kassa-checkout')).querySelector('kassa-method-picker > kassa-method-fields[slot=details]')).not.toBeNull();
  },
};

// ——— waiting for the provider ———

const stalled = new MockKassa({ payment: (method) => (method === 'hi-health' ? 'never' : undefined) });

/**
 * The provider takes long to start the payment: after a second the checkout says whom it waits for, with a spinner,
 * and offers Cancel, which gives up waiting and returns to the methods (the click's key is kept: paying again with
 * the same method cannot make a second payment).
 */
export const SlowStartWithCancel: Story = {
  beforeEach: ({ msw }) => stalled.install(msw),
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'hi.health – health expenses' }));
    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await expect(await view.findByText('Contacting hi.health…', {}, { timeout: 3_000 })).toBeVisible();
    const cancel = view.getByRole('button', { name: 'Cancel' });
    await expect(view.getByRole('button', { name: /^Starting payment/ })).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(cancel);
    await waitFor(() => expect(view.queryByRole('button', { name: 'Cancel' })).toBeNull());
    await expect(view.getByRole('button', { name: /^Pay / })).toHaveAttribute('aria-disabled', 'false');
    await expect(stalled.paymentRequests).toHaveLength(1);
    // The state the story shows: waiting again, with Cancel.
    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await expect(await view.findByRole('button', { name: 'Cancel' }, { timeout: 3_000 })).toBeVisible();
    await waitFor(() => expect(stalled.paymentRequests).toHaveLength(2));
    await expect(stalled.paymentRequests[1]!.idempotencyKey).toBe(stalled.paymentRequests[0]!.idempotencyKey);
  },
};

const providerDown = new MockKassa();

/** The provider does not answer: the message sits right above the pay button and names another method to try. */
export const ProviderErrorSuggestsAnother: Story = {
  beforeEach: ({ msw }) => {
    providerDown.install(msw);
    msw.use(
      http.post(`*${ENDPOINT}/payments`, () =>
        HttpResponse.json({ type: problemType('provider-unavailable'), title: 'The payment provider is not reachable right now', status: 503 }, { status: 503, headers: { 'content-type': 'application/problem+json' } }),
      ),
    );
  },
  play: async ({ canvasElement }) => {
    const view = await checkout(canvasElement);
    await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'hi.health – health expenses' }));
    const pay = view.getByRole('button', { name: /^Pay / });
    await userEvent.click(pay);
    const alert = await view.findByRole('alert');
    await expect(alert).toHaveTextContent('The payment provider is not responding. Please try again in a moment. Try another payment method, such as Card.');
    const gap = pay.getBoundingClientRect().top - alert.getBoundingClientRect().bottom;
    await expect(gap).toBeGreaterThanOrEqual(0);
    await expect(gap).toBeLessThan(24);
    await settled(pay);
  },
};

// ——— sent on to the provider ———

const card = new MockKassa();

/** MilkyPay's card payment: a GET redirect to its hosted page, through the page's own `navigate`. */
export const RedirectGet: Story = {
  args: { groupBy: 'provider' },
  beforeEach: ({ msw }) => card.install(msw),
  play: async ({ canvasElement, args }) => {
    const view = await checkout(canvasElement);
    await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'Card' }));
    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await expect(await (await redirect(canvasElement)).findByRole('status')).toHaveTextContent('Taking you to WhenThen to pay…');
    const url = (PAYMENTS['DEMO-EUR']['card']!.action as { url: string }).url;
    await waitFor(() => expect(args.navigate).toHaveBeenCalledWith(url, { method: 'GET', url }));
    await expect(args.navigate).toHaveBeenCalledTimes(1);
    await expect(args.onPaymentStart).toHaveBeenCalledTimes(1);
    await expect(card.paymentRequests.map((r) => r.method)).toEqual(['card']);
    await expect(view.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

const paypal = new MockKassa();

/** MilkyPay's PayPal: a form POST with the provider's hidden fields (recorded here instead of submitted). */
export const FormPost: Story = {
  args: { groupBy: 'provider' },
  beforeEach: ({ msw }) => paypal.install(msw),
  play: async ({ canvasElement, args }) => {
    const view = await checkout(canvasElement);
    const list = await picker(canvasElement);
    // PayPal goes to MilkyPay first: its group when grouped by provider.
    await userEvent.click(within(await list.findByRole('group', { name: 'MilkyPay' })).getByRole('radio', { name: 'PayPal' }));
    await expect(args.onMethodChange).toHaveBeenCalledTimes(1);
    await userEvent.click(view.getByRole('button', { name: /^Pay / }));
    await waitFor(() => expect(args.submitForm).toHaveBeenCalledTimes(1));
    const action = PAYMENTS['DEMO-EUR']['paypal']!.action as Extract<NextAction, { type: 'form' }>;
    const form = callArgument<HTMLFormElement>(args.submitForm);
    await expect(form.method).toBe('post');
    await expect(form.action).toBe(action.url);
    await expect(Object.fromEntries(new FormData(form))).toEqual(action.fields);
    await expect(args.navigate).not.toHaveBeenCalled();
    await expect(paypal.paymentRequests.map((r) => r.method)).toEqual(['paypal']);
  },
};

// ——— Swish through Kronor: QR code, then the phone decides ———

/** Chooses Swish, pays, and waits for the QR code Kronor gives; checks what the shopper sees while waiting. */
async function payWithSwish(canvasElement: HTMLElement, kassa: MockKassa, kronor: MockKronor): Promise<void> {
  const view = await checkout(canvasElement);
  await userEvent.click(await (await picker(canvasElement)).findByRole('radio', { name: 'Swish' }));
  await userEvent.click(view.getByRole('button', { name: /^Pay / }));
  const code = await qr(canvasElement);
  await expect(await code.findByRole('img', { name: 'QR code for paying with Swish' }, { timeout: 15_000 })).toBeVisible();
  await expect(code.getByRole('link', { name: /^Open Swish/ })).toHaveAttribute('href', expect.stringMatching(/^swish:\/\/paymentrequest\?token=/));
  const live = await status(canvasElement);
  await waitFor(() => expect(live.getByRole('status')).toHaveTextContent('Waiting for you to finish the payment.'), { timeout: 10_000 });
  // The status follows the payment request at Kronor itself.
  await waitFor(() => expect(kronor.subscriptions).toBeGreaterThan(0), { timeout: 10_000 });
  await expect(live.getByRole('status')).toHaveTextContent('SEK 499.00');
  await expect(view.getByRole('button', { name: 'Cancel' })).toBeVisible();
  // One click, one key: Kronor is asked with the same idempotency key as the endpoint was.
  await expect(kronor.started).toEqual([kassa.paymentRequests[0]!.idempotencyKey]);
}

function swishStory(outcome: keyof typeof KRONOR, check?: (canvasElement: HTMLElement, args: CheckoutArgs) => Promise<void>): Story {
  const flow: KronorFlow = KRONOR[outcome];
  const kassa = new MockKassa({ order: 'DEMO-SEK', payment: (method) => (method === 'swish' ? { body: flow.payment } : undefined) });
  const kronor = new MockKronor(flow, kassa);
  return {
    args: { order: 'DEMO-SEK' },
    beforeEach: ({ msw }) => kronor.install(msw),
    play: async ({ canvasElement, args }) => {
      await payWithSwish(canvasElement, kassa, kronor);
      if (!check) return;
      kronor.decide();
      await check(canvasElement, args);
    },
  };
}

/** The QR code is shown and the status waits for the shopper's phone. */
export const SwishQrWaiting = swishStory('paid');

/** The phone approved: the status flips to paid without a reload, and the checkout shows the result. */
export const Paid = swishStory('paid', async (canvasElement, args) => {
  const view = await checkout(canvasElement);
  await waitFor(async () => expect((await status(canvasElement)).getByRole('status')).toHaveTextContent('Payment complete. Thank you!'), { timeout: 10_000 });
  await expect(args.onComplete).toHaveBeenCalledTimes(1);
  await expect(args.onFail).not.toHaveBeenCalled();
  await expect(view.queryByRole('button')).toBeNull();
});

/** The phone declined: said plainly, with a way to try again. */
export const Declined = swishStory('declined', async (canvasElement, args) => {
  const view = await checkout(canvasElement);
  await waitFor(async () => expect((await status(canvasElement)).getByRole('status')).toHaveTextContent('The payment was declined.'), { timeout: 10_000 });
  await expect(view.getByRole('alert')).toBeVisible();
  await expect(args.onFail).toHaveBeenCalledTimes(1);
  await expect(view.getByRole('button', { name: 'Choose another payment method' })).toBeVisible();
});

/** The shopper cancelled in the app. */
export const Cancelled = swishStory('cancelled', async (canvasElement, args) => {
  const view = await checkout(canvasElement);
  await waitFor(async () => expect((await status(canvasElement)).getByRole('status')).toHaveTextContent('The payment was cancelled.'), { timeout: 10_000 });
  await expect(args.onFail).toHaveBeenCalledTimes(1);
  await userEvent.click(view.getByRole('button', { name: 'Choose another payment method' }));
  await expect(await (await picker(canvasElement)).findByRole('radiogroup')).toBeVisible();
});

const stopped = new MockKassa({ order: 'DEMO-SEK', payment: (method) => (method === 'swish' ? { body: KRONOR.paid.payment } : undefined) });
const stoppedKronor = new MockKronor(KRONOR.paid, stopped);

/** The shopper stops waiting: back to the methods, and the Swish request is cancelled at Kronor. */
export const ShopperCancelsWhileWaiting: Story = {
  args: { order: 'DEMO-SEK' },
  beforeEach: ({ msw }) => stoppedKronor.install(msw),
  play: async ({ canvasElement }) => {
    await payWithSwish(canvasElement, stopped, stoppedKronor);
    await userEvent.click((await checkout(canvasElement)).getByRole('button', { name: 'Cancel' }));
    await expect(await (await picker(canvasElement)).findByRole('radiogroup')).toBeVisible();
    await waitFor(() => expect(stoppedKronor.cancelled).toHaveLength(1), { timeout: 10_000 });
  },
};
