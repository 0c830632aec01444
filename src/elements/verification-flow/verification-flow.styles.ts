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
  [part='loading'] {
    margin: 0;
    color: var(--_verify-color-muted);
  }
`;
