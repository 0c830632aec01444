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
  [part='step'] {
    margin: 0;
    color: var(--_verify-color-muted);
    font-size: 0.875em;
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  [part='decision'] {
    display: grid;
    gap: var(--_verify-space-s);
  }
  [part='decision'] h2 {
    margin: 0;
    font-size: var(--verification-flow-heading-size, 1.25em);
  }
  [part='decision'] p {
    margin: 0;
  }
  :host([decision='ALLOW']) [part='decision'] h2 {
    color: var(--_verify-color-success);
  }
  :host([decision='BLOCK']) [part='decision'] h2 {
    color: var(--_verify-color-danger);
  }
  [part='error'] {
    display: grid;
    gap: var(--_verify-space-s);
    justify-items: start;
  }
  [part='error'] p {
    margin: 0;
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
