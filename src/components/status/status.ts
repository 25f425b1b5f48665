import { html, isServer, nothing, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { EndpointErrorCode } from '../../core/endpoint-client.ts';
import { formatAmount } from '../../core/format.ts';
import { chooseLocale } from '../../core/i18n.ts';
import { FINAL_STATES, type PaymentState, type PaymentView } from '../../core/model.ts';
import { recallCheckoutPlace, recallPending, referenceFromUrl, wayBackUrl } from '../../core/pending-payment.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import enParts from '../../core/locales/en-parts.ts';
import { StatusController, type KronorStatusAccess } from './status-controller.ts';
import { styles } from './status.styles.ts';

export type Tone = 'waiting' | 'success' | 'failure' | 'neutral' | 'problem';

const ICONS: Record<Tone, SVGTemplateResult> = {
  waiting: svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2.5" stroke-dasharray="42 15" stroke-linecap="round"></circle>`,
  success: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"></path>`,
  failure: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M8.5 8.5l7 7M15.5 8.5l-7 7" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round"></path>`,
  neutral: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M7.5 12h9" stroke="#fff" stroke-width="2.4" stroke-linecap="round"></path>`,
  problem: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M12 7v6.5" stroke="#fff" stroke-width="2.4" stroke-linecap="round"></path><circle cx="12" cy="17" r="1.4" fill="#fff"></circle>`,
};

const SUCCESS_TONE: ReadonlySet<PaymentState> = new Set(['paid', 'authorized']);
const FAILURE_TONE: ReadonlySet<PaymentState> = new Set(['failed', 'declined', 'cancelled', 'expired']);

/** Final failures, each with what it means for the shopper and what to do next. */
export const NEXT_STEP = {
  declined: 'status.nextDeclined',
  cancelled: 'status.nextCancelled',
  expired: 'status.nextExpired',
  failed: 'status.nextFailed',
} as const satisfies Partial<Record<PaymentState, `status.${string}`>>;

/** A tag as `lang` and `locale` take it (`sv`, `de-CH`): anything else remembered is not used. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * The tone of a settled or awaited state: success; a failure; the shopper's own cancel, which is no error (neutral);
 * a refund, final but neither (problem's notice icon); or still waiting.
 */
export function toneOf(state: PaymentState | undefined): Tone {
  if (!state) return 'waiting';
  if (state === 'cancelled') return 'neutral';
  if (SUCCESS_TONE.has(state)) return 'success';
  if (FAILURE_TONE.has(state)) return 'failure';
  return FINAL_STATES.has(state) ? 'problem' : 'waiting';
}


/**
 * The live status of one payment until it is final. Works alone on the shop's return page: with only `endpoint`
 * it finds the payment in the address (`?kassa_payment=…`) or in what the checkout remembered, and follows it —
 * the endpoint's Server-Sent Events (falling back to polling with backoff), or for Kronor the payment request
 * straight at Kronor. Everything it opens is closed when it leaves the page.
 *
 * After a declined, cancelled, expired or failed payment it says what that means for the shopper and, when it knows
 * the checkout page (`checkout-url`, or the page the checkout was left from), offers "Choose another payment method"
 * back to it. It speaks the language the shopper checked out in, unless given a `locale` or `lang` of its own. While
 * the state is awaited it says when the browser goes offline and when it is back online.
 *
 * @tagname kassa-status
 * @summary Shows a payment's state live until it is final.
 *
 * @fires {KassaStatusChangeEvent} kassa-status-change - The state changed (also for the first state read); `payment`, `state`.
 * @fires {KassaCompleteEvent} kassa-complete - The payment succeeded (paid, or authorized for the merchant to capture); once.
 * @fires {KassaFailEvent} kassa-fail - The payment ended as failed, declined, cancelled or expired; once.
 * @fires {KassaErrorEvent} kassa-error - The endpoint answered with a problem (`code`, localized `message`); a retry button is shown.
 *
 * @csspart status - The live region holding the icon, message and amount.
 * @csspart icon - The decorative state icon.
 * @csspart message - The localized state (or problem) message.
 * @csspart detail - After a final failure: what it means for the shopper and what to do next.
 * @csspart note - A passing note: offline, back online, or the connection being checked again.
 * @csspart amount - The payment's amount, formatted for the shopper's locale.
 * @csspart retry - The "Try again" button, shown with an endpoint problem.
 * @csspart choose-another - After a final failure: the "Choose another payment method" link back to the checkout.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Secondary text (the amount, the notes) and the icon of a cancelled payment.
 * @cssproperty --kassa-color-background - Page background behind Kassa elements.
 * @cssproperty --kassa-color-surface - The status panel's background.
 * @cssproperty --kassa-color-border - The status panel's border.
 * @cssproperty --kassa-color-accent - The waiting icon and the retry button.
 * @cssproperty --kassa-color-accent-text - Text on the accent colour.
 * @cssproperty --kassa-color-error - The failure and problem icon.
 * @cssproperty --kassa-color-success - The success icon.
 * @cssproperty --kassa-color-focus - Focus ring.
 * @cssproperty --kassa-radius - Corner radius.
 * @cssproperty --kassa-spacing - Base spacing unit.
 * @cssproperty --kassa-font-family - Font family.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaStatus extends KassaElement {
  static override styles = styles;

  /** The merchant's Kassa endpoint, e.g. `/kassa` (required). */
  @property() endpoint: string | undefined;

  /**
   * The payment reference (`kp_…`). By default the one in the page's address (`?kassa_payment=`), then the payment
   * the checkout remembered before the shopper left the page.
   */
  @property() reference: string | undefined;

  /**
   * The shopper's language (`sv`, `de-CH` …); by default the element's own `lang`, then the language the shopper
   * checked out in (remembered with the payment), then the page's `lang`, then the browser's languages.
   */
  @property({ reflect: true }) locale: string | undefined;

  /**
   * The checkout page of the order, where "Choose another payment method" leads after a final failure (a URL on the
   * page's own origin; others are ignored). By default the page the checkout was left from, when remembered.
   */
  @property({ attribute: 'checkout-url' }) checkoutUrl: string | undefined;

  /**
   * Kronor access (`sessionToken`, `httpUrl`, `wsUrl`, optional `waitToken`) to follow a Kronor payment at Kronor
   * itself. By default what the checkout remembered for this payment; without it the endpoint is followed instead.
   */
  @property({ attribute: false }) kronor: KronorStatusAccess | undefined;

  /**
   * The payment's current state, reflected for styling (`kassa-status[state=paid]`). Set by the element: a value
   * set from outside is replaced at the next update.
   * @readonly
   */
  @property({ reflect: true }) state: PaymentState | undefined;

  /** Set when the element's `lang` is the remembered checkout language (and not the merchant's own). */
  private langFromCheckout = false;

  private readonly i18n = new LocaleController(this, enParts);
  private readonly status = new StatusController(this, (code) => this.i18n.t(`error.${code}`));

  /**
   * The payment as last read; undefined until the first answer. Set it to a payment already read (for this
   * `reference`) to show it at once: a final one is then not read again, and its events are not fired again.
   */
  get payment(): PaymentView | undefined {
    return this.status.payment;
  }
  set payment(value: PaymentView | undefined) {
    this.status.known = value;
    this.requestUpdate();
  }

  override connectedCallback(): void {
    this.speakCheckoutLanguage(); // before the locale controller connects, so the first words are already right
    super.connectedCallback();
  }

  /** The payment this element shows, as the status controller will find it. */
  private followedReference(): string | undefined {
    return this.reference?.trim() || referenceFromUrl() || recallPending()?.reference;
  }

  /**
   * Takes the language the shopper checked out in as the element's own `lang` (which also tells assistive
   * technology the language of its words), unless the merchant gave a `locale` or `lang`.
   */
  private speakCheckoutLanguage(): void {
    if (this.locale || (this.hasAttribute('lang') && !this.langFromCheckout)) return;
    const reference = this.followedReference();
    const locale = reference ? recallCheckoutPlace(reference)?.locale : undefined;
    if (!locale || !LANGUAGE_TAG.test(locale)) return;
    this.setAttribute('lang', locale);
    this.langFromCheckout = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    // The locale controller reads the attribute before Lit reflects the property: reflect it now.
    if (changed.has('locale')) {
      if (this.locale) this.setAttribute('locale', this.locale);
      else this.removeAttribute('locale');
    }
  }

  protected override update(changed: PropertyValues<this>): void {
    // The status controller may have (re)started in hostUpdate: reflect its state in this same update.
    this.state = this.status.state;
    super.update(changed);
  }

  private retry(): void {
    this.status.retry();
  }

  private message(): string {
    const { phase, error } = this.status;
    const state = this.status.shownState;
    if (phase === 'unknown') return this.i18n.t('status.unknown');
    if (phase === 'error') return this.i18n.t(`error.${error ?? ('generic' satisfies EndpointErrorCode)}`);
    return state ? this.i18n.t(`status.${state}`) : this.i18n.t('status.checking');
  }

  private tone(): Tone {
    const { phase } = this.status;
    if (phase === 'unknown' || phase === 'error') return 'problem';
    return toneOf(this.status.shownState);
  }

  /** Offline, back online, or the stream being checked again: said only while the state is awaited. */
  private note(): string | undefined {
    const { connection, reconnecting, awaiting } = this.status;
    if (!awaiting) return undefined;
    if (connection === 'offline') return this.i18n.t('status.offline');
    if (connection === 'back') return this.i18n.t('status.backOnline');
    return reconnecting ? this.i18n.t('status.reconnecting') : undefined;
  }

  /**
   * Whether the chosen language's words are here: until its catalogue has loaded the card shows no words at all, so
   * a Swedish shopper never sees (nor hears) an English message first.
   */
  private wordsReady(): boolean {
    return chooseLocale([this.i18n.tag]).locale === this.i18n.locale;
  }

  protected override render() {
    const { payment, phase } = this.status;
    const state = this.status.shownState;
    const tone = this.tone();
    if (!this.wordsReady()) {
      return html`<div part="status" class="status waiting" dir=${this.i18n.dir} role="status" aria-live="polite" aria-busy="true">
        <span part="icon" class="icon" aria-hidden="true"><svg viewBox="0 0 24 24" focusable="false">${ICONS.waiting}</svg></span>
      </div>`;
    }
    const next = phase === 'live' && state && state in NEXT_STEP ? NEXT_STEP[state as keyof typeof NEXT_STEP] : undefined;
    const wayBack = next && payment ? wayBackUrl(this.checkoutUrl, recallCheckoutPlace(payment.reference)?.checkoutUrl) : undefined;
    const note = this.note();
    return html`
      <div part="status" class="status ${tone}" dir=${this.i18n.dir} role="status" aria-live="polite">
        <span part="icon" class="icon" aria-hidden="true"><svg viewBox="0 0 24 24" focusable="false">${ICONS[tone]}</svg></span>
        <div class="text">
          <p part="message" class="message">${this.message()}</p>
          ${next ? html`<p part="detail" class="detail">${this.i18n.t(next)}</p>` : nothing}
          ${note ? html`<p part="note" class="note">${note}</p>` : nothing}
          ${payment ? html`<p part="amount" class="amount">${formatAmount(payment.amount, payment.currency, this.i18n.tag)}</p>` : nothing}
        </div>
      </div>
      ${phase === 'error' ? html`<button part="retry" class="retry" type="button" dir=${this.i18n.dir} @click=${this.retry}>${this.i18n.t('common.retry')}</button>` : nothing}
      ${wayBack ? html`<a part="choose-another" class="action" dir=${this.i18n.dir} href=${wayBack}>${this.i18n.t('status.chooseAnother')}</a>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kassa-status': KassaStatus;
  }
}
