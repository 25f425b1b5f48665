/**
 * What each Kassa element takes and fires, by tag, shared by the React (`kassa/jsx`), Vue (`kassa/vue`) and Svelte
 * (`kassa/svelte`) types. Generated from custom-elements.json by `npm run analyze` (scripts/element-types.mjs); do
 * not edit. Value types are the element classes' own, so a renamed or retyped property is a type error here.
 */
import type {
  KassaCheckout,
  KassaCompleteEvent,
  KassaErrorEvent,
  KassaFailEvent,
  KassaMethodChangeEvent,
  KassaMethodFields,
  KassaMethodPicker,
  KassaPaymentStartEvent,
  KassaQr,
  KassaRedirect,
  KassaStatus,
  KassaStatusChangeEvent,
} from '../components/index.js';

/** Kassa's tags. */
export type KassaTag = keyof KassaElementProperties;

/**
 * What a page may set on each element, by the element's JavaScript property names (`groupBy`). Read-only values
 * and those the element sets itself (`readonly` in the manifest, e.g. `kassa-qr`'s `expired`) are not here.
 */
export interface KassaElementProperties {
  'kassa-checkout': Partial<Pick<KassaCheckout, 'endpoint' | 'order' | 'locale' | 'groupBy' | 'navigate' | 'session' | 'theme'>>;
  'kassa-method-fields': Partial<Pick<KassaMethodFields, 'method' | 'values' | 'locale' | 'disabled' | 'theme'>>;
  'kassa-method-picker': Partial<Pick<KassaMethodPicker, 'methods' | 'value' | 'groupBy' | 'locale' | 'disabled' | 'theme'>>;
  'kassa-qr': Partial<Pick<KassaQr, 'data' | 'deepLink' | 'app' | 'expiresAt' | 'layout' | 'locale' | 'theme'>>;
  'kassa-redirect': Partial<Pick<KassaRedirect, 'action' | 'pending' | 'navigate' | 'submitForm' | 'allowedHosts' | 'auto' | 'providerName' | 'locale' | 'theme'>>;
  'kassa-status': Partial<Pick<KassaStatus, 'endpoint' | 'reference' | 'locale' | 'checkoutUrl' | 'kronor' | 'payment' | 'theme'>>;
}

/**
 * The same by the names markup uses: simple values under their attribute names (`group-by`), which work whether or
 * not the element is defined yet; objects and callbacks under their property names (`methods`, `navigate`).
 */
export interface KassaElementAttributes {
  /** Drop-in checkout: session → method → fields → pay → redirect / QR / app → live status → result. */
  'kassa-checkout': {
    /** The merchant's Kassa endpoint, e.g. `/kassa` (relative to the page, or absolute on an allowed origin). */
    endpoint?: KassaCheckout['endpoint'];
    /** The merchant's order reference; the endpoint decides the amount from it (the browser never does). */
    order?: KassaCheckout['order'];
    /** The language (a BCP 47 tag such as `sv` or `de-CH`); by default the page's `lang`, then the browser's. */
    locale?: KassaCheckout['locale'];
    /** How the method picker groups methods (passed on to `kassa-method-picker`'s `group-by`). */
    'group-by'?: KassaCheckout['groupBy'];
    /**
     * How to go to a provider's page: `navigate(url, navigation)`, `navigation` being `{ method: 'GET', url }` or, for
     * a form POST (e.g. MilkyPay PayPal), `{ method: 'POST', url, fields, submit }`. Defaults to
     * `location.assign(url)`, and a POST form is submitted. Tests, client-side routers and webviews pass their own; one
     * that declares only `url` is called for GETs alone, a POST form then being submitted as by default.
     */
    navigate?: KassaCheckout['navigate'];
    /**
     * The open checkout session (order, amount, currency, methods), once loaded. Set it to the session the shop's
     * server opened for `order` (`JSON.parse(await kassa.sessionJson(order))`) when the page is rendered on the server
     * or by a framework: the checkout takes it as it takes a carried one (for `order`, a minute or more left).
     */
    session?: KassaCheckout['session'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaCheckout['theme'];
  };
  /** The inputs a chosen payment method needs, with localized labels and inline validation. */
  'kassa-method-fields': {
    /** The chosen method; its `fields` are rendered. Without fields the element renders nothing and is valid. */
    method?: KassaMethodFields['method'];
    /**
     * The values by field key, updated as the shopper types (as typed; trimmed when they leave a field). When the
     * method changes, values for keys the new method does not have are dropped.
     */
    values?: KassaMethodFields['values'];
    /** The language (BCP 47); otherwise the nearest `lang` in the page, then the browser's. */
    locale?: KassaMethodFields['locale'];
    /** Disables every input (e.g. while a payment is being started). */
    disabled?: KassaMethodFields['disabled'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaMethodFields['theme'];
  };
  /** Choose a payment method: an accessible radio group, grouped, localized, with logos. */
  'kassa-method-picker': {
    /** The methods to offer, as the endpoint's session lists them. Within a group they keep this order. */
    methods?: KassaMethodPicker['methods'];
    /** The selected method's id (`kronor:swish`); `''` when none. A value matching no method checks nothing. */
    value?: KassaMethodPicker['value'];
    /** Group by `kind` (cards, wallets, …; the default) or by `provider`. Groups come in a fixed order. */
    'group-by'?: KassaMethodPicker['groupBy'];
    /** The language (BCP 47); otherwise the nearest `lang` in the page, then the browser's. */
    locale?: KassaMethodPicker['locale'];
    /** Nothing can be selected; the methods are shown dimmed and leave the tab order. */
    disabled?: KassaMethodPicker['disabled'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaMethodPicker['theme'];
  };
  /**
   * App link and QR code for Swish / MobilePay / Vipps-style payments, app first on a phone, with an expiry countdown.
   */
  'kassa-qr': {
    /** The QR payload, e.g. Swish's `D<token>`. Empty (or more than a QR code holds) → no code is drawn. */
    data?: KassaQr['data'];
    /**
     * The app link, shown as "Open {app}" only when its scheme is `swish:`, `mobilepay:`, `vipps:` or `https:` (without
     * credentials); anything else is dropped.
     */
    'deep-link'?: KassaQr['deepLink'];
    /** The app's display name, e.g. "Swish". Plain text; without it the messages say "your payment app". */
    app?: KassaQr['app'];
    /** When the payment request stops being payable (ISO 8601). Set → a countdown (m:ss), then the expiry message. */
    'expires-at'?: KassaQr['expiresAt'];
    /**
     * Which leads: `app` — the "Open {app}" button, with the QR code behind "Paying on another device? Show the QR
     * code" (for a shopper on the phone that has the app); `qr` — the code to scan, with a plain "Open {app} on this
     * device" link below; `auto` (the default) — `app` on a phone (a touch screen and a mobile browser), else `qr`.
     * Without a usable `deep-link` the code leads whatever the layout.
     */
    layout?: KassaQr['layout'];
    /** The language of the messages (a BCP 47 tag such as `sv` or `nb-NO`); by default the page's. */
    locale?: KassaQr['locale'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaQr['theme'];
  };
  /** Carries out a redirect or form-POST next action, with a visible fallback button. */
  'kassa-redirect': {
    /** The next action from `POST /payments`. Only `redirect` and `form` are acted on; other types render nothing. */
    action?: KassaRedirect['action'];
    /** The payment being left for; remembered (localStorage) before leaving so the return page can resume it. */
    pending?: KassaRedirect['pending'];
    /**
     * How to send the shopper on: `navigate(url, navigation)` with `navigation` `{ method: 'GET', url }` or `{ method:
     * 'POST', url, fields, submit }` (`fields` as name–value pairs; `submit()` posts the element's own form). Defaults
     * to `location.assign(url)` for a GET and `submit()` for a POST. A callback that declares only `url` is called for
     * GETs alone; a POST form is then submitted as by default.
     */
    navigate?: KassaRedirect['navigate'];
    /**
     * How to submit the POST form (a real `<form method="post">` in the shadow root) when `navigate` does not take it
     * over. Defaults to the native `HTMLFormElement.prototype.submit`, which a provider field named `submit` cannot
     * shadow.
     */
    submitForm?: KassaRedirect['submitForm'];
    /** When given, the action's host (`host` or `host:port`) must be in this list, or the action is refused. */
    allowedHosts?: KassaRedirect['allowedHosts'];
    /**
     * Go at once when a safe action is set and the element is in the page. `auto="false"` (or the property `false`)
     * waits for the shopper to use the button.
     */
    auto?: KassaRedirect['auto'];
    /** The provider's display name, shown in the message ("Taking you to MilkyPay to pay…"). Plain text. */
    'provider-name'?: KassaRedirect['providerName'];
    /** The language of the messages (a BCP 47 tag such as `sv` or `nb-NO`); by default the page's. */
    locale?: KassaRedirect['locale'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaRedirect['theme'];
  };
  /** Shows a payment's state live until it is final. */
  'kassa-status': {
    /** The merchant's Kassa endpoint, e.g. `/kassa` (required). */
    endpoint?: KassaStatus['endpoint'];
    /**
     * The payment reference (`kp_…`). By default the one in the page's address (`?kassa_payment=`), then the payment
     * the checkout remembered before the shopper left the page.
     */
    reference?: KassaStatus['reference'];
    /**
     * The shopper's language (`sv`, `de-CH` …); by default the element's own `lang`, then the language the shopper
     * checked out in (remembered with the payment), then the page's `lang`, then the browser's languages.
     */
    locale?: KassaStatus['locale'];
    /**
     * The checkout page of the order, where "Choose another payment method" leads after a final failure (a URL on the
     * page's own origin; others are ignored). By default the page the checkout was left from, when remembered.
     */
    'checkout-url'?: KassaStatus['checkoutUrl'];
    /**
     * Kronor access (`sessionToken`, `httpUrl`, `wsUrl`, optional `waitToken`) to follow a Kronor payment at Kronor
     * itself. By default what the checkout remembered for this payment; without it the endpoint is followed instead.
     */
    kronor?: KassaStatus['kronor'];
    /**
     * The payment as last read; undefined until the first answer. Set it to a payment already read (for this
     * `reference`) to show it at once: a final one is then not read again, and its events are not fired again.
     */
    payment?: KassaStatus['payment'];
    /**
     * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
     * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
     * outer one.
     */
    theme?: KassaStatus['theme'];
  };
}

/** The events each element fires, by DOM event name (all bubble and are composed). */
export interface KassaElementEvents {
  'kassa-checkout': {
    /** The shopper chose another method (`method`). */
    'kassa-method-change': KassaMethodChangeEvent;
    /** The endpoint created the payment (`payment`, `action`). */
    'kassa-payment-start': KassaPaymentStartEvent;
    /**
     * The endpoint answered a problem or could not be reached (`code` is the problem code, `network` or `generic`), or
     * Kronor could not start the payment (`code: 'kronor'`); `message` is localized.
     */
    'kassa-error': KassaErrorEvent;
    /** From the inner `kassa-status`: the payment's state changed. */
    'kassa-status-change': KassaStatusChangeEvent;
    /** From the inner `kassa-status`: the payment succeeded (paid or authorized). */
    'kassa-complete': KassaCompleteEvent;
    /** From the inner `kassa-status`: the payment was declined, cancelled, expired or failed. */
    'kassa-fail': KassaFailEvent;
  };
  'kassa-method-fields': {
    /**
     * `values` changed by the shopper and was committed (they left the field or pressed Enter), or `valid` flipped
     * while they typed or once the provider's patterns could be checked. A plain `Event` with `bubbles` and `composed`;
     * read `values` and `valid`. The inputs' own `input` events (composed) reach the page on every keystroke, with the
     * host as target.
     */
    change: Event;
  };
  'kassa-method-picker': {
    /**
     * The shopper selected another method (click, Space, arrow keys, Home/End); read the new id from `value`. A plain
     * `Event` with `bubbles` and `composed`; not fired when `value` is set by code.
     */
    change: Event;
  };
  'kassa-qr': Record<never, never>;
  'kassa-redirect': {
    /**
     * With `code: 'unsafe-action'` and a localized `message` when the action's address is refused; nothing is navigated
     * then.
     */
    'kassa-error': KassaErrorEvent;
  };
  'kassa-status': {
    /** The state changed (also for the first state read); `payment`, `state`. */
    'kassa-status-change': KassaStatusChangeEvent;
    /** The payment succeeded (paid, or authorized for the merchant to capture); once. */
    'kassa-complete': KassaCompleteEvent;
    /** The payment ended as failed, declined, cancelled or expired; once. */
    'kassa-fail': KassaFailEvent;
    /** The endpoint answered with a problem (`code`, localized `message`); a retry button is shown. */
    'kassa-error': KassaErrorEvent;
  };
}
