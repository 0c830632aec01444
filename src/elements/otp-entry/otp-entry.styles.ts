import { css, unsafeCSS } from 'lit';

/**
 * The input's width follows the code length (4 to 10 in the contract). A rule per length rather
 * than an inline style: a strict CSP (`style-src 'self'`) refuses style attributes.
 */
const lengthRules = unsafeCSS(
  Array.from({ length: 7 }, (_, index) => index + 4)
    .map((length) => `.base[data-length='${length}'] { --_otp-entry-length: ${length}; }`)
    .join('\n'),
);

export const otpEntryStyles = css`
  ${lengthRules}

  .base {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--otp-entry-gap, var(--_verify-space-m));
    margin: 0;
  }

  /* The whole width, so the row of boxes can sit at its start or its centre (--otp-entry-slots-align). */
  .field {
    display: flex;
    flex-direction: column;
    align-self: stretch;
    gap: var(--_verify-space-s);
  }

  .label {
    font-weight: 600;
  }

  .hint {
    margin: 0;
    color: var(--otp-entry-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }

  /* The instruction: where the code went, after the channel's icon. */
  .sent {
    display: flex;
    gap: var(--_verify-space-s);
    margin: 0;
    /* A masked address can be long (a***@very-long-domain.example): let it wrap anywhere. */
    overflow-wrap: anywhere;
  }
  .sent .icon {
    margin-block-start: 0.125em;
    color: var(--otp-entry-accent, var(--_verify-color-accent));
  }

  /* The look of a code: the single field's, and each box's. */
  .input,
  .slot {
    border: var(--otp-entry-input-border-width, 2px) solid var(--otp-entry-input-border-color, var(--_verify-color-border));
    border-radius: var(--otp-entry-input-radius, var(--_verify-radius));
    background: var(--otp-entry-input-background, var(--_verify-color-surface));
    color: var(--otp-entry-input-color, var(--_verify-color-text));
    font-family: var(--otp-entry-input-font-family, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    font-size: var(--otp-entry-input-font-size, 1.5em);
    font-variant-numeric: tabular-nums;
  }
  .input {
    /* Wide enough for the code, with room for the letter spacing: one real input, any length. */
    inline-size: calc(var(--_otp-entry-length, 6) * 1.6ch + 2.5ch);
    max-inline-size: 100%;
    min-block-size: 3rem;
    padding: 0 1ch;
    letter-spacing: var(--otp-entry-input-letter-spacing, 0.5ch);
    text-align: start;
  }
  .input:focus-visible {
    border-color: var(--otp-entry-accent, var(--_verify-color-accent));
  }
  .input[aria-invalid='true'] {
    border-color: var(--otp-entry-error-color, var(--_verify-color-danger));
  }
  .input:disabled,
  .input[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .input::placeholder {
    color: var(--otp-entry-hint-color, var(--_verify-color-muted));
  }

  /*
   * Boxes: the real input lies over the row of boxes, transparent, so a tap anywhere on the row
   * focuses it and typing, paste, autofill and screen readers all use it; the boxes only show it.
   */
  .entry {
    position: relative;
    max-inline-size: 100%;
  }
  /* As wide as its boxes (the grid's max-content), narrower only when the element is. */
  .entry--boxes {
    align-self: var(--otp-entry-slots-align, start);
  }
  .entry--boxes .input {
    position: absolute;
    inset: 0;
    z-index: 1;
    inline-size: 100%;
    block-size: 100%;
    min-block-size: 0;
    padding: 0;
    border: 0;
    background: transparent;
    color: transparent;
    caret-color: transparent;
    letter-spacing: 0;
    outline: none;
  }
  .entry--boxes .input::selection {
    background: transparent;
  }
  /*
   * Each box is --otp-entry-slot-size wide, never sized by the text around it (a hint, an error,
   * a countdown, a language that wraps anywhere). When the element is narrower than the row, the
   * columns (minimum 0) share its width equally, and the boxes keep their shape.
   */
  .slots {
    display: grid;
    grid-template-columns: repeat(var(--_otp-entry-length, 6), minmax(0, var(--otp-entry-slot-size, 3rem)));
    gap: var(--otp-entry-slot-gap, 0.5rem);
  }
  .slot {
    display: grid;
    place-items: center;
    aspect-ratio: var(--otp-entry-slot-ratio, 6 / 7);
  }
  .slot--active {
    border-color: var(--otp-entry-accent, var(--_verify-color-accent));
    box-shadow: 0 0 0 2px var(--_verify-color-focus);
  }
  /* A caret in the empty box where the next digit goes. */
  .slot--active:not(.slot--filled)::after {
    content: '';
    inline-size: 2px;
    block-size: 1.4em;
    background: currentColor;
    animation: otp-entry-caret 1.1s steps(1) infinite;
  }
  @keyframes otp-entry-caret {
    50% {
      opacity: 0;
    }
  }
  .input[aria-invalid='true'] + .slots .slot {
    border-color: var(--otp-entry-error-color, var(--_verify-color-danger));
  }
  .input:disabled + .slots,
  .input[aria-disabled='true'] + .slots {
    opacity: 0.6;
  }

  .error {
    margin: 0;
    color: var(--otp-entry-error-color, var(--_verify-color-danger));
    font-weight: 600;
  }
  .error:empty {
    display: none;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_verify-space-s) var(--_verify-space-m);
  }
  .button--primary {
    border-color: var(--otp-entry-accent, var(--_verify-color-accent));
    background: var(--otp-entry-accent, var(--_verify-color-accent));
    color: var(--otp-entry-accent-contrast, var(--_verify-color-accent-contrast));
  }
  .button[aria-disabled='true'] {
    pointer-events: none;
  }

  .resend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_verify-space-s) var(--_verify-space-m);
  }

  @media (forced-colors: active) {
    .input,
    .slot {
      border-color: FieldText;
      background: Field;
      color: FieldText;
    }
    .entry--boxes .input {
      color: transparent;
      background: transparent;
    }
    .slot--active {
      border-color: Highlight;
      box-shadow: none;
      outline: 2px solid Highlight;
    }
    .input[aria-invalid='true'] + .slots .slot {
      border-style: dashed;
    }
    .input[aria-invalid='true'] {
      border-style: dashed;
    }
    .input:disabled,
    .input[aria-disabled='true'] {
      border-color: GrayText;
      color: GrayText;
      opacity: 1;
    }
    .error {
      color: CanvasText;
    }
  }
`;
