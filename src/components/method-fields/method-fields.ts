import { html, isServer, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { englishMessages, methodName, pickLocalized, type MessageKey } from '../../core/i18n.ts';
import type { FieldKind, MethodField, PaymentMethod } from '../../core/model.ts';
import { retryableImport } from '../../core/retryable-import.ts';
import { KassaElement } from '../shared/kassa-element.ts';
import { LocaleController } from '../shared/locale-controller.ts';
import enParts from '../../core/locales/en-parts.ts';
import { styles } from './method-fields.styles.ts';

/** Longest value an input takes (`maxlength`); a longer value set by code is reported as too long. */
export const MAX_FIELD_LENGTH = 256;

/** What Kassa itself knows about a kind of field: its own label, hint, check, autofill token and keyboard. */
export interface KnownField {
  label: MessageKey;
  hint?: MessageKey;
  check?: (value: string) => boolean;
  error?: MessageKey;
  /** What to say when it is left empty: names what to enter, so no label is put in the middle of a sentence. */
  required: MessageKey;
  autocomplete: string;
  /** The input's type when Kassa knows better than the provider (a phone number is `tel`). */
  type?: 'tel' | 'email';
  /** The on-screen keyboard: a number pad for codes and phone numbers. */
  inputMode?: FieldInputMode;
}

/** The `inputmode` values Kassa sets: the keyboard a phone shows for a field. */
export type FieldInputMode = 'numeric' | 'decimal' | 'tel' | 'email';

/** A Swedish mobile number as Swish takes it: 07XXXXXXXX, 467XXXXXXXX, +467… or 00467…, spaces and dashes allowed. */
export function isSwedishMobile(value: string): boolean {
  return /^(?:\+46|0046|46|0)7\d{8}$/.test(value.replace(/[\s-]/g, ''));
}

/** An e-mail address in the shape every provider accepts: something@host.tld, no spaces. */
export function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(value);
}

const isNumber = (value: string): boolean => /^[0-9]+(?:[.,][0-9]+)?$/.test(value);

/**
 * Provider patterns run on re2js (linear time), about 46 kB gzip: it loads with the first method that has a
 * pattern, not with this element. Until it has loaded, a value under a pattern is not yet valid (no error shown).
 */
const loadPatternMatcher = retryableImport(() => import('../../core/safe-pattern.ts'));
let matchesPattern: ((pattern: string, value: string) => boolean) | undefined;

/** A BLIK code: the 6 digits a Polish banking app shows for two minutes. */
export function isBlikCode(value: string): boolean {
  return /^[0-9]{6}$/.test(value);
}

// A postal code keeps the full keyboard: British, Dutch and Canadian ones have letters.
export const KNOWN_FIELDS: Readonly<Record<FieldKind, KnownField>> = {
  phone: { label: 'fields.phoneNumber', required: 'fields.phoneNumber.required', autocomplete: 'tel', type: 'tel', inputMode: 'tel' },
  'swish-number': {
    label: 'fields.phone',
    hint: 'fields.phone.hint',
    check: isSwedishMobile,
    error: 'fields.phone.error',
    required: 'fields.phone.error',
    autocomplete: 'tel',
    type: 'tel',
    inputMode: 'tel',
  },
  email: {
    label: 'fields.email',
    check: isEmailAddress,
    error: 'fields.email.error',
    required: 'fields.email.error',
    autocomplete: 'email',
    type: 'email',
    inputMode: 'email',
  },
  'blik-code': {
    label: 'fields.blikCode',
    hint: 'fields.blikCode.hint',
    check: isBlikCode,
    error: 'fields.blikCode.error',
    required: 'fields.blikCode.error',
    autocomplete: 'one-time-code',
    inputMode: 'numeric',
  },
  'company-name': { label: 'fields.companyName', required: 'fields.companyName.required', autocomplete: 'organization' },
  'address-line1': { label: 'fields.addressLine1', required: 'fields.addressLine1.required', autocomplete: 'address-line1' },
  'postal-code': { label: 'fields.postalCode', required: 'fields.postalCode.required', autocomplete: 'postal-code' },
  city: { label: 'fields.city', required: 'fields.city.required', autocomplete: 'address-level2' },
};

/** A provider pattern that only ever accepts digits (`^[0-9]{6}$`, `^\\d{4,8}$`, `^380[0-9]{9}$`): a code, for the number pad. */
const DIGITS_ONLY_PATTERN = /^\^?(?:(?:\[0-9\]|\\d|[0-9])(?:\{\d+(?:,\d*)?\}|[+*?])?)+\$?$/;

/**
 * The keyboard a field brings up on a phone: Kassa's for a known kind; else the provider's input type's (`tel`,
 * `email`), the number pad for a pattern of digits only, a decimal pad for a `number`.
 */
export function inputModeFor(field: Pick<MethodField, 'type' | 'pattern'>, known: Pick<KnownField, 'inputMode'> | undefined): FieldInputMode | undefined {
  if (known?.inputMode) return known.inputMode;
  if (field.type === 'tel' || field.type === 'email') return field.type;
  if (typeof field.pattern === 'string' && DIGITS_ONLY_PATTERN.test(field.pattern)) return 'numeric';
  return field.type === 'number' ? 'decimal' : undefined;
}

/**
 * The provider's example to show under a field's hint ("e.g. 0701234567"), or undefined when there is none or the
 * hint shows it already (spaces and dashes aside). The example is never a placeholder: grey text in the box reads
 * as a value already filled in, and is gone once typing starts.
 */
export function exampleToShow(hint: string, example: string | undefined): string | undefined {
  const shown = typeof example === 'string' ? example.trim() : '';
  const bare = (text: string) => text.replace(/[\s-]/g, '');
  return shown && !bare(hint).includes(bare(shown)) ? shown : undefined;
}

/** Field keys Kassa recognizes when a provider names no `kind`: Hero's company details, MilkyPay's BLIK code. */
const KIND_BY_KEY: Readonly<Record<string, FieldKind>> = {
  phone: 'phone',
  email: 'email',
  companyName: 'company-name',
  addressLine1: 'address-line1',
  postalCode: 'postal-code',
  city: 'city',
  blik_code: 'blik-code',
};

/**
 * What a field asks for: its `kind` when Kassa knows it; otherwise what its key means to Kassa (Kronor's `phone` is
 * the Swish number); otherwise undefined, and the provider's own label and hint stand.
 */
export function fieldKindOf(field: Pick<MethodField, 'key' | 'kind'>, method: Pick<PaymentMethod, 'provider'>): FieldKind | undefined {
  if (typeof field.kind === 'string' && Object.hasOwn(KNOWN_FIELDS, field.kind)) return field.kind;
  const kind = Object.hasOwn(KIND_BY_KEY, field.key) ? KIND_BY_KEY[field.key] : undefined;
  return kind === 'phone' && method.provider === 'kronor' ? 'swish-number' : kind;
}

/** The provider's text in exactly this language (Norwegian under any of its codes), or undefined. */
function textIn(texts: Record<string, string> | undefined, locale: string): string | undefined {
  if (!texts || typeof texts !== 'object') return undefined;
  const text = texts[locale] ?? (locale === 'nb' ? (texts.no ?? texts.nn) : undefined);
  return typeof text === 'string' && text.trim() ? text : undefined;
}

interface FieldView {
  field: MethodField;
  known: KnownField | undefined;
}

/**
 * The inputs a chosen payment method needs: MilkyPay service fields, the Swish number of Kronor's phone flow, Hero's
 * company details. One labelled input per `method.fields` entry, with a hint (the provider's example goes there,
 * `e.g. 0701234567`: inputs have no placeholder, which reads as a value already filled in), autofill tokens, the right
 * on-screen keyboard and inline validation.
 *
 * What a field asks for: its `kind` (`phone`, `swish-number`, `email`, `blik-code`, `company-name`, `address-line1`,
 * `postal-code`, `city`), else what Kassa knows its key to mean (`phone` on a Kronor method = Swish number; Hero's
 * `companyName`, `addressLine1`, `postalCode`, `city`, `email`, `phone`; MilkyPay's `blik_code`). A known kind brings
 * Kassa's check, autofill token and keyboard (a BLIK code: 6 digits, `inputmode="numeric"`,
 * `autocomplete="one-time-code"`; a phone number `inputmode="tel"`; an e-mail `inputmode="email"`); other fields get
 * the number pad when the provider's pattern takes digits only, a decimal pad for `number` inputs.
 *
 * Error messages never put a label in the middle of a sentence: a known kind says what to enter ("Enter your phone
 * number."), any other field a message that needs no name ("Please fill this in."), shown right under its label.
 *
 * Labels: the provider's text in the shopper's language when it has one; else Kassa's own localized label for the
 * kind; else the provider's text by `pickLocalized` (its English, then any), and the field key as a last resort.
 * Hints: the provider's hint only in the shopper's language (never its English inside a German form); else Kassa's
 * hint for the kind, or none. The language is the element's Kassa locale, so a `locale` Kassa has no catalogue for
 * (`uk`, `ru`) gives English throughout, provider labels included. The legend names the method as the picker does.
 *
 * Validation, in order: required (blank = empty); at most 256 characters; Kassa's own check for a known kind (Swish:
 * a Swedish mobile number, 07XXXXXXXX or 467XXXXXXXX; BLIK: 6 digits; e-mail: an address); an e-mail shape for
 * `email` inputs; the provider's `pattern` on a linear-time engine (re2js, loaded with the first method that has a
 * pattern: until then such a value is not yet `valid`, and `updateComplete` waits for it; a pattern it cannot run,
 * e.g. with a backreference, is not applied and the provider checks again); digits for `number` inputs without a
 * pattern. Values are tested trimmed, and
 * trimmed in `values` when the shopper leaves a field or `validate()` runs. Errors appear when the shopper leaves a
 * field they edited, or on `validate()`, and from then on follow the typing.
 *
 * Server-side problems: when the endpoint answers `invalid-fields` with `field: 'fields.phone'`, call
 * `reportErrors({'fields.phone': 'fields.phone.error'})` (keys with or without the `fields.` prefix).
 *
 * Provider text (labels, hints, examples) is rendered as text only; provider patterns never reach the input's
 * `pattern` attribute.
 *
 * @tag kassa-method-fields
 * @summary The inputs a chosen payment method needs, with localized labels and inline validation.
 *
 * @fires {Event} change - `values` changed by the shopper and was committed (they left the field or pressed Enter), or
 *   `valid` flipped while they typed or once the provider's patterns could be checked. A plain `Event` with `bubbles`
 *   and `composed`; read `values` and `valid`. The inputs' own `input` events (composed) reach the page on every
 *   keystroke, with the host as target.
 *
 * @csspart fieldset - The fieldset around every input.
 * @csspart legend - Its legend ("Details for Swish").
 * @csspart field - One field: label, input, hint and error.
 * @csspart label - A field's label.
 * @csspart input - A field's input.
 * @csspart input-invalid - Also on an input whose error is shown.
 * @csspart hint - A field's hint.
 * @csspart error - A field's error message.
 *
 * @cssproperty --kassa-color-text - Text colour.
 * @cssproperty --kassa-color-muted - Hints and the "required" mark.
 * @cssproperty --kassa-color-background - Input background.
 * @cssproperty --kassa-color-surface - Surface colour (theme).
 * @cssproperty --kassa-color-border - Input borders.
 * @cssproperty --kassa-color-accent - Border of the focused input.
 * @cssproperty --kassa-color-accent-text - Text on accent (theme).
 * @cssproperty --kassa-color-error - Error messages and invalid inputs.
 * @cssproperty --kassa-color-success - Success colour (theme).
 * @cssproperty --kassa-color-focus - Focus ring.
 * @cssproperty --kassa-radius - Corner radius.
 * @cssproperty --kassa-spacing - Spacing unit.
 * @cssproperty --kassa-font-family - Font.
 * @cssproperty --kassa-font-size - Base font size; by default `1rem`, the shopper's preferred size.
 */
export class KassaMethodFields extends KassaElement {
  static override styles = styles;

  /** The chosen method; its `fields` are rendered. Without fields the element renders nothing and is valid. */
  @property({ attribute: false }) method: PaymentMethod | undefined;

  /**
   * The values by field key, updated as the shopper types (as typed; trimmed when they leave a field). When the
   * method changes, values for keys the new method does not have are dropped.
   */
  @property({ attribute: false }) values: Record<string, string> = {};

  /** The language (BCP 47); otherwise the nearest `lang` in the page, then the browser's. */
  @property({ reflect: true }) locale?: string;

  /** Disables every input (e.g. while a payment is being started). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Keys whose errors are shown. */
  @state() private shown: ReadonlySet<string> = new Set();
  /** Errors reported by the endpoint, until the shopper edits that field. */
  @state() private serverErrors: Readonly<Record<string, MessageKey>> = {};

  private readonly i18n = new LocaleController(this, enParts);
  /** Keys the shopper edited since the method was set: their errors show once they leave the field. */
  private edited = new Set<string>();
  private lastValid = true;
  /** The pattern engine's load, while this element waits for it. */
  private patternMatcherLoading: Promise<void> | undefined;
  /** It failed to load (offline): patterns are left to the endpoint and the provider until the next method. */
  private patternMatcherFailed = false;

  /** Whether every field's value is acceptable (whether or not errors are shown yet). */
  get valid(): boolean {
    return this.views().every((view) => !this.errorFor(view) && !this.awaitsPatternMatcher(view));
  }

  /** Shows every field's error, focuses the first invalid input, and answers whether all fields are valid. */
  validate(): boolean {
    const views = this.views();
    this.trimValues(views.map((view) => view.field.key));
    this.shown = new Set(views.map((view) => view.field.key));
    const firstInvalid = views.findIndex((view) => this.errorFor(view) || this.awaitsPatternMatcher(view));
    if (firstInvalid >= 0) this.inputAt(firstInvalid)?.focus();
    this.lastValid = firstInvalid < 0;
    return firstInvalid < 0;
  }

  /**
   * Shows problems the endpoint found (`invalid-fields` names `field: 'fields.phone'`): field key (with or without
   * `fields.`) → message key; a message key Kassa does not have becomes the field's usual error. Each stays until
   * the shopper edits that field; `valid` is false meanwhile. Focuses the first such input. An empty object clears
   * them. Answers whether any reported field is on this form (if not, show a general message instead).
   */
  reportErrors(fieldErrors: Record<string, MessageKey>): boolean {
    const views = this.views();
    const errors: Record<string, MessageKey> = {};
    for (const [path, message] of Object.entries(fieldErrors ?? {})) {
      const key = path.startsWith('fields.') ? path.slice('fields.'.length) : path;
      const view = views.find((v) => v.field.key === key);
      if (!view) continue;
      errors[key] = typeof message === 'string' && (message in enParts || message in englishMessages) ? message : (view.known?.error ?? 'fields.error.pattern');
    }
    this.serverErrors = errors;
    this.shown = new Set([...this.shown, ...Object.keys(errors)]);
    const first = views.findIndex((view) => view.field.key in errors);
    if (first >= 0) this.inputAt(first)?.focus();
    this.lastValid = this.valid;
    return first >= 0;
  }

  /** Focuses the first input. */
  override focus(options?: FocusOptions): void {
    const input = this.inputAt(0);
    if (input) input.focus(options);
    else super.focus(options);
  }

  /** Also waits for the pattern engine when it is loading, so `valid` read after `updateComplete` covers the patterns. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const completed = await super.getUpdateComplete();
    if (!this.patternMatcherLoading) return completed;
    await this.patternMatcherLoading;
    return (await super.getUpdateComplete()) && completed;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (isServer) this.i18n.hostUpdate(); // Lit's server renderer skips controllers' hostUpdate
    if (changed.has('method')) {
      const previous = changed.get('method') as PaymentMethod | undefined;
      if (previous?.id !== this.method?.id || previous === undefined) {
        this.shown = new Set();
        this.serverErrors = {};
        this.edited = new Set();
        this.patternMatcherFailed = false;
      }
      if (this.views().some((view) => view.field.pattern)) this.loadPatternMatcher();
      const keys = new Set(this.views().map((view) => view.field.key));
      const values = this.values ?? {};
      if (Object.keys(values).some((key) => !keys.has(key))) {
        this.values = Object.fromEntries(Object.entries(values).filter(([key]) => keys.has(key)));
      }
    }
    if (changed.has('method') || changed.has('values')) this.lastValid = this.valid;
  }

  protected override render(): TemplateResult | typeof nothing {
    const views = this.views();
    if (!this.method || !views.length) return nothing;
    const name = methodName(this.method, (key, params) => this.i18n.t(key, params), this.i18n.locale);
    return html`
      <fieldset part="fieldset" class="fieldset" dir=${this.i18n.dir} ?disabled=${this.disabled} @input=${this.onInput} @change=${this.onChange} @focusout=${this.onFocusout}>
        <legend part="legend" class="legend">${this.i18n.t('fields.legend', { method: name })}</legend>
        ${views.map((view, index) => this.renderField(view, index))}
      </fieldset>
    `;
  }

  private renderField(view: FieldView, index: number): TemplateResult {
    const { field, known } = view;
    const id = `field-${index}`;
    const label = this.labelFor(view);
    const hint = this.hintFor(view);
    const example = exampleToShow(hint, field.example);
    const error = this.shown.has(field.key) ? this.errorFor(view) : undefined;
    const describedBy = [hint || example ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    const autocomplete = known?.autocomplete ?? (field.type === 'tel' ? 'tel' : field.type === 'email' ? 'email' : undefined);
    const type = known?.type ?? (field.type === 'tel' || field.type === 'email' ? field.type : 'text');
    const inputMode = inputModeFor(field, known);
    return html`
      <div part="field" class="field">
        <label part="label" class="label" for=${id}>
          ${label}${field.required ? html` <span class="required" aria-hidden="true">${this.i18n.t('fields.required')}</span>` : nothing}
        </label>
        <input
          part=${error ? 'input input-invalid' : 'input'}
          class="input"
          id=${id}
          name=${field.key}
          data-index=${index}
          type=${type}
          inputmode=${inputMode ?? nothing}
          maxlength=${MAX_FIELD_LENGTH}
          autocomplete=${autocomplete ?? nothing}
          ?required=${field.required}
          aria-invalid=${error ? 'true' : nothing}
          aria-describedby=${describedBy || nothing}
          .value=${live(this.values?.[field.key] ?? '')}
        />
        ${hint || example
          ? html`<p part="hint" class="hint" id="${id}-hint">${hint} ${example ? html`<span class="example">${this.i18n.t('fields.example', { example })}</span>` : nothing}</p>`
          : nothing}
        ${error ? html`<p part="error" class="error" id="${id}-error">${this.i18n.t(error)}</p>` : nothing}
      </div>
    `;
  }

  /** The method's usable fields: string keys, first of each key. */
  private views(): FieldView[] {
    const method = this.method;
    const fields = method && Array.isArray(method.fields) ? method.fields : [];
    const seen = new Set<string>();
    const views: FieldView[] = [];
    for (const field of fields) {
      if (!field || typeof field.key !== 'string' || !field.key || seen.has(field.key)) continue;
      seen.add(field.key);
      const kind = fieldKindOf(field, method!);
      views.push({ field, known: kind ? KNOWN_FIELDS[kind] : undefined });
    }
    return views;
  }

  private labelFor({ field, known }: FieldView): string {
    const locale = this.i18n.locale;
    if (known && !textIn(field.label, locale)) return this.i18n.t(known.label);
    return pickLocalized(field.label, locale).trim() || field.key;
  }

  private hintFor({ field, known }: FieldView): string {
    return textIn(field.hint, this.i18n.locale) ?? (known?.hint ? this.i18n.t(known.hint) : '');
  }

  /** The message key of a field's current problem, or undefined when its value is acceptable. */
  private errorFor({ field, known }: FieldView): MessageKey | undefined {
    const server = this.serverErrors[field.key];
    if (server) return server;
    const raw = this.values?.[field.key];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) return field.required ? (known?.required ?? 'fields.error.required') : undefined;
    if (value.length > MAX_FIELD_LENGTH) return 'fields.error.tooLong';
    if (known?.check && !known.check(value)) return known.error ?? 'fields.error.pattern';
    if ((field.type === 'email' || field.key === 'email') && !isEmailAddress(value)) return 'fields.email.error';
    if (field.pattern && matchesPattern && !matchesPattern(field.pattern, value)) return 'fields.error.pattern';
    if (field.type === 'number' && !field.pattern && !isNumber(value)) return 'fields.error.pattern';
    return undefined;
  }

  /** Whether a field's value still waits for the pattern engine to be checked. */
  private awaitsPatternMatcher({ field }: FieldView): boolean {
    if (!field.pattern || matchesPattern || this.patternMatcherFailed) return false;
    const raw = this.values?.[field.key];
    return typeof raw === 'string' && raw.trim() !== '';
  }

  private loadPatternMatcher(): void {
    if (matchesPattern || this.patternMatcherLoading) return;
    this.patternMatcherLoading = loadPatternMatcher()
      .then(
        (module) => {
          matchesPattern = module.matchesSafePattern;
        },
        () => {
          this.patternMatcherFailed = true;
        },
      )
      .finally(() => {
        this.patternMatcherLoading = undefined;
        this.requestUpdate();
        const valid = this.valid;
        if (valid !== this.lastValid) {
          this.lastValid = valid;
          this.fireChange();
        }
      });
  }

  private inputAt(index: number): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`input[data-index="${index}"]`);
  }

  private viewOf(target: EventTarget | null): { view: FieldView; input: HTMLInputElement } | undefined {
    if (!(target instanceof HTMLInputElement)) return undefined;
    const view = this.views()[Number(target.dataset.index)];
    return view ? { view, input: target } : undefined;
  }

  private onInput = (event: Event): void => {
    const found = this.viewOf(event.target);
    if (!found) return;
    const key = found.view.field.key;
    this.edited.add(key);
    if (key in this.serverErrors) {
      const { [key]: _cleared, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
    this.values = { ...this.values, [key]: found.input.value };
    const valid = this.valid;
    if (valid !== this.lastValid) {
      this.lastValid = valid;
      this.fireChange();
    }
  };

  /** The input's own `change` (the shopper committed a value): trim it and tell the page. */
  private onChange = (event: Event): void => {
    const found = this.viewOf(event.target);
    if (!found) return;
    this.trimValues([found.view.field.key]);
    this.lastValid = this.valid;
    this.fireChange();
  };

  private onFocusout = (event: FocusEvent): void => {
    const found = this.viewOf(event.target);
    if (!found || !this.edited.has(found.view.field.key) || this.shown.has(found.view.field.key)) return;
    this.shown = new Set([...this.shown, found.view.field.key]);
  };

  private trimValues(keys: readonly string[]): void {
    const values = this.values ?? {};
    const trimmed = { ...values };
    let changed = false;
    for (const key of keys) {
      const value = values[key];
      if (typeof value === 'string' && value !== value.trim()) {
        trimmed[key] = value.trim();
        changed = true;
      }
    }
    if (changed) this.values = trimmed;
  }

  private fireChange(): void {
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
}


declare global {
  interface HTMLElementTagNameMap {
    'kassa-method-fields': KassaMethodFields;
  }
}
