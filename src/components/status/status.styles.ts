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
    .amount {
      font-variant-numeric: tabular-nums;
    }
    .retry {
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
  `,
];
