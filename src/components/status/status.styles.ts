import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    .status {
      display: flex;
      align-items: flex-start;
      gap: var(--_k-spacing);
      padding: var(--_k-spacing);
      border: 1px solid var(--_k-border);
      border-radius: var(--_k-radius);
      background: var(--_k-surface);
    }
    .icon {
      flex: none;
      display: inline-flex;
      width: 1.5em;
      height: 1.5em;
      color: var(--_k-accent);
    }
    .icon svg {
      width: 100%;
      height: 100%;
    }
    .success .icon {
      color: var(--_k-success);
    }
    .failure .icon,
    .problem .icon {
      color: var(--_k-error);
    }
    /* The shopper's own cancel is no error: the muted colour, not the failure's. */
    .neutral .icon {
      color: var(--_k-muted);
    }
    .waiting .icon svg {
      animation: kassa-spin 1.2s linear infinite;
    }
    @media (prefers-reduced-motion: reduce) {
      .waiting .icon svg {
        animation: none;
      }
    }
    @keyframes kassa-spin {
      to {
        transform: rotate(360deg);
      }
    }
    .text {
      display: grid;
      gap: calc(var(--_k-spacing) / 3);
      min-width: 0;
    }
    p {
      margin: 0;
    }
    .message {
      font-weight: 600;
    }
    .note,
    .amount {
      color: var(--_k-muted);
    }
    .detail {
      line-height: 1.4;
    }
    .amount {
      font-variant-numeric: tabular-nums;
    }
    .retry,
    .action {
      box-sizing: border-box;
      margin-top: var(--_k-spacing);
      padding: calc(var(--_k-spacing) * 0.75) calc(var(--_k-spacing) * 1.5);
      border: none;
      border-radius: var(--_k-radius);
      background: var(--_k-accent);
      color: var(--_k-accent-text);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    /* A link that does what a button would: at least a fingertip high, and the whole width on a narrow screen. */
    .action {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-height: 44px;
      max-width: 100%;
      text-align: center;
      text-decoration: none;
    }
    .retry {
      min-height: 44px;
    }
    @media (max-width: 30rem) {
      .action {
        display: flex;
        width: 100%;
      }
    }
  `,
];
