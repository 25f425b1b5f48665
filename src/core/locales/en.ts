/**
 * English, the reference catalogue: every other locale translates these keys (a test checks each has them all).
 * `{name}` marks a value filled in at run time. Kept short: shoppers scan, they do not read.
 */
import enCheckout from './en-checkout.ts';
import enParts from './en-parts.ts';

/**
 * All of English, in two files by when it is needed: `en-checkout.ts` ships in `kassa.js`, `en-parts.ts` with the
 * elements that load after the first paint. Every other language is one file with every key.
 */
const en = { ...enCheckout, ...enParts } as const;

export type MessageKey = keyof typeof en;

/**
 * A message whose wording follows a number (its `{count}` or `{days}`): one text per `Intl.PluralRules` category of
 * the catalogue's language. `other` is required; a category left out reads `other`.
 */
export type PluralForms = { readonly [category in Intl.LDMLPluralRule]?: string } & { readonly other: string };

/** The keys whose wording follows a number: English gives them plural forms or a `{count}` or `{days}`. */
export type PluralKey = {
  [K in MessageKey]: (typeof en)[K] extends string ? ((typeof en)[K] extends `${string}{${'count' | 'days'}}${string}` ? K : never) : K;
}[MessageKey];

export type Messages = { [K in MessageKey]: K extends PluralKey ? string | PluralForms : string };
export default en satisfies Messages;
