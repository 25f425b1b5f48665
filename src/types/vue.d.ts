/**
 * Kassa's elements in Vue templates (`kassa/vue`), for vue-tsc / Vue's language tools. Add once, in any .ts file:
 *
 *     import type {} from 'kassa/vue';
 *
 * and tell Vue the tags are custom elements: `compilerOptions.isCustomElement: (tag) => tag.startsWith('kassa-')`.
 * Vue sets a binding as a property when the element has it (import `kassa/define` first) and as an attribute
 * otherwise; `group-by="provider"` and `:methods="list"` both work. `@kassa-complete="…"` receives the typed event.
 * The shape follows Vue's guide "Non-Vue Web Components and TypeScript".
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { KassaElementEvents, KassaElementProperties, KassaTag } from './elements.js';

/** A Kassa element as Vue's template type checker reads it: `$props` for bindings, `$emit` for `@event` handlers. */
export type KassaVueElement<Tag extends KassaTag> = new () => HTMLElementTagNameMap[Tag] & {
  /** @deprecated Only for template type checking; the element has no `$props`. */
  $props: HTMLAttributes & KassaElementProperties[Tag] & PublicProps;
  /** @deprecated Only for template type checking; the element has no `$emit`. */
  $emit: EmitFn<{ [Name in keyof KassaElementEvents[Tag]]: (event: KassaElementEvents[Tag][Name]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'kassa-checkout': KassaVueElement<'kassa-checkout'>;
    'kassa-method-picker': KassaVueElement<'kassa-method-picker'>;
    'kassa-method-fields': KassaVueElement<'kassa-method-fields'>;
    'kassa-redirect': KassaVueElement<'kassa-redirect'>;
    'kassa-qr': KassaVueElement<'kassa-qr'>;
    'kassa-status': KassaVueElement<'kassa-status'>;
  }
}
