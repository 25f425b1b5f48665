/**
 * Kassa's languages: the 25 of `LOCALES`, and any a merchant adds with `registerMessages`. English ships with the
 * elements: the checkout's and the picker's in `kassa.js` (`en-checkout.ts`), the other elements' with their own code
 * (`en-parts.ts`, given to their LocaleController). Each other catalogue is its own chunk, loaded only when a page
 * uses it, with every key.
 */
import en from './locales/en-checkout.ts';
import type { MessageKey, Messages, PluralForms } from './locales/en.ts';
import { isServer } from 'lit';
import type { PaymentMethod } from './model.ts';
import { retryableImport } from './retryable-import.ts';

export type { MessageKey, Messages, PluralForms };

export const LOCALES = [
  'en', 'sv', 'da', 'nb', 'fi', 'is', 'de', 'fr', 'pl',
  'es', 'it', 'nl', 'pt', 'pt-BR', 'cs', 'sk', 'hu', 'ro', 'et', 'lv', 'lt', 'el', 'ru', 'uk', 'ar',
] as const;
export type Locale = (typeof LOCALES)[number];

type Catalogue = Partial<Messages> | { default: Partial<Messages> };

/**
 * Explicit imports, so bundlers make one chunk per language and nothing else is ever fetched. Bare arrows (made
 * retryable only when first used, in `sources`) keep this table, which `kassa.js` carries, small.
 */
const LOADERS: Record<Exclude<Locale, 'en'>, () => Promise<Catalogue>> = {
  sv: () => import('./locales/sv.ts'),
  da: () => import('./locales/da.ts'),
  nb: () => import('./locales/nb.ts'),
  fi: () => import('./locales/fi.ts'),
  is: () => import('./locales/is.ts'),
  de: () => import('./locales/de.ts'),
  fr: () => import('./locales/fr.ts'),
  pl: () => import('./locales/pl.ts'),
  es: () => import('./locales/es.ts'),
  it: () => import('./locales/it.ts'),
  nl: () => import('./locales/nl.ts'),
  pt: () => import('./locales/pt.ts'),
  'pt-BR': () => import('./locales/pt-BR.ts'),
  cs: () => import('./locales/cs.ts'),
  sk: () => import('./locales/sk.ts'),
  hu: () => import('./locales/hu.ts'),
  ro: () => import('./locales/ro.ts'),
  et: () => import('./locales/et.ts'),
  lv: () => import('./locales/lv.ts'),
  lt: () => import('./locales/lt.ts'),
  el: () => import('./locales/el.ts'),
  ru: () => import('./locales/ru.ts'),
  uk: () => import('./locales/uk.ts'),
  ar: () => import('./locales/ar.ts'),
};


/**
 * Where each language's messages come from, in order (later ones win): its built-in chunk, then what the merchant
 * registered. A language is listed once it is first needed or registered.
 */
const registered = new Map<string, Array<() => Promise<Catalogue>>>();

/** Called when registered messages change, so elements already on the page show them (LocaleController). */
export const messageWatchers = new Set<() => void>();

/**
 * The catalogue for a BCP 47 tag (`sv-SE` → `sv`), or undefined when Kassa does not have that language (built in or
 * registered by the merchant).
 */
export function supportedLocale(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  const [language = '', region] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'pt' && region === 'br') return 'pt-BR';
  if (language === 'en' || Object.hasOwn(LOADERS, language) || registered.has(language)) return language;
  // Norwegian is written `no`, `nb` or `nn` in the wild; Kassa's Norwegian is Bokmål.
  return language === 'no' || language === 'nn' ? 'nb' : undefined;
}

/**
 * The first tag Kassa has a catalogue for, from most to least specific: the element's own `locale`/`lang`, the
 * nearest `lang` in the page, then the browser's languages; English when none matches. Returns the catalogue code
 * and the tag to format numbers with (the page's own, so `de-CH` keeps Swiss number formats).
 */
export function chooseLocale(candidates: ReadonlyArray<string | null | undefined>): { locale: string; tag: string } {
  for (const candidate of candidates) {
    const locale = supportedLocale(candidate);
    if (locale && candidate) return { locale, tag: safeTag(candidate) ?? locale };
  }
  return { locale: 'en', tag: 'en' };
}

function safeTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.replace('_', '-'))[0];
  } catch {
    return undefined;
  }
}

/** Languages written right to left (`ar`, and those a merchant may add); the layout mirrors for them. */
const RIGHT_TO_LEFT = /^(ar|ckb|dv|fa|he|ps|sd|ug|ur|yi)\b/;

/** The writing direction of a catalogue's language, for the elements' `dir`. */
export function direction(locale: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.test(locale) ? 'rtl' : 'ltr';
}

/**
 * English as `kassa.js` carries it. Typed as the whole catalogue because an element that shows the other keys adds
 * `en-parts.ts` to it (LocaleController); `translate` falls back to the key rather than fail if one is missing.
 */
const english = en as Partial<Messages> as Messages;

export const englishMessages: Messages = english;

/** The language a loaded catalogue is in, for its plural forms; kept through `{...spread}`, unlike a WeakMap entry. */
const LANGUAGE = Symbol();

const cache = new Map<string, Promise<Messages>>();

/** Catalogues loaded in this process, for a server rendering the elements: a server render cannot wait for one. */
const loadedOnServer = new Map<string, Messages>();

function sources(locale: string): Array<() => Promise<Catalogue>> {
  let list = registered.get(locale);
  const load = LOADERS[locale as Exclude<Locale, 'en'>] as (() => Promise<Catalogue>) | undefined;
  if (!list && load) registered.set(locale, (list = [retryableImport(load)]));
  return list ?? [];
}

/**
 * The whole catalogue for a locale: English (with the merchant's English), then the built-in translation, then the
 * merchant's messages for it; keys a translation lacks read English. Rejects while a part cannot load (offline, say),
 * and is not remembered then: a later call loads it.
 */
export function loadMessages(locale: string): Promise<Messages> {
  let messages = cache.get(locale);
  if (!messages) {
    const loading = Promise.all([locale === 'en' ? english : loadMessages('en'), ...sources(locale).map((load) => load())]).then((parts) =>
      // The language last: the English part carries its own.
      Object.assign({}, ...parts.map((part) => (part as { default?: Catalogue }).default ?? part), { [LANGUAGE]: locale }) as Messages,
    );
    loading.then(
      (loaded) => isServer && loadedOnServer.set(locale, loaded),
      () => cache.get(locale) === loading && cache.delete(locale),
    );
    cache.set(locale, (messages = loading));
  }
  return messages;
}

/**
 * Overrides Kassa's messages in a language, or adds a language Kassa does not ship; elements already on the page show
 * the new words at once. `messages` is an object or a function that loads one (a module with a default export, say),
 * called only when that language is first needed. Several registrations add up, the last one winning per key. A new
 * language then takes part in choosing an element's language like the built-in ones; keys it lacks read English.
 *
 * ```ts
 * registerMessages('en', { 'checkout.pay': 'Place order · {amount}' });
 * registerMessages('tr', () => import('./kassa-tr.js'));
 * ```
 */
export function registerMessages(locale: string, messages: Partial<Messages> | (() => Promise<Catalogue>)): void {
  const code = supportedLocale(locale) ?? locale.trim().toLowerCase().split(/[-_]/)[0]!;
  registered.set(code, [...sources(code), typeof messages === 'function' ? retryableImport(messages) : () => Promise.resolve(messages)]);
  // Every language reads English for what it lacks: new English reaches them all.
  if (code === 'en') cache.clear();
  else cache.delete(code);
  for (const watcher of messageWatchers) watcher();
}

/** On a server: the catalogue for a locale if this process has loaded it (`loadLanguage`), else undefined. */
export function serverMessages(locale: string): Messages | undefined {
  return loadedOnServer.get(locale);
}

/**
 * Loads the catalogue for a language tag (`sv-SE`) ahead of its use: on a server before rendering elements in that
 * language (a server render cannot wait for it), or in a page that wants it before the first element shows. A tag
 * Kassa has no catalogue for loads nothing.
 */
export async function loadLanguage(tag: string): Promise<void> {
  const locale = supportedLocale(tag);
  if (locale) await loadMessages(locale);
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The form of a plural message for `count` under the plural rules of `language` (`other` for a form it lacks). */
export function pluralForm(forms: PluralForms, count: number, language: string): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return forms[rules.select(count)] ?? forms.other;
}

/**
 * Fills `{name}` placeholders; values are plain text (rendered by Lit as text, never as HTML). A plural message takes
 * the form for its `{count}` (or `{days}`) in the catalogue's language.
 */
export function translate(messages: Messages, key: MessageKey, params: Record<string, string | number> = {}): string {
  let text = messages[key] ?? key;
  if (typeof text === 'object') {
    text = pluralForm(text, Number(params.count ?? params.days), (messages as { [LANGUAGE]?: string })[LANGUAGE] ?? 'en');
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A provider's localized text (MilkyPay's `name.{en,ru,uk}`), picked by the same rule: the locale (`pt-BR`, else
 * `pt`), then English, then whatever language it has.
 */
export function pickLocalized(texts: Record<string, string> | undefined, locale: string): string {
  if (!texts) return '';
  const language = locale.toLowerCase().split('-')[0]!;
  return texts[locale] ?? texts[language] ?? (language === 'nb' ? (texts.no ?? texts.nn) : undefined) ?? texts.en ?? Object.values(texts)[0] ?? '';
}

/** A catalogue lookup, as an element's `LocaleController.t` does it. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The name a shopper reads for a payment method: Kassa's own for a type (and variant) it has a message for, in the
 * shopper's language (`method.card`, `method.swish.phone`; Hero's terms Pay1X, PayNX, PayND), since provider names
 * are often English only; otherwise (`other`, a variant Kassa does not know) the provider's name, else the id.
 */
export function methodName(method: PaymentMethod, t: Translate, locale: string): string {
  const { type, variant } = method;
  const term = type === 'b2b-pay-later' ? /^Pay([1-9]\d{0,2})([XD])$/.exec(variant ?? '') : null;
  const key = !term
    ? `method.${type}${variant ? `.${variant}` : ''}`
    : term[2] === 'D'
      ? 'method.b2b-pay-later.days'
      : term[1] === '1'
        ? 'method.b2b-pay-later.full'
        : 'method.b2b-pay-later.instalments';
  if (Object.hasOwn(en, key)) return t(key as MessageKey, { count: Number(term?.[1]), days: Number(term?.[1]) });
  return pickLocalized(method.name, locale).trim() || method.id;
}

/**
 * The names of a list, no two alike so no two radios sound the same: methods that would share a name (the endpoint
 * lists every provider's own card, say) add their provider's name ("Card · WhenThen"), and any still alike a number.
 */
export function methodNames(methods: readonly PaymentMethod[], t: Translate, locale: string): string[] {
  const names = methods.map((method) => methodName(method, t, locale));
  const shared = (name: string) => names.indexOf(name) !== names.lastIndexOf(name);
  const seen = new Map<string, number>();
  return names.map((name, i) => {
    const full = shared(name) ? `${name} · ${t(`picker.provider.${methods[i]!.provider}` as MessageKey)}` : name;
    const n = (seen.get(full) ?? 0) + 1;
    seen.set(full, n);
    return n > 1 ? `${full} (${n})` : full;
  });
}
