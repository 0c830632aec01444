// The page side of the demo shop's checkout, sign-up, sign-in and account opening: what a customer
// writes to use <verification-flow>. Every demo page loads it for its language switcher; only the
// journey pages (`[data-journey]`) run a journey. No innerHTML anywhere: the pages run under Trusted Types.

import { LANGUAGES, RIGHT_TO_LEFT } from './languages.js';
import { rememberChoice, rememberedChoice } from './remembered-choice.js';

const LANGUAGE_KEY = 'k360-demo-language';

/** The listed language a tag stands for (`de-AT` is Deutsch), or undefined. */
function listedLanguage(tag) {
  const wanted = String(tag ?? '').toLowerCase();
  const exact = LANGUAGES.find(([code]) => code.toLowerCase() === wanted);
  return exact?.[0] ?? LANGUAGES.find(([code]) => code.toLowerCase() === wanted.split('-')[0])?.[0];
}

/**
 * The elements follow `<html lang>` (and load that language's strings); the page's frame follows
 * its direction. The demo's own text stays English, and says so (`lang="en" dir="ltr"` on each
 * English block), so a card number or an e-mail address is never mirrored.
 */
function applyLanguage(language) {
  document.documentElement.lang = language;
  document.documentElement.dir = RIGHT_TO_LEFT.has(language.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * The header's Language menu. `?lang=` (a link to share) wins, then the language chosen on another
 * demo page (localStorage); with neither, the page keeps the `lang` it was given.
 */
function installLanguageSwitcher() {
  const chosen = listedLanguage(new URLSearchParams(location.search).get('lang')) ?? listedLanguage(rememberedChoice(LANGUAGE_KEY));
  const current = chosen ?? (document.documentElement.lang || 'en');
  applyLanguage(current);
  const header = document.querySelector('.site-header');
  if (!header) return;
  const group = document.createElement('div');
  group.className = 'language';
  group.lang = 'en';
  const label = document.createElement('label');
  label.htmlFor = 'demo-language';
  label.textContent = 'Language';
  const select = document.createElement('select');
  select.id = 'demo-language';
  for (const [code, name] of LANGUAGES) {
    const option = new Option(name, code);
    option.lang = code;
    select.append(option);
  }
  select.value = listedLanguage(current) ?? 'en';
  select.addEventListener('change', () => {
    applyLanguage(select.value);
    rememberChoice(LANGUAGE_KEY, 'lang', select.value);
  });
  group.append(label, select);
  header.append(group);
}

installLanguageSwitcher();

const main = document.querySelector('[data-journey]');
if (main) runJourney(main);

function runJourney(main) {
  const journey = main.dataset.journey;
  const form = document.getElementById('journey-form');
  const formError = document.getElementById('form-error');
  const verification = document.getElementById('verification');
  const result = document.getElementById('result');

  const messages = {
    checkout: {
      ALLOW: ['Order confirmed', 'Thank you! Your trail jacket is on its way.'],
      BLOCK: ['Payment declined', "We couldn't complete this order. No money was taken."],
      REVIEW: ['Order received', "We're reviewing your order and will email you shortly."],
    },
    signup: {
      ALLOW: ['Welcome aboard', 'Your account is ready.'],
      BLOCK: ["We couldn't open your account", 'Please contact support if you think this is a mistake.'],
      REVIEW: ['Almost there', "We're reviewing your details and will email you shortly."],
    },
    login: {
      ALLOW: ['Welcome back', "You're signed in."],
      BLOCK: ["We couldn't sign you in", 'Please contact support if you think this is a mistake.'],
      REVIEW: ['Almost there', "We're checking this sign-in and will email you shortly."],
    },
    'open-account': {
      ALLOW: ['Welcome aboard', 'Your account is ready.'],
      BLOCK: ["We couldn't open your account", 'Please contact support if you think this is a mistake.'],
      REVIEW: ['Almost there', "We're reviewing your details and will email you shortly."],
    },
  }[journey];

  // Kount's device data collector starts as the page opens, with a fresh session id; the form sends
  // that id, and the backend gives it to Kount as `deviceSessionId`. A collector that cannot load or
  // is blocked never stops the shopper.
  const deviceData = import('/assets/k360-verify.device-data.js')
    .then(({ collectDeviceData }) => collectDeviceData({ clientId: main.dataset.kountClientId, environment: main.dataset.kountEnvironment }))
    .catch(() => null);

  // The landing page links each sandbox persona as `?email=...`.
  const presetEmail = new URLSearchParams(location.search).get('email');
  if (presetEmail) form.elements.email.value = presetEmail;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const data = Object.fromEntries(new FormData(form));
      // Empty optional fields are left out; each backend reads the fields its journey needs.
      const body = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== ''));
      const collection = await deviceData;
      if (collection) body.deviceSessionId = collection.sessionId;
      const answer = await postJson(`/api/${journey}`, body);
      if (answer.outcome === 'CHALLENGE') startVerification(answer.view);
      else showResult(answer.outcome);
    } catch (error) {
      formError.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  });

  // `view` is the relay's first view, which the shop's backend got when it started the challenge:
  // the flow shows the step at once instead of asking the relay for it. (A page the server renders
  // puts it in the element's <script type="application/json"> child instead, escaped; a script
  // created here could not take text under Trusted Types, hence the property.)
  function startVerification(view) {
    form.hidden = true;
    verification.hidden = false;
    const flow = document.createElement('verification-flow');
    flow.setAttribute('relay', '/verify');
    // A page without a card of its own lets the flow draw one, with the page's heading and sentence in it.
    if (verification.dataset.appearance === 'card') {
      flow.setAttribute('appearance', 'card');
      for (const child of verification.querySelectorAll(':scope > [slot]')) flow.append(child);
    }
    if (view) flow.initialView = view;
    flow.addEventListener('verify-complete', () => confirmOutcome());
    // The flow shows the error itself; after a lost session it offers Start again (verify-restart).
    flow.addEventListener('verify-restart', (event) => {
      event.preventDefault();
      restartJourney();
    });
    verification.append(flow);
    verification.querySelector('h2').focus();
  }

  // Back to the filled-in form: submitting it again asks the shop's backend for a new challenge.
  function restartJourney() {
    const flow = verification.querySelector('verification-flow');
    // The heading and sentence the card held go back to the section, for the next start.
    if (flow) verification.append(...flow.querySelectorAll(':scope > [slot]'));
    flow?.remove();
    verification.hidden = true;
    form.hidden = false;
    formError.textContent = 'Your verification ended before it was finished. Check your details and continue again.';
    form.querySelector('button[type="submit"]').focus();
  }

  // The element's word is never trusted: the backend asks the relay for the real outcome.
  async function confirmOutcome() {
    try {
      const outcome = await postJson(`/api/${journey}/confirm`, {});
      showResult(outcome.state === 'decided' ? outcome.decision : 'REVIEW');
    } catch (error) {
      showResult('REVIEW', error.message);
    }
  }

  function showResult(decision, detail) {
    const [title, text] = messages[decision] ?? messages.REVIEW;
    form.hidden = true;
    verification.hidden = true;
    const heading = document.createElement('h2');
    heading.textContent = title;
    const paragraph = document.createElement('p');
    paragraph.textContent = detail ?? text;
    result.replaceChildren(heading, paragraph);
    result.dataset.decision = decision;
    result.hidden = false;
    result.focus();
  }
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    // The relay's CSRF header: the shop's routes refuse a request without it (a cross-site form cannot set it).
    headers: { 'content-type': 'application/json', 'x-k360-verify': '1' },
    body: JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload.error?.message ?? `The shop answered ${response.status}.`);
  return payload;
}

document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
