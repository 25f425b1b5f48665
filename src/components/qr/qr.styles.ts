import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    .qr {
      display: grid;
      gap: calc(var(--_k-spacing) * 0.75);
      justify-items: center;
      text-align: center;
    }
    .instructions,
    .countdown {
      margin: 0;
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
    .open-app {
      display: inline-block;
      box-sizing: border-box;
      min-height: 44px;
      padding: calc(var(--_k-spacing) * 0.75) calc(var(--_k-spacing) * 1.5);
      border: 1px solid var(--_k-accent);
      border-radius: var(--_k-radius);
      background: var(--_k-accent);
      color: var(--_k-accent-text);
      font-weight: 600;
      text-decoration: none;
    }
    .open-app:hover {
      filter: brightness(1.08);
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
