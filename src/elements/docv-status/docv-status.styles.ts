import { css } from 'lit';

export const docvStatusStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--docv-status-gap, var(--_verify-space-m));
  }

  .instructions {
    margin: 0;
    /* A masked phone number keeps its own direction inside an Arabic sentence (see ltrIsolate). */
    overflow-wrap: anywhere;
  }
  .instructions:focus-visible {
    outline: 2px solid var(--_verify-color-focus);
    outline-offset: 2px;
  }

  .start {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--_verify-space-s);
  }

  /*
   * Phones read dark modules on a light ground with a light margin, so the code keeps those
   * colours in dark mode and under forced colours; the quiet zone is part of the drawing.
   */
  .qr-frame {
    display: block;
    line-height: 0;
  }
  .qr {
    display: block;
    inline-size: var(--docv-status-qr-size, 12rem);
    block-size: var(--docv-status-qr-size, 12rem);
    max-inline-size: 100%;
    forced-color-adjust: none;
  }
  .qr-light {
    fill: var(--docv-status-qr-light, #fff);
  }
  .qr-dark {
    fill: var(--docv-status-qr-dark, #000);
  }

  .link {
    display: inline-flex;
    align-items: center;
    min-block-size: 2.75rem; /* 44 px touch target */
    color: var(--docv-status-accent, var(--_verify-color-accent));
    font-weight: 600;
    text-underline-offset: 0.2em;
  }

  .steps {
    display: flex;
    flex-direction: column;
    gap: var(--_verify-space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .step {
    display: flex;
    align-items: center;
    gap: var(--_verify-space-s);
    color: var(--docv-status-pending-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }
  .step--done,
  .step--current {
    color: var(--_verify-color-text);
  }
  .step--current {
    font-weight: 600;
  }
  .marker {
    flex: none;
    inline-size: 1rem;
    block-size: 1rem;
    border: 2px solid currentColor;
    border-radius: 50%;
  }
  .step--done .marker {
    border-color: var(--docv-status-done-color, var(--_verify-color-success));
    background: var(--docv-status-done-color, var(--_verify-color-success));
  }
  .step--current .marker {
    border-color: var(--docv-status-accent, var(--_verify-color-accent));
    box-shadow: inset 0 0 0 3px var(--_verify-color-surface);
    background: var(--docv-status-accent, var(--_verify-color-accent));
    animation: docv-status-pulse 1.6s ease-in-out infinite;
  }
  .step--failed {
    color: var(--_verify-color-text);
    font-weight: 600;
  }
  .step--failed .marker {
    position: relative;
    border-color: var(--docv-status-error-color, var(--_verify-color-danger));
    background: var(--docv-status-error-color, var(--_verify-color-danger));
  }
  /* A cross, so the failed step is told apart by shape as well as colour. */
  .step--failed .marker::before,
  .step--failed .marker::after {
    content: '';
    position: absolute;
    inset-block-start: calc(50% - 1px);
    inset-inline-start: 15%;
    inline-size: 70%;
    block-size: 2px;
    background: var(--_verify-color-surface);
    transform: rotate(45deg);
  }
  .step--failed .marker::after {
    transform: rotate(-45deg);
  }
  @keyframes docv-status-pulse {
    50% {
      opacity: 0.55;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .step--current .marker {
      animation: none;
    }
  }

  /* The texted link's instructions, the state line and the error: an icon at the start of the first line, then text. */
  .instructions--sms,
  .result,
  .error {
    display: flex;
    align-items: flex-start;
    gap: var(--_verify-space-s);
    margin: 0;
  }
  /* On the first line's middle: lines are 1.5em high, icons 1.25em. */
  .icon {
    margin-block-start: 0.125em;
  }
  /* A meta line while the capture goes on; the result reads at full size. */
  .result {
    color: var(--docv-status-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }
  .result--verified {
    color: var(--_verify-color-success);
    font-size: inherit;
    font-weight: 600;
  }

  .resend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    column-gap: var(--_verify-space-m);
  }
  .hint {
    margin: 0;
    color: var(--docv-status-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }

  .error {
    color: var(--docv-status-error-color, var(--_verify-color-danger));
    font-weight: 600;
  }
  .error:empty {
    display: none;
  }

  .button--primary {
    border-color: var(--docv-status-accent, var(--_verify-color-accent));
    background: var(--docv-status-accent, var(--_verify-color-accent));
    color: var(--docv-status-accent-contrast, var(--_verify-color-accent-contrast));
  }
  .button[aria-disabled='true'] {
    pointer-events: none;
  }

  @media (forced-colors: active) {
    .step,
    .step--done,
    .step--current {
      color: CanvasText;
    }
    .step--done .marker {
      border-color: CanvasText;
      background: CanvasText;
    }
    .step--failed .marker {
      border-color: CanvasText;
      background: CanvasText;
    }
    .step--failed .marker::before,
    .step--failed .marker::after {
      background: Canvas;
    }
    .step--current .marker {
      border-color: Highlight;
      background: Highlight;
    }
    .link {
      color: LinkText;
    }
    .error,
    .result--verified {
      color: CanvasText;
    }
  }
`;
