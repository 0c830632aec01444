import { css } from 'lit';

export const verificationFlowStyles = css`
  :host {
    --_gap: var(--verification-flow-gap, var(--_verify-space-m));
  }
  [part='base'] {
    display: grid;
    gap: var(--_gap);
    padding: var(--verification-flow-padding, 0);
    border-radius: var(--verification-flow-radius, var(--_verify-radius));
    background: var(--verification-flow-background, transparent);
  }
  /* A card of its own: forced colours draw its border in the system's colour by themselves. */
  :host([appearance='card']) [part='base'] {
    max-inline-size: 28rem;
    padding: var(--verification-flow-padding, var(--_verify-space-l));
    border: 1px solid var(--_verify-color-border);
    border-radius: var(--verification-flow-radius, calc(2 * var(--_verify-radius)));
    background: var(--verification-flow-background, var(--_verify-color-surface));
    box-shadow: var(--verification-flow-shadow, 0 4px 16px #0002);
  }
  .header {
    display: grid;
    gap: var(--_verify-space-s);
  }
  ::slotted(*) {
    margin: 0 !important;
  }
  ::slotted([slot='logo']) {
    max-block-size: 2rem;
    justify-self: start;
  }
  ::slotted([slot='heading']) {
    font-size: var(--_verify-font-size-l);
  }
  ::slotted([slot='subtitle']) {
    color: var(--_verify-color-muted);
  }
  [part='step'] {
    margin: 0;
    color: var(--_verify-color-muted);
    font-size: var(--_verify-font-size-s);
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  [part='decision'] {
    display: grid;
    gap: var(--_verify-space-s);
  }
  [part='decision'] h2 {
    margin: 0;
    font-size: var(--verification-flow-heading-size, var(--_verify-font-size-l));
  }
  [part='decision'] p {
    margin: 0;
  }
  /* The decision's moment: its icon draws in (under reduced motion, hostStyles shortens that to nothing). */
  .decision-icon {
    color: var(--_verify-color-muted);
    font-size: 2.5rem;
    animation: verification-flow-arrive 0.4s cubic-bezier(0.2, 0.9, 0.3, 1.3);
  }
  @keyframes verification-flow-arrive {
    from {
      opacity: 0;
      scale: 0.6;
    }
  }
  :host([decision='ALLOW']) :is(h2, .decision-icon) {
    color: var(--_verify-color-success);
  }
  :host([decision='BLOCK']) :is(h2, .decision-icon) {
    color: var(--_verify-color-danger);
  }
  [part='error'] {
    display: grid;
    gap: var(--_verify-space-s);
    justify-items: start;
  }
  /* As bold as the steps' own errors. */
  [part='error'] p {
    margin: 0;
    font-weight: 600;
  }
  .loading {
    display: grid;
    gap: var(--_verify-space-s);
  }
  .loading-text {
    margin: 0;
    color: var(--_verify-color-muted);
  }
  /* Three bars drawn by one element: a line of text, a field, a button. */
  .skeleton {
    --_bar: var(--verification-flow-skeleton-color, color-mix(in srgb, var(--_verify-color-border) 28%, transparent));
    block-size: 7.5rem;
    background:
      linear-gradient(var(--_bar) 0 0) 0 0 / 70% 1.25rem,
      linear-gradient(var(--_bar) 0 0) 0 2rem / 100% 2.75rem,
      linear-gradient(var(--_bar) 0 0) 0 100% / min(100%, 9rem) 2.75rem;
    background-repeat: no-repeat;
    animation: verification-flow-pulse 1.6s ease-in-out infinite;
  }
  :host(:dir(rtl)) .skeleton {
    background-position-x: 100%;
  }
  @keyframes verification-flow-pulse {
    50% {
      opacity: 0.5;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    .skeleton {
      --_bar: GrayText;
    }
  }
`;
