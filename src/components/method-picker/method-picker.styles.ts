import { css } from 'lit';
import { theme } from '../shared/theme.ts';

// The checked method's details (its fields) hang from its row as one box (its 1px border + 1px inset shadow = 2px).
// Logos are sized in em, so they grow with zoom and the shop's font size. A provider's image sits on the same light
// chip as Kassa's marks (logos-marks.ts), so both read on a dark page.

export const styles = [
  theme,
  css`
    .picker {
      display: flex;
      flex-direction: column;
      gap: var(--_k-spacing);
    }
    .group {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_k-spacing) / 2);
    }
    .group-label {
      color: var(--_k-muted);
      font-size: 0.875em;
      font-weight: 600;
    }
    .method {
      display: flex;
      align-items: center;
      gap: calc(var(--_k-spacing) * 0.75);
      min-height: 44px;
      padding: calc(var(--_k-spacing) * 0.75) var(--_k-spacing);
      box-sizing: border-box;
      border: 1px solid var(--_k-border);
      border-radius: var(--_k-radius);
      background: var(--_k-background);
      cursor: pointer;
      user-select: none;
    }
    .method:hover {
      border-color: var(--_k-accent);
    }
    .method[aria-checked='true'] {
      border-color: var(--_k-accent);
      box-shadow: inset 0 0 0 1px var(--_k-accent);
      background: var(--_k-surface);
    }
    .method[aria-checked='true']:has(+ .details:not([hidden])) {
      border-radius: var(--_k-radius) var(--_k-radius) 0 0;
    }
    .details {
      margin-top: calc(var(--_k-spacing) / -2);
      padding: calc(var(--_k-spacing) * 0.75) var(--_k-spacing) var(--_k-spacing);
      border: 2px solid var(--_k-accent);
      border-top: 0;
      border-radius: 0 0 var(--_k-radius) var(--_k-radius);
      background: var(--_k-surface);
    }
    .dot {
      flex: none;
      width: 1.125em;
      height: 1.125em;
      box-sizing: border-box;
      border: 2px solid var(--_k-border);
      border-radius: 50%;
    }
    .method[aria-checked='true'] .dot {
      border-color: var(--_k-accent);
      background: radial-gradient(circle, var(--_k-accent) 0 45%, transparent 50%);
    }
    .logo,
    .brand {
      flex: none;
      display: flex;
      box-sizing: border-box;
      width: 2.5em;
      height: 1.6em;
    }
    img.logo {
      padding: 0.125em;
      border: 1px solid #767676;
      border-radius: 0.25em;
      background: #fff;
      object-fit: contain;
    }
    .brands {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25em;
      max-width: 40%;
    }
    .brand {
      width: 1.875em;
      height: 1.2em;
    }
    .name {
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    :host([disabled]) .method {
      cursor: not-allowed;
      opacity: 0.55;
    }
    :host([disabled]) .method:hover {
      border-color: var(--_k-border);
    }
    .empty {
      margin: 0;
      color: var(--_k-muted);
    }
    @media (forced-colors: active) {
      .method[aria-checked='true'] {
        border-width: 3px;
      }
      .method[aria-checked='true'] .dot {
        background: CanvasText;
      }
    }
  `,
];
