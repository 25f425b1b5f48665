/**
 * What every Kassa element shares: the merchant's light / dark switch. The colours themselves are in theme.ts; this
 * only reflects the choice to the `theme` attribute, where theme.ts's `:host([theme=…])` rules read it.
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';

export class KassaElement extends LitElement {
  /**
   * Light or dark. Unset, the element follows the page's own `color-scheme` (light unless the page declares dark or
   * `light dark`); `light` or `dark` pins one; `auto` follows the shopper's device setting. Inner elements follow the
   * outer one.
   */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' | undefined;
}

/** `light` or `dark` whatever the page and device say; `auto` follows the shopper's device setting. */
export type KassaTheme = NonNullable<KassaElement['theme']>;
