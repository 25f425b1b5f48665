import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    .redirect {
      display: grid;
      gap: calc(var(--_k-spacing) * 0.75);
      justify-items: start;
    }
    .message,
    .notice {
      margin: 0;
    }
    .notice {
      color: var(--_k-muted);
      font-size: 0.9em;
    }
    .error {
      color: var(--_k-error);
    }
    form {
      margin: 0;
    }
    .button {
      display: inline-block;
      box-sizing: border-box;
      min-height: 44px;
      padding: calc(var(--_k-spacing) * 0.75) calc(var(--_k-spacing) * 1.5);
      border: 1px solid var(--_k-accent);
      border-radius: var(--_k-radius);
      background: var(--_k-accent);
      color: var(--_k-accent-text);
      font: inherit;
      font-weight: 600;
      text-align: center;
      text-decoration: none;
      cursor: pointer;
    }
    .button:hover {
      filter: brightness(1.08);
    }
  `,
];
