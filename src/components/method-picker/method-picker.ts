import { html, isServer, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { methodNames, type MessageKey } from '../../core/i18n.ts';
import { PROVIDER_NAMES, isProviderName, type MethodKind, type PaymentMethod } from '../../core/model.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import { loadedLogoMarks, loadLogoMarks } from '../shared/logos.ts';
import { styles } from './method-picker.styles.ts';

/** The order groups appear in when grouped by kind; a kind the endpoint invents later falls into `other`. */
export const KIND_ORDER: readonly MethodKind[] = ['card', 'wallet', 'mobile', 'bank', 'invoice', 'installments', 'health', 'other'];

/** How the picker groups methods: by what they are (`kind`) or by who handles them (`provider`). */
export type MethodGrouping = 'kind' | 'provider';

export interface MethodGroup {
  key: string;
  label: MessageKey;
  methods: Array<{ method: PaymentMethod; index: number }>;
}

/**
 * The methods the picker shows, in groups and in the order it shows them: methods whose provider is not one of
 * Kassa's, or whose id repeats an earlier one, are left out; within a group the list's order stands.
 */
export function groupMethods(list: readonly PaymentMethod[] | unknown, groupBy: MethodGrouping): MethodGroup[] {
  const seen = new Set<string>();
  const usable = (Array.isArray(list) ? (list as PaymentMethod[]) : []).filter((m) => {
    if (!m || typeof m.id !== 'string' || !m.id || seen.has(m.id) || !isProviderName(m.provider)) return false;
    seen.add(m.id);
    return true;
  });
  const byProvider = groupBy === 'provider';
  const keys: readonly string[] = byProvider ? PROVIDER_NAMES : KIND_ORDER;
  const buckets = new Map<string, PaymentMethod[]>(keys.map((key) => [key, []]));
  for (const method of usable) {
    const key = byProvider ? method.provider : KIND_ORDER.includes(method.kind) ? method.kind : 'other';
    buckets.get(key)!.push(method);
  }
  let index = 0;
  const groups: MethodGroup[] = [];
  for (const [key, methods] of buckets) {
    if (!methods.length) continue;
    const label = (byProvider ? `picker.provider.${key}` : `picker.group.${key}`) as MessageKey;
    groups.push({ key, label, methods: methods.map((method) => ({ method, index: index++ })) });
  }
  return groups;
}

/**
 * Another method to suggest when `failedId` could not start: the first one the picker shows that is not it,
 * preferring one of another provider when the provider itself was the trouble; undefined when there is no other.
 */
export function alternativeMethod(
  list: readonly PaymentMethod[],
  failedId: string,
  groupBy: MethodGrouping,
  avoidProvider?: string,
): PaymentMethod | undefined {
  const shown = groupMethods(list, groupBy).flatMap((group) => group.methods.map((entry) => entry.method));
  const others = shown.filter((m) => m.id !== failedId);
  return others.find((m) => m.provider !== avoidProvider && !m.providers?.every((p) => p === avoidProvider)) ?? others[0];
}

/**
 * An accessible radio group of payment methods from every provider, grouped by kind or provider, localized, with
 * logos.
 *
 * Keyboard (as native radios): one tab stop (the checked method, or the first); ArrowDown/ArrowRight and
 * ArrowUp/ArrowLeft move to the next/previous method across groups, wrapping, and select it (left/right swap in
 * right-to-left text); Home/End go to the first/last method and select it; Space selects the focused method.
 *
 * Accessibility tree: one `radiogroup` named by `picker.label` ("Payment method") holds every method, so there is one
 * tab stop and arrow keys cross groups, as native radios sharing one `name` do across fieldsets; each visible group
 * is a `group` named by its visible label ("Cards", "Wallets" …); each method is a `radio` whose accessible name is
 * the method's name. Logos are decorative (`alt=""`, `aria-hidden`): the name is right beside them, and an alt text
 * would only make screen readers say the name twice ("Swish logo Swish").
 *
 * Names: a method of a type Kassa knows (`card`, `paypal`, `swish`, Hero's `b2b-pay-later` terms, …) is named by
 * Kassa's own catalogue in the shopper's language; a method of type `other` (or a variant Kassa does not know) by the
 * provider's name, picked by `pickLocalized`. When two methods would read the same (the endpoint lists every
 * provider's own card, say), each adds its provider's name ("Card · WhenThen"), so no two radios sound alike.
 *
 * Logos: `logo` is an image URL (shown only when `safeImageUrl` accepts it, loaded without a referrer) or a Kassa
 * mark `kassa:<method type or card brand>`; a method without one, or whose image fails to load, shows the mark of
 * its type. A card method shows its `brands` as small marks after its name. Kassa's marks are SVG on a light chip
 * (readable on light and dark pages, sharp at any zoom), loaded in their own chunk after the first paint: until then
 * an empty space of the same size holds their place.
 *
 * Method names and logos from the providers are untrusted and rendered as text. Methods whose provider is not one
 * of Kassa's, or whose id repeats an earlier one, are left out.
 *
 * Details under the checked method: content given in the `details` slot (the method's fields, as the checkout does
 * with `kassa-method-fields`) shows right under the checked method's row, inside its group, and moves with the
 * choice; nothing shows it while no method is checked. It is in the tab order right after the checked method, so Tab
 * goes from the method into its fields and then out of the picker; arrow keys, Home, End and Space pressed inside it
 * stay with it (they move the caret, not the choice), and clicks in it choose nothing.
 *
 * @tag kassa-method-picker
 * @summary Choose a payment method: an accessible radio group, grouped, localized, with logos.
 *
 * @fires {Event} change - The shopper selected another method (click, Space, arrow keys, Home/End); read the new id from
 *   `value`. A plain `Event` with `bubbles` and `composed`; not fired when `value` is set by code.
 *
 * @slot details - What the checked method needs (its fields): shown right under the checked method's row.
 *
 * @csspart radiogroup - The radio group holding every group of methods.
 * @csspart group - One group of methods.
 * @csspart group-label - A group's visible label.
 * @csspart method - One method (role `radio`).
 * @csspart method-checked - Also on the method that is checked (`::part()` cannot test attributes).
 * @csspart details - The box under the checked method that holds the `details` slot.
 * @csspart logo - A method's logo: the provider's image, or Kassa's mark (2.5em × 1.6em).
 * @csspart name - A method's name.
 * @csspart brands - A card method's brand marks, after its name.
 * @csspart empty - The message shown when there is no method.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Group labels.
 * @cssproperty --kassa-color-background - A method's background.
 * @cssproperty --kassa-color-surface - The checked method's background.
 * @cssproperty --kassa-color-border - Borders.
 * @cssproperty --kassa-color-accent - The checked method's border and radio dot.
 * @cssproperty --kassa-color-accent-text - Text on accent (theme).
 * @cssproperty --kassa-color-error - Error colour (theme).
 * @cssproperty --kassa-color-success - Success colour (theme).
 * @cssproperty --kassa-color-focus - Focus ring.
 * @cssproperty --kassa-radius - Corner radius.
 * @cssproperty --kassa-spacing - Spacing unit.
 * @cssproperty --kassa-font-family - Font.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaMethodPicker extends KassaElement {
  static override styles = styles;

  /** The methods to offer, as the endpoint's session lists them. Within a group they keep this order. */
  @property({ attribute: false }) methods: PaymentMethod[] = [];

  /** The selected method's id (`kronor:swish`); `''` when none. A value matching no method checks nothing. */
  @property() value = '';

  /** Group by `kind` (cards, wallets, …; the default) or by `provider`. Groups come in a fixed order. */
  @property({ attribute: 'group-by' }) groupBy: MethodGrouping = 'kind';

  /** The language (BCP 47); otherwise the nearest `lang` in the page, then the browser's. */
  @property({ reflect: true }) locale?: string;

  /** Nothing can be selected; the methods are shown dimmed and leave the tab order. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private brokenLogos: ReadonlySet<string> = new Set();
  /** Whether the `details` slot has content: an empty one takes no room under the checked method. */
  @state() private hasDetails = false;

  private readonly i18n = new LocaleController(this);
  private groups: MethodGroup[] = [];
  private ordered: PaymentMethod[] = [];
  /** Set while Kassa's marks load for this element (once per list, so an offline page does not retry per render). */
  private marksRequested = false;

  /** Focuses the tab stop: the checked method, or the first. */
  override focus(options?: FocusOptions): void {
    const radio = this.radioAt(this.tabStopIndex());
    if (radio && !this.disabled) radio.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    if (changed.has('methods') || changed.has('groupBy')) this.regroup();
    if (changed.has('methods')) this.marksRequested = false;
  }

  /** After the first paint with methods: Kassa's marks, from their own chunk. */
  protected override updated(): void {
    if (loadedLogoMarks() || this.marksRequested || !this.ordered.length) return;
    this.marksRequested = true;
    loadLogoMarks().then(
      () => this.requestUpdate(),
      () => undefined, // offline: the empty chips stay; a new method list tries again
    );
  }

  protected override render(): TemplateResult {
    if (!this.ordered.length) return html`<p part="empty" class="empty" dir=${this.i18n.dir}>${this.i18n.t('picker.empty')}</p>`;
    const tabStop = this.tabStopIndex();
    const labels = methodNames(this.ordered, (key, params) => this.i18n.t(key, params), this.i18n.locale);
    return html`
      <div
        part="radiogroup"
        class="picker"
        dir=${this.i18n.dir}
        role="radiogroup"
        aria-label=${this.i18n.t('picker.label')}
        aria-disabled=${this.disabled ? 'true' : nothing}
        @keydown=${this.onKeydown}
        @click=${this.onClick}
      >
        ${this.groups.map(
          (group, g) => html`
            <div part="group" class="group" role="group" aria-labelledby="group-${g}">
              <div part="group-label" class="group-label" id="group-${g}">${this.i18n.t(group.label)}</div>
              ${group.methods.map(({ method, index }) => [
                this.renderMethod(method, labels[index]!, index, index === tabStop),
                method.id === this.value
                  ? html`<div part="details" class="details" ?hidden=${!this.hasDetails}><slot name="details" @slotchange=${this.onDetailsChange}></slot></div>`
                  : nothing,
              ])}
            </div>
          `,
        )}
      </div>
    `;
  }

  private renderMethod(method: PaymentMethod, label: string, index: number, tabStop: boolean): TemplateResult {
    const checked = method.id === this.value;
    const marks = loadedLogoMarks();
    const logo = marks?.methodLogo(method);
    const brands = marks?.cardBrands(method) ?? [];
    return html`
      <div
        part=${checked ? 'method method-checked' : 'method'}
        class="method"
        role="radio"
        data-index=${index}
        aria-checked=${checked ? 'true' : 'false'}
        aria-disabled=${this.disabled ? 'true' : nothing}
        tabindex=${tabStop && !this.disabled ? 0 : -1}
      >
        <span class="dot" aria-hidden="true"></span>
        ${logo?.url && !this.brokenLogos.has(logo.url)
          ? html`<img part="logo" class="logo" src=${logo.url} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" @error=${() => this.logoFailed(logo.url!)} />`
          : html`<span part="logo" class="logo">${logo ? marks!.logoMark(logo.mark) : nothing}</span>`}
        <span part="name" class="name">${label}</span>
        ${brands.length ? html`<span part="brands" class="brands">${brands.map((brand) => html`<span class="brand">${marks!.logoMark(brand)}</span>`)}</span>` : nothing}
      </div>
    `;
  }

  private regroup(): void {
    this.groups = groupMethods(this.methods, this.groupBy);
    this.ordered = this.groups.flatMap((group) => group.methods.map((entry) => entry.method));
  }

  private tabStopIndex(): number {
    const checked = this.ordered.findIndex((m) => m.id === this.value);
    return checked >= 0 ? checked : 0;
  }

  private radioAt(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[role="radio"][data-index="${index}"]`);
  }

  private indexOf(target: EventTarget | null): number | undefined {
    const radio = target instanceof Element && target.getRootNode() === this.renderRoot ? target.closest('[role="radio"]') : null;
    const index = radio ? Number(radio.getAttribute('data-index')) : NaN;
    return Number.isInteger(index) && index >= 0 && index < this.ordered.length ? index : undefined;
  }

  private onClick = (event: MouseEvent): void => {
    const index = this.indexOf(event.target);
    if (index === undefined || this.disabled) return;
    this.choose(index);
  };

  private onKeydown = (event: KeyboardEvent): void => {
    if (this.disabled || event.altKey || event.ctrlKey || event.metaKey) return;
    // Keys pressed in the details (the method's fields) are theirs: a Space or an arrow there edits the text.
    const current = this.indexOf(event.target);
    if (current === undefined) return;
    const count = this.ordered.length;
    // The direction the methods are laid out in: the language shown, not the page's.
    const rtl = this.i18n.dir === 'rtl';
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = current + 1;
        break;
      case 'ArrowUp':
        next = current - 1;
        break;
      case 'ArrowRight':
        next = rtl ? current - 1 : current + 1;
        break;
      case 'ArrowLeft':
        next = rtl ? current + 1 : current - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case ' ':
        next = current;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.choose((next + count) % count);
  };

  /** The shopper's choice: focus it, check it, and tell the page when the value changed. */
  private choose(index: number): void {
    const method = this.ordered[index];
    if (!method) return;
    this.radioAt(index)?.focus();
    if (method.id === this.value) return;
    this.value = method.id;
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private onDetailsChange = (event: Event): void => {
    this.hasDetails = (event.target as HTMLSlotElement).assignedNodes({ flatten: true }).some((node) => node.nodeType === Node.ELEMENT_NODE || node.textContent?.trim());
  };

  private logoFailed(url: string): void {
    this.brokenLogos = new Set([...this.brokenLogos, url]);
  }
}


declare global {
  interface HTMLElementTagNameMap {
    'kassa-method-picker': KassaMethodPicker;
  }
}
