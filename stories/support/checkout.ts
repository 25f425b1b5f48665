/**
 * What the checkout stories share: the element rendered with recording stand-ins for leaving the page, and the
 * queries a shopper's eye follows through its nested shadow roots.
 */
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ref } from 'lit/directives/ref.js';
import { expect, fn, waitFor } from 'storybook/test';
import type { KassaCheckout } from '../../src/components/checkout/checkout.ts';
import type { KassaRedirect } from '../../src/components/redirect/redirect.ts';
import { ENDPOINT } from './network.ts';
import { inShadow, type Queries } from './shadow.ts';

export interface CheckoutArgs {
  endpoint: string;
  order: string;
  locale?: string;
  groupBy?: 'kind' | 'provider';
  /** Light or dark whatever the page says; unset, the page's `color-scheme` decides. */
  theme?: 'light' | 'dark' | 'auto';
  /** Recorded instead of followed: no story leaves the page. */
  navigate: KassaCheckout['navigate'];
  /** Given to the inner `kassa-redirect`, so a form POST is recorded instead of submitted. */
  submitForm: (form: HTMLFormElement) => void;
  onMethodChange: (event: Event) => void;
  onPaymentStart: (event: Event) => void;
  onComplete: (event: Event) => void;
  onFail: (event: Event) => void;
  onError: (event: Event) => void;
}

export const checkoutArgs = (): CheckoutArgs => ({
  endpoint: ENDPOINT,
  order: 'DEMO-EUR',
  navigate: fn(),
  submitForm: fn(),
  onMethodChange: fn(),
  onPaymentStart: fn(),
  onComplete: fn(),
  onFail: fn(),
  onError: fn(),
});

export const checkoutArgTypes = Object.fromEntries(
  ['navigate', 'submitForm', 'onMethodChange', 'onPaymentStart', 'onComplete', 'onFail', 'onError'].map((name) => [name, { table: { disable: true } }]),
);

/**
 * Hands every `kassa-redirect` the checkout shows the story's `submitForm`, before its automatic step runs (that
 * waits a task; a MutationObserver's callback comes first).
 */
function keepInPage(submitForm: (form: HTMLFormElement) => void) {
  return (element: Element | undefined) => {
    if (!element) return;
    const checkout = element as KassaCheckout;
    void checkout.updateComplete.then(() => {
      const root = checkout.shadowRoot!;
      const arm = () => root.querySelectorAll<KassaRedirect>('kassa-redirect').forEach((redirect) => (redirect.submitForm = submitForm));
      new MutationObserver(arm).observe(root, { childList: true, subtree: true });
      arm();
    });
  };
}

export function renderCheckout(args: CheckoutArgs): TemplateResult {
  return html`<kassa-checkout
    endpoint=${args.endpoint}
    order=${args.order}
    locale=${ifDefined(args.locale)}
    group-by=${ifDefined(args.groupBy)}
    theme=${ifDefined(args.theme)}
    .navigate=${args.navigate}
    ${ref(keepInPage(args.submitForm))}
    @kassa-method-change=${args.onMethodChange}
    @kassa-payment-start=${args.onPaymentStart}
    @kassa-complete=${args.onComplete}
    @kassa-fail=${args.onFail}
    @kassa-error=${args.onError}
  ></kassa-checkout>`;
}

/** Queries in the checkout itself, and in the picker, fields, QR code and status it shows. */
export const checkout = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout');
export const picker = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout', 'kassa-method-picker');
export const fields = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout', 'kassa-method-fields');
export const qr = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout', 'kassa-qr');
export const status = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout', 'kassa-status');
export const redirect = (canvasElement: HTMLElement): Promise<Queries> => inShadow(canvasElement, 'kassa-checkout', 'kassa-redirect');

/** Waits until the element's transitions have finished, so the checks after the story (axe) see its end state. */
export async function settled(element: Element): Promise<void> {
  await waitFor(() => expect(element.getAnimations()).toHaveLength(0));
}

/** The n-th call's first argument of a story's recording stand-in. */
export function callArgument<T>(spy: unknown, call = 0): T {
  return (spy as ReturnType<typeof fn>).mock.calls[call]![0] as T;
}
