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
export type Messages = Record<MessageKey, string>;
export default en satisfies Messages;
