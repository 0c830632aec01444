import { css } from 'lit';

/** Logical properties throughout, so Arabic and Hebrew lay out right to left. */
export const othWaitingStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--oth-waiting-gap, var(--_verify-space-m));
  }

  /* The instruction, the state and the error: an icon at the start of the first line, then text. */
  .message,
  .progress,
  .error {
    display: flex;
    align-items: flex-start;
    gap: var(--_verify-space-s);
    margin: 0;
  }
  /* On the first line's middle: lines are 1.5em high, icons 1.25em. */
  .icon,
  .indicator {
    margin-block-start: 0.125em;
  }
  .message {
    /* A masked address can be long (a***@very-long-domain.example): let it wrap anywhere. */
    overflow-wrap: anywhere;
  }
  .hint {
    margin: 0;
    color: var(--oth-waiting-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }

  /* The state line is a meta line while it waits; a result reads at full size. */
  .progress {
    color: var(--oth-waiting-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }
  .progress .hint {
    font-size: inherit;
  }
  .progress--success,
  .progress--danger,
  .progress--done {
    color: var(--_verify-color-text);
    font-size: inherit;
    font-weight: 600;
  }
  .progress--success {
    color: var(--oth-waiting-success-color, var(--_verify-color-success));
  }
  .progress--danger {
    color: var(--oth-waiting-error-color, var(--_verify-color-danger));
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
  .progress .indicator {
    margin-block-start: 0.25em;
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
  .resend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_verify-space-s) var(--_verify-space-m);
  }
  .channels {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
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
