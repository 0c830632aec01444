// The page side of the example shops (PHP, Python, Java): the same file for each, since the page
// talks only to its own shop's routes. The shop asks Kount through the relay; on CHALLENGE this
// page shows <verification-flow>, and when the flow completes it asks the shop, which confirms the
// decision with the relay: the element's word is never what the shop acts on.

const main = document.querySelector('main[data-journey]');
/** `checkout` or `sign-in`: the shop's routes are `/api/<journey>` and `/api/<journey>/confirm`. */
const journey = main.dataset.journey;
const form = document.getElementById('journey-form');
const formError = document.getElementById('form-error');
const verification = document.getElementById('verification');
const status = document.getElementById('status');

const outcomes = {
  checkout: {
    ALLOW: 'Order confirmed.',
    BLOCK: "Payment declined: we couldn't complete this order.",
    REVIEW: "Order received: we're reviewing it and will email you.",
  },
  'sign-in': {
    ALLOW: "You're signed in.",
    BLOCK: "We couldn't sign you in.",
    REVIEW: "We're checking this sign-in and will email you.",
  },
}[journey];

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.textContent = '';
  status.textContent = '';
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    const body = Object.fromEntries([...new FormData(form)].filter(([, value]) => value !== ''));
    const answer = await postJson(`/api/${journey}`, body);
    if (answer.outcome === 'CHALLENGE') startVerification();
    else showDecision(answer.outcome);
  } catch (error) {
    formError.textContent = error.message;
  } finally {
    submit.disabled = false;
  }
});

function startVerification() {
  form.hidden = true;
  verification.hidden = false;
  const flow = document.createElement('verification-flow');
  // The relay's browser API, on this origin behind the same proxy as the shop (so its cookie is first-party).
  flow.setAttribute('relay', '/verify');
  flow.addEventListener('verify-complete', () => confirmDecision());
  // After a lost or expired session the flow offers to start again: back to the filled-in form.
  flow.addEventListener('verify-restart', (event) => {
    event.preventDefault();
    flow.remove();
    verification.hidden = true;
    form.hidden = false;
    formError.textContent = 'Your verification ended before it was finished. Check your details and try again.';
    form.querySelector('button[type="submit"]').focus();
  });
  verification.append(flow);
  verification.querySelector('h2').focus();
}

async function confirmDecision() {
  status.textContent = 'Checking the result…';
  try {
    const answer = await postJson(`/api/${journey}/confirm`, {});
    showDecision(answer.decision);
  } catch (error) {
    showDecision('REVIEW', error.message);
  }
}

function showDecision(decision, detail) {
  const known = Object.hasOwn(outcomes, decision) ? decision : 'REVIEW';
  form.hidden = true;
  verification.hidden = true;
  status.dataset.decision = known;
  status.textContent = `${detail ?? outcomes[known]} (Decision: ${known})`;
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    // The shop's CSRF guard: its routes refuse a POST without this header, which a form on another site cannot send.
    headers: { 'content-type': 'application/json', 'x-k360-verify': '1' },
    body: JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload.error?.message ?? `The shop answered ${response.status}.`);
  return payload;
}
