// #region recipe vite
import 'k360-verify/verification-flow';

const flow = document.createElement('verification-flow');
flow.relay = '/verify';
flow.addEventListener('verify-complete', (event) => {
  void fetch('/checkout/confirm', { method: 'POST', body: JSON.stringify({ decision: event.detail.decision }) });
});
document.querySelector('#checkout')?.append(flow);
// #endregion recipe

flow.addEventListener('verify-error', (event) => {
  const code: string = event.detail.code;
  // @ts-expect-error: the error detail has code and message, nothing else
  void event.detail.decision;
  void code;
});
// @ts-expect-error: relay is a string
flow.relay = 42;
