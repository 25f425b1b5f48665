import { css } from 'lit';
import { theme } from '../shared/theme.ts';

export const styles = [
  theme,
  css`
    .fieldset {
      display: flex;
      flex-direction: column;
      gap: var(--_k-spacing);
      min-width: 0;
      margin: 0;
      padding: 0;
      border: 0;
    }
    .legend {
      margin-bottom: calc(var(--_k-spacing) / 2);
      padding: 0;
      font-weight: 600;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 0.25em;
    }
    .label {
      font-weight: 500;
    }
    .required {
      margin-inline-start: 0.25em;
      color: var(--_k-muted);
      font-size: 0.8125em;
      font-weight: 400;
    }
    .input {
      box-sizing: border-box;
      width: 100%;
      min-height: 44px;
      padding: 0.5em var(--_k-spacing);
      border: 1px solid var(--_k-border);
      border-radius: var(--_k-radius);
      background: var(--_k-background);
      color: var(--_k-text);
      font: inherit;
    }
    .input:focus {
      border-color: var(--_k-accent);
    }
    .input[aria-invalid='true'] {
      border-color: var(--_k-error);
      box-shadow: inset 0 0 0 1px var(--_k-error);
    }
    .input:disabled {
      opacity: 0.55;
      cursor: not-allowed;
    }
    .hint,
    .error {
      margin: 0;
      font-size: 0.875em;
    }
    .hint {
      color: var(--_k-muted);
    }
    /* The provider's example, on a line of its own under the hint. */
    .example {
      display: block;
    }
    .error {
      color: var(--_k-error);
      font-weight: 500;
    }
    @media (forced-colors: active) {
      .input[aria-invalid='true'] {
        border-width: 3px;
      }
    }
  `,
];
