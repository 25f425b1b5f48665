import { html, isServer, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isPhone, readDeviceSignals } from '../../core/device.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import enParts from '../../core/locales/en-parts.ts';
import { CountdownController } from './countdown-controller.ts';
import { formatRemaining, QR_QUIET_ZONE, qrOutline, safeDeepLink, type QrOutline } from './qr-code.ts';
import { styles } from './qr.styles.ts';

/**
 * Paying with an app (Swish, MobilePay, Vipps …): an "Open {app}" link and a QR code to scan with the app. Which
 * leads depends on the device (`layout`, `auto` by default): on a phone — a touch screen and a mobile browser,
 * the device the app is on — a big "Open {app}" button leads, with "Approve the payment in {app}", and the code
 * waits behind "Paying on another device? Show the QR code"; elsewhere the code leads ("Scan the code with {app}
 * on your phone") and "Open {app} on this device" is a plain link below it. The code is drawn as an SVG path
 * (lean-qr), dark on white with a quiet zone whatever the theme, centred in its own box. With `expires-at`, a
 * countdown (m:ss) shows how long the request stays valid (updated every second, not announced) and, at zero, an
 * announced "expired" message; the code and the link are then removed and the `expired` attribute is set.
 *
 * @tagname kassa-qr
 * @summary App link and QR code for Swish / MobilePay / Vipps-style payments, app first on a phone, with an expiry countdown.
 *
 * @csspart code - The QR code (`<svg role="img">`).
 * @csspart instructions - The first line: "Approve the payment in {app}" when the app leads, else "Scan the code with {app} on your phone".
 * @csspart open-app - The app link (only for a `swish:`, `mobilepay:`, `vipps:` or `https:` deep link): the "Open {app}" button when the app leads, else the "Open {app} on this device" link.
 * @csspart show-code - The "Paying on another device? Show the QR code" button (`aria-expanded`) when the app leads.
 * @csspart countdown - The time left, then the expiry message (only with `expires-at`).
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Colour of the countdown.
 * @cssproperty --kassa-color-background - Page background colour (shared theme).
 * @cssproperty --kassa-color-surface - Surface colour (shared theme).
 * @cssproperty --kassa-color-border - Border colour (shared theme).
 * @cssproperty --kassa-color-accent - Background of the open-app button; colour of the secondary links.
 * @cssproperty --kassa-color-accent-text - Text colour of the open-app button.
 * @cssproperty --kassa-color-error - Colour of the expiry message.
 * @cssproperty --kassa-color-success - Success colour (shared theme).
 * @cssproperty --kassa-color-focus - Focus ring colour.
 * @cssproperty --kassa-radius - Corner radius of the code, its box and the button.
 * @cssproperty --kassa-spacing - Base spacing unit.
 * @cssproperty --kassa-font-family - Font family.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaQr extends KassaElement {
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

  /** When the payment request stops being payable (ISO 8601). Set → a countdown (m:ss), then the expiry message. */
  @property({ attribute: 'expires-at' }) expiresAt = '';

  /**
   * Reflected; set by the element once `expires-at` has passed (setting it yourself has no lasting effect).
   * @readonly
   */
  @property({ type: Boolean, reflect: true }) expired = false;

  /**
   * Which leads: `app` — the "Open {app}" button, with the QR code behind "Paying on another device? Show the QR
   * code" (for a shopper on the phone that has the app); `qr` — the code to scan, with a plain "Open {app} on this
   * device" link below; `auto` (the default) — `app` on a phone (a touch screen and a mobile browser), else `qr`.
   * Without a usable `deep-link` the code leads whatever the layout.
   */
  @property({ reflect: true }) layout: 'auto' | 'app' | 'qr' = 'auto';

  /** The language of the messages (a BCP 47 tag such as `sv` or `nb-NO`); by default the page's. */
  @property() locale: string | undefined;

  private readonly i18n = new LocaleController(this, enParts);
  private readonly countdown = new CountdownController(this);
  private outline: QrOutline | undefined;
  private link: string | undefined;
  /** Read once on connection: a phone does not turn into a desktop while the shopper pays. */
  private onPhone = false;
  /** In the app layout: whether the shopper opened the QR code (for paying on another device). */
  @state() private codeShown = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.onPhone = isPhone(readDeviceSignals());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    if (changed.has('data')) this.outline = qrOutline(this.data);
    if (changed.has('deepLink')) this.link = safeDeepLink(this.deepLink);
    if (changed.has('expiresAt')) this.countdown.setDeadline(this.expiresAt);
    this.expired = this.countdown.expired;
  }

  protected override render() {
    const app = this.app || undefined;
    const name = app ?? this.i18n.t('qr.appFallback');
    const link = this.expired ? undefined : this.link;
    const appFirst = link !== undefined && (this.layout === 'app' || (this.layout !== 'qr' && this.onPhone));
    const outline = this.expired ? undefined : this.outline;
    // The countdown keeps its place in every layout, so its live region is the same node when the expiry is announced;
    // once expired nothing else is left to scan or open.
    return html`<div class="qr" dir=${this.i18n.dir}>
      ${this.expired ? nothing : html`<p part="instructions" class="instructions">${appFirst ? this.approveText(app) : this.scanText(app)}</p>`}
      ${appFirst
        ? html`<a part="open-app" class="open-app" href=${link}>${this.i18n.t('qr.openApp', { app: name })}</a>`
        : outline
          ? html`<div class="code-box">${this.renderCode(outline, name)}</div>`
          : nothing}
      ${this.renderCountdown(this.expired)}
      ${appFirst ? (outline ? this.renderCodeDisclosure(outline, app, name) : nothing) : link ? this.renderOpenHere(link, name) : nothing}
    </div>`;
  }

  /** App first: the code is for a shopper paying on another device, behind a disclosure. */
  private renderCodeDisclosure(outline: QrOutline, app: string | undefined, name: string) {
    return html`<button
        part="show-code"
        class="show-code"
        type="button"
        aria-expanded=${this.codeShown ? 'true' : 'false'}
        aria-controls="code-box"
        @click=${this.toggleCode}
      >
        ${this.i18n.t('qr.showCode')}
      </button>
      <div id="code-box" class="code-box" ?hidden=${!this.codeShown}>
        <p class="hint">${this.scanText(app)}</p>
        ${this.codeShown ? this.renderCode(outline, name) : nothing}
      </div>`;
  }

  /** Code first: a plain link for a shopper who has the app on this very device. */
  private renderOpenHere(link: string, name: string) {
    return html`<a part="open-app" class="open-app-here" href=${link}>${this.i18n.t('qr.openAppHere', { app: name })}</a>`;
  }

  private approveText(app: string | undefined): string {
    return app ? this.i18n.t('qr.approve', { app }) : this.i18n.t('qr.approveAnyApp');
  }

  private scanText(app: string | undefined): string {
    return app ? this.i18n.t('qr.instructions', { app }) : this.i18n.t('qr.instructionsAnyApp');
  }

  private toggleCode(): void {
    this.codeShown = !this.codeShown;
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

/** Which leads in `kassa-qr`: the app link (`app`), the QR code (`qr`), or whichever fits the device (`auto`). */
export type QrLayout = KassaQr['layout'];

declare global {
  interface HTMLElementTagNameMap {
    'kassa-qr': KassaQr;
  }
}
