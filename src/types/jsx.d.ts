/**
 * Kassa's elements in React 19 JSX (`kassa/jsx`). Add once, in any .ts file of the app:
 *
 *     import type {} from 'kassa/jsx';
 *
 * (or list `"kassa/jsx"` in tsconfig.json's `types`). React 19 hands a prop to a custom element as a property when
 * the element has that property, otherwise as an attribute: import `kassa/define` (or one `kassa/define/<element>`)
 * before rendering so objects and callbacks (`methods`, `navigate`) arrive as properties. Simple values go by their
 * attribute names (`group-by`, `deep-link`). A prop `on<event>` listens to that DOM event: `onkassa-complete`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { KassaElementAttributes, KassaElementEvents, KassaTag } from './elements.js';

/** `on<event name>` handlers for an element's Kassa events; `change` is React's own `onChange`. */
export type KassaEventProps<Tag extends KassaTag> = {
  [Name in Exclude<keyof KassaElementEvents[Tag], 'change'> as `on${Name & string}`]?: (
    event: KassaElementEvents[Tag][Name],
  ) => void;
};

/** Everything a Kassa element accepts in JSX: the usual HTML props, its attributes and properties, its events. */
export type KassaJsxProps<Tag extends KassaTag> = DetailedHTMLProps<HTMLAttributes<HTMLElementTagNameMap[Tag]>, HTMLElementTagNameMap[Tag]> &
  KassaElementAttributes[Tag] &
  KassaEventProps<Tag>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'kassa-checkout': KassaJsxProps<'kassa-checkout'>;
      'kassa-method-picker': KassaJsxProps<'kassa-method-picker'>;
      'kassa-method-fields': KassaJsxProps<'kassa-method-fields'>;
      'kassa-redirect': KassaJsxProps<'kassa-redirect'>;
      'kassa-qr': KassaJsxProps<'kassa-qr'>;
      'kassa-status': KassaJsxProps<'kassa-status'>;
    }
  }
}
