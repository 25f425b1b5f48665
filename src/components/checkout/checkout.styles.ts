import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    .checkout {
      display: flex;
      flex-direction: column;
      gap: var(--_k-spacing);
      background: var(--_k-background);
    }
    .view {
      display: flex;
      flex-direction: column;
      gap: var(--_k-spacing);
    }
    .view:focus {
      outline: none;
    }
    .view:focus-visible {
      outline: 3px solid var(--_k-focus);
      outline-offset: 2px;
    }
    .amount {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: var(--_k-spacing);
      padding: calc(var(--_k-spacing) * 0.75) var(--_k-spacing);
      border-radius: var(--_k-radius);
      background: var(--_k-surface);
    }
    .amount-value {
      font-size: 1.25em;
      font-weight: 600;
    }
    .message {
      margin: 0;
    }
    .loading {
      color: var(--_k-muted);
    }
    .error {
      color: var(--_k-error);
    }
    .hint {
      margin: 0;
      color: var(--_k-muted);
      font-size: 0.875em;
    }
    .result {
      margin: 0;
      padding: var(--_k-spacing);
      border-radius: var(--_k-radius);
      border: 1px solid currentColor;
    }
    .result.success {
      color: var(--_k-success);
    }
    .result.failure {
      color: var(--_k-error);
    }
    button {
      font: inherit;
      min-height: 44px;
      padding: calc(var(--_k-spacing) * 0.75) calc(var(--_k-spacing) * 1.5);
      border-radius: var(--_k-radius);
      cursor: pointer;
    }
    .pay {
      width: 100%;
      border: 1px solid var(--_k-accent);
      background: var(--_k-accent);
      color: var(--_k-accent-text);
      font-weight: 600;
    }
    .pay[aria-disabled='true'] {
      opacity: 0.55;
      cursor: not-allowed;
    }
    .secondary {
      align-self: flex-start;
      border: 1px solid var(--_k-border);
      background: var(--_k-surface);
      color: var(--_k-text);
    }
    @media (prefers-reduced-motion: no-preference) {
      .pay {
        transition: opacity 120ms ease-out;
      }
    }
  `,
];
