/**
 * The step-up methods of the fake Kount (KBA, one-time link, document verification, and OTP again
 * for multi-step strategies): a small stateful case per assessment, strict about what the relay
 * sends (KBA ids must come back with Kount's own types), and controls for what happens outside the
 * page (a link opened, the phone capture moving on) so tests can send the matching webhooks.
 */
import { randomUUID } from 'node:crypto';
import type { FakeClock } from './fake-clock.js';
import { CORRECT_OTP, FAKE_CLIENT_ID } from './fake-kount.js';

export type StepMethod = 'OTP' | 'KBA' | 'OTH' | 'DOCV';

export interface StepOptions {
  othChannel: 'EMAIL' | 'SMS';
  docvDelivery: 'SYNC' | 'SMS';
  captureUrl: string;
  /** Decision when every step has passed. */
  verdict: string;
}

type Outcome = 'open' | 'passed' | 'failed';
type Json = Record<string, unknown>;

export interface Submission {
  data: Json;
  phoneNumber?: string | undefined;
  email?: string | undefined;
}

/** Why a request cannot be applied: the fake answers 400 like the sandbox. */
export class Refusal extends Error {}

abstract class FakeStep {
  abstract readonly method: StepMethod;
  readonly sessionId = `stepup-${randomUUID()}`;
  outcome: Outcome = 'open';
  constructor(protected readonly clock: FakeClock) {}
  abstract submit(submission: Submission): void;
  abstract data(): Json;
  toAction(): Json {
    return { method: this.method, status: this.outcome === 'open' ? 'challenge' : this.outcome, data: this.data() };
  }
}

export class OtpFakeStep extends FakeStep {
  readonly method = 'OTP';
  status = 'MESSAGE_SENT';
  verificationAttempts = 0;
  sendAttempts = 1;
  submit({ data }: Submission): void {
    if (data.resend === true) {
      this.sendAttempts += 1;
      this.status = 'MESSAGE_SENT';
      return;
    }
    if (typeof data.otp !== 'string') throw new Refusal('otp required');
    this.verificationAttempts += 1;
    this.status = data.otp === CORRECT_OTP ? 'VERIFIED' : 'VERIFICATION_ATTEMPT_FAILED';
    if (this.status === 'VERIFIED') this.outcome = 'passed';
  }
  data(): Json {
    return {
      sessionId: this.sessionId,
      mfaType: 'OTP',
      channelType: 'SMS_OTP',
      verificationStatus: this.status,
      sendAttempts: String(this.sendAttempts),
      verificationAttempts: String(this.verificationAttempts),
      remainingVerificationAttempts: String(10 - this.verificationAttempts),
    };
  }
}

interface Question {
  questionId: number | string;
  questionText: string;
  type: string;
  choices: Array<{ choiceId: number | string; choiceText: string }>;
  correct: Array<number | string>;
}

export const KBA_TIME_LIMIT_MS = 5 * 60 * 1000;

export class KbaFakeStep extends FakeStep {
  readonly method = 'KBA';
  questionnaireId = 0;
  questions: Question[] = [];
  expiresAtMs = 0;
  attempts = 0;
  readonly maxAttempts = 2;
  error: { code: string; message: string } | undefined;
  constructor(clock: FakeClock) {
    super(clock);
    this.#draw();
  }

  /** The answers a test sends through the browser API (ids as the view shows them: strings). */
  rightAnswers(): Array<{ questionId: string; choiceIds: string[] }> {
    return this.questions.map((question) => ({ questionId: String(question.questionId), choiceIds: question.correct.map(String) }));
  }

  wrongAnswers(): Array<{ questionId: string; choiceIds: string[] }> {
    return this.questions.map((question) => ({
      questionId: String(question.questionId),
      choiceIds: [String(question.choices.find((choice) => !question.correct.includes(choice.choiceId))?.choiceId)],
    }));
  }

  submit({ data }: Submission): void {
    const given = data.questions;
    if (!Array.isArray(given)) throw new Refusal('questions required');
    for (const answer of given as Array<{ questionId: unknown; answers: unknown[] }>) {
      // Strict on types: Kount's ids are numbers here, a string "101" is not 101.
      const question = this.questions.find((candidate) => candidate.questionId === answer.questionId);
      if (!question) throw new Refusal('unknown questionId');
      if (!answer.answers.every((id) => question.choices.some((choice) => choice.choiceId === id))) throw new Refusal('unknown choiceId');
    }
    this.attempts += 1;
    this.error = undefined;
    const right = this.questions.every((question) => {
      const answer = (given as Array<{ questionId: unknown; answers: unknown[] }>).find((candidate) => candidate.questionId === question.questionId);
      return answer !== undefined && answer.answers.length === question.correct.length && question.correct.every((id) => answer.answers.includes(id));
    });
    const late = this.clock.now() >= this.expiresAtMs;
    if (right && !late) {
      this.outcome = 'passed';
      return;
    }
    if (this.attempts >= this.maxAttempts) {
      this.outcome = 'failed';
      this.error = { code: 'VERIFICATION_ATTEMPTS_EXHAUSTED', message: 'No attempts left.' };
      return;
    }
    this.error = late ? { code: 'QUIZ_EXPIRED', message: 'Too late.' } : { code: 'ANSWERS_INCORRECT', message: 'Wrong.' };
    this.#draw();
  }

  data(): Json {
    const base = {
      questionnaireId: this.questionnaireId,
      verificationAttempts: String(this.attempts),
      remainingVerificationAttempts: String(this.maxAttempts - this.attempts),
      ...(this.error ? { error: this.error } : {}),
    };
    if (this.outcome !== 'open') return base;
    return {
      ...base,
      questions: this.questions.map((question) => ({
        questionId: question.questionId,
        questionText: question.questionText,
        choiceType: { type: question.type },
        choices: question.choices.map((choice) => ({ ...choice })),
      })),
      authentication: { characteristics: [{ key: 'questionCount', value: String(this.questions.length) }] },
      expiresAt: new Date(this.expiresAtMs).toISOString(),
    };
  }

  #draw(): void {
    this.questionnaireId += 1;
    const base = this.questionnaireId * 100;
    this.expiresAtMs = this.clock.now() + KBA_TIME_LIMIT_MS;
    this.questions = [
      {
        questionId: base + 1,
        questionText: 'Which street have you lived on? <img src=x onerror=alert(1)>',
        type: 'SINGLE_CHOICE',
        choices: [
          { choiceId: base * 10 + 1, choiceText: 'Elm Street' },
          { choiceId: base * 10 + 2, choiceText: '<script>alert(1)</script>' },
          { choiceId: base * 10 + 3, choiceText: 'None of the above' },
        ],
        correct: [base * 10 + 1],
      },
      {
        questionId: base + 2,
        questionText: 'Which of these cars have you owned?',
        type: 'MULTIPLE_CHOICE',
        choices: [
          { choiceId: base * 10 + 4, choiceText: 'Volvo' },
          { choiceId: base * 10 + 5, choiceText: 'Saab' },
          { choiceId: base * 10 + 6, choiceText: 'Fiat' },
        ],
        correct: [base * 10 + 4, base * 10 + 6],
      },
      {
        // String ids and a type nobody documented: the relay must keep the ids' type and render checkboxes.
        questionId: `q-${base + 3}`,
        questionText: 'Which banks hold an account of yours?',
        type: 'RANKED_CHOICE',
        choices: [
          { choiceId: `c-${base}-a`, choiceText: 'First Bank' },
          { choiceId: `c-${base}-b`, choiceText: 'Second Bank' },
        ],
        correct: [`c-${base}-b`],
      },
    ];
  }
}

export const OTH_LIFETIME_MS = 10 * 60 * 1000;

export class OthFakeStep extends FakeStep {
  readonly method = 'OTH';
  channel: 'EMAIL' | 'SMS';
  status = 'MESSAGE_SENT';
  sendAttempts = 1;
  verificationAttempts = 0;
  readonly maxSends = 4;
  sentAtMs: number;
  /** The destinations the fake sent links to, in order (tests check a change of channel). */
  readonly sentTo: Array<{ channel: 'EMAIL' | 'SMS'; to: string | undefined }> = [];
  constructor(clock: FakeClock, channel: 'EMAIL' | 'SMS') {
    super(clock);
    this.channel = channel;
    this.sentAtMs = clock.now();
    this.sentTo.push({ channel, to: undefined });
  }

  submit({ data, phoneNumber, email }: Submission): void {
    if (data.resend !== true) throw new Refusal('OTH takes only resend');
    if (phoneNumber !== undefined && email === undefined) this.channel = 'SMS';
    if (email !== undefined && phoneNumber === undefined) this.channel = 'EMAIL';
    this.sentTo.push({ channel: this.channel, to: phoneNumber ?? email });
    this.sendAttempts += 1;
    this.sentAtMs = this.clock.now();
    this.status = 'MESSAGE_SENT';
  }

  /** The shopper opened the link (or it expired): the status Kount's webhook reports. */
  finish(status: 'VERIFIED' | 'TERMINATED' | 'FAILED_AUTHORIZATION'): Json {
    this.status = status;
    this.verificationAttempts += 1;
    this.outcome = status === 'VERIFIED' ? 'passed' : 'failed';
    return this.webhook();
  }

  /** Bare `WebhookEventRequest` for the current state. */
  webhook(): Json {
    return {
      sessionId: this.sessionId,
      mfaType: 'NONCE_OTH',
      channelType: `${this.channel}_NONCE_OTH`,
      verificationStatus: this.status,
      sendAttempts: String(this.sendAttempts),
      verificationAttempts: String(this.verificationAttempts),
      remainingSendAttempts: String(this.maxSends - this.sendAttempts),
      sentTimeStamp: new Date(this.sentAtMs).toISOString(),
    };
  }

  data(): Json {
    return {
      ...this.webhook(),
      resendStatus: 'SENT',
      ...(this.outcome === 'open' ? { expiresAt: new Date(this.sentAtMs + OTH_LIFETIME_MS).toISOString() } : {}),
    };
  }
}

export class DocvFakeStep extends FakeStep {
  readonly method = 'DOCV';
  status = 'MESSAGE_SENT';
  delivery: 'SYNC' | 'SMS';
  sendAttempts = 1;
  verificationAttempts = 0;
  retriesUsed = 0;
  readonly maxRetries = 1;
  readonly authenticationId: string;
  readonly captureUrl: string;
  constructor(clock: FakeClock, delivery: 'SYNC' | 'SMS', captureUrl: string, authenticationId: string) {
    super(clock);
    this.delivery = delivery;
    this.captureUrl = captureUrl;
    this.authenticationId = authenticationId;
  }

  get retryAllowed(): boolean {
    return (this.status === 'FAILED' || this.status === 'NEEDS_RETRY') && this.retriesUsed < this.maxRetries;
  }

  submit({ data }: Submission): void {
    if (data.resend !== true) throw new Refusal('DOCV takes only resend');
    if (this.retryAllowed) this.retriesUsed += 1;
    else if (this.status !== 'MESSAGE_SENT') return;
    this.sendAttempts += 1;
    this.status = 'MESSAGE_SENT';
    this.outcome = 'open';
  }

  /** The phone capture moved on: the wrapped `DOCVerification.StatusUpdate` Kount sends for it. */
  advance(status: 'FLOW_BEGUN' | 'CAPTURED' | 'PROCESSING' | 'VERIFIED' | 'FAILED' | 'NEEDS_RETRY'): Json {
    this.status = status;
    if (status === 'VERIFIED' || status === 'FAILED' || status === 'NEEDS_RETRY') this.verificationAttempts += 1;
    if (status === 'VERIFIED') this.outcome = 'passed';
    else if ((status === 'FAILED' || status === 'NEEDS_RETRY') && !this.retryAllowed) this.outcome = 'failed';
    return this.statusEvent();
  }

  statusEvent(): Json {
    return {
      id: randomUUID(),
      eventType: 'DOCVerification.StatusUpdate',
      apiVersion: 'v1',
      clientId: FAKE_CLIENT_ID,
      documentVerificationStatus: this.status,
      authenticationId: this.authenticationId,
      sessionId: this.sessionId,
      sendAttempts: String(this.sendAttempts),
      verificationAttempts: String(this.verificationAttempts),
    };
  }

  data(): Json {
    const inFlight = ['MESSAGE_SENT', 'FLOW_BEGUN', 'CAPTURED', 'PROCESSING'].includes(this.status);
    return {
      sessionId: this.sessionId,
      documentVerificationStatus: this.status,
      deliveryMode: this.delivery,
      ...(this.delivery === 'SYNC' && inFlight ? { captureUrl: this.captureUrl } : {}),
      sendAttempts: String(this.sendAttempts),
      verificationAttempts: String(this.verificationAttempts),
      remainingRetries: String(this.maxRetries - this.retriesUsed),
      retryAllowed: this.retryAllowed,
    };
  }
}

export type AnyFakeStep = OtpFakeStep | KbaFakeStep | OthFakeStep | DocvFakeStep;

/** One case: steps run in order, Decline as soon as one fails, the verdict once all passed. */
export class FakeCase {
  readonly started: AnyFakeStep[] = [];
  readonly #pending: StepMethod[];
  readonly #clock: FakeClock;
  readonly #options: StepOptions;
  /** A decision forced by a test (e.g. ALLOW mid-strategy). */
  forcedDecision: string | undefined;

  constructor(
    readonly authenticationId: string,
    readonly inquiryId: string,
    methods: StepMethod[],
    clock: FakeClock,
    options: StepOptions,
  ) {
    this.#pending = [...methods];
    this.#clock = clock;
    this.#options = options;
    this.#startNext();
  }

  get current(): AnyFakeStep | undefined {
    return this.started.at(-1);
  }

  get decision(): string {
    if (this.forcedDecision !== undefined) return this.forcedDecision;
    if (this.current?.outcome === 'failed') return 'Decline';
    if (this.current?.outcome === 'open') return 'Challenge';
    return this.#options.verdict;
  }

  /** Applies a verify request; a refresh (`nextAction: true`, empty data) changes nothing. */
  submit(request: { strategy: { nextAction?: boolean; actions: Array<{ method: string; data: Json }> }; phoneNumber?: string; email?: string }): void {
    const step = this.current;
    const refresh = request.strategy.nextAction === true && request.strategy.actions.every((action) => Object.keys(action.data).length === 0);
    if (refresh || step === undefined || step.outcome !== 'open' || this.forcedDecision !== undefined) return;
    const action = request.strategy.actions.find((candidate) => candidate.method === step.method);
    if (!action) throw new Refusal(`the open action is ${step.method}`);
    step.submit({ data: action.data, phoneNumber: request.phoneNumber, email: request.email });
    this.advanceIfPassed();
  }

  /** Starts the next step once the current one has passed (also after a webhook-driven finish). */
  advanceIfPassed(): void {
    if (this.current?.outcome === 'passed') this.#startNext();
  }

  toResponse(): Json {
    return {
      inquiryId: this.inquiryId,
      authenticationId: this.authenticationId,
      decision: this.decision,
      strategy: { strategyName: 'CheckoutStepUp', status: 'active', actions: this.started.map((step) => step.toAction()) },
    };
  }

  #startNext(): void {
    const method = this.#pending.shift();
    if (method === undefined) return;
    const clock = this.#clock;
    const options = this.#options;
    const step =
      method === 'OTP'
        ? new OtpFakeStep(clock)
        : method === 'KBA'
          ? new KbaFakeStep(clock)
          : method === 'OTH'
            ? new OthFakeStep(clock, options.othChannel)
            : new DocvFakeStep(clock, options.docvDelivery, options.captureUrl, this.authenticationId);
    this.started.push(step);
  }
}
