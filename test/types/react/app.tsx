// #region recipe react
import { useState } from 'react';
import { VerificationFlow } from 'k360-verify/react';

export function Checkout({ onDecided }: { onDecided: (decision: 'ALLOW' | 'BLOCK' | 'REVIEW') => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <VerificationFlow relay="/verify" onVerifyComplete={(event) => onDecided(event.detail.decision)} onVerifyError={(event) => setProblem(event.detail.message)} />
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
// #endregion recipe

// The tags themselves, typed by the JSX declarations.
import type {} from 'k360-verify/types/react';

export function Tags() {
  return (
    <>
      <verification-flow relay="/verify" onverify-complete={(event) => console.log(event.detail.decision, event.target.decision)} />
      <otp-entry relay="/verify" disabled label="Code" />
      {/* @ts-expect-error: not an attribute of the element */}
      <verification-flow relay="/verify" colour="red" />
      {/* @ts-expect-error: `disabled` is a boolean */}
      <otp-entry disabled={3} />
      <verification-flow onverify-complete={(event) => {
        // @ts-expect-error: the detail has no such field
        event.detail.decison;
      }} />
    </>
  );
}

export function Wrapped() {
  // @ts-expect-error: onVerifyComplete's event has a typed detail
  return <VerificationFlow onVerifyComplete={(event) => event.detail.verdict} />;
}
