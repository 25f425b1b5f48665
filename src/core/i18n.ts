/**
 * Kassa's languages: English, Swedish, Danish, Norwegian Bokmål, Finnish, Icelandic, German, French and Polish.
 * English ships with the elements: the checkout's and the picker's in `kassa.js` (`en-checkout.ts`), the other
 * elements' with their own code (`en-parts.ts`, given to their LocaleController). Each other catalogue is its own
 * chunk, loaded only when a page uses it, with every key.
 */
import en from './locales/en-checkout.ts';
import type { MessageKey, Messages } from './locales/en.ts';
import type { PaymentMethod } from './model.ts';
import { retryableImport } from './retryable-import.ts';

export type { MessageKey, Messages };

export const LOCALES = ['en', 'sv', 'da', 'nb', 'fi', 'is', 'de', 'fr', 'pl'] as const;
export type Locale = (typeof LOCALES)[number];

/** Explicit loaders, so bundlers make one chunk per language and nothing else is ever fetched. */
const LOADERS: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Partial<Messages> }>> = {
  sv: retryableImport(() => import('./locales/sv.ts')),
  da: retryableImport(() => import('./locales/da.ts')),
  nb: retryableImport(() => import('./locales/nb.ts')),
  fi: retryableImport(() => import('./locales/fi.ts')),
  is: retryableImport(() => import('./locales/is.ts')),
  de: retryableImport(() => import('./locales/de.ts')),
  fr: retryableImport(() => import('./locales/fr.ts')),
  pl: retryableImport(() => import('./locales/pl.ts')),
};

/** Norwegian is written `no`, `nb` or `nn` in the wild; Kassa's Norwegian is Bokmål. */
const ALIASES: Record<string, Locale> = { no: 'nb', nn: 'nb' };

/** The catalogue for a BCP 47 tag (`sv-SE` → `sv`), or undefined when Kassa does not have that language. */
export function supportedLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if ((LOCALES as readonly string[]).includes(language)) return language as Locale;
  return ALIASES[language];
}

/**
 * The first tag Kassa has a catalogue for, from most to least specific: the element's own `locale`/`lang`, the
 * nearest `lang` in the page, then the browser's languages; English when none matches. Returns the catalogue code
 * and the tag to format numbers with (the page's own, so `de-CH` keeps Swiss number formats).
 */
export function chooseLocale(candidates: ReadonlyArray<string | null | undefined>): { locale: Locale; tag: string } {
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

/**
 * English as `kassa.js` carries it. Typed as the whole catalogue because an element that shows the other keys adds
 * `en-parts.ts` to it (LocaleController); `translate` falls back to the key rather than fail if one is missing.
 */
const english = en as Partial<Messages> as Messages;

const cache = new Map<Locale, Promise<Messages>>([['en', Promise.resolve(english)]]);

/**
 * The whole catalogue for a locale; keys a translation lacks fall back to English, and so does the whole catalogue
 * while its chunk cannot load (it is not remembered: a later call loads it).
 */
export function loadMessages(locale: Locale): Promise<Messages> {
  let messages = cache.get(locale);
  if (!messages) {
    messages = LOADERS[locale as Exclude<Locale, 'en'>]()
      .then((module) => ({ ...english, ...module.default }))
      .catch(() => {
        cache.delete(locale); // offline, say: the next call tries again
        return english;
      });
    cache.set(locale, messages);
  }
  return messages;
}

export const englishMessages: Messages = english;

/** Fills `{name}` placeholders; values are plain text (rendered by Lit as text, never as HTML). */
export function translate(messages: Messages, key: MessageKey, params: Record<string, string | number> = {}): string {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A provider's localized text (MilkyPay's `name.{en,ru,uk}`), picked by the same rule: the locale, then English,
 * then whatever language it has.
 */
export function pickLocalized(texts: Record<string, string> | undefined, locale: string): string {
  if (!texts) return '';
  const language = locale.toLowerCase().split('-')[0]!;
  return texts[language] ?? (language === 'nb' ? (texts.no ?? texts.nn) : undefined) ?? texts.en ?? Object.values(texts)[0] ?? '';
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
