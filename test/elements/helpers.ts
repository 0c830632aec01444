/**
 * What every element's tests share: the views and relay failures they build, stubs that stay
 * pending, waiting for updates, and reading the shadow root by part. One definition each, so the
 * element suites cannot drift apart: one sample action per method, too. How each element is
 * mounted and read lives in its own `fixtures.ts`.
 */
import type { LitElement } from 'lit';
import sinon from 'sinon';
import { RelayError } from '../../src/client/relay-error.js';
import type {
  ActionView,
  ChallengeView,
  DocvActionView,
  FinalDecision,
  KbaActionView,
  KbaQuestionView,
  OthActionView,
  OtpActionView,
  SessionView,
} from '../../src/contract/browser.js';

export function challengeViewOf(action: ActionView, revision = 2): ChallengeView {
  return { state: 'challenge', step: { index: 1, total: 1 }, action, revision };
}

export function decidedView(decision: FinalDecision = 'ALLOW', revision = 9): SessionView {
  return { state: 'decided', decision, revision };
}

export function relayError(code: string, status: number, extra: { retryAfterSeconds?: number } = {}): RelayError {
  return new RelayError(code, `relay says ${code}`, { status, ...extra });
}

// One sample action per method; each test changes what it is about.

export function otpAction(overrides: Partial<OtpActionView> = {}): OtpActionView {
  return {
    method: 'OTP',
    channel: 'SMS',
    destination: '+1 *** *** 4567',
    codeLength: 6,
    remainingAttempts: 3,
    remainingResends: 2,
    resendAvailableInSeconds: 0,
    lockedForSeconds: 0,
    codeExpiresInSeconds: null,
    ...overrides,
  };
}

export function question(id: string, text: string, selection: 'single' | 'multiple', choices: string[]): KbaQuestionView {
  return { id, text, selection, choices: choices.map((choiceText, index) => ({ id: `${id}-c${index + 1}`, text: choiceText })) };
}

/** Three questions: single, multiple, single. Choice ids are `<question>-c<n>`. */
export function kbaAction(overrides: Partial<KbaActionView> = {}): KbaActionView {
  return {
    method: 'KBA',
    questions: [
      question('q1', 'Which street have you lived on?', 'single', ['Elm Street', 'Oak Avenue', 'None of the above']),
      question('q2', 'Which of these cars have you owned?', 'multiple', ['Ford Focus', 'Honda Civic', 'Tesla Model 3']),
      question('q3', 'Which bank holds your mortgage?', 'single', ['First Bank', 'Second Bank']),
    ],
    timeLimitSeconds: null,
    remainingAttempts: 3,
    ...overrides,
  };
}

/** A questionnaire Kount drew after a failed attempt. */
export function freshAction(overrides: Partial<KbaActionView> = {}): KbaActionView {
  return kbaAction({
    questions: [
      question('n1', 'In which city was your first job?', 'single', ['Austin', 'Boston']),
      question('n2', 'Which phone number have you had?', 'single', ['555-0100', '555-0199']),
    ],
    remainingAttempts: 2,
    ...overrides,
  });
}

export const CAPTURE_URL = 'https://capture.kount.test/docv/s/abc123?lang=en';

export function docvAction(overrides: Partial<DocvActionView> = {}): DocvActionView {
  return {
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
  };
}

export function linkAction(overrides: Partial<DocvActionView> = {}): DocvActionView {
  return docvAction({ delivery: 'LINK', destination: null, captureUrl: CAPTURE_URL, ...overrides });
}

export function othAction(overrides: Partial<OthActionView> = {}): OthActionView {
  return {
    method: 'OTH',
    channel: 'EMAIL',
    destination: 'j***@example.com',
    status: 'MESSAGE_SENT',
    remainingResends: 2,
    resendAvailableInSeconds: 0,
    expiresInSeconds: null,
    otherChannels: [],
    channelChangeAvailableInSeconds: 0,
    ...overrides,
  };
}

export function othView(revision: number, action: Partial<OthActionView> = {}): SessionView {
  return challengeViewOf(othAction(action), revision);
}

export function decided(revision: number, decision: FinalDecision = 'ALLOW'): SessionView {
  return decidedView(decision, revision);
}

/** A stub standing for a relay call: its promise never settles unless the test says otherwise. */
export function pendingStub<Args extends unknown[], Result>(): sinon.SinonStub<Args, Promise<Result>> {
  return sinon.stub<Args, Promise<Result>>().callsFake(() => new Promise<Result>(() => {}));
}

/** Lets settled promises and the Lit updates they cause run. */
export async function settle(el: LitElement, rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await Promise.resolve();
    await el.updateComplete;
  }
}

/** The first element of the shadow root whose `part` list has `part`. */
export const partOf = <T extends HTMLElement = HTMLElement>(el: LitElement, part: string): T | null =>
  el.shadowRoot!.querySelector<T>(`[part~="${part}"]`);
export const errorOf = (el: LitElement): HTMLElement => partOf(el, 'error')!;
export const statusOf = (el: LitElement): HTMLElement => partOf(el, 'status')!;
/** Everything the element shows, its white space collapsed. */
export const textOf = (el: LitElement): string => partOf(el, 'base')!.textContent!.replace(/\s+/g, ' ');

/**
 * Where focus is inside the element, as text: failing comparisons of elements with chai can spend
 * minutes describing them, so focus assertions compare descriptions instead. A radio or checkbox
 * says its value (`input:q1-c2`); anything without a part says its id, else its tag.
 */
export function focusedPart(el: LitElement): string {
  const active = el.shadowRoot!.activeElement;
  if (!active) return 'nothing';
  const part = active.getAttribute('part');
  if (part === null) return active.id || active.tagName.toLowerCase();
  const choice = active instanceof HTMLInputElement && (active.type === 'radio' || active.type === 'checkbox');
  return choice ? `${part}:${active.value}` : part;
}
