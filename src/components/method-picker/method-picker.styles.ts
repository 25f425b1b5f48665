import { css } from 'lit';
import { theme } from '../shared/theme.ts';

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
    .logo {
      flex: none;
      width: 40px;
      height: 26px;
      object-fit: contain;
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
