/**
 * Kassa's elements in Svelte 5 markup (`kassa/svelte`), for svelte-check and Svelte's editor tools. Add once, in a
 * .d.ts file of the app (SvelteKit: src/app.d.ts):
 *
 *     /// <reference types="kassa/svelte" />
 *
 * (or `import type {} from 'kassa/svelte';` in any .ts file). Svelte 5 sets a value as a property when the element
 * has that property and as an attribute otherwise: import `kassa/define` (or one `kassa/define/<element>`) before
 * rendering so objects and callbacks (`methods`, `navigate`) arrive as properties. Simple values go by their
 * attribute names (`group-by="provider"`). `onkassa-complete={(event) => …}` listens to `kassa-complete` and receives
 * the typed event.
 *
 * A misspelled attribute, a wrong value and a handler for the wrong event are type errors; so is a `kassa-` tag that
 * is not one of Kassa's, as soon as it has an attribute.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { KassaElementAttributes, KassaElementEvents, KassaTag } from './elements.js';

/** `on<event name>` handlers for an element's events, as Svelte 5 writes them: `onkassa-complete`, `onchange`. */
export type KassaSvelteEvents<Tag extends KassaTag> = {
  [Name in keyof KassaElementEvents[Tag] as `on${Name & string}`]?:
    | ((event: KassaElementEvents[Tag][Name] & { currentTarget: EventTarget & HTMLElementTagNameMap[Tag] }) => unknown)
    | null;
};

/**
 * Present, always optional, on every Kassa element; the only thing another `kassa-` tag accepts, so a misspelled tag
 * with attributes fails the type check instead of passing as an unknown element.
 */
export interface KassaTagCheck {
  'kassa-tag'?: never;
}

/** What a `kassa-` tag that is not one of Kassa's accepts: nothing (check the spelling). Same shape, own name for the error message. */
export interface NotAKassaTag {
  'kassa-tag'?: never;
}

/** Everything a Kassa element accepts in Svelte markup: the usual HTML attributes, its own attributes and properties, its events. */
export type KassaSvelteAttributes<Tag extends KassaTag> = Omit<
  HTMLAttributes<HTMLElementTagNameMap[Tag]>,
  keyof KassaElementAttributes[Tag] | keyof KassaSvelteEvents<Tag>
> &
  KassaElementAttributes[Tag] &
  KassaSvelteEvents<Tag> &
  KassaTagCheck;

/** Every Kassa tag with what it accepts (from the generated elements.d.ts, so a new element needs no edit here). */
export type KassaSvelteElements = { [Tag in KassaTag]: KassaSvelteAttributes<Tag> };

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends KassaSvelteElements {
    [tag: `kassa-${string}`]: NotAKassaTag;
  }
}
