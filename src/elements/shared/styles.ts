/**
 * Design tokens and the building blocks every element shares.
 *
 * Two levels, as in Material Web:
 * - page-level tokens `--verify-<category>-<name>`, set by the page on any ancestor (or left unset);
 * - per-element properties (`--otp-entry-*`, ...) that fall back to them.
 *
 * Inside a shadow root, read a token through its resolved private twin, `--_verify-<category>-<name>`
 * (set on `:host` by `tokens`), which already holds the light or dark default when the page set
 * nothing. Example: `color: var(--otp-entry-input-color, var(--_verify-color-text));`.
 */
import { css, unsafeCSS } from 'lit';

/** Every token a page can set, with its light and dark defaults. */
export const tokenDefaults = {
  'color-text': ['#1b1b1f', '#e7e7ec'],
  'color-muted': ['#55565e', '#b3b4bd'],
  'color-surface': ['#ffffff', '#1c1d22'],
  'color-border': ['#8a8b94', '#787a85'],
  'color-accent': ['#1f5fd1', '#8ab4ff'],
  'color-accent-contrast': ['#ffffff', '#0c1a33'],
  'color-danger': ['#b3261e', '#ffb4ab'],
  'color-success': ['#1b6e3a', '#7dd99a'],
  'color-focus': ['#1f5fd1', '#8ab4ff'],
  'font-family': [
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif',
    null,
  ],
  'font-size': ['1rem', null],
  /** Meta lines (time or attempts left, a count of new codes) and step labels. */
  'font-size-s': ['0.875rem', null],
  /** Headings the elements draw: the decision, a card's title. */
  'font-size-l': ['1.25rem', null],
  radius: ['0.5rem', null],
  'space-s': ['0.5rem', null],
  'space-m': ['1rem', null],
  'space-l': ['1.5rem', null],
} as const satisfies Record<string, readonly [string, string | null]>;

export type TokenName = keyof typeof tokenDefaults;

function declarations(scheme: 0 | 1): string {
  return Object.entries(tokenDefaults)
    .filter(([, values]) => values[scheme] !== null)
    .map(([name, values]) => `--_verify-${name}: var(--verify-${name}, ${values[scheme]});`)
    .join('\n');
}

/**
 * Resolves the page tokens (or their defaults) into `--_verify-*` on `:host`.
 * Built from the constant table above, never from user input, so `unsafeCSS` is safe here.
 */
export const tokens = css`
  :host {
    ${unsafeCSS(declarations(0))}
  }
  @media (prefers-color-scheme: dark) {
    :host {
      ${unsafeCSS(declarations(1))}
    }
  }
`;

/** `:host` basics: block layout, font, colours, `[hidden]` honoured, border-box sizing. */
export const hostStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--_verify-font-family);
    font-size: var(--_verify-font-size);
    line-height: 1.5;
    color: var(--_verify-color-text);
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** `.visually-hidden`: read by screen readers, not shown. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    padding: 0 !important;
    margin: -1px !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    white-space: nowrap !important;
    border: 0 !important;
  }
`;

/** A visible focus ring for `:focus-visible`; an outline, so it survives forced colours. */
export const focusRing = css`
  :focus-visible {
    outline: 2px solid var(--_verify-color-focus);
    outline-offset: 2px;
  }
  @media (forced-colors: active) {
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;

/**
 * Buttons: `.button` (secondary look), `.button--primary` (filled), `.button--link` (text only).
 * A disabled or `aria-disabled="true"` button looks inert.
 */
export const buttonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--_verify-space-s);
    min-height: 2.75rem; /* 44 px touch target (WCAG 2.5.5) */
    padding: 0 var(--_verify-space-m);
    border: 1px solid var(--_verify-color-border);
    border-radius: var(--_verify-radius);
    background: var(--_verify-color-surface);
    color: var(--_verify-color-text);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    transition: background-color 120ms ease, border-color 120ms ease;
  }
  .button--primary {
    border-color: var(--_verify-color-accent);
    background: var(--_verify-color-accent);
    color: var(--_verify-color-accent-contrast);
  }
  /* No padding: its text lines up with the text above and below it. */
  .button--link {
    min-height: 2.75rem;
    padding: 0;
    border-color: transparent;
    background: transparent;
    color: var(--_verify-color-accent);
    text-align: start;
    justify-content: flex-start;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  /* On a phone, the main buttons take the whole width (an easy target, one column). */
  @media (max-width: 480px) {
    /* :host raises these above each element's own layout rules, which come later. */
    :host .base,
    :host .actions {
      align-items: stretch;
    }
    :host .actions {
      flex-direction: column;
    }
    .button:not(.button--link) {
      inline-size: 100%;
    }
    .button--link {
      align-self: flex-start;
    }
  }
  /*
   * Busy (checking a code, sending answers): a spinner over the label, which stays in place,
   * hidden, so the button keeps its width. The button's \`aria-label\` says what it is doing.
   */
  .button--busy {
    position: relative;
  }
  .button--busy > span {
    visibility: hidden;
  }
  .button--busy::after {
    content: '';
    position: absolute;
    inset: 0;
    margin: auto;
    inline-size: 1.25em;
    block-size: 1.25em;
    border: 2px solid;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: verify-spin 0.8s linear infinite;
  }
  @keyframes verify-spin {
    to {
      rotate: 1turn;
    }
  }
  /* Inline SVG icons (icons.ts): drawn in the text's colour, so forced colours and themes follow. */
  .icon {
    flex: none;
    inline-size: 1.25em;
    block-size: 1.25em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  /* A line that comes and goes (a countdown) keeps its height, so nothing below it jumps. */
  .wait {
    min-block-size: 1.5em;
    margin: 0;
  }
  @media (forced-colors: active) {
    .button {
      border-color: ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    /* The main action stands out in forced colours too: filled, in the system's highlight pair (above each element's own colours). */
    .button.button--primary {
      border-color: Highlight;
      background: Highlight;
      color: HighlightText;
    }
    .button--link {
      border-color: transparent;
      color: LinkText;
    }
    .button:disabled,
    .button[aria-disabled='true'] {
      border-color: GrayText;
      background: ButtonFace;
      color: GrayText;
      opacity: 1;
    }
    /* A waiting link stays a link: no border (forced colours keep only system colours) that would make it look weightier than the main action. */
    .button--link:disabled,
    .button--link[aria-disabled='true'] {
      border-color: Canvas;
      background: transparent;
    }
  }
`;

/** Messages: `.message--error`, `.message--success`, `.message--muted`. */
export const messageStyles = css`
  .message--muted {
    color: var(--_verify-color-muted);
  }
  .message--error {
    color: var(--_verify-color-danger);
  }
  .message--success {
    color: var(--_verify-color-success);
  }
`;

/** Everything above, in the order an element usually wants it before its own styles. */
export const baseStyles = [tokens, hostStyles, visuallyHidden, focusRing, buttonStyles, messageStyles];
