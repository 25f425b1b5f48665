import { html, isServer, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { NextAction } from '../../core/model.ts';
import { checkoutPageUrl, type PendingPayment } from '../../core/pending-payment.ts';
import { KassaErrorEvent } from '../shared/events.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import enParts from '../../core/locales/en-parts.ts';
import { defaultNavigate, takesPostNavigation, type KassaNavigate, type KassaNavigation } from './navigation.ts';
import { RedirectController } from './redirect-controller.ts';
import { redirectTarget, type RedirectTarget } from './redirect-target.ts';
import { styles } from './redirect.styles.ts';

/** `auto="false"` turns the automatic step off; any other value (or none) leaves it on. */
const autoConverter = {
  fromAttribute: (value: string | null): boolean => value !== 'false',
};

/**
 * Sends the shopper on to pay: follows a `redirect` next action (GET) or submits a `form` next action (a POST with
 * hidden fields, e.g. MilkyPay's `flow_data`; a GET form becomes a redirect with the fields in the query). Only
 * absolute `https:` addresses (or `http:` on loopback) without credentials are followed — and, when
 * `allowedHosts` is given, only to those hosts; anything else is refused with a message and a `kassa-error`.
 * A "Continue to payment" control is always shown, so a shopper whose browser blocked the automatic step can go on.
 *
 * Leaving goes through `navigate(url, navigation)`, where `navigation` is `{ method: 'GET', url }` or
 * `{ method: 'POST', url, fields, submit }`, so an SPA router, a webview or a test can take either over. A
 * `navigate` that declares only `url` (`(url) => router.push(url)`) is never handed a POST: the form is submitted.
 *
 * @tagname kassa-redirect
 * @summary Carries out a redirect or form-POST next action, with a visible fallback button.
 *
 * @fires {KassaErrorEvent} kassa-error - With `code: 'unsafe-action'` and a localized `message` when the action's
 *   address is refused; nothing is navigated then.
 *
 * @csspart message - The line saying where the shopper is being taken (role=status), or why not (role=alert).
 * @csspart button - The fallback "Continue to payment" control: a link for GET, the form's submit button for POST.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Colour of the "if nothing happens" notice.
 * @cssproperty --kassa-color-background - Page background colour (shared theme).
 * @cssproperty --kassa-color-surface - Surface colour (shared theme).
 * @cssproperty --kassa-color-border - Border colour (shared theme).
 * @cssproperty --kassa-color-accent - Background of the button.
 * @cssproperty --kassa-color-accent-text - Text colour of the button.
 * @cssproperty --kassa-color-error - Colour of the refusal message.
 * @cssproperty --kassa-color-success - Success colour (shared theme).
 * @cssproperty --kassa-color-focus - Focus ring colour.
 * @cssproperty --kassa-radius - Corner radius of the button.
 * @cssproperty --kassa-spacing - Base spacing unit.
 * @cssproperty --kassa-font-family - Font family.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaRedirect extends KassaElement {
  static override styles = styles;

  /** The next action from `POST /payments`. Only `redirect` and `form` are acted on; other types render nothing. */
  @property({ attribute: false }) action: NextAction | undefined;

  /** The payment being left for; remembered (localStorage) before leaving so the return page can resume it. */
  @property({ attribute: false }) pending: Omit<PendingPayment, 'savedAt'> | undefined;

  /**
   * How to send the shopper on: `navigate(url, navigation)` with `navigation` `{ method: 'GET', url }` or
   * `{ method: 'POST', url, fields, submit }` (`fields` as name–value pairs; `submit()` posts the element's own form).
   * Defaults to `location.assign(url)` for a GET and `submit()` for a POST. A callback that declares only `url` is
   * called for GETs alone; a POST form is then submitted as by default.
   */
  @property({ attribute: false }) navigate: KassaNavigate = defaultNavigate;

  /**
   * How to submit the POST form (a real `<form method="post">` in the shadow root) when `navigate` does not take it
   * over. Defaults to the native `HTMLFormElement.prototype.submit`, which a provider field named `submit` cannot shadow.
   */
  @property({ attribute: false }) submitForm: (form: HTMLFormElement) => void = (form) => HTMLFormElement.prototype.submit.call(form);

  /** When given, the action's host (`host` or `host:port`) must be in this list, or the action is refused. */
  @property({ attribute: false }) allowedHosts: string[] | undefined;

  /**
   * Go at once when a safe action is set and the element is in the page. `auto="false"` (or the property `false`)
   * waits for the shopper to use the button.
   */
  @property({ converter: autoConverter }) auto = true;

  /** The provider's display name, shown in the message ("Taking you to MilkyPay to pay…"). Plain text. */
  @property({ attribute: 'provider-name' }) providerName = '';

  /** The language of the messages (a BCP 47 tag such as `sv` or `nb-NO`); by default the page's. */
  @property() locale: string | undefined;

  @query('form') private form!: HTMLFormElement | null;

  private readonly i18n = new LocaleController(this, enParts);
  private readonly redirect = new RedirectController(this);
  private target: RedirectTarget = { kind: 'none' };
  /** The action already left for (automatically or by the button): never acted on twice automatically. */
  private wentFor: NextAction | undefined;
  /** The unsafe action already reported: one `kassa-error` per action. */
  private reported: NextAction | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    if (changed.has('action') || changed.has('allowedHosts')) this.target = redirectTarget(this.action, this.allowedHosts);
  }

  protected override updated(): void {
    const action = this.action;
    if (!action || this.target.kind === 'none') {
      this.redirect.cancel();
      return;
    }
    if (this.target.kind === 'unsafe') {
      this.redirect.cancel();
      if (this.reported !== action) {
        this.reported = action;
        const error = new KassaErrorEvent('unsafe-action', this.i18n.t('redirect.unsafe'));
        this.dispatchEvent(error);
      }
      return;
    }
    if (!this.auto) {
      this.redirect.cancel();
      return;
    }
    if (this.wentFor !== action && !this.redirect.isScheduled(action)) {
      this.redirect.schedule(action, () => {
        if (this.isConnected && this.auto && this.action === action && this.wentFor !== action) this.go();
      });
    }
  }

  /**
   * The payment to remember, with where it was checked out (this page, this language) unless the page said so
   * itself: the return page comes back to it and speaks its language.
   */
  private leaving(): Omit<PendingPayment, 'savedAt'> | undefined {
    if (!this.pending) return undefined;
    const checkoutUrl = checkoutPageUrl();
    return { ...(checkoutUrl ? { checkoutUrl } : {}), locale: this.i18n.tag, ...this.pending };
  }

  /** Leaves for the current action now (what the button does). Does nothing when there is no safe action. */
  go(): void {
    const action = this.action;
    const target = this.target;
    if (!action || (target.kind !== 'get' && target.kind !== 'post')) return;
    if (target.kind === 'get') {
      this.wentFor = action;
      this.redirect.leave(this.leaving(), () => this.navigate(target.url, { method: 'GET', url: target.url }));
      return;
    }
    const form = this.form;
    if (!form) return; // not rendered yet: the automatic step runs after the first render
    this.wentFor = action;
    const navigate = this.navigate;
    const submit = () => this.submitForm(form);
    const post: KassaNavigation = { method: 'POST', url: target.url, fields: target.fields, submit };
    this.redirect.leave(this.leaving(), () => (takesPostNavigation(navigate) ? navigate(target.url, post) : submit()));
  }

  private onLinkClick(event: MouseEvent): void {
    if (event.defaultPrevented) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      // Opening in a new tab or window: the browser follows the link; the return page still needs the payment.
      if (this.pending) this.redirect.leave(this.leaving(), () => undefined);
      return;
    }
    event.preventDefault();
    this.go();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.go();
  }

  protected override render() {
    const target = this.target;
    if (target.kind === 'none') return nothing;
    if (target.kind === 'unsafe') {
      return html`<div class="redirect" dir=${this.i18n.dir}><p part="message" class="message error" role="alert">${this.i18n.t('redirect.unsafe')}</p></div>`;
    }
    const message = this.auto
      ? html`<p part="message" class="message" role="status">
            ${this.providerName ? this.i18n.t('redirect.going', { provider: this.providerName }) : this.i18n.t('redirect.goingGeneric')}
          </p>
          <p class="notice">${this.i18n.t('redirect.notice')}</p>`
      : nothing;
    const label = this.i18n.t('redirect.continue');
    const control =
      target.kind === 'get'
        ? html`<a part="button" class="button" href=${target.url} @click=${this.onLinkClick}>${label}</a>`
        : html`<form method="post" action=${target.url} @submit=${this.onSubmit}>
            ${target.fields.map(([name, value]) => html`<input type="hidden" name=${name} .value=${value} />`)}
            <button part="button" class="button" type="submit">${label}</button>
          </form>`;
    return html`<div class="redirect" dir=${this.i18n.dir}>${message}${control}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kassa-redirect': KassaRedirect;
  }
}
