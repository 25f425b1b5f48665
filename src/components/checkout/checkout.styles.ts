import { css } from 'lit';
import { theme } from '../shared/theme.ts';

// .progress is empty until a payment start is slow; then "Contacting …" with a spinner, under the pay button.
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
    }
    /* A result without a payment to show (already paid, could not go on): the status card's box around the words. */
    .result.success,
    .result.failure {
      padding: var(--_k-spacing);
      border: 1px solid var(--_k-border);
      border-radius: var(--_k-radius);
      background: var(--_k-surface);
      font-weight: 600;
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
      border-color: var(--_k-border);
      background: var(--_k-surface);
      color: var(--_k-muted);
      cursor: not-allowed;
    }
    .progress {
      display: flex;
      align-items: center;
      gap: calc(var(--_k-spacing) / 2);
      color: var(--_k-muted);
    }
    .progress:empty {
      margin-block-start: calc(var(--_k-spacing) * -1);
    }
    .spinner {
      flex: none;
      width: 1em;
      height: 1em;
      box-sizing: border-box;
      border: 2px solid var(--_k-border);
      border-top-color: var(--_k-accent);
      border-radius: 50%;
    }
    @media (prefers-reduced-motion: no-preference) {
      .spinner {
        animation: kassa-spin 0.8s linear infinite;
      }
    }
    @keyframes kassa-spin {
      to {
        transform: rotate(360deg);
      }
    }
    .secondary {
      align-self: flex-start;
      border: 1px solid var(--_k-border);
      background: var(--_k-surface);
      color: var(--_k-text);
    }
    @media (prefers-reduced-motion: no-preference) {
      .pay {
        transition:
          background-color 120ms ease-out,
          color 120ms ease-out;
      }
    }
  `,
];
