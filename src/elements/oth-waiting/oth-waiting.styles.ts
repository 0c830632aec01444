import { css } from 'lit';

export const othWaitingStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--oth-waiting-gap, var(--_verify-space-m));
  }

  .message {
    display: flex;
    flex-direction: column;
    gap: var(--_verify-space-s);
    margin: 0;
    /* A masked address can be long (a***@very-long-domain.example): let it wrap anywhere. */
    overflow-wrap: anywhere;
  }
  .message p {
    margin: 0;
  }
  .sent-to {
    font-weight: 600;
  }
  .instructions,
  .hint {
    margin: 0;
    color: var(--oth-waiting-hint-color, var(--_verify-color-muted));
  }

  .progress {
    display: inline-flex;
    align-items: center;
    gap: var(--_verify-space-s);
    margin: 0;
  }
  .progress--success {
    color: var(--oth-waiting-success-color, var(--_verify-color-success));
    font-weight: 600;
  }
  .progress--danger {
    color: var(--oth-waiting-error-color, var(--_verify-color-danger));
    font-weight: 600;
  }

  .indicator {
    flex: none;
    inline-size: var(--oth-waiting-indicator-size, 1em);
    block-size: var(--oth-waiting-indicator-size, 1em);
    border: 2px solid var(--oth-waiting-accent, var(--_verify-color-accent));
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: oth-waiting-spin 1s linear infinite;
  }
  @keyframes oth-waiting-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    /* A still ring says "waiting" as well; hostStyles already shortens animations, this stops it. */
    .indicator {
      animation: none;
      border-inline-end-color: var(--oth-waiting-accent, var(--_verify-color-accent));
      border-style: dotted;
    }
  }

  .offline {
    margin: 0;
    padding: var(--_verify-space-s) var(--_verify-space-m);
    border: 1px solid var(--_verify-color-border);
    border-radius: var(--_verify-radius);
  }

  .error {
    margin: 0;
    color: var(--oth-waiting-error-color, var(--_verify-color-danger));
    font-weight: 600;
  }
  .error:empty {
    display: none;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: var(--_verify-space-s) var(--_verify-space-m);
  }
  .resend,
  .channels {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
  }
  .resend-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    column-gap: var(--_verify-space-m);
  }
  .sent {
    color: var(--_verify-color-success);
  }
  @media (forced-colors: active) {
    .sent {
      color: CanvasText;
    }
  }
  .button--link {
    color: var(--oth-waiting-accent, var(--_verify-color-accent));
  }
  .button--primary {
    border-color: var(--oth-waiting-accent, var(--_verify-color-accent));
    background: var(--oth-waiting-accent, var(--_verify-color-accent));
    color: var(--oth-waiting-accent-contrast, var(--_verify-color-accent-contrast));
  }
  .button[aria-disabled='true'] {
    pointer-events: none;
  }

  @media (forced-colors: active) {
    .indicator {
      border-color: CanvasText;
      border-inline-end-color: transparent;
    }
    .progress--success,
    .progress--danger,
    .error {
      color: CanvasText;
    }
    .button--link {
      color: LinkText;
    }
  }
`;
