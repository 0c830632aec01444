import { css } from 'lit';

/** Logical properties throughout (inline-start, block-end...), so Arabic lays out right to left. */
export const kbaQuizStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: var(--kba-quiz-gap, var(--_verify-space-m));
    margin: 0;
  }

  .hint {
    margin: 0;
    color: var(--kba-quiz-hint-color, var(--_verify-color-muted));
  }
  /* One meta line: where the shopper is, then only what matters now, apart by a dot. */
  .meta {
    display: flex;
    flex-wrap: wrap;
    margin: 0;
    color: var(--kba-quiz-hint-color, var(--_verify-color-muted));
    font-size: var(--_verify-font-size-s);
  }
  /* After each item but the last, so a line that wraps ends with the dot rather than starts with it. */
  .meta > :not(:last-child)::after {
    content: '·';
    content: '·' / '';
    padding-inline: 0.5em;
    font-weight: 400;
  }
  .timer {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }

  .question {
    display: flex;
    flex-direction: column;
    gap: var(--_verify-space-s);
    min-inline-size: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }
  /*
   * As wide as the choices, its text where theirs starts: the focus ring, drawn inside, lines up
   * with the choices' edges and corners.
   */
  .legend {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    inline-size: 100%;
    /* The choices' border and padding: the text starts where theirs does. */
    padding: 0.25rem calc(var(--_verify-space-s) + 1px);
    border-radius: var(--kba-quiz-choice-radius, var(--_verify-radius));
  }
  .legend:focus-visible {
    outline-offset: -2px;
  }
  .question-text,
  .review-title {
    font-size: var(--kba-quiz-question-font-size, 1.125em);
    font-weight: 600;
    /* Kount's text can hold long unbroken words or addresses. */
    overflow-wrap: anywhere;
  }
  .review-title {
    margin: 0;
    border-radius: var(--_verify-radius);
  }

  .choices {
    display: flex;
    flex-direction: column;
    gap: var(--_verify-space-s);
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--_verify-space-s);
    min-block-size: 2.75rem; /* 44 px touch target (WCAG 2.5.5) */
    padding-block: 0.25rem;
    padding-inline: var(--_verify-space-s) var(--_verify-space-m);
    border: 1px solid var(--kba-quiz-choice-border-color, var(--_verify-color-border));
    border-radius: var(--kba-quiz-choice-radius, var(--_verify-radius));
    background: var(--kba-quiz-choice-background, var(--_verify-color-surface));
    cursor: pointer;
    overflow-wrap: anywhere;
  }
  .choice:has(.input:checked) {
    border-color: var(--kba-quiz-accent, var(--_verify-color-accent));
    box-shadow: inset 0 0 0 1px var(--kba-quiz-accent, var(--_verify-color-accent));
  }
  .choice:has(.input[aria-invalid='true']) {
    border-color: var(--kba-quiz-error-color, var(--_verify-color-danger));
  }
  .input {
    flex: none;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    margin: 0;
    accent-color: var(--kba-quiz-accent, var(--_verify-color-accent));
  }

  /* A summary list: each question with its answer under it, Change at the end of the row. */
  .review {
    margin: 0;
    padding: 0;
    list-style: none;
    border: 1px solid var(--kba-quiz-choice-border-color, var(--_verify-color-border));
    border-radius: var(--kba-quiz-choice-radius, var(--_verify-radius));
  }
  .review-item {
    display: grid;
    grid-template-columns: 1fr auto;
    grid-template-areas: 'question change' 'answer change';
    align-items: center;
    column-gap: var(--_verify-space-m);
    row-gap: 0.125rem;
    padding: var(--_verify-space-s) var(--_verify-space-m);
  }
  .review-item + .review-item {
    border-block-start: 1px solid var(--kba-quiz-choice-border-color, var(--_verify-color-border));
  }
  .review-question {
    grid-area: question;
    margin: 0;
    color: var(--kba-quiz-hint-color, var(--_verify-color-muted));
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }
  .review-answers {
    grid-area: answer;
    margin: 0;
    padding: 0;
    list-style: none;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .review-answers--none {
    color: var(--kba-quiz-error-color, var(--_verify-color-danger));
  }
  .review-item .button--link {
    grid-area: change;
    padding-inline: 0;
  }

  .error {
    margin: 0;
    overflow-wrap: anywhere;
    color: var(--kba-quiz-error-color, var(--_verify-color-danger));
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
    border-color: var(--kba-quiz-accent, var(--_verify-color-accent));
    background: var(--kba-quiz-accent, var(--_verify-color-accent));
    color: var(--kba-quiz-accent-contrast, var(--_verify-color-accent-contrast));
  }
  .button[aria-disabled='true'] {
    pointer-events: none;
  }

  @media (forced-colors: active) {
    .choice {
      border-color: CanvasText;
    }
    .choice:has(.input:checked) {
      border-color: Highlight;
      box-shadow: none;
      outline: 2px solid Highlight;
    }
    .choice:has(.input[aria-invalid='true']) {
      border-style: dashed;
    }
    .error {
      color: CanvasText;
    }
  }
`;
