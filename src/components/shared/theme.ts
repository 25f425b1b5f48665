/**
 * The styling surface every element shares: `--kassa-*` custom properties with light defaults, dark defaults under
 * `prefers-color-scheme: dark`. Elements use the private `--_k-*` names only, so a page sets the public ones once
 * (on `:root` or any ancestor) and every element follows.
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

export const theme = css`
  :host {
    --_k-text: var(--kassa-color-text, #1b1d21);
    --_k-muted: var(--kassa-color-muted, #5b6270);
    --_k-background: var(--kassa-color-background, #ffffff);
    --_k-surface: var(--kassa-color-surface, #f5f6f8);
    --_k-border: var(--kassa-color-border, #c9cdd4);
    --_k-accent: var(--kassa-color-accent, #2f55d4);
    --_k-accent-text: var(--kassa-color-accent-text, #ffffff);
    --_k-error: var(--kassa-color-error, #b3261e);
    --_k-success: var(--kassa-color-success, #1e7a3c);
    --_k-focus: var(--kassa-color-focus, #2f55d4);
    --_k-radius: var(--kassa-radius, 8px);
    --_k-spacing: var(--kassa-spacing, 12px);
    --_k-font-family: var(--kassa-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_k-font-size: var(--kassa-font-size, 16px);
    display: block;
    color: var(--_k-text);
    font-family: var(--_k-font-family);
    font-size: var(--_k-font-size);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_k-text: var(--kassa-color-text, #eceef2);
      --_k-muted: var(--kassa-color-muted, #a9b0bd);
      --_k-background: var(--kassa-color-background, #16181c);
      --_k-surface: var(--kassa-color-surface, #22252b);
      --_k-border: var(--kassa-color-border, #4a505b);
      --_k-accent: var(--kassa-color-accent, #8aa4ff);
      --_k-accent-text: var(--kassa-color-accent-text, #0e1330);
      --_k-error: var(--kassa-color-error, #ffb4ab);
      --_k-success: var(--kassa-color-success, #7fd99a);
      --_k-focus: var(--kassa-color-focus, #8aa4ff);
    }
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
