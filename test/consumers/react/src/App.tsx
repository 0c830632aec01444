// A React 19 checkout as a shop writes one: its own form, then the flow from k360-verify/react.
import { useState, type FormEvent } from 'react';
import { VerificationFlow, type VerifyCompleteEvent } from 'k360-verify/react';

type Decision = VerifyCompleteEvent['detail']['decision'];

export function App() {
  const [phone, setPhone] = useState('');
  const [stage, setStage] = useState<'form' | 'challenge' | 'failed'>('form');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function pay(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const response = await fetch('/api/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-k360-verify': '1' }, // the checkout route takes the relay's CSRF check
      body: JSON.stringify({ email: 'otp@example.com', phone }),
    });
    const { outcome } = (await response.json()) as { outcome: string };
    if (outcome === 'CHALLENGE') setStage('challenge');
    else if (outcome === 'ALLOW' || outcome === 'BLOCK' || outcome === 'REVIEW') setDecision(outcome);
    else setStage('failed');
  }

  if (decision) return <p role="status">Decision: {decision}</p>;
  if (stage === 'challenge') {
    return (
      <>
        <VerificationFlow relay="/verify" onVerifyComplete={(event) => setDecision(event.detail.decision)} onVerifyError={(event) => setProblem(event.detail.message)} />
        {problem && <p role="alert">{problem}</p>}
      </>
    );
  }
  return (
    <form onSubmit={(event) => void pay(event)}>
      <label>
        Phone <input type="tel" value={phone} onChange={(event) => setPhone(event.target.value)} required />
      </label>
      <button type="submit">Pay</button>
      {stage === 'failed' && <p role="alert">The checkout could not start.</p>}
    </form>
  );
}
