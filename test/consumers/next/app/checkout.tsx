'use client';
// The shop's checkout form, then <verification-flow> when Kount asks for a challenge, then the
// shop's confirm route: the decision the page shows is the relay's, not the element's.
import { useState, type FormEvent } from 'react';
import type {} from 'k360-verify/types/react';
import 'k360-verify/verification-flow';

// The shop's own state-changing routes take the relay's check too, so they need its header.
const headers = { 'content-type': 'application/json', 'x-k360-verify': '1' };

export function Checkout() {
  const [stage, setStage] = useState<'form' | 'challenge'>('form');
  const [result, setResult] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function pay(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const phone = String(form.get('phone') ?? '');
    const response = await fetch('/api/checkout', {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: String(form.get('email') ?? ''), ...(phone ? { phone } : {}) }),
    });
    const answer = (await response.json()) as { outcome?: string; error?: { message: string } };
    if (answer.outcome === 'CHALLENGE') setStage('challenge');
    else if (answer.outcome) setResult(`Decision: ${answer.outcome}`);
    else setProblem(answer.error?.message ?? 'The checkout could not start.');
  }

  async function confirm(): Promise<void> {
    const response = await fetch('/api/checkout/confirm', { method: 'POST', headers, body: '{}' });
    const answer = (await response.json()) as { decision?: string; error?: { message: string } };
    if (answer.decision) setResult(`The shop confirmed: ${answer.decision}`);
    else setProblem(answer.error?.message ?? 'The order could not be confirmed.');
  }

  if (result) return <p role="status">{result}</p>;
  return (
    <>
      {stage === 'challenge' ? (
        <verification-flow relay="/verify" onverify-complete={() => void confirm()} onverify-error={(event) => setProblem(event.detail.message)} />
      ) : (
        <form onSubmit={(event) => void pay(event)}>
          <label>
            Email <input type="email" name="email" required />
          </label>
          <label>
            Phone <input type="tel" name="phone" />
          </label>
          <button type="submit">Pay</button>
        </form>
      )}
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
