import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    /* Text starts at the start (left, or right in Arabic) like the checkout's other views; only the code is centred, in its own box. */
    .qr {
      display: grid;
      gap: calc(var(--_k-spacing) * 0.75);
      justify-items: stretch;
      text-align: start;
    }
    .instructions,
    .countdown,
    .hint {
      margin: 0;
    }
    [hidden] {
      display: none !important;
    }
    .code-box {
      display: grid;
      justify-items: center;
      gap: calc(var(--_k-spacing) * 0.75);
      padding: var(--_k-spacing);
      border: 1px solid var(--_k-border);
      border-radius: var(--_k-radius);
    }
    .hint {
      justify-self: stretch;
    }
    /* Dark modules on white whatever the page's theme: scanners need the contrast and the quiet zone. */
    .code {
      display: block;
      width: 100%;
      max-width: 16rem;
      height: auto;
      aspect-ratio: 1;
      border-radius: var(--_k-radius);
    }
    .quiet {
      fill: #ffffff;
    }
    .modules {
      fill: #000000;
    }
    /* On the phone the app link is the main action: a full-width button, easy to hit with a thumb. */
    .open-app {
      display: flex;
      align-items: center;
      justify-content: center;
      box-sizing: border-box;
      min-height: 48px;
      padding: calc(var(--_k-spacing) * 0.75) calc(var(--_k-spacing) * 1.5);
      border: 1px solid var(--_k-accent);
      border-radius: var(--_k-radius);
      background: var(--_k-accent);
      color: var(--_k-accent-text);
      font-weight: 600;
      text-align: center;
      text-decoration: none;
    }
    .open-app:hover {
      filter: brightness(1.08);
    }
    /* Secondary: a plain link on the desktop, a quiet button for the code on the phone. */
    .open-app-here {
      justify-self: start;
      color: var(--_k-accent);
      text-decoration: underline;
      text-underline-offset: 0.15em;
    }
    .show-code {
      justify-self: start;
      box-sizing: border-box;
      min-height: 44px;
      margin: 0;
      padding: calc(var(--_k-spacing) * 0.5) 0;
      border: 0;
      background: none;
      color: var(--_k-accent);
      font: inherit;
      text-align: start;
      text-decoration: underline;
      text-underline-offset: 0.15em;
      cursor: pointer;
    }
    .countdown {
      color: var(--_k-muted);
      font-variant-numeric: tabular-nums;
    }
    :host([expired]) .countdown {
      color: var(--_k-error);
    }
  `,
];
