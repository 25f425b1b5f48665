import { html, LitElement, nothing, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { EndpointErrorCode } from '../../core/endpoint-client.ts';
import { formatAmount } from '../../core/format.ts';
import { FINAL_STATES, type PaymentState, type PaymentView } from '../../core/model.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import { StatusController, type KronorStatusAccess } from './status-controller.ts';
import { styles } from './status.styles.ts';

type Tone = 'waiting' | 'success' | 'failure' | 'problem';

const ICONS: Record<Tone, SVGTemplateResult> = {
  waiting: svg`<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2.5" stroke-dasharray="42 15" stroke-linecap="round"></circle>`,
  success: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"></path>`,
  failure: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M8.5 8.5l7 7M15.5 8.5l-7 7" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round"></path>`,
  problem: svg`<circle cx="12" cy="12" r="10" fill="currentColor"></circle><path d="M12 7v6.5" stroke="#fff" stroke-width="2.4" stroke-linecap="round"></path><circle cx="12" cy="17" r="1.4" fill="#fff"></circle>`,
};

const SUCCESS_TONE: ReadonlySet<PaymentState> = new Set(['paid', 'authorized']);
const FAILURE_TONE: ReadonlySet<PaymentState> = new Set(['failed', 'declined', 'cancelled', 'expired']);

/**
 * The live status of one payment until it is final. Works alone on the shop's return page: with only `endpoint`
 * it finds the payment in the address (`?kassa_payment=…`) or in what the checkout remembered, and follows it —
 * the endpoint's Server-Sent Events (falling back to polling with backoff), or for Kronor the payment request
 * straight at Kronor. Everything it opens is closed when it leaves the page.
 *
 * @tagname kassa-status
 * @summary Shows a payment's state live until it is final.
 *
 * @fires kassa-status-change - {KassaStatusChangeEvent} The state changed (also for the first state read); `payment`, `state`.
 * @fires kassa-complete - {KassaCompleteEvent} The payment succeeded (paid, or authorized for the merchant to capture); once.
 * @fires kassa-fail - {KassaFailEvent} The payment ended as failed, declined, cancelled or expired; once.
 * @fires kassa-error - {KassaErrorEvent} The endpoint answered with a problem (`code`, localized `message`); a retry button is shown.
 *
 * @csspart status - The live region holding the icon, message and amount.
 * @csspart icon - The decorative state icon.
 * @csspart message - The localized state (or problem) message.
 * @csspart amount - The payment's amount, formatted for the shopper's locale.
 * @csspart retry - The "Try again" button, shown with an endpoint problem.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Secondary text (the amount).
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
 * @cssproperty --kassa-font-size - Base font size.
 */
export class KassaStatus extends LitElement {
  static override styles = styles;

  /** The merchant's Kassa endpoint, e.g. `/kassa` (required). */
  @property() endpoint: string | undefined;

  /**
   * The payment reference (`kp_…`). By default the one in the page's address (`?kassa_payment=`), then the payment
   * the checkout remembered before the shopper left the page.
   */
  @property() reference: string | undefined;

  /** The shopper's language (`sv`, `de-CH` …); by default the page's `lang`, then the browser's languages. */
  @property({ reflect: true }) locale: string | undefined;

  /**
   * Kronor access (`sessionToken`, `httpUrl`, `wsUrl`, optional `waitToken`) to follow a Kronor payment at Kronor
   * itself. By default what the checkout remembered for this payment; without it the endpoint is followed instead.
   */
  @property({ attribute: false }) kronor: KronorStatusAccess | undefined;

  /**
   * The payment's current state, reflected for styling (`kassa-status[state=paid]`). Set by the element: a value
   * set from outside is replaced at the next update.
   */
  @property({ reflect: true }) state: PaymentState | undefined;

  private readonly i18n = new LocaleController(this);
  private readonly status = new StatusController(this, (code) => this.i18n.t(`error.${code}`));

  /** The payment as last read (read-only); undefined until the first answer. */
  get payment(): PaymentView | undefined {
    return this.status.payment;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
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
    const { phase, error, state } = this.status;
    if (phase === 'unknown') return this.i18n.t('status.unknown');
    if (phase === 'error') return this.i18n.t(`error.${error ?? ('generic' satisfies EndpointErrorCode)}`);
    return state ? this.i18n.t(`status.${state}`) : this.i18n.t('status.checking');
  }

  private tone(): Tone {
    const { phase, state } = this.status;
    if (phase === 'unknown' || phase === 'error') return 'problem';
    if (state && SUCCESS_TONE.has(state)) return 'success';
    if (state && FAILURE_TONE.has(state)) return 'failure';
    // Refunds are final but neither a success nor a failure for the shopper: the neutral notice icon.
    return state && FINAL_STATES.has(state) ? 'problem' : 'waiting';
  }

  protected override render() {
    const { payment, phase, reconnecting } = this.status;
    const tone = this.tone();
    return html`
      <div part="status" class="status ${tone}" role="status" aria-live="polite">
        <span part="icon" class="icon" aria-hidden="true"><svg viewBox="0 0 24 24" focusable="false">${ICONS[tone]}</svg></span>
        <div class="text">
          <p part="message" class="message">${this.message()}</p>
          ${reconnecting ? html`<p class="note">${this.i18n.t('status.reconnecting')}</p>` : nothing}
          ${payment ? html`<p part="amount" class="amount">${formatAmount(payment.amount, payment.currency, this.i18n.tag)}</p>` : nothing}
        </div>
      </div>
      ${phase === 'error' ? html`<button part="retry" class="retry" type="button" @click=${this.retry}>${this.i18n.t('common.retry')}</button>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kassa-status': KassaStatus;
  }
}
