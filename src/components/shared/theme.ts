/**
 * The styling surface every element shares: `--kassa-*` custom properties over defaults for light and dark. The
 * defaults are `light-dark()` pairs, so each element takes the `color-scheme` it inherits from the page (light when
 * the page declares none) unless its `theme` attribute pins one (kassa-element.ts). Elements use the private `--_k-*`
 * names only, so a page sets the public ones once (on `:root` or any ancestor) and every element follows.
 */
import { css } from 'lit';

/** The public custom properties; each element lists them in its JSDoc, and a test checks both lists agree. */
export const THEME_PROPERTIES = [
  '--kassa-color-text',
  '--kassa-color-muted',
  '--kassa-color-background',
  '--kassa-color-surface',
  '--kassa-color-border',
  '--kassa-color-accent',
  '--kassa-color-accent-text',
  '--kassa-color-error',
  '--kassa-color-success',
  '--kassa-color-focus',
  '--kassa-radius',
  '--kassa-spacing',
  '--kassa-font-family',
  '--kassa-font-size',
] as const;

// Kept out of the CSS below, which ships as written: borders are at least 3:1 against the background and the surface
// in both schemes; text starts at the shopper's preferred size (1rem); `theme="auto"` is the shopper's device setting;
// an element whose `theme` the merchant chose may differ from the page's scheme, so it brings its own ground.
export const theme = css`
  :host {
    --_k-text: var(--kassa-color-text, light-dark(#1b1d21, #eceef2));
    --_k-muted: var(--kassa-color-muted, light-dark(#5b6270, #a9b0bd));
    --_k-background: var(--kassa-color-background, light-dark(#ffffff, #16181c));
    --_k-surface: var(--kassa-color-surface, light-dark(#f5f6f8, #22252b));
    --_k-border: var(--kassa-color-border, light-dark(#7d8594, #717987));
    --_k-accent: var(--kassa-color-accent, light-dark(#2f55d4, #8aa4ff));
    --_k-accent-text: var(--kassa-color-accent-text, light-dark(#ffffff, #0e1330));
    --_k-error: var(--kassa-color-error, light-dark(#b3261e, #ffb4ab));
    --_k-success: var(--kassa-color-success, light-dark(#1e7a3c, #7fd99a));
    --_k-focus: var(--kassa-color-focus, light-dark(#2f55d4, #8aa4ff));
    --_k-radius: var(--kassa-radius, 0.5rem);
    --_k-spacing: var(--kassa-spacing, 0.75rem);
    --_k-font-family: var(--kassa-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_k-font-size: var(--kassa-font-size, 1rem);
    display: block;
    color: var(--_k-text);
    font-family: var(--_k-font-family);
    font-size: var(--_k-font-size);
    line-height: 1.4;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  :host([theme]) {
    background-color: var(--_k-background);
  }
  :host([hidden]) {
    display: none;
  }
  :focus-visible {
    outline: 3px solid var(--_k-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
