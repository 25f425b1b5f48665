import { html, isServer, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { formatAmount } from '../../core/format.ts';
import { methodNames } from '../../core/i18n.ts';
import type { PaymentView, SessionResponse } from '../../core/model.ts';
import type { KassaCompleteEvent, KassaErrorEvent, KassaFailEvent } from '../shared/events.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import type { KassaMethodFields } from '../method-fields/method-fields.ts';
import { alternativeMethod, type KassaMethodPicker, type MethodGrouping } from '../method-picker/method-picker.ts';
import type { EndpointErrorCode } from '../../core/endpoint-client.ts';
import type { KassaNavigate } from '../redirect/navigation.ts';
import { afterPaint, CheckoutController, type CheckoutView, type KronorWatch } from './checkout-controller.ts';
import { styles } from './checkout.styles.ts';

/**
 * The children's parts, exported so a page styles them through `kassa-checkout::part(…)`: under their own names,
 * except where a name would be ambiguous next to the checkout's own parts (`error`, `amount`, `retry`) or too generic (`message`, `button`).
 */
const PICKER_PARTS = 'radiogroup, group, group-label, method, method-checked, logo, name, brands, empty, details: method-details';
const FIELDS_PARTS = 'fieldset, legend, field, label, input, input-invalid, hint, error: field-error';
const REDIRECT_PARTS = 'message: redirect-message, button: redirect-button';
const QR_PARTS = 'code, instructions, open-app, show-code, countdown';
const STATUS_PARTS = 'status, icon: status-icon, message: status-message, detail: status-detail, note: status-note, amount: status-amount, retry: status-retry';

/**
 * The drop-in checkout: opens a session for `order` at the merchant's Kassa `endpoint`, lets the shopper choose a
 * payment method (and fill in what it needs), starts the payment — one idempotency key per click, so a double click
 * or a retried request never pays twice — then sends the shopper on (redirect, form, QR code, app, or Kronor in the
 * browser) and shows the payment's status live until it is final. For an order that is already paid it says so and
 * shows that payment's status instead of the picker; after a reload while a payment is under way (a QR code, a
 * provider's page) it shows that payment again rather than offering a second one.
 *
 * The page may carry the session, saving the request: the JSON the shop's server got from `kassa.sessionJson(order)`
 * in a `<script type="application/json">` child, taken when it is for `order` and has a minute or more left (else
 * the checkout asks the endpoint); or a `<link rel="preload" as="fetch" crossorigin>` of
 * `{endpoint}/session?order=…`, whose answer the checkout takes. Amounts are charged as the endpoint decides, never
 * as the page says.
 *
 * Composes `kassa-method-picker`, `kassa-method-fields`, `kassa-redirect`, `kassa-qr` and `kassa-status`. Its
 * `define.ts` registers the picker with it; once the methods are painted, the checkout loads the other four and
 * registers them under those tags (each once per page), so the first paint carries only the checkout and the
 * picker. Pay waits for them, and reports a network error if they cannot load. Their events (`kassa-status-change`, `kassa-complete`, `kassa-fail`, and `kassa-error` from a
 * refused redirect) bubble out of this element as they are; it adds none of its own for them.
 *
 * @tag kassa-checkout
 * @summary Drop-in checkout: session → method → fields → pay → redirect / QR / app → live status → result.
 *
 * @fires {KassaMethodChangeEvent} kassa-method-change - The shopper chose another method (`method`).
 * @fires {KassaPaymentStartEvent} kassa-payment-start - The endpoint created the payment (`payment`, `action`).
 * @fires {KassaErrorEvent} kassa-error - The endpoint answered a problem or could not be reached (`code` is the
 *   problem code, `network` or `generic`), or Kronor could not start the payment (`code: 'kronor'`); `message` is
 *   localized.
 * @fires {KassaStatusChangeEvent} kassa-status-change - From the inner `kassa-status`: the payment's state changed.
 * @fires {KassaCompleteEvent} kassa-complete - From the inner `kassa-status`: the payment succeeded (paid or authorized).
 * @fires {KassaFailEvent} kassa-fail - From the inner `kassa-status`: the payment was declined, cancelled, expired or failed.
 *
 * @csspart loading - The "loading" line while the session opens or a Kronor payment starts (role=status).
 * @csspart amount - The order total above the methods.
 * @csspart pay-button - The pay button ("Pay €49.90").
 * @csspart error - An endpoint problem, localized (role=alert).
 * @csspart retry - The "Try again" button after an error; "Choose another payment method" after a failed payment (back to the methods).
 * @csspart cancel - The "Cancel" button while waiting for the payment, back to the methods; also while a slow
 *   provider is being asked to start it.
 * @csspart progress - While a payment start takes longer than a second: "Contacting {provider}…" with a spinner
 *   (role=status), under the pay button.
 * @csspart result - The final result: around the status card (icon, message, amount) once the payment succeeded or
 *   failed; the message itself when the order was already paid or the payment could not go on.
 * @csspart radiogroup - From `kassa-method-picker`: the container of every group.
 * @csspart group - From `kassa-method-picker`: one group of methods.
 * @csspart group-label - From `kassa-method-picker`: a group's label.
 * @csspart method - From `kassa-method-picker`: one method.
 * @csspart method-checked - From `kassa-method-picker`: also on the checked method.
 * @csspart method-details - `kassa-method-picker`'s `details` part: the box under the checked method holding its fields.
 * @csspart logo - From `kassa-method-picker`: a method's logo.
 * @csspart name - From `kassa-method-picker`: a method's name.
 * @csspart brands - From `kassa-method-picker`: a card's brand marks.
 * @csspart empty - From `kassa-method-picker`: the message when no method is available.
 * @csspart fieldset - From `kassa-method-fields`: the fieldset around the inputs.
 * @csspart legend - From `kassa-method-fields`: its legend.
 * @csspart field - From `kassa-method-fields`: one field (label, input, hint, error).
 * @csspart label - From `kassa-method-fields`: a field's label.
 * @csspart input - From `kassa-method-fields`: a field's input.
 * @csspart input-invalid - From `kassa-method-fields`: also on an input whose error is shown.
 * @csspart hint - From `kassa-method-fields`: a field's hint.
 * @csspart field-error - `kassa-method-fields`' `error` part: a field's error message.
 * @csspart redirect-message - `kassa-redirect`'s `message` part: where the shopper is being taken.
 * @csspart redirect-button - `kassa-redirect`'s `button` part: the "Continue to payment" fallback.
 * @csspart code - From `kassa-qr`: the QR code.
 * @csspart instructions - From `kassa-qr`: the first line ("Approve the payment in {app}" on a phone, else "Scan the code with {app} on your phone").
 * @csspart open-app - From `kassa-qr`: the app link ("Open {app}" button on a phone, else "Open {app} on this device").
 * @csspart show-code - From `kassa-qr`: on a phone, the "Paying on another device? Show the QR code" button.
 * @csspart countdown - From `kassa-qr`: the time left.
 * @csspart status - From `kassa-status`: the live region with the payment's state.
 * @csspart status-icon - `kassa-status`' `icon` part.
 * @csspart status-message - `kassa-status`' `message` part: the localized state.
 * @csspart status-detail - `kassa-status`' `detail` part: after a failure, what it means and what to do next.
 * @csspart status-note - `kassa-status`' `note` part: offline, back online, or reconnecting.
 * @csspart status-amount - `kassa-status`' `amount` part.
 * @csspart status-retry - `kassa-status`' `retry` part, shown when the endpoint cannot be read.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Colour of secondary text (loading, hints) and of the disabled pay button's label.
 * @cssproperty --kassa-color-background - Background of the checkout.
 * @cssproperty --kassa-color-surface - Background of the total, of secondary buttons and of the disabled pay button.
 * @cssproperty --kassa-color-border - Border of secondary buttons and of the disabled pay button.
 * @cssproperty --kassa-color-accent - Background of the pay button.
 * @cssproperty --kassa-color-accent-text - Text colour of the pay button.
 * @cssproperty --kassa-color-error - Colour of errors and of a failed result.
 * @cssproperty --kassa-color-success - Colour of a successful result.
 * @cssproperty --kassa-color-focus - Focus ring colour.
 * @cssproperty --kassa-radius - Corner radius.
 * @cssproperty --kassa-spacing - Base spacing unit.
 * @cssproperty --kassa-font-family - Font family.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaCheckout extends KassaElement {
  static override styles = styles;

  /** The merchant's Kassa endpoint, e.g. `/kassa` (relative to the page, or absolute on an allowed origin). */
  @property() endpoint = '';

  /** The merchant's order reference; the endpoint decides the amount from it (the browser never does). */
  @property() order = '';

  /** The language (a BCP 47 tag such as `sv` or `de-CH`); by default the page's `lang`, then the browser's. */
  @property({ reflect: true }) locale: string | undefined;

  /** How the method picker groups methods (passed on to `kassa-method-picker`'s `group-by`). */
  @property({ attribute: 'group-by' }) groupBy: MethodGrouping | undefined;

  /**
   * How to go to a provider's page: `navigate(url, navigation)`, `navigation` being `{ method: 'GET', url }` or, for a
   * form POST (e.g. MilkyPay PayPal), `{ method: 'POST', url, fields, submit }`. Defaults to `location.assign(url)`,
   * and a POST form is submitted. Tests, client-side routers and webviews pass their own; one that declares only `url`
   * is called for GETs alone, a POST form then being submitted as by default.
   */
  @property({ attribute: false }) navigate: KassaNavigate = (url) => location.assign(url);

  @query('kassa-method-fields') private fieldsElement!: KassaMethodFields | null;

  private readonly i18n = new LocaleController(this);
  private readonly flow = new CheckoutController(this, (key, params) => this.i18n.t(key, params));
  /** Whether focus was inside the checkout when its view was about to change. */
  private hadFocus = false;
  private shownView: CheckoutView['name'] | undefined;
  /** The session whose endpoint-formatted amount is checked against the browser's own after it is painted. */
  private amountChecked: SessionResponse | undefined;
  /** The session whose amount the browser formats otherwise than the endpoint: shown with the browser's text. */
  private ownAmount: SessionResponse | undefined;

  /**
   * The open checkout session (order, amount, currency, methods), once loaded. Set it to the session the shop's
   * server opened for `order` (`JSON.parse(await kassa.sessionJson(order))`) when the page is rendered on the server
   * or by a framework: the checkout takes it as it takes a carried one (for `order`, a minute or more left).
   */
  get session(): SessionResponse | undefined {
    return this.flow.session;
  }

  set session(session: SessionResponse | undefined) {
    this.flow.give(session);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    if (changed.has('endpoint') || changed.has('order')) this.flow.configure(this.endpoint, this.order, this.i18n.tag);
    if (!isServer && this.flow.view.name !== this.shownView) this.hadFocus = this.matches(':focus-within');
  }

  protected override updated(): void {
    const viewChanged = this.flow.view.name !== this.shownView;
    this.shownView = this.flow.view.name;
    // A view that replaced the focused control takes the focus, so keyboard users are never left on <body>.
    if (viewChanged && this.hadFocus && !this.matches(':focus-within')) this.focusView();
    this.hadFocus = false;
    if (this.flow.fieldsSyncPending) void this.syncFields();
    const problem = this.flow.fieldProblem;
    if (problem) {
      this.flow.fieldProblem = undefined;
      this.fieldsElement?.reportErrors({ [problem]: 'fields.error.pattern' });
    }
  }

  /** Reads the fields element's validity once it has rendered the chosen method. */
  private async syncFields(): Promise<void> {
    const fields = this.fieldsElement;
    if (!fields) return;
    await fields.updateComplete;
    if (fields.method?.id === this.flow.methodId) this.flow.setFields(fields.values ?? {}, fields.valid);
  }

  private focusView(): void {
    const root = this.renderRoot as ShadowRoot;
    const target = root.querySelector<HTMLElement>('[data-focus]') ?? root.querySelector<HTMLElement>('.view');
    target?.focus();
    if (!this.matches(':focus-within')) root.querySelector<HTMLElement>('.view')?.focus();
  }

  private onPickerChange(event: Event): void {
    // The fields sit inside the picker: their own `change` bubbles through it.
    if (event.target !== event.currentTarget) return;
    const picker = event.currentTarget as KassaMethodPicker;
    if (picker.value) this.flow.choose(picker.value);
  }

  private onFieldsChange(event: Event): void {
    const fields = event.currentTarget as KassaMethodFields;
    this.flow.setFields(fields.values ?? {}, fields.valid);
  }

  /** Stops waiting for a slow payment start; the pay button takes the focus the Cancel button had. */
  private async onCancelStart(): Promise<void> {
    this.flow.cancel();
    await this.updateComplete;
    (this.renderRoot as ShadowRoot).querySelector<HTMLElement>('[part~="pay-button"]')?.focus();
  }

  /** A pay error shows right above the pay button; on a phone the shopper may have scrolled away meanwhile. */
  private async revealPayError(): Promise<void> {
    await this.updateComplete;
    const root = this.renderRoot as ShadowRoot;
    root.querySelector('[part~="pay-button"]')?.scrollIntoView({ block: 'nearest' });
    root.querySelector('[part~="error"]')?.scrollIntoView({ block: 'nearest' });
  }

  private async onPay(): Promise<void> {
    if (this.flow.busy || this.flow.view.name !== 'choose' || !this.flow.method) return;
    const fields = this.fieldsElement;
    // Not upgraded yet: its code is still loading (parts.ts), and its validity unknown.
    if (fields && typeof fields.validate !== 'function') return;
    // A provider pattern's engine may still be loading; its verdict is needed before anything is sent.
    if (fields) await fields.updateComplete;
    if (this.flow.busy || this.flow.view.name !== 'choose' || fields !== this.fieldsElement) return;
    if (fields && !fields.validate()) {
      this.flow.setFields(fields.values ?? {}, false);
      return;
    }
    if (fields) this.flow.setFields(fields.values ?? {}, true);
    await this.flow.pay();
    if (this.flow.payError && this.flow.view.name === 'choose') void this.revealPayError();
  }

  private onComplete(event: KassaCompleteEvent): void {
    this.flow.succeeded(event.payment);
  }

  private onFail(event: KassaFailEvent): void {
    this.flow.failed(event.payment);
  }

  private onRedirectError(event: KassaErrorEvent): void {
    if (event.code === 'unsafe-action') this.flow.refusedAction();
  }

  protected override render(): TemplateResult {
    return html`<section class="checkout" dir=${this.i18n.dir} aria-label=${this.i18n.t('checkout.title')}>${this.renderView(this.flow.view)}</section>`;
  }

  private renderView(view: CheckoutView): TemplateResult | typeof nothing {
    const t = this.i18n.t.bind(this.i18n);
    switch (view.name) {
      case 'idle':
        return nothing;
      case 'loading':
        return html`<div class="view" tabindex="-1">
          <p part="loading" class="message loading" role="status">${t('common.loading')}</p>
        </div>`;
      case 'unavailable':
        return html`<div class="view" tabindex="-1">
          <p part="error" class="message error" role="alert">${t(`error.${view.code}`)}</p>
          <button part="retry" class="secondary" type="button" data-focus @click=${() => this.flow.retry()}>${t('common.retry')}</button>
        </div>`;
      case 'paid':
        return html`<div class="view" tabindex="-1">
          <p part="result" class="result success" role="status" tabindex="-1" data-focus>${t('error.order-already-paid')}</p>
          ${this.renderStatus(view.reference, undefined)}
        </div>`;
      case 'choose':
        return this.renderChoose();
      case 'redirect':
        return html`<div class="view" tabindex="-1">
          <kassa-redirect
            exportparts=${REDIRECT_PARTS}
            .action=${view.action}
            .pending=${view.pending}
            .navigate=${this.navigate}
            provider-name=${t(`picker.provider.${view.payment.provider}`)}
            locale=${this.i18n.tag}
            @kassa-error=${this.onRedirectError}
          ></kassa-redirect>
          ${this.renderCancel()}
        </div>`;
      case 'starting':
        return html`<div class="view" tabindex="-1">
          <p part="loading" class="message loading" role="status">${t('checkout.paying')}</p>
          ${this.renderCancel()}
        </div>`;
      case 'qr':
        return html`<div class="view" tabindex="-1">
          <kassa-qr
            exportparts=${QR_PARTS}
            data=${view.data}
            deep-link=${ifDefined(view.deepLink)}
            app=${view.app ?? this.methodName(view.payment.method)}
            expires-at=${ifDefined(view.expiresAt)}
            locale=${this.i18n.tag}
          ></kassa-qr>
          ${this.renderStatus(view.payment.reference, view.kronor)} ${this.renderCancel()}
        </div>`;
      case 'waiting':
        return html`<div class="view" tabindex="-1">${this.renderStatus(view.payment.reference, view.kronor)} ${this.renderCancel()}</div>`;
      case 'succeeded':
        // The same card as the return page's (icon, message, amount): kassa-status, given the payment it just reported.
        return html`<div class="view" tabindex="-1">
          <div part="result" class="result" tabindex="-1" data-focus>${this.renderStatus(view.payment.reference, undefined, view.payment)}</div>
        </div>`;
      case 'failed': {
        const again = html`<button part="retry" class="secondary" type="button" data-focus @click=${() => this.flow.retry()}>
          ${t('status.chooseAnother')}
        </button>`;
        if (view.payment && view.state && !view.reason) {
          return html`<div class="view" tabindex="-1">
            <div part="result" class="result" role="alert">${this.renderStatus(view.payment.reference, undefined, view.payment)}</div>
            ${again}
          </div>`;
        }
        const message = view.reason === 'unsafe-action' ? t('redirect.unsafe') : view.reason === 'kronor' ? t('checkout.error.kronor') : t('status.failed');
        return html`<div class="view" tabindex="-1">
          <p part="result" class="result failure" role="alert">${message}</p>
          ${again}
        </div>`;
      }
    }
  }

  private renderChoose(): TemplateResult {
    const t = this.i18n.t.bind(this.i18n);
    const { session, method, busy, slow, payError, canPay } = this.flow;
    if (!session) return html``;
    const amount = this.amountText(session);
    const waitingLong = busy && slow && method;
    return html`<div class="view" tabindex="-1">
      <p part="amount" class="amount"><span>${t('checkout.total')}</span> <span class="amount-value">${amount}</span></p>
      <kassa-method-picker
        exportparts=${PICKER_PARTS}
        .methods=${session.methods}
        value=${ifDefined(this.flow.methodId)}
        group-by=${ifDefined(this.groupBy)}
        locale=${this.i18n.tag}
        ?disabled=${busy}
        data-focus
        @change=${this.onPickerChange}
      >
        ${method?.fields?.length
          ? html`<kassa-method-fields
              slot="details"
              exportparts=${FIELDS_PARTS}
              .method=${method}
              .values=${this.flow.values}
              locale=${this.i18n.tag}
              ?disabled=${busy}
              @change=${this.onFieldsChange}
            ></kassa-method-fields>`
          : nothing}
      </kassa-method-picker>
      ${payError ? html`<p part="error" class="message error" role="alert">${this.payErrorMessage(payError)}</p>` : nothing}
      <button
        part="pay-button"
        class="pay"
        type="button"
        aria-disabled=${canPay ? 'false' : 'true'}
        aria-describedby=${ifDefined(method ? undefined : 'pay-hint')}
        @click=${this.onPay}
      >
        ${busy ? t('checkout.paying') : t('checkout.pay', { amount })}
      </button>
      <p part="progress" class="message progress" role="status">${waitingLong
        ? html`<span class="spinner" aria-hidden="true"></span>${t('checkout.contacting', { provider: t(`picker.provider.${method.provider}`) })}`
        : nothing}</p>
      ${waitingLong ? html`<button part="cancel" class="secondary" type="button" @click=${this.onCancelStart}>${t('common.cancel')}</button>` : nothing}
      ${method ? nothing : html`<p id="pay-hint" class="hint">${t('checkout.choose')}</p>`}
    </div>`;
  }

  /**
   * The session's amount in words: the endpoint's text while it is for this language, so the first paint never waits
   * for the browser's currency data (tens of ms on a phone). After that paint the browser formats the amount too, and
   * where its text differs (a browser without that language's data, another ICU) its own is shown from then on.
   */
  private amountText(session: SessionResponse): string {
    const tag = this.i18n.tag;
    const own = () => formatAmount(session.amount, session.currency, tag);
    const text = session.amountText;
    if (!text || session.locale !== tag || this.ownAmount === session) return own();
    if (this.amountChecked !== session) {
      this.amountChecked = session;
      afterPaint(() => {
        if (own() === text) return;
        this.ownAmount = session;
        this.requestUpdate();
      });
    }
    return text;
  }

  /** Why the payment did not start and, when the method or its provider is the trouble, another method to try. */
  private payErrorMessage(code: EndpointErrorCode): string {
    const t = this.i18n.t.bind(this.i18n);
    const failed = this.flow.method;
    const groupBy: MethodGrouping = this.groupBy === 'provider' ? 'provider' : 'kind';
    // A provider that did not answer or refused is avoided; for an unavailable method any other will do.
    const avoid = code === 'method-unavailable' ? undefined : failed?.provider;
    const alternative = failed && SUGGEST_ANOTHER.has(code) ? alternativeMethod(this.session?.methods ?? [], failed.id, groupBy, avoid) : undefined;
    if (!alternative) return t(`error.${code}`);
    // "Please choose another one" would say the suggestion twice.
    const problem = code === 'method-unavailable' ? t('checkout.methodUnavailable') : t(`error.${code}`);
    return `${problem} ${t('checkout.tryAnother', { method: this.methodName(alternative.id) })}`;
  }

  private renderStatus(reference: string, kronor: KronorWatch | undefined, known?: PaymentView): TemplateResult {
    return html`<kassa-status
      exportparts=${STATUS_PARTS}
      endpoint=${this.endpoint}
      reference=${reference}
      .kronor=${kronor}
      .payment=${known}
      locale=${this.i18n.tag}
      @kassa-complete=${this.onComplete}
      @kassa-fail=${this.onFail}
    ></kassa-status>`;
  }

  private renderCancel(): TemplateResult {
    return html`<button part="cancel" class="secondary" type="button" @click=${() => this.flow.cancel()}>${this.i18n.t('common.cancel')}</button>`;
  }

  private methodName(methodId: string): string {
    const methods = this.session?.methods ?? [];
    const index = methods.findIndex((m) => m.id === methodId);
    // Named as the picker names it: two entries that read alike carry their provider's name.
    return index < 0 ? '' : methodNames(methods, (key, params) => this.i18n.t(key, params), this.i18n.locale)[index]!;
  }
}

/** Pay errors where the method or its provider is the trouble: another method may well work. */
const SUGGEST_ANOTHER: ReadonlySet<EndpointErrorCode> = new Set(['provider-unavailable', 'provider-refused', 'method-unavailable', 'unknown-method']);

declare global {
  interface HTMLElementTagNameMap {
    'kassa-checkout': KassaCheckout;
  }
}
