import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { LocaleController } from '../shared/locale-controller.ts';
import { CountdownController } from './countdown-controller.ts';
import { formatRemaining, QR_QUIET_ZONE, qrOutline, safeDeepLink, type QrOutline } from './qr-code.ts';
import { styles } from './qr.styles.ts';

/**
 * A QR code to scan with a payment app (Swish, MobilePay, Vipps …) and an "Open {app}" link for a shopper already
 * on their phone. The code is drawn as an SVG path (lean-qr), dark on white with a quiet zone whatever the theme.
 * With `expires-at`, a countdown shows the time left (updated every second, not announced) and, at zero, an
 * announced "expired" message; the code and the link are then removed and the `expired` attribute is set.
 *
 * @tagname kassa-qr
 * @summary QR code and app link for Swish / MobilePay / Vipps-style payments, with an expiry countdown.
 *
 * @csspart code - The QR code (`<svg role="img">`).
 * @csspart instructions - The line telling the shopper to scan with the app.
 * @csspart open-app - The "Open {app}" link (only for a `swish:`, `mobilepay:`, `vipps:` or `https:` deep link).
 * @csspart countdown - The time left, then the expiry message (only with `expires-at`).
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Colour of the countdown.
 * @cssproperty --kassa-color-background - Page background colour (shared theme).
 * @cssproperty --kassa-color-surface - Surface colour (shared theme).
 * @cssproperty --kassa-color-border - Border colour (shared theme).
 * @cssproperty --kassa-color-accent - Background of the open-app link.
 * @cssproperty --kassa-color-accent-text - Text colour of the open-app link.
 * @cssproperty --kassa-color-error - Colour of the expiry message.
 * @cssproperty --kassa-color-success - Success colour (shared theme).
 * @cssproperty --kassa-color-focus - Focus ring colour.
 * @cssproperty --kassa-radius - Corner radius of the code and the link.
 * @cssproperty --kassa-spacing - Base spacing unit.
 * @cssproperty --kassa-font-family - Font family.
 * @cssproperty --kassa-font-size - Base font size.
 */
export class KassaQr extends LitElement {
  static override styles = styles;

  /** The QR payload, e.g. Swish's `D<token>`. Empty (or more than a QR code holds) → no code is drawn. */
  @property() data = '';

  /**
   * The app link, shown as "Open {app}" only when its scheme is `swish:`, `mobilepay:`, `vipps:` or `https:`
   * (without credentials); anything else is dropped.
   */
  @property({ attribute: 'deep-link' }) deepLink = '';

  /** The app's display name, e.g. "Swish". Plain text; without it the messages say "your payment app". */
  @property() app = '';

  /** When the code stops working (ISO 8601). Set → a countdown, then the expiry message. */
  @property({ attribute: 'expires-at' }) expiresAt = '';

  /** Reflected; set by the element once `expires-at` has passed (setting it yourself has no lasting effect). */
  @property({ type: Boolean, reflect: true }) expired = false;

  /** The language of the messages (a BCP 47 tag such as `sv` or `nb-NO`); by default the page's. */
  @property() locale: string | undefined;

  private readonly i18n = new LocaleController(this);
  private readonly countdown = new CountdownController(this);
  private outline: QrOutline | undefined;
  private link: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.outline = qrOutline(this.data);
    if (changed.has('deepLink')) this.link = safeDeepLink(this.deepLink);
    if (changed.has('expiresAt')) this.countdown.setDeadline(this.expiresAt);
    this.expired = this.countdown.expired;
  }

  protected override render() {
    const app = this.app || this.i18n.t('qr.appFallback');
    const expired = this.expired;
    return html`<div class="qr">
      ${expired ? nothing : html`<p part="instructions" class="instructions">${this.i18n.t('qr.instructions', { app })}</p>`}
      ${this.outline && !expired ? this.renderCode(this.outline, app) : nothing}
      ${this.link && !expired ? html`<a part="open-app" class="open-app" href=${this.link}>${this.i18n.t('qr.openApp', { app })}</a>` : nothing}
      ${this.renderCountdown(expired)}
    </div>`;
  }

  private renderCode(outline: QrOutline, app: string) {
    const pad = QR_QUIET_ZONE;
    const side = outline.size + 2 * pad;
    return html`<svg
      part="code"
      class="code"
      viewBox="${-pad} ${-pad} ${side} ${side}"
      role="img"
      aria-label=${this.i18n.t('qr.alt', { app })}
      shape-rendering="crispEdges"
    >
      ${svg`<rect class="quiet" x=${-pad} y=${-pad} width=${side} height=${side}></rect><path class="modules" d=${outline.path}></path>`}
    </svg>`;
  }

  private renderCountdown(expired: boolean) {
    const seconds = this.countdown.secondsLeft;
    if (seconds === undefined) return nothing;
    // The time left is not announced each second; only the expiry is (the status region exists from the start).
    return html`<p part="countdown" class="countdown">
      <span aria-live="off" ?hidden=${expired}>${this.i18n.t('qr.expiresIn', { time: formatRemaining(seconds) })}</span>
      <span role="status">${expired ? this.i18n.t('qr.expired') : ''}</span>
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kassa-qr': KassaQr;
  }
}
