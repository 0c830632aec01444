// Every state of the five elements, drawn from fixtures: shared by the demo's gallery
// (gallery.html, gallery.js) and the docs site's element pages (site/, `npm run docs`). Each
// element talks to a fake client made here, which answers at once with the views and failures the
// relay would send (the shapes of src/contract/browser.ts and src/client/relay-error.ts), or never
// answers when a state is about waiting: nothing reaches a relay. The fixtures are the unit tests'
// (test/elements/helpers.ts); a state that needs the shopper's hand (typing, Next, Resend) is
// reached as the unit tests reach it, through the element's own controls. No innerHTML anywhere:
// the pages run under Trusted Types. Importing this module changes nothing on the page; its
// functions do.

/**
 * Each SMS passcode field asks the browser for the code of the next SMS (WebOTP), which never
 * comes here, and a page of states shows a dozen such fields at once: with several of those
 * requests in flight and aborted, Chromium 156 (headless) crashed the page. As the unit tests do
 * (test/elements/otp-entry/fixtures.ts), the page answers them itself: a request waits until it is
 * aborted, like a real one that no SMS arrives for. Call it before the first state is drawn.
 */
export function standInForWebOtp() {
  if (!('OTPCredential' in window) || typeof navigator.credentials?.get !== 'function') return;
  const get = navigator.credentials.get.bind(navigator.credentials);
  navigator.credentials.get = (options) =>
    options?.otp
      ? new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new DOMException('The request was aborted.', 'AbortError')), { once: true }))
      : get(options);
}

// Fixtures: one sample action per method, each state changes what it is about.

const otpAction = (overrides = {}) => ({
  method: 'OTP',
  channel: 'SMS',
  destination: '+1 *** *** 4567',
  codeLength: 6,
  remainingAttempts: 3,
  remainingResends: 2,
  resendAvailableInSeconds: 0,
  lockedForSeconds: 0,
  codeExpiresInSeconds: 600,
  ...overrides,
});

const question = (id, text, selection, choices) => ({
  id,
  text,
  selection,
  choices: choices.map((choiceText, index) => ({ id: `${id}-c${index + 1}`, text: choiceText })),
});

const kbaAction = (overrides = {}) => ({
  method: 'KBA',
  questions: [
    question('q1', 'Which street have you lived on?', 'single', ['Elm Street', 'Oak Avenue', 'None of the above']),
    question('q2', 'Which of these cars have you owned?', 'multiple', ['Ford Focus', 'Honda Civic', 'Tesla Model 3']),
    question('q3', 'Which bank holds your mortgage?', 'single', ['First Bank', 'Second Bank']),
  ],
  timeLimitSeconds: null,
  remainingAttempts: 3,
  ...overrides,
});

/** The questionnaire Kount draws after a failed attempt. */
const freshKbaAction = (overrides = {}) =>
  kbaAction({
    questions: [
      question('n1', 'In which city was your first job?', 'single', ['Austin', 'Boston']),
      question('n2', 'Which phone number have you had?', 'single', ['555-0100', '555-0199']),
    ],
    remainingAttempts: 2,
    ...overrides,
  });

const othAction = (overrides = {}) => ({
  method: 'OTH',
  channel: 'EMAIL',
  destination: 'j***@example.com',
  status: 'MESSAGE_SENT',
  remainingResends: 2,
  resendAvailableInSeconds: 0,
  expiresInSeconds: 900,
  otherChannels: [],
  channelChangeAvailableInSeconds: 0,
  ...overrides,
});

const docvAction = (overrides = {}) => ({
  method: 'DOCV',
  delivery: 'SMS',
  destination: '+1 *** *** 4567',
  captureUrl: null,
  progress: 'SENT',
  retryAllowed: false,
  remainingRetries: null,
  resendAllowed: false,
  sendAvailableInSeconds: 0,
  ...overrides,
});

/** A capture link the page shows as a QR code; never opened by the gallery. */
const CAPTURE_URL = 'https://capture.kount.test/docv/s/abc123?lang=en';
const linkAction = (overrides = {}) => docvAction({ delivery: 'LINK', destination: null, captureUrl: CAPTURE_URL, ...overrides });

const challenge = (action, revision = 2, step = { index: 1, total: 1 }) => ({ state: 'challenge', step, action, revision });
const decided = (decision = 'ALLOW', revision = 9) => ({ state: 'decided', decision, revision });

/**
 * A failed relay call as the elements read one (`relayFailure` in src/client/relay-error.ts reads
 * `code`, `retryAfterSeconds` and `limit`, duck-typed, as a page may load two copies of the client).
 */
function refusal(code, status, details = {}) {
  return Object.assign(new Error(`The relay answered ${status} ${code}.`), { name: 'RelayError', code, status, ...details });
}
const refuse = (code, status, details) => () => Promise.reject(refusal(code, status, details));
const answerWith = (view) => () => Promise.resolve(view);

// The fake client: `view`, `answer`, `resend` and the live-update stream, as a RelayClient has them.

/**
 * `replies` says what each call answers: a function returning the view (or a rejected promise),
 * or nothing, for a call that never settles. Every call honours its abort signal, as the real
 * client does. `stream` lists the views the live-update stream sends once it is open.
 */
export function fakeClient(replies = {}) {
  const call = (reply, signal, ...args) =>
    new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new DOMException('The request was cancelled.', 'AbortError')), { once: true });
      if (reply) Promise.resolve(reply(...args)).then(resolve, reject);
    });
  return {
    relay: '/gallery-has-no-relay',
    view: (signal) => call(replies.view, signal),
    answer: (body, signal) => call(replies.answer, signal, body),
    resend: (signal, channel) => call(replies.resend, signal, channel),
    events: ({ signal }) => Promise.resolve(eventStream(replies.stream ?? [], signal)),
  };
}

/** A `text/event-stream` response in the relay's format that stays open, with the relay's heartbeat. */
function eventStream(views, signal) {
  const encoder = new TextEncoder();
  let heartbeat;
  const body = new ReadableStream({
    start(controller) {
      const send = (text) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          clearInterval(heartbeat);
        }
      };
      send('retry: 3000\n\n');
      for (const view of views) send(`id: ${view.revision}\nevent: view\ndata: ${JSON.stringify(view)}\n\n`);
      // A quiet stream is not taken for a dropped one (the watch gives up on one after 45 s of silence).
      heartbeat = setInterval(() => send(': heartbeat\n\n'), 15_000);
      signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
    },
    cancel() {
      clearInterval(heartbeat);
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

// Driving an element as a shopper would, through its own controls (its shadow root is open).

const partOf = (element, name) => element.shadowRoot.querySelector(`[part~="${name}"]`);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets the fake client's answers, and the updates they cause, land. */
export async function settle(element) {
  for (let round = 0; round < 5; round++) {
    await pause(10);
    await element.updateComplete;
  }
}

async function typeCode(element, code) {
  const input = partOf(element, 'input');
  input.value = code;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: code }));
  await settle(element);
}

async function press(element, part) {
  partOf(element, part).click();
  await settle(element);
}

async function choose(element, index) {
  element.shadowRoot.querySelectorAll('[part~="input"]')[index].click();
  await settle(element);
}

/** Answers the three questions of `kbaAction()` and opens the review. */
async function answerQuiz(element) {
  await choose(element, 1);
  await press(element, 'button');
  await choose(element, 0);
  await choose(element, 2);
  await press(element, 'button');
  await choose(element, 1);
  await press(element, 'button');
}

function stepElement(tag, action, replies) {
  const element = document.createElement(tag);
  if (action) element.action = action;
  element.client = fakeClient(replies);
  return element;
}

function flowElement(initialView, replies) {
  const element = document.createElement('verification-flow');
  element.client = fakeClient(replies);
  if (initialView) element.initialView = initialView;
  return element;
}

// Every state, by element. `expect`: the part that shows the state, which the e2e tests check is visible.

export const stateSections = [
  {
    tag: 'otp-entry',
    states: [
      { id: 'otp-idle-sms', title: 'Code sent by SMS', note: 'A fresh challenge: 3 attempts, 2 resends, the code lives 10 minutes.', expect: '[part~="slots"]', make: () => stepElement('otp-entry', otpAction(), {}) },
      { id: 'otp-idle-email', title: 'Code sent by e-mail', note: 'The same, by e-mail.', expect: '[part~="slots"]', make: () => stepElement('otp-entry', otpAction({ channel: 'EMAIL', destination: 'j***@example.com' }), {}) },
      { id: 'otp-typing', title: 'Typing', note: 'Three digits of six typed.', expect: '[part~="slot-filled"]', make: () => stepElement('otp-entry', otpAction(), {}), drive: (element) => typeCode(element, '123') },
      { id: 'otp-verifying', title: 'Verifying', note: 'A whole code submits itself; the relay has not answered yet.', expect: '[part~="button"]', make: () => stepElement('otp-entry', otpAction(), {}), drive: (element) => typeCode(element, '123456') },
      {
        id: 'otp-wrong-code',
        title: 'Wrong code, attempts left',
        note: 'Answer refused (wrong_code); the view read again counts 2 attempts left.',
        expect: '[part~="error"]',
        make: () => stepElement('otp-entry', otpAction(), { answer: refuse('wrong_code', 422), view: answerWith(challenge(otpAction({ remainingAttempts: 2 }), 3)) }),
        drive: (element) => typeCode(element, '000000'),
      },
      { id: 'otp-locked', title: 'Locked out, counting down', note: 'Too many wrong codes: the relay refuses answers for 5 minutes.', expect: '[part~="error"]', make: () => stepElement('otp-entry', otpAction({ remainingAttempts: 0, lockedForSeconds: 300 }), {}) },
      {
        id: 'otp-after-lockout',
        title: 'After a lockout',
        note: 'A 1-second lock has run out: one more wrong code locks again.',
        expect: '#details',
        make: () => stepElement('otp-entry', otpAction({ remainingAttempts: 0, lockedForSeconds: 1 }), {}),
        drive: () => pause(1_600),
      },
      { id: 'otp-expired', title: 'Code expired', note: 'The code’s 10 minutes are over (the view says 0 seconds left).', expect: '#details', make: () => stepElement('otp-entry', otpAction({ codeExpiresInSeconds: 0 }), {}) },
      {
        id: 'otp-expired-refused',
        title: 'Expired code refused',
        note: 'Answer refused (code_expired): the way out is a new code.',
        expect: '[part~="error"]',
        make: () => stepElement('otp-entry', otpAction(), { answer: refuse('code_expired', 422), view: answerWith(challenge(otpAction({ codeExpiresInSeconds: 0 }), 3)) }),
        drive: (element) => typeCode(element, '123456'),
      },
      { id: 'otp-resend-wait', title: 'Resend counting down', note: 'A new code can be asked for in 90 seconds.', expect: '#resend-wait', make: () => stepElement('otp-entry', otpAction({ resendAvailableInSeconds: 90 }), {}) },
      { id: 'otp-resend-sending', title: 'Sending a new code', note: 'Resend pressed; the relay has not answered yet.', expect: '[part~="resend"]', make: () => stepElement('otp-entry', otpAction(), {}), drive: (element) => press(element, 'resend') },
      {
        id: 'otp-resent',
        title: 'New code sent',
        note: 'Resend answered: 1 resend left, the next in 30 seconds; only the newest code works.',
        expect: '[part~="resend"]',
        make: () => stepElement('otp-entry', otpAction(), { resend: answerWith(challenge(otpAction({ remainingResends: 1, resendAvailableInSeconds: 30 }), 3)) }),
        drive: (element) => press(element, 'resend'),
      },
      { id: 'otp-no-resends', title: 'No resends left', note: 'The challenge allows no more codes.', expect: '[part~="input"]', make: () => stepElement('otp-entry', otpAction({ remainingResends: 0 }), {}) },
      {
        id: 'otp-limit-network',
        title: 'Send refused: network limit',
        note: 'Resend refused (send_limited, limit "network"): too many verifications from this network.',
        expect: '[part~="error"]',
        make: () => stepElement('otp-entry', otpAction(), { resend: refuse('send_limited', 429, { retryAfterSeconds: 3_540, limit: 'network' }) }),
        drive: (element) => press(element, 'resend'),
      },
      {
        id: 'otp-limit-destination',
        title: 'Send refused: destination limit',
        note: 'Resend refused (send_limited, limit "destination"): too many messages to these details.',
        expect: '[part~="error"]',
        make: () => stepElement('otp-entry', otpAction(), { resend: refuse('send_limited', 429, { retryAfterSeconds: 3_540, limit: 'destination' }) }),
        drive: (element) => press(element, 'resend'),
      },
      { id: 'otp-load-failed', title: 'Load failed, Try again', note: 'No view yet, and reading it failed (network_error).', expect: '[part~="button"]', make: () => stepElement('otp-entry', undefined, { view: refuse('network_error', 0) }) },
      {
        id: 'otp-decided',
        title: 'Decided',
        note: 'The right code: the relay answers with the decision (ALLOW); the field is done.',
        expect: '[part~="input"]',
        make: () => stepElement('otp-entry', otpAction(), { answer: answerWith(decided('ALLOW', 3)) }),
        drive: (element) => typeCode(element, '123456'),
      },
    ],
  },
  {
    tag: 'kba-quiz',
    states: [
      { id: 'kba-question', title: 'Question, with a time limit', note: 'Question 1 of 3 (one answer), 5 minutes to answer them all.', expect: '[part~="legend"]', make: () => stepElement('kba-quiz', kbaAction({ timeLimitSeconds: 300 }), {}) },
      {
        id: 'kba-question-multiple',
        title: 'Question with several answers',
        note: 'Question 2 of 3: choose all that apply.',
        expect: '[part~="legend"]',
        make: () => stepElement('kba-quiz', kbaAction(), {}),
        drive: async (element) => {
          await choose(element, 1);
          await press(element, 'button');
        },
      },
      { id: 'kba-unanswered', title: 'Next without an answer', note: 'Next pressed with nothing chosen.', expect: '[part~="error"]', make: () => stepElement('kba-quiz', kbaAction(), {}), drive: (element) => press(element, 'button') },
      { id: 'kba-review', title: 'Review', note: 'Every question answered: check, change, submit.', expect: '[part~="review"]', make: () => stepElement('kba-quiz', kbaAction(), {}), drive: answerQuiz },
      {
        id: 'kba-submitting',
        title: 'Submitting',
        note: 'Submit pressed; the relay has not answered yet.',
        expect: '[part~="review"]',
        make: () => stepElement('kba-quiz', kbaAction(), {}),
        drive: async (element) => {
          await answerQuiz(element);
          await press(element, 'button');
        },
      },
      {
        id: 'kba-wrong-answers',
        title: 'Wrong answers, new questions',
        note: 'Answers refused (wrong_answers); the view read again has new questions and 2 attempts left.',
        expect: '[part~="error"]',
        make: () => stepElement('kba-quiz', kbaAction(), { answer: refuse('wrong_answers', 422), view: answerWith(challenge(freshKbaAction(), 3)) }),
        drive: async (element) => {
          await answerQuiz(element);
          await press(element, 'button');
        },
      },
      { id: 'kba-expired', title: 'Time is up', note: 'The view says no time is left to answer.', expect: '[part~="error"]', make: () => stepElement('kba-quiz', kbaAction({ timeLimitSeconds: 0 }), {}) },
      {
        id: 'kba-locked',
        title: 'Too many attempts, waiting',
        note: 'Answers refused (too_many_attempts, retry after 2 minutes).',
        expect: '[part~="error"]',
        make: () =>
          stepElement('kba-quiz', kbaAction(), { answer: refuse('too_many_attempts', 429, { retryAfterSeconds: 120 }), view: answerWith(challenge(kbaAction({ remainingAttempts: 1 }), 3)) }),
        drive: async (element) => {
          await answerQuiz(element);
          await press(element, 'button');
        },
      },
      {
        id: 'kba-error',
        title: 'Error, answers kept',
        note: 'Submitting failed (network_error): the answers stay, Try again sends them again.',
        expect: '[part~="error"]',
        make: () => stepElement('kba-quiz', kbaAction(), { answer: refuse('network_error', 0) }),
        drive: async (element) => {
          await answerQuiz(element);
          await press(element, 'button');
        },
      },
      { id: 'kba-load-failed', title: 'Load failed, Try again', note: 'No view yet, and reading it failed (upstream_unavailable).', expect: '[part~="button"]', make: () => stepElement('kba-quiz', undefined, { view: refuse('upstream_unavailable', 503) }) },
    ],
  },
  {
    tag: 'oth-waiting',
    states: [
      { id: 'oth-waiting-email', title: 'Waiting, link sent by e-mail', note: 'The shopper may switch to SMS; the link lives 15 minutes.', expect: '[part~="progress"]', make: () => stepElement('oth-waiting', othAction({ otherChannels: ['SMS'] }), {}) },
      {
        id: 'oth-waiting-sms',
        title: 'Waiting, link sent by SMS',
        note: 'The same, by SMS, with e-mail offered.',
        expect: '[part~="progress"]',
        make: () => stepElement('oth-waiting', othAction({ channel: 'SMS', destination: '+1 *** *** 4567', otherChannels: ['EMAIL'] }), {}),
      },
      { id: 'oth-resending', title: 'Sending a new link', note: 'Resend pressed; the relay has not answered yet.', expect: '[part~="resend"]', make: () => stepElement('oth-waiting', othAction(), {}), drive: (element) => press(element, 'resend') },
      {
        id: 'oth-resent',
        title: 'New link sent',
        note: 'Resend answered: 1 link left, the next in a minute.',
        expect: '[part~="sent"]',
        make: () => stepElement('oth-waiting', othAction(), { resend: answerWith(challenge(othAction({ remainingResends: 1, resendAvailableInSeconds: 60 }), 3)) }),
        drive: (element) => press(element, 'resend'),
      },
      { id: 'oth-no-resends', title: 'No links left', note: 'The challenge allows no more links.', expect: '[part~="progress"]', make: () => stepElement('oth-waiting', othAction({ remainingResends: 0 }), {}) },
      {
        id: 'oth-limit',
        title: 'Send refused by a limit',
        note: 'Resend refused (send_limited, limit "destination").',
        expect: '[part~="error"]',
        make: () => stepElement('oth-waiting', othAction(), { resend: refuse('send_limited', 429, { retryAfterSeconds: 3_540, limit: 'destination' }) }),
        drive: (element) => press(element, 'resend'),
      },
      { id: 'oth-verified', title: 'Link opened', note: 'Kount says the link was opened and confirmed (VERIFIED).', expect: '[part~="progress"]', make: () => stepElement('oth-waiting', othAction({ status: 'VERIFIED' }), {}) },
      {
        id: 'oth-decided',
        title: 'Decided',
        note: 'The live updates bring the decision (ALLOW).',
        expect: '[part~="progress"]',
        make: () => stepElement('oth-waiting', othAction(), { stream: [challenge(othAction({ status: 'VERIFIED' }), 3), decided('ALLOW', 4)] }),
        drive: (element) => settle(element),
      },
      { id: 'oth-refused', title: 'Refused on the phone', note: '“This wasn’t me” (FAILED_AUTHORIZATION): a new link is the way forward.', expect: '[part~="error"]', make: () => stepElement('oth-waiting', othAction({ status: 'FAILED_AUTHORIZATION' }), {}) },
      { id: 'oth-expired', title: 'Link expired', note: 'The view says the link has 0 seconds left.', expect: '[part~="progress"]', make: () => stepElement('oth-waiting', othAction({ expiresInSeconds: 0 }), {}) },
      { id: 'oth-terminated', title: 'Ended by Kount', note: 'Kount ended the link (TERMINATED).', expect: '[part~="error"]', make: () => stepElement('oth-waiting', othAction({ status: 'TERMINATED', remainingResends: 0 }), {}) },
    ],
  },
  {
    tag: 'docv-status',
    states: [
      { id: 'docv-qr', title: 'QR code and link', note: 'Continue on a phone (scan) or on this device (link).', expect: '[part~="qr"]', make: () => stepElement('docv-status', linkAction(), {}) },
      { id: 'docv-sms', title: 'Link sent by SMS', note: 'The capture link was texted; it can be texted again.', expect: '[part~="instructions"]', make: () => stepElement('docv-status', docvAction({ resendAllowed: true }), {}) },
      {
        id: 'docv-resent',
        title: 'Link texted again',
        note: 'Resend answered; the next in 30 seconds.',
        expect: '[part~="sent"]',
        make: () => stepElement('docv-status', docvAction({ resendAllowed: true }), { resend: answerWith(challenge(docvAction({ resendAllowed: true, sendAvailableInSeconds: 30 }), 3)) }),
        drive: (element) => press(element, 'resend'),
      },
      { id: 'docv-begun', title: 'Capture begun', note: 'The shopper opened the link on the phone.', expect: '[part~="step-current"]', make: () => stepElement('docv-status', docvAction({ progress: 'BEGUN' }), {}) },
      { id: 'docv-processing', title: 'Checking the ID', note: 'Photos taken; Kount is checking them.', expect: '[part~="step-current"]', make: () => stepElement('docv-status', docvAction({ progress: 'PROCESSING' }), {}) },
      { id: 'docv-retry', title: 'Failed, Try again', note: 'The capture failed; Kount allows 1 more.', expect: '[part~="button"]', make: () => stepElement('docv-status', docvAction({ progress: 'FAILED', retryAllowed: true, remainingRetries: 1 }), {}) },
      {
        id: 'docv-needs-retry',
        title: 'Unreadable, Try again soon',
        note: 'The ID could not be read (NEEDS_RETRY); a new capture can start in 20 seconds.',
        expect: '[part~="button"]',
        make: () => stepElement('docv-status', docvAction({ progress: 'NEEDS_RETRY', retryAllowed: true, remainingRetries: 2, sendAvailableInSeconds: 20 }), {}),
      },
      { id: 'docv-failed', title: 'Failed, no tries left', note: 'The capture failed and Kount allows no other.', expect: '[part~="step-failed"]', make: () => stepElement('docv-status', docvAction({ progress: 'FAILED' }), {}) },
      { id: 'docv-verified', title: 'ID verified', note: 'Kount verified the ID (VERIFIED).', expect: '[part~="result"]', make: () => stepElement('docv-status', docvAction({ progress: 'VERIFIED' }), {}) },
      {
        id: 'docv-decided',
        title: 'Decided',
        note: 'The live updates bring the decision (ALLOW).',
        expect: '[part~="result"]',
        make: () => stepElement('docv-status', docvAction({ progress: 'VERIFIED' }), { stream: [decided('ALLOW', 4)] }),
        drive: (element) => settle(element),
      },
      { id: 'docv-load-failed', title: 'Load failed, Try again', note: 'No view yet, and reading it failed (timeout).', expect: '[part~="button"]', make: () => stepElement('docv-status', undefined, { view: refuse('timeout', 0) }) },
    ],
  },
  {
    tag: 'verification-flow',
    states: [
      { id: 'flow-loading', title: 'Loading', note: 'The flow reads the session’s view; the relay has not answered yet.', expect: '[part~="loading"]', make: () => flowElement(undefined, {}) },
      { id: 'flow-two-steps', title: 'Step 1 of 2', note: 'A strategy of two actions; the first is a passcode.', expect: '[part~="step"]', make: () => flowElement(challenge(otpAction(), 1, { index: 1, total: 2 }), {}) },
      { id: 'flow-allow', title: 'Decision: ALLOW', note: 'The session is decided.', expect: '[part~="decision"]', make: () => flowElement(decided('ALLOW'), {}) },
      { id: 'flow-block', title: 'Decision: BLOCK', note: 'The session is decided.', expect: '[part~="decision"]', make: () => flowElement(decided('BLOCK'), {}) },
      { id: 'flow-review', title: 'Decision: REVIEW', note: 'The session is decided.', expect: '[part~="decision"]', make: () => flowElement(decided('REVIEW'), {}) },
      { id: 'flow-ended', title: 'Session ended, Start again', note: 'Reading the view failed with session_expired: only a new verification helps.', expect: '[part~="restart"]', make: () => flowElement(undefined, { view: refuse('session_expired', 401) }) },
      { id: 'flow-load-failed', title: 'Relay unreachable, Try again', note: 'Reading the view failed (network_error).', expect: '[part~="error"]', make: () => flowElement(undefined, { view: refuse('network_error', 0) }) },
      { id: 'flow-unsupported', title: 'Unsupported action', note: 'Kount asked for an action this version cannot show.', expect: '[part~="error"]', make: () => flowElement(challenge({ method: 'UNSUPPORTED', name: 'VOICE_CALL' }, 1), {}) },
      { id: 'flow-unavailable', title: 'Step not available yet', note: 'Kount has the step in a status this version does not know.', expect: '[part~="error"]', make: () => flowElement(challenge({ method: 'UNAVAILABLE' }, 1), {}) },
    ],
  },
];

// Drawing states on a page.

function createElement(tag, properties = {}, children = []) {
  const element = Object.assign(document.createElement(tag), properties);
  element.append(...children);
  return element;
}

/**
 * One state as a list item (`li.state#<id>`, `data-expect`): its title and what the fake client
 * answers (English, as the pages around it), then `.specimen`, where `drawStates` puts the element.
 */
export function stateItem(state) {
  const item = createElement('li', { className: 'state', id: state.id });
  item.dataset.expect = state.expect;
  item.append(
    // English in a page that may be right to left: its own direction keeps its punctuation in place.
    createElement('h3', { lang: 'en', dir: 'auto', textContent: state.title }),
    createElement('p', { lang: 'en', dir: 'auto', className: 'state-note', textContent: state.note }),
    createElement('div', { className: 'specimen' }),
  );
  return item;
}

/** A section's states as a list (`ul.states`) of `stateItem`s. */
export function stateList(section) {
  return createElement('ul', { className: 'states' }, section.states.map(stateItem));
}

/**
 * Just the states whose id starts with one of `prefixes` (`['otp', 'flow-allow']`), every state
 * when there is none: to look at a few, or to find one that misbehaves.
 */
export function chosenStates(sections, prefixes = []) {
  const chosen = (state) => prefixes.length === 0 || prefixes.some((prefix) => state.id.startsWith(prefix));
  return sections.map((section) => ({ ...section, states: section.states.filter(chosen) })).filter((section) => section.states.length > 0);
}

/**
 * Draws states into their items (found by id in `root`), each item marked `data-ready` once its
 * state is reached. `draw(states)` draws them all again and resolves to true when that drawing is
 * still the newest (a slower, older one stops marking states ready). Start again, which only a
 * page can handle, draws the state again instead of reloading.
 */
export function stateDrawer(root = document) {
  let drawing = 0;

  async function showState(state, run) {
    const item = root.querySelector(`#${CSS.escape(state.id)}`);
    delete item.dataset.ready;
    const element = state.make();
    element.addEventListener('verify-restart', (event) => {
      event.preventDefault();
      void showState(state, drawing);
    });
    item.querySelector('.specimen').replaceChildren(element);
    await customElements.whenDefined(element.localName);
    await element.updateComplete;
    await state.drive?.(element);
    await settle(element);
    if (run === drawing) item.dataset.ready = 'true';
  }

  return {
    async draw(states) {
      const run = ++drawing;
      const results = await Promise.allSettled(states.map((state) => showState(state, run)));
      for (const [index, result] of results.entries()) {
        if (result.status === 'rejected') console.error(`Could not show the state "${states[index].id}":`, result.reason);
      }
      return run === drawing;
    },
  };
}
